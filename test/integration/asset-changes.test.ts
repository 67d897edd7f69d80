import { randomUUID } from 'node:crypto';
import net from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AssetChange } from '../../domain/asset-changes.js';
import { ResyncRequiredError } from '../../domain/errors.js';
import { ChangeFeedService, ChangeWakeups } from '../../services/change-feed-service.js';
import { assetChangesRepository } from '../../store/asset-changes-repository.js';
import type { Database, Sql } from '../../store/database.js';
import { openDatabase } from '../../store/db.js';
import { outboxRepository, type NewOutboxEvent } from '../../store/outbox-repository.js';
import { tenantsRepository } from '../../store/tenants-repository.js';
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
    db = await createTestDatabase(['default', 'other', 'aged', 'young', 'digits'], { backend });
    sut = new ChangeFeedService(
      { db, changes: assetChangesRepository, tenantIds: () => tenantsRepository.allIds(db) },
      { days: 30 },
    );
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

  it.skipIf(skip)('reads and resumes in xid order where the xid gains a digit (9, then 10)', async () => {
    const a = randomUUID();
    // Long-committed transaction ids, written as the log would have: their text sorts 10 before 9.
    for (const [xid, version] of [
      ['9', 1],
      ['10', 2],
      ['99', 3],
      ['100', 4],
    ] as const)
      await db.query(
        `INSERT INTO asset_changes (tenant_id, xid, asset_id, change, version) VALUES ('digits', $1::xid8, $2, 'updated', $3)`,
        [xid, a, version],
      );
    const { items } = await readAll(sut, 'digits', null, 1);
    expect(items.map((c) => c.version)).toEqual([1, 2, 3, 4]);
    expect((await assetChangesRepository.head(db, 'digits'))?.xid).toBe('100');
  });

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

  /** Makes the tenant's entries about these assets `days` old, as if written then. */
  const age = (tenantId: string, assetIds: string[], days: number) =>
    db.query(
      `UPDATE asset_changes SET changed_at = changed_at - make_interval(days => $3)
       WHERE tenant_id = $1 AND asset_id = ANY($2::uuid[])`,
      [tenantId, assetIds, days],
    );
  const refusal = async (tenantId: string, cursor: string | null) => {
    const err: unknown = await sut.read(tenantId, { cursor, limit: 10 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ResyncRequiredError);
    return err as ResyncRequiredError;
  };

  it.skipIf(skip)(
    'prunes entries past retention in bounded batches, and refuses a cursor older than what it kept',
    async () => {
      const [old1, old2, old3, fresh] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
      await outboxRepository.insertMany(db, 'aged', [updated(old1, 2), updated(old2, 2), updated(old3, 2)]);
      await outboxRepository.insertMany(db, 'aged', [updated(fresh, 2)]);
      // Another tenant's entries of the same age are its own to prune.
      await outboxRepository.insertMany(db, 'young', [updated(old1, 3)]);
      const all = (await readUntil(sut, 'aged', null, 4)).items;
      expect(all.map((c) => c.assetId)).toEqual([old1, old2, old3, fresh]);
      await age('aged', [old1, old2, old3], 40);
      await age('young', [old1], 40);
      // Before any pruning every cursor, and the start, reads on.
      expect((await sut.read('aged', { cursor: all[0]!.cursor, limit: 10 })).items).toHaveLength(3);

      // Two entries a statement, one statement a run: two runs take the three old entries, the
      // fresh one stays.
      const batched = new ChangeFeedService(
        { db, changes: assetChangesRepository, tenantIds: () => Promise.resolve(['aged']) },
        { days: 30, batchSize: 2, batchesPerRun: 1 },
      );
      expect(await batched.pruneAll()).toEqual({ tenants: 1, removed: 2, failed: [] });
      expect(await batched.pruneAll()).toEqual({ tenants: 1, removed: 1, failed: [] });
      expect(await batched.pruneAll()).toEqual({ tenants: 1, removed: 0, failed: [] });

      // A cursor at the last pruned entry misses nothing: it reads on.
      const kept = await sut.read('aged', { cursor: all[2]!.cursor, limit: 10 });
      expect(kept.items.map((c) => c.assetId)).toEqual([fresh]);
      // Older cursors, and the start, would skip pruned entries: 410, with where to read on from.
      const rows = async () =>
        (
          await db.query<{ n: number }>('SELECT count(*)::int AS n FROM asset_changes WHERE tenant_id = $1', [
            'aged',
          ])
        )[0]!.n;
      const before = await rows();
      for (const cursor of [null, all[0]!.cursor, all[1]!.cursor]) {
        const err = await refusal('aged', cursor);
        expect(err.status).toBe(410);
        expect(err.extensions).toEqual({ resumeCursor: all[3]!.cursor, retentionDays: 30 });
      }
      // The refusals changed nothing: the same entries are there, and read on as before.
      expect(await rows()).toBe(before);
      expect((await sut.read('aged', { cursor: all[2]!.cursor, limit: 10 })).items).toEqual(kept.items);
      // The resume cursor reads what is written after it.
      const later = randomUUID();
      await outboxRepository.insertMany(db, 'aged', [updated(later, 2)]);
      expect((await readUntil(sut, 'aged', all[3]!.cursor, 1)).items.map((c) => c.assetId)).toEqual([later]);

      // The other tenant was not pruned by the aged tenant's run: its log reads from the start.
      const theirs = (await readUntil(sut, 'young', null, 1)).items;
      expect(theirs.map((c) => c.version)).toEqual([3]);
      // Its own run prunes it; then its start is refused too, resuming after its own last entry.
      expect((await sut.pruneAll()).removed).toBeGreaterThanOrEqual(1);
      expect((await refusal('young', null)).extensions.resumeCursor).toBe(theirs[0]!.cursor);
    },
  );

  it.skipIf(skip)(
    'wakes the followers of a tenant when its write commits: on a server by LISTEN, on PGlite never',
    async () => {
      const wakeups = new ChangeWakeups({ db, changes: assetChangesRepository });
      const woken = { default: 0, other: 0 };
      const stop = [
        wakeups.subscribe('default', () => woken.default++),
        wakeups.subscribe('other', () => woken.other++),
      ];
      try {
        expect(await wakeups.ready()).toBe(backend === 'postgres');
        if (backend !== 'postgres') return;
        // A rolled-back write notifies no one; a committed one its own tenant's followers, once.
        await expect(
          db.transaction(async (tx) => {
            await outboxRepository.insertMany(tx, 'default', [updated(randomUUID(), 2)]);
            throw new Error('rolled back');
          }),
        ).rejects.toThrow('rolled back');
        await outboxRepository.insertMany(db, 'default', [
          updated(randomUUID(), 2),
          updated(randomUUID(), 2),
        ]);
        // Notifications arrive in commit order: once this one is in, a rolled-back one would be too.
        await expect.poll(() => woken.default, { timeout: 30_000 }).toBe(1);
        expect(woken.other).toBe(0);
        // Unsubscribed followers are not called.
        stop[0]!();
        await outboxRepository.insertMany(db, 'other', [updated(randomUUID(), 2)]);
        await expect.poll(() => woken.other, { timeout: 30_000 }).toBe(1);
        expect(woken.default).toBe(1);
      } finally {
        stop.forEach((s) => s());
        await wakeups.close();
      }
    },
  );
});

/**
 * A TCP relay in front of the Postgres server that drops every connection until `open` is set:
 * the server unreachable at first. `sockets` counts the connections through it still open.
 */
async function flakyRelay(target: URL) {
  const relay = { open: false, sockets: 0, url: '' };
  const server = net.createServer((inbound) => {
    if (!relay.open) return void inbound.destroy();
    relay.sockets++;
    const outbound = net.connect(Number(target.port || 5432), target.hostname);
    inbound.pipe(outbound).pipe(inbound);
    const close = () => (inbound.destroy(), outbound.destroy());
    inbound.on('error', close).on('close', close);
    outbound.on('error', close).on('close', close);
    inbound.once('close', () => relay.sockets--);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(target);
  url.host = `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  relay.url = url.toString();
  return { relay, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe.skipIf(!inject('postgresUrl'))('listening on a server that was unreachable at first', () => {
  const serverUrl = inject('postgresUrl') ?? '';
  let admin: pg.Client;
  /** The sessions on the server that last ran LISTEN on `channel`. */
  const listeners = async (channel: string) =>
    (
      await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE query = $1`, [
        `LISTEN "${channel}"`,
      ])
    ).rows[0]!.n;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
  });
  afterAll(() => admin?.end());

  it('keeps trying and wakes once it connects; closing ends the connection', async () => {
    const { relay, close } = await flakyRelay(new URL(serverUrl));
    const db = await openDatabase({ url: relay.url, poolSize: 1 });
    const channel = `wake_${randomUUID().replaceAll('-', '')}`;
    const payloads: string[] = [];
    try {
      // The first attempt fails, yet the listener is given back, to stop the retries with.
      const stop = await db.listen!(channel, (p) => payloads.push(p));
      relay.open = true;
      await expect
        .poll(
          async () => {
            await admin.query('SELECT pg_notify($1, $2)', [channel, 'hello']);
            return payloads.length;
          },
          { timeout: 30_000 },
        )
        .toBeGreaterThan(0);
      expect(payloads[0]).toBe('hello');
      expect(await listeners(channel)).toBe(1);
      await stop();
      await db.close();
      await expect.poll(() => listeners(channel), { timeout: 10_000 }).toBe(0);
      await expect.poll(() => relay.sockets, { timeout: 10_000 }).toBe(0);
    } finally {
      await db.close().catch(() => undefined);
      await close();
    }
  });

  it('stopping while the server is unreachable leaves no connection behind, later either', async () => {
    const { relay, close } = await flakyRelay(new URL(serverUrl));
    const db = await openDatabase({ url: relay.url, poolSize: 1 });
    const channel = `wake_${randomUUID().replaceAll('-', '')}`;
    try {
      const stop = await db.listen!(channel, () => undefined);
      await stop();
      await db.close();
      // Reachable again past the retry's second: nothing connects to it any more.
      relay.open = true;
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      expect(relay.sockets).toBe(0);
      expect(await listeners(channel)).toBe(0);
    } finally {
      await close();
    }
  });
});

describe('change wakeups whose listener failed', () => {
  it('try again at the next subscriber instead of keeping the failure', async () => {
    let calls = 0;
    const wakeups = new ChangeWakeups({
      db: {} as Database,
      changes: {
        listen: () =>
          ++calls === 1 ? Promise.reject(new Error('refused')) : Promise.resolve(async () => {}),
      },
    });
    const first = wakeups.subscribe('default', () => undefined);
    expect(await wakeups.ready()).toBe(false);
    const second = wakeups.subscribe('default', () => undefined);
    expect(await wakeups.ready()).toBe(true);
    expect(calls).toBe(2);
    first();
    second();
    await wakeups.close();
  });
});
