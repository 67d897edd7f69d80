/*
 * The series the second generation of totals tables answers (issue 21), each read from the table
 * the version before read (the families: `totalsFrom` says not covered) and from its totals table,
 * alternating per round so that both see the same load; p50/p95 ms and, from system.query_log, the
 * rows one run read. `npx tsx bench/scratch/clickhouse-totals-paired.ts <database> [rounds]` on a
 * database bench/metrics-generated.ts loaded and bench/scratch/clickhouse-totals-generation-2.ts upgraded.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { createClient } from '@clickhouse/client';
import type { EventMetric, MetricGroupBy, MetricQuery } from '../../analytics/analytics-store.js';
import { bindParams } from '../../analytics/clickhouse/params.js';
import { seriesStatements, type SeriesStatements } from '../../analytics/clickhouse/series.js';

const db = process.argv[2] ?? 'bench_metrics_gen';
const rounds = Number(process.argv[3] ?? 10);
const c = createClient({
  url: 'http://127.0.0.1:8123',
  keep_alive: { enabled: false },
  request_timeout: 600_000,
});
const DAY = 86_400_000;
const [state] = await (
  await c.query({ query: `SELECT end_ms FROM ${db}.bench_state`, format: 'JSONEachRow' })
).json<{ end_ms: string }>();
const end = Number(state!.end_ms);
const cases: [EventMetric, MetricGroupBy, number][] = [];
for (const metric of ['views', 'uniqueViewers', 'watchTime', 'completionRate', 'errors'] as const)
  for (const g of ['topic', 'speaker', 'sourceSystem', 'type'] as const) cases.push([metric, g, 30]);
for (const metric of ['searches', 'zeroResultSearches', 'zeroResultRate'] as const)
  cases.push([metric, 'query', 30]);
cases.push(['searches', 'query', 90]);

/** The statements the adapter runs for a series (clickhouse-analytics-store.ts `runSeries`). */
async function run(st: SeriesStatements, log = false): Promise<string[]> {
  const ids: string[] = [];
  const q = async (sql: string, params: Record<string, unknown>) => {
    const id = randomUUID();
    ids.push(id);
    return (
      await c.query({
        query: bindParams(sql, params as never),
        format: 'JSONEachRow',
        query_id: id,
        clickhouse_settings: log ? { log_queries: 1 } : {},
      })
    ).json<{ g: string }>();
  };
  if (st.additive) await q(st.top, st.params);
  else {
    const totals = await q(st.totals, st.params);
    await q(st.points, { ...st.params, groups: totals.map((r) => r.g) });
  }
  return ids;
}
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.ceil((p / 100) * xs.length) - 1]!;
const f = (x: number) => (x >= 100 ? Math.round(x).toLocaleString('en') : x.toFixed(1));
console.log(`load average ${os.loadavg()[0]!.toFixed(1)}, ${rounds} rounds each`);
console.log('| series | families p50 / p95 ms | rows read | totals p50 / p95 ms | rows read |');
for (const [metric, groupBy, days] of cases) {
  const query: MetricQuery = {
    tenantId: 'bench-gen',
    metric,
    groupBy,
    from: new Date(end - days * DAY),
    to: new Date(end),
    interval: 'day',
    filters: {},
    limit: 10,
  };
  const before = seriesStatements(db, query, 'metric', undefined, () => null);
  const after = seriesStatements(db, query);
  const ms: [number[], number[]] = [[], []];
  const logged: [string[], string[]] = [await run(before, true), await run(after, true)];
  for (let i = 0; i < rounds; i++)
    for (const [k, st] of [before, after].entries()) {
      const t = performance.now();
      await run(st);
      ms[k]!.push(performance.now() - t);
    }
  await c.command({ query: 'SYSTEM FLUSH LOGS' });
  const rowsRead = async (ids: string[]) => {
    const r = await (
      await c.query({
        query: `SELECT sum(read_rows) AS n FROM system.query_log WHERE type = 2 AND has([${ids.map((id) => `'${id}'`).join(',')}], query_id)`,
        format: 'JSONEachRow',
      })
    ).json<{ n: string }>();
    return Number(r[0]!.n).toLocaleString('en');
  };
  console.log(
    `| ${metric} by ${groupBy}, ${days} days | ${f(pct(ms[0], 50))} / ${f(pct(ms[0], 95))} | ${await rowsRead(logged[0])} (${before.source.kind === 'rollup' ? before.source.family : before.source.kind}) | ${f(pct(ms[1], 50))} / ${f(pct(ms[1], 95))} | ${await rowsRead(logged[1])} (${after.source.kind === 'totals' ? after.source.table : after.source.kind}) |`,
  );
}
console.log(`load average ${os.loadavg()[0]!.toFixed(1)}`);
await c.close();
