import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

const day = 86_400_000;

describe('metadata retention and variability', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ workers: false });
    await t.keyFor('keep', 'ADMIN');
  }, 300_000);
  afterAll(() => t?.close());

  const sync = (id: string, itemCount: number, producedAt: Date) => ({
    target: { type: 'controller', id },
    kind: 'sync_result',
    payload: { status: 'SUCCEEDED', itemCount },
    producedAt,
    producerId: 'test.v1',
  });

  it('compacts rolling kinds past their window, keeping the newest per target and full-history kinds', async () => {
    const repo = t.container.metadata.forTenant('keep');
    const now = new Date();
    const old = new Date(now.getTime() - 200 * day);
    // sync_result keeps 90 days; technical_metadata its full history.
    await repo.bulkStore([
      sync('a', 1, new Date(old.getTime() - day)),
      sync('a', 2, old),
      sync('a', 3, new Date(now.getTime() - day)),
      // b's only records are old: the newest of them stays.
      sync('b', 4, new Date(old.getTime() - day)),
      sync('b', 5, old),
      {
        target: { type: 'asset', id: 'x' },
        kind: 'technical_metadata',
        payload: { w: 1 },
        producedAt: old,
        producerId: 't',
      },
      {
        target: { type: 'asset', id: 'x' },
        kind: 'technical_metadata',
        payload: { w: 2 },
        producedAt: now,
        producerId: 't',
      },
    ]);
    const logBefore = await t.container.metadata.logPage('keep', null, 0, 100);
    const result = await t.container.metadata.compact(now);
    expect(result).toEqual({ removed: 3, failed: [] });
    const count = async (id: string, kind = 'sync_result') =>
      (await repo.history({ target: { type: id === 'x' ? 'asset' : 'controller', id }, kind })).items.map(
        (r) => r.payload,
      );
    expect(await count('a')).toEqual([{ status: 'SUCCEEDED', itemCount: 3 }]);
    expect(await count('b')).toEqual([{ status: 'SUCCEEDED', itemCount: 5 }]);
    expect((await count('x', 'technical_metadata')).length).toBe(2);
    expect((await repo.latest({ type: 'controller', id: 'b' }, 'sync_result'))?.payload.itemCount).toBe(5);
    // The log goes on from any position, a removed one's too (the first record was removed).
    const remaining = (await t.container.metadata.logPage('keep', null, 0, 100)).map((r) => r.seq);
    expect(remaining).toHaveLength(logBefore.length - 3);
    expect(remaining).not.toContain(logBefore[0]!.seq);
    const logAfter = await t.container.metadata.logPage('keep', null, logBefore[0]!.seq, 100);
    expect(logAfter.map((r) => r.seq)).toEqual(remaining);
  });

  it('records an anomaly when a value falls outside the tolerance band of the moving average', async () => {
    const { metadata } = t.container;
    const rule = { kind: 'sync_result', field: ['itemCount'], window: 5, tolerance: 3 };
    const base = Date.now() - 60_000;
    const check = (n: number, i: number) =>
      t.container.db.transaction(async (tx) => {
        const [record] = await metadata.record(tx, 'keep', [sync('v', n, new Date(base + i * 1000))]);
        return metadata.checkVariability(tx, record!, rule);
      });
    const values = [100, 102, 98, 101, 99];
    for (const [i, n] of values.entries()) await check(n, i);
    const normal = await check(100, 10);
    expect(normal?.anomaly).toBeNull();
    expect(normal?.mean).toBeCloseTo(100, 0);
    const spike = await check(10, 11);
    expect(spike?.anomaly?.kind).toBe('anomaly');
    expect(spike?.anomaly?.payload).toMatchObject({ kind: 'sync_result', field: 'itemCount', value: 10 });
    const anomalies = await metadata.forTenant('keep').latest({ type: 'controller', id: 'v' }, 'anomaly');
    expect(anomalies?.id).toBe(spike?.anomaly?.id);
  });
});
