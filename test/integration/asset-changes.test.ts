import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssetChange } from '../../domain/asset-changes.js';
import { ChangeFeedService } from '../../services/change-feed-service.js';
import { assetChangesRepository } from '../../store/asset-changes-repository.js';
import type { Database, Sql } from '../../store/database.js';
import { outboxRepository, type NewOutboxEvent } from '../../store/outbox-repository.js';
import { backendName, createTestDatabase } from '../support/database.js';

const updated = (assetId: string, version: number): NewOutboxEvent => ({
  type: 'asset.updated',
  aggregateId: assetId,
  payload: { assetId, version, fields: ['title'] },
});

/** Reads the whole log from `cursor` on, a page of `limit` at a time; returns what it read and where it stopped. */
async function readAll(sut: ChangeFeedService, tenantId: string, cursor: string | null, limit = 2) {
  const items: AssetChange[] = [];
  for (;;) {
    const page = await sut.read(tenantId, { cursor, limit });
    items.push(...page.items);
    cursor = page.cursor;
    if (page.items.length < limit) return { items, cursor };
  }
}

/**
 * Reads until at least `n` entries came: on a server, any transaction running on it (other suites'
 * too) holds the log back while it runs.
 */
async function readUntil(sut: ChangeFeedService, tenantId: string, cursor: string | null, n: number) {
  let read = await readAll(sut, tenantId, cursor);
  await expect
    .poll(async () => (read = await readAll(sut, tenantId, cursor)).items.length, { timeout: 60_000 })
    .toBeGreaterThanOrEqual(n);
  return read;
}

/**
 * The change log (migration 0059, docs/change-feeds.md): written with the outbox event of each
 * change, read by (xid, id) below the oldest running transaction, so a reader never skips an entry
 * that commits late.
 */
describe.each(['pglite', 'postgres'] as const)('the asset change log on %s', (backend) => {
  const skip = backend === 'postgres' && backendName() !== 'postgres';
  let db: Database;
  let sut: ChangeFeedService;

  beforeAll(async () => {
    if (skip) return;
    db = await createTestDatabase(['default', 'other'], { backend });
    sut = new ChangeFeedService({ db, changes: assetChangesRepository });
  }, 300_000);
  afterAll(() => db?.close());

  it.skipIf(skip)(
    'has one entry per asset event, named for the change, in its tenant only; none for other events',
    async () => {
      const a = randomUUID();
      const start = (await readAll(sut, 'default', null)).cursor;
      await outboxRepository.insertMany(db, 'default', [
        { type: 'asset.ingested', aggregateId: a, payload: { assetId: a, version: 1 } },
        {
          type: 'asset.enrichment-requested',
          aggregateId: a,
          payload: { assetId: a, version: 1, nonce: 'n' },
        },
        { type: 'asset.enriched', aggregateId: a, payload: { assetId: a, version: 2 } },
        updated(a, 3),
        { ...updated(a, 4), change: 'archived' } as NewOutboxEvent,
        { ...updated(a, 5), change: 'restored' } as NewOutboxEvent,
        { ...updated(a, 6), change: 'erased' } as NewOutboxEvent,
        { type: 'asset.failed', aggregateId: a, payload: { assetId: a, version: 6, error: 'x' } },
        { type: 'asset.deleted', aggregateId: a, payload: { assetId: a, version: 7, purged: false } },
        { type: 'asset.deleted', aggregateId: a, payload: { assetId: a, version: 8, purged: true } },
      ]);
      await outboxRepository.insertMany(db, 'other', [updated(a, 9)]);
      const { items } = await readUntil(sut, 'default', start, 9);
      expect(items.map((c) => [c.assetId, c.change, c.version])).toEqual([
        [a, 'ingested', 1],
        [a, 'enriched', 2],
        [a, 'updated', 3],
        [a, 'archived', 4],
        [a, 'restored', 5],
        [a, 'erased', 6],
        [a, 'failed', 6],
        [a, 'deleted', 7],
        [a, 'purged', 8],
      ]);
      expect(items[2]!.fields).toEqual(['title']);
      expect(items[1]!.fields).toBeNull();
      expect(new Set(items.map((c) => c.cursor)).size).toBe(items.length);
      // Filtered by kind, from the same place.
      const deletes = await sut.read('default', { cursor: start, limit: 10, types: ['deleted', 'purged'] });
      expect(deletes.items.map((c) => c.change)).toEqual(['deleted', 'purged']);
      // The other tenant's log has its own entry only.
      const theirs = await readUntil(sut, 'other', null, 1);
      expect(theirs.items.map((c) => [c.change, c.version])).toEqual([['updated', 9]]);
    },
  );

  it.skipIf(skip)('leaves out what a rolled-back transaction wrote', async () => {
    const a = randomUUID();
    const start = (await readAll(sut, 'default', null)).cursor;
    await expect(
      db.transaction(async (tx) => {
        await outboxRepository.insertMany(tx, 'default', [updated(a, 2)]);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await outboxRepository.insertMany(db, 'default', [updated(a, 3)]);
    expect((await readUntil(sut, 'default', start, 1)).items.map((c) => c.version)).toEqual([3]);
  });

  it.skipIf(skip)('refuses a cursor it did not issue', async () => {
    await expect(sut.read('default', { cursor: 'abc', limit: 1 })).rejects.toThrow(/cursor/);
  });

  /** A transaction held open until released, and the moment it has done its first part. */
  function heldOpen(
    first: (tx: Sql) => Promise<unknown>,
    last: (tx: Sql) => Promise<unknown> = async () => {},
  ) {
    let release!: () => void;
    const holds = new Promise<void>((r) => (release = r));
    let markReady!: () => void;
    const ready = new Promise<void>((r) => (markReady = r));
    const done = db.transaction(async (tx) => {
      await first(tx);
      markReady();
      await holds;
      await last(tx);
    });
    return { ready, commit: async () => (release(), await done) };
  }

  /**
   * Two writers on two connections; the one that commits late would be skipped by a reader that
   * ordered by entry id alone (it wrote the lower id) or by transaction id alone (it is the older).
   */
  it.skipIf(backend !== 'postgres' || skip)(
    'never skips an entry whose transaction commits after a later one was served',
    async () => {
      const [a, b, c, d] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
      const idOf = async (assetId: string) =>
        (await db.query<{ id: number }>('SELECT id FROM asset_changes WHERE asset_id = $1', [assetId]))[0]!
          .id;
      const start = (await readAll(sut, 'default', null)).cursor;
      const caughtUp = (cursor: string | null, n: number) => readUntil(sut, 'default', cursor, n);

      // 1. The first writes the lower id and commits after the second.
      const first = heldOpen((tx) => outboxRepository.insertMany(tx, 'default', [updated(a, 2)]));
      await first.ready;
      await outboxRepository.insertMany(db, 'default', [updated(b, 2)]);
      const held = await readAll(sut, 'default', start);
      // Committed, yet held back while an older transaction runs.
      expect(held.items).toEqual([]);
      await first.commit();
      expect(await idOf(a)).toBeLessThan(await idOf(b));
      const one = await caughtUp(held.cursor, 2);
      expect(one.items.map((x) => x.assetId)).toEqual([a, b]);

      // 2. The older transaction (it has its xid first) writes its entry after a younger one wrote
      // and committed: its entry sorts first, so the younger's must wait for it.
      const older = heldOpen(
        (tx) => tx.query('SELECT pg_current_xact_id()'),
        (tx) => outboxRepository.insertMany(tx, 'default', [updated(c, 2)]),
      );
      await older.ready;
      await outboxRepository.insertMany(db, 'default', [updated(d, 2)]);
      const waiting = await readAll(sut, 'default', one.cursor);
      expect(waiting.items).toEqual([]);
      await older.commit();
      const two = await caughtUp(waiting.cursor, 2);
      expect(two.items.map((x) => x.assetId)).toEqual([c, d]);
      expect(await idOf(c)).toBeGreaterThan(await idOf(d));

      // From the start, every entry once.
      expect((await caughtUp(start, 4)).items.map((x) => x.assetId)).toEqual([a, b, c, d]);
    },
  );
});
