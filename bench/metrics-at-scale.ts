/*
 * The metrics over many events, on both analytics stores (not a suite of `npm run bench` yet):
 *
 *   CLICKHOUSE_URL=http://127.0.0.1:8123 npx tsx bench/metrics-at-scale.ts --events 10000000 [--rounds 15]
 *     [--stores postgres,clickhouse] [--only load|queries] [--url postgres://postgres@127.0.0.1:5432/postgres]
 *     [--database name] [--filter text]
 *
 * 1. Loads --events synthetic events (scripts/lib/synthetic-events.ts over a library of --assets,
 *    the --days days before today 00:00 UTC) into the database `bench_metrics_<events>` of the
 *    Postgres server and of ClickHouse, with the bulk loader (bench/bulk-events.ts): one generated
 *    stream, each chunk into both. A loaded store is reused (drop the database to load again).
 * 2. Times every metric through the adapter's `series` (p50/p95 of --rounds runs after one warm-up):
 *    by day over 7 and 30 days, and grouped by asset, tag and country (top 10, by day, 30 days);
 *    the search metrics by query, click-through by rank. Beside each store, one plain
 *    `GROUP BY day` over the raw events (the baseline).
 */
import { parseArgs } from 'node:util';
import { ClickHouseLogLevel, createClient } from '@clickhouse/client';
import pg from 'pg';
import {
  EVENT_METRICS,
  type AnalyticsStore,
  type EventMetric,
  type MetricGroupBy,
  type MetricQuery,
} from '../analytics/analytics-store.js';
import { ClickHouseAnalyticsStore } from '../analytics/clickhouse-analytics-store.js';
import { PostgresAnalyticsStore } from '../analytics/postgres-analytics-store.js';
import { openDatabase } from '../store/db.js';
import { migrate } from '../store/migrate.js';
import { tenantsRepository } from '../store/tenants-repository.js';
import {
  bulkAssets,
  chunked,
  ClickHouseBulkLoader,
  PostgresBulkLoader,
  syntheticStoredEvents,
} from './bulk-events.js';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '10000000' },
    assets: { type: 'string', default: '5000' },
    days: { type: 'string', default: '30' },
    rounds: { type: 'string', default: '15' },
    stores: { type: 'string', default: 'postgres,clickhouse' },
    only: { type: 'string' },
    url: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    /** Only the queries whose name contains this. */
    filter: { type: 'string' },
    /** The database name in both stores (default `bench_metrics_<events>`). */
    database: { type: 'string' },
  },
});
const N = Number(args.events);
const ROUNDS = Number(args.rounds);
const DAYS = Number(args.days);
const DAY = 86_400_000;
const TENANT = 'bench-metrics';
const dbName = args.database ?? `bench_metrics_${N}`;
if (!/^[a-z_][a-z0-9_]*$/.test(dbName)) throw new Error(`--database: not a plain name: ${dbName}`);
const stores = new Set(args.stores.split(','));
const chUrl = process.env.CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';
// Whole days: the dataset ends at 00:00 UTC of the day of its load (kept in the database).
const log = (s: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${s}`);

async function postgresDatabase() {
  const admin = new pg.Client({ connectionString: args.url });
  await admin.connect();
  const have = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
  if (have.rows.length === 0) await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const url = new URL(args.url);
  url.pathname = `/${dbName}`;
  const db = await openDatabase({ url: url.toString() });
  await migrate(db);
  await db.query(
    `CREATE TABLE IF NOT EXISTS bench_metrics_state (events bigint NOT NULL, end_ms bigint NOT NULL)`,
  );
  return db;
}

type Db = Awaited<ReturnType<typeof postgresDatabase>>;

async function loadedEnd(pgDb: Db | null, ch: ReturnType<typeof createClient> | null) {
  const ends: { pg?: number; ch?: number } = {};
  if (pgDb) {
    const [row] = await pgDb.query<{ end_ms: string }>('SELECT end_ms FROM bench_metrics_state LIMIT 1');
    if (row) ends.pg = Number(row.end_ms);
  }
  if (ch) {
    await ch.command({
      query: `CREATE TABLE IF NOT EXISTS ${dbName}.bench_state (events UInt64, end_ms UInt64) ENGINE = TinyLog`,
    });
    const rows = await (
      await ch.query({ query: `SELECT end_ms FROM ${dbName}.bench_state`, format: 'JSONEachRow' })
    ).json<{ end_ms: string }>();
    if (rows[0]) ends.ch = Number(rows[0].end_ms);
  }
  return ends;
}

async function load(pgDb: Db | null, ch: ReturnType<typeof createClient> | null, end: number) {
  const pgLoader = pgDb ? await PostgresBulkLoader.start(pgDb) : null;
  const chLoader = ch ? new ClickHouseBulkLoader(ch, dbName) : null;
  const t0 = performance.now();
  const events = syntheticStoredEvents(TENANT, bulkAssets(Number(args.assets)), {
    events: N,
    seed: 21,
    end: new Date(end),
    days: DAYS,
  });
  let n = 0;
  let pending: Promise<unknown> = Promise.resolve();
  let chSeconds = 0;
  const chunks = chunked(events, 100_000);
  // The next chunk is generated while the stores take the last one.
  for (let next = chunks.next(); !next.done;) {
    const chunk = next.value;
    await pending;
    pending = Promise.all([
      pgLoader?.add(chunk),
      (async () => {
        const t = performance.now();
        await chLoader?.add(chunk);
        chSeconds += (performance.now() - t) / 1000;
      })(),
    ]);
    n += chunk.length;
    if (n % 1_000_000 === 0)
      log(`generated ${n} events (${Math.round(n / ((performance.now() - t0) / 1000))}/s)`);
    next = chunks.next();
  }
  await pending;
  log(
    `generated and sent ${n} events in ${((performance.now() - t0) / 1000).toFixed(0)} s (ClickHouse inserts: ${chSeconds.toFixed(0)} s)`,
  );
  if (ch) {
    await ch.insert({
      table: `${dbName}.bench_state`,
      values: [{ events: n, end_ms: end }],
      format: 'JSONEachRow',
    });
  }
  if (pgLoader && pgDb) {
    const result = await pgLoader.finish();
    log(
      `postgres: staged in ${result.stagedSeconds.toFixed(0)} s, then ${Object.entries(result.tableSeconds)
        .map(([t, s]) => `${t} ${s.toFixed(1)} s`)
        .join(', ')}; ${result.seconds.toFixed(0)} s in all`,
    );
    const t = performance.now();
    await pgDb.query('VACUUM ANALYZE');
    log(`postgres: VACUUM ANALYZE ${((performance.now() - t) / 1000).toFixed(0)} s`);
    await pgDb.query('INSERT INTO bench_metrics_state (events, end_ms) VALUES ($1, $2)', [n, end]);
  }
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

async function time(fn: () => Promise<unknown>) {
  await fn();
  const ms: number[] = [];
  for (let i = 0; i < ROUNDS; i += 1) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return { p50: pct(ms, 50), p95: pct(ms, 95) };
}

/** The queries timed: [name, query]. */
function cases(end: number): [string, MetricQuery][] {
  const base = (metric: EventMetric, days: number, groupBy?: MetricGroupBy): MetricQuery => ({
    tenantId: TENANT,
    metric,
    from: new Date(end - days * DAY),
    to: new Date(end),
    interval: 'day',
    groupBy,
    filters: {},
    limit: 10,
  });
  const out: [string, MetricQuery][] = [];
  const search = new Set<EventMetric>([
    'searches',
    'zeroResultSearches',
    'zeroResultRate',
    'clickThroughRate',
  ]);
  for (const metric of EVENT_METRICS) {
    out.push([`${metric} by day, 7 days`, base(metric, 7)]);
    out.push([`${metric} by day, 30 days`, base(metric, 30)]);
    const groups: MetricGroupBy[] = search.has(metric)
      ? ['country', metric === 'clickThroughRate' ? 'rank' : 'query']
      : ['asset', 'tag', 'country'];
    for (const g of groups) out.push([`${metric} by ${g}, top 10, 30 days`, base(metric, 30, g)]);
  }
  out.push(['views by hour, 7 days', { ...base('views', 7), interval: 'hour' }]);
  out.push([
    'views by minute, last 6 hours (raw)',
    { ...base('views', 1), interval: 'minute', from: new Date(end - 6 * 3_600_000) },
  ]);
  return out.filter(([name]) => !args.filter || name.includes(args.filter));
}

async function queries(name: string, store: AnalyticsStore, end: number, baseline: () => Promise<unknown>) {
  const os = await import('node:os');
  log(`${name}: load average ${os.loadavg()[0]!.toFixed(1)} (2 cores)`);
  const b = await time(baseline);
  console.log(
    `\n${name}, ${N} events; baseline (plain GROUP BY day over the raw events, 30 days): p50 ${b.p50.toFixed(0)} ms, p95 ${b.p95.toFixed(0)} ms\n`,
  );
  console.log('| series | p50 ms | p95 ms |\n| --- | ---: | ---: |');
  let over = 0;
  for (const [label, q] of cases(end)) {
    const r = await time(() => store.series(q));
    if (r.p95 > 100) over += 1;
    console.log(`| ${label} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)}${r.p95 > 100 ? ' ✗' : ''} |`);
  }
  log(`${name}: ${over} series over 100 ms p95; load average ${os.loadavg()[0]!.toFixed(1)}`);
}

const pgDb = stores.has('postgres') ? await postgresDatabase() : null;
const ch = stores.has('clickhouse')
  ? createClient({
      url: chUrl,
      request_timeout: 1_800_000,
      // 18.16 closes idle connections after 3 s: a reused socket broke a long load with EPIPE.
      keep_alive: { enabled: false },
      log: { level: ClickHouseLogLevel.ERROR },
    })
  : null;
const chStore = ch ? new ClickHouseAnalyticsStore({ url: chUrl, database: dbName }) : null;
try {
  if (pgDb) await tenantsRepository.ensure(pgDb, TENANT);
  if (chStore) await chStore.ensureSchema();
  const ends = await loadedEnd(pgDb, ch);
  const today = Math.floor(Date.now() / DAY) * DAY;
  if (args.only !== 'queries') {
    const pgTodo = pgDb && ends.pg === undefined ? pgDb : null;
    const chTodo = ch && ends.ch === undefined ? ch : null;
    if (pgTodo || chTodo) {
      // Both stores hold the same events: a store loaded alone later gets the other's end.
      const end = ends.pg ?? ends.ch ?? today;
      log(
        `loading ${N} events ending ${new Date(end).toISOString()} into ${[pgTodo && 'postgres', chTodo && 'clickhouse'].filter(Boolean).join(' and ')}`,
      );
      await load(pgTodo, chTodo, end);
      if (pgTodo) ends.pg = end;
      if (chTodo) ends.ch = end;
    } else log('already loaded');
  }
  if (args.only !== 'load') {
    if (pgDb && ends.pg !== undefined) {
      const store = new PostgresAnalyticsStore(pgDb);
      await queries('postgres', store, ends.pg, () =>
        pgDb.query(
          `SELECT date_trunc('day', occurred_at) AS d, count(*) FROM analytics_events
           WHERE tenant_id = $1 AND type = 'play' AND occurred_at >= $2 GROUP BY d`,
          [TENANT, new Date(ends.pg! - 30 * DAY)],
        ),
      );
    }
    if (ch && chStore && ends.ch !== undefined) {
      await queries('clickhouse', chStore, ends.ch, async () =>
        (
          await ch.query({
            query: `SELECT toStartOfDay(occurred_at) AS d, count() FROM ${dbName}.events
              WHERE tenant_id = '${TENANT}' AND event_type = 'play' GROUP BY d`,
            format: 'JSONEachRow',
          })
        ).json(),
      );
    }
  }
} finally {
  await chStore?.close();
  await ch?.close();
  await pgDb?.close();
}
