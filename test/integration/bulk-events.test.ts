import { randomUUID } from 'node:crypto';
import { createClient } from '@clickhouse/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EVENT_METRICS,
  METRIC_GROUP_BYS,
  type AnalyticsStore,
  type MetricInterval,
  type MetricQuery,
} from '../../analytics/analytics-store.js';
import { ClickHouseAnalyticsStore } from '../../analytics/clickhouse-analytics-store.js';
import { PostgresAnalyticsStore } from '../../analytics/postgres-analytics-store.js';
import type { StoredEvent } from '../../domain/interaction-events.js';
import type { Database } from '../../store/database.js';
import { tenantsRepository } from '../../store/tenants-repository.js';
import {
  bulkAssets,
  bulkLoadClickHouse,
  bulkLoadPostgres,
  syntheticStoredEvents,
} from '../../bench/bulk-events.js';
import { backendName, createTestDatabase } from '../support/database.js';

/*
 * The bench bulk loader (bench/bulk-events.ts) must leave a store as `record` does: the same
 * synthetic events recorded into one tenant through `record` and bulk-loaded into another answer
 * every series alike.
 */

const DAY = 86_400_000;
const END = new Date(Date.UTC(2026, 10, 10));
const FROM = new Date(END.getTime() - 3 * DAY);

function sample(tenantId: string): StoredEvent[] {
  return [...syntheticStoredEvents(tenantId, bulkAssets(60), { events: 4_000, seed: 3, end: END, days: 2 })];
}

/** Every metric by day and by hour, alone and by each group. */
function queries(tenantId: string): MetricQuery[] {
  const out: MetricQuery[] = [];
  for (const metric of EVENT_METRICS) {
    for (const interval of ['day', 'hour'] as MetricInterval[]) {
      for (const groupBy of [undefined, ...METRIC_GROUP_BYS]) {
        if (interval === 'hour' && groupBy !== undefined && groupBy !== 'asset') continue;
        out.push({ tenantId, metric, from: FROM, to: END, interval, groupBy, filters: {}, limit: 20 });
      }
    }
    out.push({
      tenantId,
      metric,
      from: FROM,
      to: END,
      interval: 'day',
      groupBy: 'asset',
      filters: { country: ['DE', 'US', 'FR'] },
      limit: 20,
    });
  }
  return out;
}

async function expectSameSeries(store: AnalyticsStore, recorded: string, loaded: string) {
  const a = queries(recorded);
  const b = queries(loaded);
  let nonEmpty = 0;
  for (let i = 0; i < a.length; i += 1) {
    const viaRecord = await store.series(a[i]!);
    const viaLoader = await store.series(b[i]!);
    expect(viaLoader, JSON.stringify({ ...a[i], tenantId: undefined })).toEqual(viaRecord);
    if (viaRecord.series.some((s) => s.total > 0)) nonEmpty += 1;
  }
  // The comparison means something only if most series hold data.
  expect(nonEmpty).toBeGreaterThan(a.length / 2);
}

async function recordAll(store: AnalyticsStore, events: StoredEvent[]) {
  for (let i = 0; i < events.length; i += 500) await store.record(events.slice(i, i + 500));
}

describe(`bulk loader of the benchmarks: postgres (${backendName()})`, () => {
  let db: Database;
  let store: PostgresAnalyticsStore;
  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresAnalyticsStore(db);
  });
  afterAll(() => db.close());

  it('writes the raw rows and rollups record writes', async () => {
    const [viaRecord, viaLoader] = [`t${randomUUID().slice(0, 8)}`, `t${randomUUID().slice(0, 8)}`];
    for (const t of [viaRecord, viaLoader]) await tenantsRepository.ensure(db, t);
    await recordAll(store, sample(viaRecord));
    const loaded = await bulkLoadPostgres(db, sample(viaLoader));
    expect(loaded.events).toBe(4_000);
    await expectSameSeries(store, viaRecord, viaLoader);

    // Row for row, every table but the tenant: the same.
    const tables: [string, string][] = [
      [
        'analytics_events',
        'id, occurred_at, type, asset_id, user_token, session_token, position, consent, device, country, query, total_hits, clicked_rank, search, context, properties, dims_key',
      ],
      ['analytics_asset_rollups', 'grain, bucket, asset_id, dims_key, views, completes, errors, watch_ms'],
      ['analytics_dim_rollups', 'grain, bucket, dim, value, views, completes, errors, watch_ms'],
      [
        'analytics_tenant_rollups',
        'grain, bucket, views, completes, errors, watch_ms, searches, zero_searches, clicks',
      ],
      [
        'analytics_context_rollups',
        'grain, bucket, device, country, views, watch_ms, searches, zero_searches, clicks',
      ],
      ['analytics_query_rollups', 'grain, bucket, query, device, country, searches, zero_searches, clicks'],
      ['analytics_query_totals', 'grain, bucket, query, searches, zero_searches, clicks'],
      ['analytics_rank_rollups', 'grain, bucket, rank, device, country, clicks'],
      ['analytics_tenant_viewers', 'grain, bucket, viewers::text'],
      ['analytics_context_viewers', 'grain, bucket, device, country, viewers::text'],
      ['analytics_asset_viewers', 'grain, bucket, asset_id, dims_key, viewers::text'],
      ['analytics_dim_viewers', 'grain, bucket, dim, value, viewers::text'],
      ['analytics_watch_progress', 'session_token, asset_id, furthest_ms, updated_at'],
    ];
    for (const [table, columns] of tables) {
      const rows = (tenantId: string) =>
        db.query(`SELECT ${columns} FROM ${table} WHERE tenant_id = $1 ORDER BY ${columns}`, [tenantId]);
      const [a, b] = [await rows(viaRecord), await rows(viaLoader)];
      expect(a.length, table).toBeGreaterThan(0);
      expect(b, table).toEqual(a);
    }
  });

  it('rolls the whole load back when an id is already held', async () => {
    const tenantId = `t${randomUUID().slice(0, 8)}`;
    await tenantsRepository.ensure(db, tenantId);
    const events = sample(tenantId).slice(0, 300);
    await store.record(events.slice(0, 1));
    await expect(bulkLoadPostgres(db, events)).rejects.toThrow();
    const [row] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM analytics_events WHERE tenant_id = $1`,
      [tenantId],
    );
    expect(row!.n).toBe(1);
  });
});

const url = process.env.CLICKHOUSE_URL || null;
const up = url
  ? await fetch(new URL('/ping', url), { signal: AbortSignal.timeout(3_000) }).then(
      (r) => r.ok,
      () => false,
    )
  : false;

describe.skipIf(!up)('bulk loader of the benchmarks: clickhouse', () => {
  const database = `test_${randomUUID().slice(0, 8)}`;
  let store: ClickHouseAnalyticsStore;
  let client: ReturnType<typeof createClient>;
  beforeAll(async () => {
    store = new ClickHouseAnalyticsStore({ url: url!, database });
    client = createClient({ url: url! });
    await store.ensureSchema();
  });
  afterAll(async () => {
    await store.dropDatabase();
    await store.close();
    await client.close();
  });

  it('answers every series as after record', async () => {
    const [viaRecord, viaLoader] = [`t${randomUUID().slice(0, 8)}`, `t${randomUUID().slice(0, 8)}`];
    await recordAll(store, sample(viaRecord));
    const loaded = await bulkLoadClickHouse(client, database, sample(viaLoader));
    expect(loaded.events).toBe(4_000);
    await expectSameSeries(store, viaRecord, viaLoader);
  });
});
