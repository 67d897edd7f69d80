/**
 * The top-assets series reads only the daily asset rollups, whose size depends on the assets and
 * days, not the events: this fills them as 10 million events over 5,000 assets and 30 days would
 * (every asset on every day, 150,000 rows) for a tenant of its own, and times the query.
 *
 *   npx tsx bench/scratch/asset-top-at-scale.ts [--url postgres://…/bench_analytics_1000000]
 */
import { parseArgs } from 'node:util';
import { PostgresAnalyticsStore } from '../../analytics/postgres-analytics-store.js';
import { openDatabase } from '../../store/db.js';
import { migrate } from '../../store/migrate.js';

const { values: args } = parseArgs({
  options: { url: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/bench_analytics_1000000' } },
});
const db = await openDatabase({ url: args.url });
await migrate(db);
const tenantId = 'bench-asset-scale';
const start = Date.UTC(2026, 9, 1);
await db.query(`DELETE FROM analytics_asset_rollups WHERE tenant_id = $1`, [tenantId]);
await db.query(
  `INSERT INTO analytics_asset_rollups (tenant_id, grain, bucket, asset_id, dims_key, views, completes, errors, watch_ms)
   SELECT $1, 'd', $2::timestamptz + d * interval '1 day', ('00000002-0000-4000-8000-' || lpad(to_hex(a), 12, '0'))::uuid,
     'k' || a, greatest(1, (2000 / (a + 1))::int), 0, 0, 0
   FROM generate_series(0, 4999) a, generate_series(0, 29) d`,
  [tenantId, new Date(start)],
);
// The tenant's daily counters, as record keeps them beside the asset rows (top-assets.ts reads them).
await db.query(`DELETE FROM analytics_tenant_rollups WHERE tenant_id = $1`, [tenantId]);
await db.query(
  `INSERT INTO analytics_tenant_rollups (tenant_id, grain, bucket, views, completes, errors, watch_ms, searches, zero_searches, clicks)
   SELECT tenant_id, grain, bucket, sum(views), 0, 0, 0, 0, 0, 0 FROM analytics_asset_rollups
   WHERE tenant_id = $1 GROUP BY tenant_id, grain, bucket`,
  [tenantId],
);
await db.query('ANALYZE analytics_asset_rollups');
const store = new PostgresAnalyticsStore(db);
const times: number[] = [];
for (let r = 0; r < 32; r += 1) {
  const t = performance.now();
  await store.series({
    tenantId,
    metric: 'views',
    from: new Date(start),
    to: new Date(start + 30 * 86_400_000),
    interval: 'day',
    groupBy: 'asset',
    filters: {},
    limit: 10,
  });
  if (r >= 2) times.push(performance.now() - t);
}
times.sort((a, b) => a - b);
console.log(
  `views by asset, top 10, 150,000 asset-day rows: p50 ${times[14]!.toFixed(1)} ms, p95 ${times[28]!.toFixed(1)} ms`,
);
await db.query(`DELETE FROM analytics_asset_rollups WHERE tenant_id = $1`, [tenantId]);
await db.query(`DELETE FROM analytics_tenant_rollups WHERE tenant_id = $1`, [tenantId]);
await db.close();
