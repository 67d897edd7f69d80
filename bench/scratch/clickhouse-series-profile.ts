// Runs a few series statements with log_queries=1 and prints what system.query_log says of them.
// Usage: npx tsx bench/scratch/clickhouse-series-profile.ts <label>, against the database
// bench/metrics-at-scale.ts --database ch_metrics_scale_10m loaded (tenant bench-metrics, 30 days
// before 2026-12-07). A checkout without `top` in its series statements runs totals, then points.
import { randomUUID } from 'node:crypto';
import { createClient } from '@clickhouse/client';
import type { MetricQuery } from '../../analytics/analytics-store.js';
import { bindParams } from '../../analytics/clickhouse/params.js';
import { seriesStatements } from '../../analytics/clickhouse/series.js';
const db = 'ch_metrics_scale_10m';
const end = Date.UTC(2026, 11, 7);
const DAY = 86_400_000;
const c = createClient({
  url: 'http://127.0.0.1:8123',
  keep_alive: { enabled: false },
  request_timeout: 600_000,
});
const cases: [string, Pick<MetricQuery, 'metric' | 'groupBy'>][] = [
  ['views by asset', { metric: 'views', groupBy: 'asset' }],
  ['views by tag', { metric: 'views', groupBy: 'tag' }],
  ['uniqueViewers by asset', { metric: 'uniqueViewers', groupBy: 'asset' }],
  ['uniqueViewers by tag', { metric: 'uniqueViewers', groupBy: 'tag' }],
  ['zeroResultRate by country', { metric: 'zeroResultRate', groupBy: 'country' }],
  ['clickThroughRate by country', { metric: 'clickThroughRate', groupBy: 'country' }],
];
const ids: [string, string, string][] = [];
for (const [name, more] of cases) {
  const q: MetricQuery = {
    tenantId: 'bench-metrics',
    from: new Date(end - 30 * DAY),
    to: new Date(end),
    interval: 'day',
    filters: {},
    limit: 10,
    ...more,
  };
  const st = seriesStatements(db, q);
  if (st.additive) {
    // What the adapter runs for an additive metric: one statement (series.ts `top`).
    const topId = randomUUID();
    await (
      await c.query({
        query: bindParams(st.top, st.params),
        format: 'JSONEachRow',
        query_id: topId,
        clickhouse_settings: { log_queries: 1 },
      })
    ).json();
    ids.push([name, 'top (one statement)', topId]);
    console.log(`${name}: source ${JSON.stringify(st.source)}`);
    continue;
  }
  const totalsId = randomUUID();
  const rows = await (
    await c.query({
      query: bindParams(st.totals, st.params),
      format: 'JSONEachRow',
      query_id: totalsId,
      clickhouse_settings: { log_queries: 1 },
    })
  ).json<{ g: string }>();
  ids.push([name, 'totals', totalsId]);
  const pointsId = randomUUID();
  await (
    await c.query({
      query: bindParams(st.points, { ...st.params, groups: rows.map((r) => r.g) }),
      format: 'JSONEachRow',
      query_id: pointsId,
      clickhouse_settings: { log_queries: 1 },
    })
  ).json();
  ids.push([name, 'points', pointsId]);
  console.log(`${name}: source ${JSON.stringify(st.source)}`);
}
await c.command({ query: 'SYSTEM FLUSH LOGS' });
console.log(
  `\n| ${process.argv[2]} | statement | ms | read rows | read MiB | memory MiB |\n| --- | --- | ---: | ---: | ---: | ---: |`,
);
for (const [name, part, id] of ids) {
  const [r] = await (
    await c.query({
      query: `SELECT query_duration_ms AS ms, read_rows, read_bytes, memory_usage FROM system.query_log WHERE query_id = '${id}' AND type = 2`,
      format: 'JSONEachRow',
    })
  ).json<Record<string, string>>();
  console.log(
    `| ${name} | ${part} | ${r?.ms} | ${Number(r?.read_rows).toLocaleString('en')} | ${(Number(r?.read_bytes) / 2 ** 20).toFixed(1)} | ${(Number(r?.memory_usage) / 2 ** 20).toFixed(1)} |`,
  );
}
await c.close();
