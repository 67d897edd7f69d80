import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresAnalyticsStore } from '../../analytics/postgres-analytics-store.js';
import type { StoredEvent } from '../../domain/interaction-events.js';
import type { Database } from '../../store/database.js';
import { tenantsRepository } from '../../store/tenants-repository.js';
import { backendName, createTestDatabase } from '../support/database.js';
import { aStoredEvent, anEventAsset } from '../support/factories.js';

/*
 * The rollups of migration 0040 recomputed for a range (analytics/postgres/read-paths.ts), held to
 * a second database that recorded the same events with every write in place: after a rolling deploy
 * in which an older process recorded without them, twice at once and beside `record`, and after a
 * run that stopped half-way.
 */
const READ_PATH_TABLES = {
  analytics_query_totals: 'grain, bucket, query, searches, zero_searches, clicks',
  analytics_dim_viewers: 'grain, bucket, dim, value, viewers::text AS viewers',
} as const;

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const range = { from: day('2026-09-01'), to: day('2026-09-04') };

/** A batch over the range's three days: plays of tagged assets by a few viewers, searches, clicks. */
function aBatch(tenantId: string, seed: number): StoredEvent[] {
  const events: StoredEvent[] = [];
  for (let i = 0; i < 60; i++) {
    const occurredAt = new Date(range.from.getTime() + ((seed * 7 + i * 3_613_000) % (3 * 86_400_000)));
    const asset = anEventAsset({ tags: [`tag${i % 4}`, `tag${(i + seed) % 3}`], speakers: [`s${i % 2}`] });
    events.push(
      aStoredEvent({
        tenantId,
        occurredAt,
        assetId: `00000000-0000-4000-8000-00000000000${i % 5}`,
        asset,
        userToken: `viewer-${(i * seed) % 17}`,
      }),
      aStoredEvent({
        tenantId,
        type: 'search',
        assetId: null,
        occurredAt,
        search: { query: `  Query ${i % 6} `, totalHits: i % 5 === 0 ? 0 : 12 },
        context: { device: i % 2 ? 'phone' : 'desktop', country: i % 3 ? 'DE' : 'FR' },
      }),
      aStoredEvent({
        tenantId,
        type: 'click',
        assetId: null,
        occurredAt,
        search: { query: `query ${i % 6}`, clickedRank: 1 + (i % 3) },
        context: { country: 'DE' },
      }),
    );
  }
  return events;
}

describe(`rebuilding the read paths of migration 0040 (${backendName()})`, () => {
  let db: Database;
  let control: Database;
  beforeAll(async () => {
    [db, control] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  });
  afterAll(async () => {
    await Promise.all([db?.close(), control?.close()]);
  });

  const rows = (on: Database, tenantId: string) =>
    Promise.all(
      Object.entries(READ_PATH_TABLES).map(([table, columns]) =>
        on.query(
          `SELECT ${columns} FROM ${table} WHERE tenant_id = $1 ORDER BY ${columns.replace(/ AS \w+/g, '')}`,
          [tenantId],
        ),
      ),
    );

  /** A tenant in both databases, and a batch recorded by an older process: without the 0040 tables. */
  async function afterRollingDeploy() {
    const tenantId = `t${randomUUID().slice(0, 8)}`;
    await Promise.all([tenantsRepository.ensure(db, tenantId), tenantsRepository.ensure(control, tenantId)]);
    const store = new PostgresAnalyticsStore(db);
    const reference = new PostgresAnalyticsStore(control);
    const first = aBatch(tenantId, 1);
    await store.record(first);
    await reference.record(first);
    const before = await rows(db, tenantId);
    const old = aBatch(tenantId, 2);
    await store.record(old);
    await reference.record(old);
    // What an older process leaves: the 0040 tables as they were before its batch.
    await db.transaction(async (tx) => {
      for (const [i, table] of Object.keys(READ_PATH_TABLES).entries()) {
        await tx.query(`DELETE FROM ${table} WHERE tenant_id = $1`, [tenantId]);
        for (const r of before[i]!)
          await tx.query(
            table === 'analytics_query_totals'
              ? `INSERT INTO ${table} (tenant_id, grain, bucket, query, searches, zero_searches, clicks)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)`
              : `INSERT INTO ${table} (tenant_id, grain, bucket, dim, value, viewers) VALUES ($1, $2, $3, $4, $5, $6::bit(8192))`,
            [tenantId, ...Object.values(r)],
          );
      }
    });
    expect(await rows(db, tenantId)).not.toEqual(await rows(control, tenantId));
    return { tenantId, store, reference };
  }

  it('gives the rows of a store that recorded everything, run twice at once beside record, and again', async () => {
    const { tenantId, store, reference } = await afterRollingDeploy();
    const during = aBatch(tenantId, 3);
    await Promise.all([
      store.rebuildReadPaths({ ...range, tenantId }),
      store.rebuildReadPaths(range),
      store.record(during),
    ]);
    await reference.record(during);
    const expected = await rows(control, tenantId);
    expect(await rows(db, tenantId)).toEqual(expected);
    await store.rebuildReadPaths(range);
    expect(await rows(db, tenantId)).toEqual(expected);

    // The query totals are what the raw events say (the oracle beside the reference database).
    const searches = new Map<string, number>();
    for (const e of aBatch(tenantId, 1).concat(aBatch(tenantId, 2), during))
      if (e.type === 'search') {
        const q = e.search!.query.trim().toLowerCase().replace(/\s+/g, ' ');
        searches.set(q, (searches.get(q) ?? 0) + 1);
      }
    const totals = await db.query<{ query: string; n: string }>(
      `SELECT query, sum(searches)::text AS n FROM analytics_query_totals
       WHERE tenant_id = $1 AND grain = 'd' GROUP BY query ORDER BY query`,
      [tenantId],
    );
    expect(totals.map((t) => [t.query, Number(t.n)])).toEqual([...searches.entries()].sort());
  });

  it('a run stopped after its first day, run again, leaves exact rows', async () => {
    const { tenantId, store } = await afterRollingDeploy();
    await expect(
      store.rebuildReadPaths({ ...range, tenantId }, () => {
        throw new Error('stopped');
      }),
    ).rejects.toThrow('stopped');
    expect(await rows(db, tenantId)).not.toEqual(await rows(control, tenantId));
    await store.rebuildReadPaths({ ...range, tenantId });
    expect(await rows(db, tenantId)).toEqual(await rows(control, tenantId));
  });

  it('refuses a range that is not whole days', async () => {
    const store = new PostgresAnalyticsStore(db);
    await expect(
      store.rebuildReadPaths({ from: new Date('2026-09-01T01:00:00Z'), to: day('2026-09-02') }),
    ).rejects.toThrow('UTC midnights');
  });
});
