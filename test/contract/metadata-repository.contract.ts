import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetadataRepository } from '../../domain/metadata.js';

export interface MetadataRepositoryFixture {
  /** A repository for a tenant (created as needed). */
  repoFor(tenantId: string): Promise<MetadataRepository>;
  close(): Promise<void>;
}

/**
 * The MetadataRepository contract: one suite for the embedded implementation (on the canonical
 * store) and the remote one (the generated client against the app over HTTP).
 */
export function metadataRepositoryContract(name: string, setup: () => Promise<MetadataRepositoryFixture>) {
  describe(`MetadataRepository contract: ${name}`, () => {
    let fx: MetadataRepositoryFixture;
    let sut: MetadataRepository;
    let other: MetadataRepository;
    beforeAll(async () => {
      fx = await setup();
      const run = randomUUID().slice(0, 8);
      sut = await fx.repoFor(`meta-a-${run}`);
      other = await fx.repoFor(`meta-b-${run}`);
    }, 300_000);
    afterAll(() => fx?.close());

    const controller = () => ({ type: 'controller', id: randomUUID() });
    const sync = (
      target: { type: string; id: string },
      itemCount: number,
      producedAt: Date,
      extras?: object,
    ) => ({
      target,
      kind: 'sync_result',
      payload: { status: 'SUCCEEDED', itemCount },
      producedAt,
      producerId: 'contract.v1',
      context: { runId: `run-${itemCount}`, jobId: 'job-1' },
      ...(extras ? { extras: extras as Record<string, unknown> } : {}),
    });
    const at = (minutes: number) => new Date(Date.UTC(2026, 11, 1, 0, minutes));

    it('stores a record and answers it as latest, with its context, tenant and schema version', async () => {
      const target = controller();
      const stored = await sut.store(sync(target, 10, at(0)));
      expect(stored).toMatchObject({
        kind: 'sync_result',
        schemaVersion: '1.1.0',
        payload: { status: 'SUCCEEDED', itemCount: 10 },
        producerId: 'contract.v1',
        context: { runId: 'run-10', jobId: 'job-1' },
      });
      expect(stored.producedAt.toISOString()).toBe(at(0).toISOString());
      expect(stored.seq).toBeGreaterThan(0);
      // A later fact stored first, an earlier one after: latest is by producedAt, not arrival.
      await sut.store(sync(target, 30, at(10)));
      await sut.store(sync(target, 20, at(5)));
      const latest = await sut.latest(target, 'sync_result');
      expect(latest?.payload).toEqual({ status: 'SUCCEEDED', itemCount: 30 });
      expect(latest?.context.tenant).toBe(stored.context.tenant);
      expect(await sut.latest(target, 'drift_report')).toBeNull();
      expect(await sut.latest(controller(), 'sync_result')).toBeNull();
    });

    it('refuses a payload its kind does not accept, and an unknown kind', async () => {
      await expect(
        sut.store({ ...sync(controller(), 1, at(0)), payload: { status: 'SUCCEEDED' } }),
      ).rejects.toThrow(/itemCount/);
      await expect(sut.store({ ...sync(controller(), 1, at(0)), kind: 'no_such_kind' })).rejects.toThrow(
        /not registered/,
      );
    });

    it('bulk-stores a batch, reporting each refused record by index and storing the rest', async () => {
      const target = controller();
      const items = await sut.bulkStore([
        sync(target, 1, at(1)),
        { ...sync(target, 2, at(2)), payload: { itemCount: -1 } },
        sync(target, 3, at(3)),
      ]);
      expect(items.map((i) => [i.index, i.status])).toEqual([
        [0, 'stored'],
        [1, 'rejected'],
        [2, 'stored'],
      ]);
      const stored = items.flatMap((i) => (i.status === 'stored' ? [i.record] : []));
      expect(stored[1]!.seq).toBeGreaterThan(stored[0]!.seq);
      expect((await sut.latest(target, 'sync_result'))?.payload.itemCount).toBe(3);
    });

    it('pages a history newest first within a window, with a cursor', async () => {
      const target = controller();
      await sut.bulkStore([0, 1, 2, 3, 4, 5].map((m) => sync(target, m, at(m))));
      const first = await sut.history({ target, kind: 'sync_result', from: at(1), to: at(5), limit: 2 });
      expect(first.items.map((r) => r.payload.itemCount)).toEqual([4, 3]);
      expect(first.nextCursor).not.toBeNull();
      const second = await sut.history({
        target,
        kind: 'sync_result',
        from: at(1),
        to: at(5),
        limit: 2,
        cursor: first.nextCursor!,
      });
      expect(second.items.map((r) => r.payload.itemCount)).toEqual([2, 1]);
      // The window held four: the last page says there is no more.
      expect(second.nextCursor).toBeNull();
      const all = await sut.history({ target, kind: 'sync_result' });
      expect(all.items.map((r) => r.payload.itemCount)).toEqual([5, 4, 3, 2, 1, 0]);
    });

    it('queries by kind, target type and JSON paths of payload and extras', async () => {
      const a = controller();
      const b = controller();
      await sut.bulkStore([
        sync(a, 5, at(20), { window_start: '2026-12-01T00:00:00Z' }),
        sync(a, 50, at(21), { window_start: '2026-12-02T00:00:00Z' }),
        sync(b, 500, at(22), { window_start: '2026-12-03T00:00:00Z' }),
      ]);
      const byExtras = await sut.query({
        kind: 'sync_result',
        target: { type: 'controller' },
        from: at(20),
        to: at(23),
        filters: [{ root: 'extras', path: ['window_start'], op: 'gte', value: '2026-12-02T00:00:00Z' }],
      });
      expect(byExtras.items.map((r) => r.payload.itemCount)).toEqual([500, 50]);
      const byPayload = await sut.query({
        kind: 'sync_result',
        target: a,
        from: at(20),
        to: at(23),
        filters: [{ root: 'payload', path: ['itemCount'], op: 'lt', value: 10 }],
      });
      expect(byPayload.items.map((r) => r.payload.itemCount)).toEqual([5]);
      // Numbers compare as numbers: 50 < 100 although "50" > "100" as text.
      const numeric = await sut.query({
        kind: 'sync_result',
        from: at(20),
        to: at(23),
        filters: [{ root: 'payload', path: ['itemCount'], op: 'lt', value: 100 }],
      });
      expect(numeric.items.map((r) => r.payload.itemCount)).toEqual([50, 5]);
    });

    it("keeps tenants apart: one tenant never reads another's records", async () => {
      const target = controller();
      await sut.store(sync(target, 7, at(30)));
      expect(await other.latest(target, 'sync_result')).toBeNull();
      expect((await other.history({ target, kind: 'sync_result' })).items).toEqual([]);
      expect((await other.query({ kind: 'sync_result', target })).items).toEqual([]);
    });
  });
}
