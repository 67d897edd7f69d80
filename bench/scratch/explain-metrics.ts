/*
 * The query plans behind a metric series on the Postgres analytics store: runs `series` once against
 * a database that bench/metrics-at-scale.ts loaded, and prints EXPLAIN (ANALYZE, BUFFERS) of every
 * statement it sent, with its time. For profiling a slow series, not a benchmark:
 *
 *   npx tsx bench/scratch/explain-metrics.ts --database bench_metrics_2000000 \
 *     --metric uniqueViewers --group asset [--days 30] [--interval day] [--hours 6]
 *
 * --hours N asks for the last N hours instead of --days (for minute series).
 */
import { parseArgs } from 'node:util';
import type { EventMetric, MetricGroupBy, MetricInterval } from '../../analytics/analytics-store.js';
import { series } from '../../analytics/postgres/series.js';
import { TopAssetDays } from '../../analytics/postgres/top-assets.js';
import type { Sql } from '../../store/database.js';
import { openDatabase } from '../../store/db.js';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    database: { type: 'string' },
    tenant: { type: 'string', default: 'bench-metrics' },
    metric: { type: 'string', default: 'views' },
    group: { type: 'string' },
    days: { type: 'string', default: '30' },
    hours: { type: 'string' },
    interval: { type: 'string', default: 'day' },
  },
});
if (!args.database) throw new Error('--database: the loaded database (bench/metrics-at-scale.ts)');
const url = new URL(args.url);
url.pathname = `/${args.database}`;
const db = await openDatabase({ url: url.toString() });
try {
  const [state] = await db.query<{ end_ms: string }>('SELECT end_ms FROM bench_metrics_state LIMIT 1');
  if (!state) throw new Error(`${args.database} holds no loaded events`);
  const end = Number(state.end_ms);
  const span = args.hours ? Number(args.hours) * 3_600_000 : Number(args.days) * 86_400_000;
  const sent: { text: string; params: readonly unknown[] }[] = [];
  const recording: Sql = {
    query: (text, params) => {
      sent.push({ text, params: params ?? [] });
      return db.query(text, params);
    },
  };
  const query = {
    tenantId: args.tenant,
    metric: args.metric as EventMetric,
    from: new Date(end - span),
    to: new Date(end),
    interval: args.interval as MetricInterval,
    groupBy: args.group as MetricGroupBy | undefined,
    filters: {},
    limit: 10,
  };
  // Twice: the second run is the one explained (caches warm, per-day lists kept).
  const days = new TopAssetDays();
  await series(recording, query, days);
  sent.length = 0;
  const t0 = performance.now();
  await series(recording, query, days);
  console.log(`series: ${(performance.now() - t0).toFixed(1)} ms, ${sent.length} statements`);
  for (const { text, params } of sent) {
    const plan = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, params);
    console.log(`\n${text.replace(/\s+/g, ' ').trim()}\n`);
    console.log(plan.map((r) => r['QUERY PLAN']).join('\n'));
  }
} finally {
  await db.close();
}
