/*
 * Brings a benchmark database's totals tables up to this version (the second generation, issue 21)
 * and says how long the upgrade took: `npx tsx bench/scratch/clickhouse-totals-generation-2.ts <database>`.
 */
import { ClickHouseAnalyticsStore } from '../../analytics/clickhouse-analytics-store.js';

const database = process.argv[2] ?? 'bench_metrics_gen';
const store = new ClickHouseAnalyticsStore({
  url: process.env.CLICKHOUSE_URL ?? 'http://127.0.0.1:8123',
  database,
  mutationTimeoutMs: 3_600_000,
});
const t = performance.now();
await store.ensureSchema();
const outcome = await store.totalsUpgrade();
console.log(`${database}: totals upgrade ${outcome} in ${((performance.now() - t) / 1000).toFixed(0)} s`);
await store.close();
