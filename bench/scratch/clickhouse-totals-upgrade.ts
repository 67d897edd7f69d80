/**
 * Times the upgrade that adds the totals tables to a database holding events: the database is put
 * back as an older version left it (no totals tables or marks, no `events.inserted_at`), then one
 * `ensureSchema` of this tree's adapter runs and the upgrade it starts in the background is awaited;
 * both are timed. Load the events first, e.g.
 *   node --import tsx bench/analytics-clickhouse.ts --events 1000000 --database bench_totals --only record --batches 1
 *   CLICKHOUSE_URL=http://127.0.0.1:8123 node --import tsx bench/scratch/clickhouse-totals-upgrade.ts --database bench_totals
 */
import { parseArgs } from 'node:util';
import { createClient } from '@clickhouse/client';
import { ClickHouseAnalyticsStore } from '../../analytics/clickhouse-analytics-store.js';

const { values: args } = parseArgs({ options: { database: { type: 'string', default: 'bench_totals' } } });
const url = process.env.CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';
const db = args.database;
const client = createClient({ url, request_timeout: 600_000 });
const rows = async (query: string) =>
  (await client.query({ query, format: 'JSONEachRow' })).json<Record<string, unknown>>();

for (const table of ['asset_totals_daily', 'tag_totals_daily', 'search_context_daily']) {
  await client.command({ query: `DROP TABLE IF EXISTS ${db}.${table}_mv` });
  await client.command({ query: `DROP TABLE IF EXISTS ${db}.${table}` });
}
for (const table of ['totals_backfill', 'totals_since'])
  await client.command({ query: `DROP TABLE IF EXISTS ${db}.${table}` });
const column = await rows(
  `SELECT name FROM system.columns WHERE database = '${db}' AND table = 'events' AND name = 'inserted_at'`,
);
if (column.length > 0) await client.command({ query: `ALTER TABLE ${db}.events DROP COLUMN inserted_at` });
const [events] = await rows(`SELECT count() AS n FROM ${db}.events`);

const store = new ClickHouseAnalyticsStore({ url, database: db, cutoffMarginS: 5 });
const t0 = performance.now();
await store.ensureSchema();
const startSeconds = (performance.now() - t0) / 1000;
if ((await store.totalsUpgrade()) !== 'done') throw new Error('the totals upgrade did not finish');
const seconds = (performance.now() - t0) / 1000;
const [plays] = await rows(`SELECT sum(plays) AS n FROM ${db}.asset_totals_daily`);
console.log(
  JSON.stringify({
    events: Number(events!.n),
    startSeconds: Number(startSeconds.toFixed(1)),
    upgradeSeconds: Number(seconds.toFixed(1)),
    plays: Number(plays!.n),
  }),
);
await store.close();
await client.close();
