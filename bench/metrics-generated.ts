/*
 * `GET /v1/metrics`'s series over 10 million events, on both analytics stores, with the events made
 * in the database rather than in this process (issue 21; not a suite of `npm run bench`, as
 * metrics-at-scale.ts is not):
 *
 *   CLICKHOUSE_URL=http://127.0.0.1:8123 nice -n 10 npx tsx bench/metrics-generated.ts [--events 10000000]
 *     [--assets 100000] [--days 90] [--rounds 20] [--stores postgres,clickhouse] [--only load|queries|drop]
 *     [--url postgres://postgres@127.0.0.1:5432/postgres] [--database bench_metrics_gen] [--filter text]
 *
 * 1. Load (once per database; `--only drop` drops both). Three tenants: the queried one holds
 *    --events events over --assets assets, two others 15 % and 5 % of that over a fifth and a
 *    twentieth of the assets, all over the --days days before today 00:00 UTC (traffic growing
 *    towards the end, a daily rhythm). Sessions, not events, are drawn: a quarter are searches (8 %
 *    find nothing; a click on a rank drawn with a position bias, about 40 % at rank 1, follows 55 %
 *    of the others), the rest playbacks of an asset drawn by Zipf's law (p ∝ 1/rank): a play, a
 *    progress event every 2 minutes of position up to the share watched, sometimes a pause, a
 *    complete past 95 %, an error in 2 %. Viewers are drawn skewed (heavy users), 5 % without
 *    consent; device and country belong to the viewer.
 *    Postgres: `generate_series` fills the bulk loader's staging table (bench/bulk-events.ts) with the
 *    raw rows `record` writes (writer.ts `rawRow`'s columns, its watch increases, the viewer-sketch
 *    bits of `sketchBit` from a table of the viewers' tokens made here), then the loader moves them
 *    into the raw table and every rollup as `record` would, and the watch progress is written.
 *    ClickHouse: the same rows, read from the staging table with `COPY … TO STDOUT` (psql) into one
 *    `INSERT … FORMAT CSV` of the adapter's raw rows (`toRow`'s columns); its materialized views fill
 *    the rollups and totals tables as they do for `record`. Both stores hold the same events.
 * 2. Times `series` through each adapter (p50/p95 of --rounds runs after one warm-up), every metric
 *    ungrouped and by each groupBy the route takes for it, at the intervals the analytics page asks
 *    for (by day over 30 and 90 days, by the hour over 7 days, by the minute over the last 6 hours),
 *    and `trending`; beside a plain `GROUP BY day` over the raw events of 30 days (the baseline).
 *    Writes bench/results/<date>-metrics-generated.json.
 */
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
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
import { sketchBit } from '../analytics/postgres/sketch.js';
import { dimsKeyOf } from '../analytics/postgres/writer.js';
import { openDatabase } from '../store/db.js';
import { migrate } from '../store/migrate.js';
import { tenantsRepository } from '../store/tenants-repository.js';
import { bulkAssets, chunked, PostgresBulkLoader } from './bulk-events.js';
import { sqlUniform } from './lib.js';
import { choiceFlag, cliOptions, numberFlag, parseCli, plainNameFlag } from '../scripts/lib/cli.js';

const USAGE =
  'CLICKHOUSE_URL=… npx tsx bench/metrics-generated.ts [--events 10000000] [--assets 100000] [--days 90] [--rounds 20] [--stores postgres,clickhouse] [--only load|queries|drop] [--url postgres://…] [--database bench_metrics_gen] [--filter text]';
const ONLY = ['load', 'queries', 'drop'] as const;
const STORES = ['postgres', 'clickhouse'] as const;

const args = cliOptions(() => {
  const { values } = parseCli(USAGE, {
    events: { type: 'string', default: '10000000' },
    assets: { type: 'string', default: '100000' },
    days: { type: 'string', default: '90' },
    rounds: { type: 'string', default: '20' },
    stores: { type: 'string', default: 'postgres,clickhouse' },
    only: { type: 'string' },
    url: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    database: { type: 'string', default: 'bench_metrics_gen' },
    filter: { type: 'string' },
  });
  return {
    events: numberFlag('events', values.events, { min: 1 }),
    assets: numberFlag('assets', values.assets, { min: 1 }),
    days: numberFlag('days', values.days, { min: 1 }),
    rounds: numberFlag('rounds', values.rounds, { min: 1 }),
    stores: new Set(values.stores.split(',').flatMap((x) => choiceFlag('stores', x.trim(), STORES) ?? [])),
    only: choiceFlag('only', values.only, ONLY),
    url: values.url,
    database: plainNameFlag('database', values.database),
    filter: values.filter,
  };
});
const N = args.events;
const A = args.assets;
const DAYS = args.days;
const ROUNDS = args.rounds;
const DAY = 86_400_000;
const dbName = args.database;
const stores = args.stores;
const chUrl = process.env.CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';
const log = (s: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${s}`);
const load1 = () => os.loadavg()[0]!.toFixed(1);

/** The tenants: the first is the one queried. */
const TENANTS = [
  { id: 'bench-gen', events: N, assets: A, users: Math.max(1000, Math.round(N / 10)), queries: 20_000 },
  {
    id: 'bench-gen-2',
    events: Math.round(N * 0.15),
    assets: Math.max(1, Math.round(A / 5)),
    users: Math.max(1000, Math.round(N / 60)),
    queries: 5_000,
  },
  {
    id: 'bench-gen-3',
    events: Math.round(N * 0.05),
    assets: Math.max(1, Math.round(A / 20)),
    users: Math.max(1000, Math.round(N / 200)),
    queries: 2_000,
  },
];
const QUERIED = TENANTS[0]!.id;

const u = sqlUniform;

/** Drawn per session k of a tenant: what kind, when, who, which asset, how far. */
function sessionsSql(t: (typeof TENANTS)[number], t0: number, from: string, to: string): string {
  const countries: [string, number][] = [
    ['DE', 0.3],
    ['US', 0.5],
    ['GB', 0.62],
    ['FR', 0.72],
    ['ES', 0.78],
    ['IT', 0.84],
    ['NL', 0.89],
    ['AT', 0.93],
    ['BR', 0.97],
  ];
  const country = `CASE ${countries.map(([c, p]) => `WHEN cu < ${p} THEN '${c}'`).join(' ')} ELSE 'SE' END`;
  return `
    SELECT k, search, t0_ms, user_no, consent,
      CASE WHEN du < 0.45 THEN 'mobile' WHEN du < 0.75 THEN 'web' WHEN du < 0.9 THEN 'tv' ELSE 'tablet' END AS device,
      ${country} AS country,
      ((floor(exp(au * ln(${t.assets + 1})))::bigint - 1) * 7919) % ${t.assets} AS asset_no,
      'query ' || (floor(exp(qu * ln(${t.queries + 1})))::bigint - 1) AS query,
      zero, click, 1 + floor(10 * power(ru, 2.5))::int AS clicked_rank, fraction, pause, error
    FROM (
      SELECT k, ${u('k', 1)} < 0.25 AS search,
        ${t0}::bigint + floor(${DAYS} * power(${u('k', 2)}, 0.8))::bigint * 86400000
          + (86400000 * (x - 0.12 * sin(2 * pi() * x) / (2 * pi())))::bigint AS t0_ms,
        user_no, ${u('k', 5)} >= 0.05 AS consent, ${u('user_no', 6)} AS du, ${u('user_no', 7)} AS cu,
        ${u('k', 8)} AS au, ${u('k', 9)} AS qu, ${u('k', 10)} < 0.08 AS zero, ${u('k', 11)} < 0.55 AS click,
        ${u('k', 12)} AS ru,
        CASE WHEN ${u('k', 13)} < 0.3 THEN 0.1 * ${u('k', 14)} ELSE least(1, 1.15 * sqrt(${u('k', 14)})) END AS fraction,
        ${u('k', 15)} < 0.1 AS pause, ${u('k', 16)} < 0.02 AS error
      FROM (SELECT k, ${u('k', 3)} AS x, floor(${t.users} * power(${u('k', 4)}, 2))::bigint AS user_no
            FROM generate_series(${from}::bigint, ${to}::bigint) AS k) d
    ) s`;
}

/**
 * The events of each session, as staging rows (bench/bulk-events.ts STAGE_COLUMNS): writer.ts's
 * raw row, the watch increase per session and asset, the sketch bit of a consenting play.
 */
const STAGED = `tenant_id, id, occurred_at, received_at, type, asset_id, user_token, session_token,
  position, consent, device, country, query, total_hits, clicked_rank, search, context, properties,
  dims_key, watch_ms, bit`;

function eventsSql(t: (typeof TENANTS)[number], t0: number, sessions: number): string {
  return `
    SELECT '${t.id}', md5('${t.id}/' || s.k || '/' || e.j)::uuid, e.at, e.at + interval '1 second', e.type,
      CASE WHEN e.type = 'search' THEN NULL ELSE a.id END,
      CASE WHEN s.consent THEN v.token END, CASE WHEN s.consent THEN '${t.id}-s' || s.k END,
      e.position, s.consent, s.device, s.country,
      CASE WHEN s.search THEN s.query END,
      CASE WHEN e.type = 'search' THEN (CASE WHEN s.zero THEN 0 ELSE 1 + s.k % 400 END) END,
      CASE WHEN e.type = 'click' THEN s.clicked_rank END,
      CASE WHEN e.type = 'search' THEN jsonb_build_object('query', s.query, 'totalHits', CASE WHEN s.zero THEN 0 ELSE 1 + s.k % 400 END)
           WHEN e.type = 'click' THEN jsonb_build_object('query', s.query, 'clickedRank', s.clicked_rank) END,
      NULL, NULL, CASE WHEN e.type = 'search' THEN '' ELSE a.dims_key END,
      -- writer.ts: what goes past the session's furthest position; without a session, the position.
      CASE WHEN e.type IN ('progress', 'pause', 'complete') THEN
        CASE WHEN s.consent THEN e.watch_ms ELSE e.position END ELSE 0 END,
      CASE WHEN e.type = 'play' AND s.consent THEN v.bit END
    FROM (${sessionsSql(t, t0, '1', String(sessions))}) s
    JOIN bench_gen_assets a ON a.tenant_id = '${t.id}' AND a.n = s.asset_no
    JOIN bench_gen_users v ON v.n = s.user_no
    CROSS JOIN LATERAL (
      SELECT j, type, to_timestamp((s.t0_ms + at_ms) / 1000.0) AS at, position, watch_ms
      FROM (
        SELECT j,
          CASE WHEN s.search THEN (CASE WHEN j = 0 THEN 'search' ELSE 'click' END)
               WHEN j = 0 THEN 'play' WHEN j <= p.progress THEN 'progress'
               WHEN j = p.progress + 1 AND s.pause THEN 'pause'
               WHEN j = p.progress + 1 + s.pause::int AND p.complete THEN 'complete' ELSE 'error' END AS type,
          p.*
        FROM (SELECT least(20, floor(s.fraction * a.duration_ms / 120000))::int AS progress,
                (s.fraction * a.duration_ms)::bigint AS watched, s.fraction >= 0.95 AS complete) p
        CROSS JOIN generate_series(0, CASE WHEN s.search THEN s.click::int
          ELSE p.progress + s.pause::int + p.complete::int + s.error::int END) AS j
      ) x
      CROSS JOIN LATERAL (SELECT
        CASE x.type WHEN 'progress' THEN j * 120000 WHEN 'pause' THEN x.watched WHEN 'complete' THEN a.duration_ms
          WHEN 'error' THEN 5000 WHEN 'click' THEN 8000 ELSE 0 END AS at_ms,
        CASE x.type WHEN 'play' THEN 0 WHEN 'progress' THEN j * 120000 WHEN 'pause' THEN x.watched
          WHEN 'complete' THEN a.duration_ms END::bigint AS position,
        CASE x.type WHEN 'progress' THEN 120000
          WHEN 'pause' THEN x.watched - x.progress * 120000
          WHEN 'complete' THEN a.duration_ms - CASE WHEN s.pause THEN x.watched ELSE x.progress * 120000 END
          ELSE 0 END::bigint AS watch_ms) w
    ) e
    LIMIT ${t.events}`;
}

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
  return { db, url: url.toString() };
}
type Db = Awaited<ReturnType<typeof postgresDatabase>>['db'];

const chArray = (xs: readonly string[]) => `[${xs.map((x) => `'${x.replace(/[\\']/g, '\\$&')}'`).join(',')}]`;

/** The assets of each tenant, and the viewers' tokens with their sketch bits. */
async function lookups(db: Db) {
  await db.query(`DROP TABLE IF EXISTS bench_gen_assets, bench_gen_users`);
  await db.query(`CREATE UNLOGGED TABLE bench_gen_assets (tenant_id text, n bigint, id uuid, dims_key text,
    duration_ms bigint, type text, source_system text, tags_ch text, topics_ch text, speakers_ch text,
    PRIMARY KEY (tenant_id, n))`);
  await db.query(`CREATE UNLOGGED TABLE bench_gen_users (n bigint PRIMARY KEY, token text, bit integer)`);
  const dims: (Record<string, unknown> & { tenant_id: string; dims_key: string })[] = [];
  for (const [ti, t] of TENANTS.entries()) {
    const assets = bulkAssets(t.assets).map((a, n) => ({
      ...a,
      n,
      // Each tenant its own asset ids.
      id: `${(ti + 1).toString(16).padStart(8, '0')}${a.id.slice(8)}`,
      key: dimsKeyOf(a.dims),
    }));
    for (const part of chunked(assets, 20_000)) {
      await db.query(
        `INSERT INTO bench_gen_assets SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(tenant_id text, n bigint,
          id uuid, dims_key text, duration_ms bigint, type text, source_system text, tags_ch text, topics_ch text,
          speakers_ch text)`,
        [
          JSON.stringify(
            part.map((a) => ({
              tenant_id: t.id,
              n: a.n,
              id: a.id,
              dims_key: a.key,
              duration_ms: a.dims.durationSeconds! * 1000,
              type: a.dims.type,
              source_system: a.dims.sourceSystem,
              tags_ch: chArray(a.dims.tags),
              topics_ch: chArray(a.dims.topics),
              speakers_ch: chArray(a.dims.speakers),
            })),
          ),
        ],
      );
    }
    const seen = new Set<string>();
    for (const a of assets) {
      if (seen.has(a.key)) continue;
      seen.add(a.key);
      dims.push({
        tenant_id: t.id,
        dims_key: a.key,
        type: a.dims.type,
        source_system: a.dims.sourceSystem,
        tags: a.dims.tags,
        topics: a.dims.topics,
        speakers: a.dims.speakers,
      });
    }
  }
  const users = Math.max(...TENANTS.map((t) => t.users));
  for (let from = 0; from < users; from += 50_000) {
    const rows = [];
    for (let n = from; n < Math.min(users, from + 50_000); n += 1) {
      const token = `u${n}`;
      rows.push({ n, token, bit: sketchBit(token) });
    }
    await db.query(
      `INSERT INTO bench_gen_users SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(n bigint, token text, bit integer)`,
      [JSON.stringify(rows)],
    );
  }
  await db.query('ANALYZE bench_gen_assets');
  await db.query('ANALYZE bench_gen_users');
  return dims;
}

/** The staging rows as the ClickHouse adapter's raw rows (`toRow`), in CSV. */
function clickHouseCopy(stage: string): string {
  const ts = (c: string) => `to_char(${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')`;
  return `COPY (SELECT s.tenant_id, s.id, s.type, coalesce(s.asset_id::text, ''), coalesce(s.user_token, ''),
      coalesce(s.session_token, ''), (s.consent AND s.user_token IS NOT NULL)::int, ${ts('s.occurred_at')},
      (extract(epoch FROM s.occurred_at) * 1000)::bigint, ${ts('s.received_at')}, s.position,
      CASE WHEN s.asset_id IS NULL THEN 0 ELSE s.watch_ms END, coalesce(s.query, ''), coalesce(s.query, ''),
      s.total_hits, (s.type = 'search' AND s.total_hits = 0)::int, coalesce(s.clicked_rank, 0), '[]',
      coalesce(s.device, ''), '', '', '', coalesce(s.country, ''), '', coalesce(a.type, ''),
      coalesce(a.source_system, ''), coalesce(a.tags_ch, '[]'), coalesce(a.topics_ch, '[]'),
      coalesce(a.speakers_ch, '[]'), a.duration_ms / 1000.0
    FROM ${stage} s LEFT JOIN bench_gen_assets a ON a.tenant_id = s.tenant_id AND a.id = s.asset_id)
    TO STDOUT WITH (FORMAT csv, NULL '\\N')`;
}
const CH_COLUMNS = `tenant_id, id, event_type, asset_id, user_token, session_token, consent, occurred_at,
  occurred_ms, received_at, position, watch_increase_ms, search_text, search_query, total_hits, zero_result,
  clicked_rank, result_ids, device, network, app, referrer, country, properties, asset_type, source_system,
  tags, topics, speakers, duration_seconds`;

/** psql's COPY output streamed into one ClickHouse INSERT. */
async function copyToClickHouse(pgUrl: string, stage: string): Promise<void> {
  const psql = spawn('psql', [pgUrl, '-v', 'ON_ERROR_STOP=1', '-c', clickHouseCopy(stage)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const target = new URL(chUrl);
  target.searchParams.set(
    'query',
    `INSERT INTO ${dbName}.events (${CH_COLUMNS.replace(/\s+/g, ' ')}) FORMAT CSV`,
  );
  target.searchParams.set('max_insert_block_size', '1048576');
  const answer = new Promise<void>((resolve, reject) => {
    const req = request(target, { method: 'POST' }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () =>
        res.statusCode === 200 ? resolve() : reject(new Error(`ClickHouse ${res.statusCode}: ${body}`)),
      );
    });
    req.on('error', reject);
    psql.stdout.pipe(req);
  });
  const exited = new Promise<void>((resolve, reject) =>
    psql.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`psql exited ${code}`)))),
  );
  await Promise.all([answer, exited]);
}

async function load(pg: { db: Db; url: string } | null, ch: ClickHouseClient | null, end: number) {
  if (!pg) throw new Error('the events are made in Postgres: --stores must include postgres to load');
  const { db } = pg;
  const start = end - DAYS * DAY;
  let t = performance.now();
  const dims = await lookups(db);
  log(
    `lookups: ${dims.length} asset dimension rows, viewers' tokens and bits, ${((performance.now() - t) / 1000).toFixed(0)} s`,
  );
  const loader = await PostgresBulkLoader.start(db);
  const days = Array.from({ length: DAYS + 1 }, (_, d) => new Date(start + d * DAY));
  try {
    for (const tenant of TENANTS) {
      // Sessions to draw: the events per session of a sample of them, 2 % to spare (cut by LIMIT).
      const [m] = await db.query<{ n: string }>(
        `SELECT count(*) AS n FROM (${eventsSql(tenant, start, 20_000)}) z`,
      );
      const perSession = Number(m!.n) / 20_000;
      const sessions = Math.ceil((tenant.events / perSession) * 1.02);
      t = performance.now();
      await loader.addStaged(
        async (stage) => {
          await db.query(`INSERT INTO ${stage} (${STAGED}) ${eventsSql(tenant, start, sessions)}`);
          const [n] = await db.query<{ n: string }>(
            `SELECT count(*) AS n FROM ${stage} WHERE tenant_id = $1`,
            [tenant.id],
          );
          return Number(n!.n);
        },
        days,
        dims.filter((d) => d.tenant_id === tenant.id),
      );
      log(
        `${tenant.id}: ${sessions} sessions (${perSession.toFixed(2)} events each) staged in ${((performance.now() - t) / 1000).toFixed(0)} s, load ${load1()}`,
      );
    }
    const [c] = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${loader.stageTable}`);
    log(`staged ${c!.n} events`);
    if (ch) {
      t = performance.now();
      await copyToClickHouse(pg.url, loader.stageTable);
      log(
        `clickhouse: the staged rows copied through the views in ${((performance.now() - t) / 1000).toFixed(0)} s, load ${load1()}`,
      );
      await ch.insert({
        table: `${dbName}.bench_state`,
        values: [{ events: Number(c!.n), end_ms: end }],
        format: 'JSONEachRow',
      });
    }
    t = performance.now();
    // Watch progress: per session and asset, the furthest position (what `record` looks up next).
    await db.query(`INSERT INTO analytics_watch_progress (tenant_id, session_token, asset_id, furthest_ms, updated_at)
      SELECT tenant_id, session_token, asset_id, max(position), max(occurred_at) FROM ${loader.stageTable}
      WHERE type IN ('progress', 'pause', 'complete') AND session_token IS NOT NULL AND asset_id IS NOT NULL
      GROUP BY tenant_id, session_token, asset_id`);
    log(`postgres: watch progress ${((performance.now() - t) / 1000).toFixed(0)} s`);
  } catch (err) {
    await loader.abandon();
    throw err;
  }
  const result = await loader.finish();
  log(
    `postgres: ${Object.entries(result.tableSeconds)
      .map(([table, s]) => `${table} ${s.toFixed(0)} s`)
      .join(', ')}; load ${load1()}`,
  );
  t = performance.now();
  await db.query('VACUUM ANALYZE');
  log(`postgres: VACUUM ANALYZE ${((performance.now() - t) / 1000).toFixed(0)} s`);
  await db.query('INSERT INTO bench_metrics_state (events, end_ms) VALUES ($1, $2)', [result.events, end]);
  await db.query(`DROP TABLE IF EXISTS bench_gen_assets, bench_gen_users`);
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

/** p50/p95 of ROUNDS runs after a first one (timed apart: a store may prepare something on it). */
async function time(fn: () => Promise<unknown>) {
  const t = performance.now();
  await fn();
  const first = performance.now() - t;
  const ms: number[] = [];
  for (let i = 0; i < ROUNDS; i += 1) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return { first, p50: pct(ms, 50), p95: pct(ms, 95), max: Math.max(...ms) };
}

const PLAYBACK_GROUPS: MetricGroupBy[] = [
  'asset',
  'tag',
  'topic',
  'speaker',
  'sourceSystem',
  'type',
  'device',
  'country',
];
const SEARCH = new Set<EventMetric>(['searches', 'zeroResultSearches', 'zeroResultRate', 'clickThroughRate']);

type Case = { name: string; run: (s: AnalyticsStore) => Promise<unknown> };

/** The series timed: what the analytics page and the route's groupBys ask for. */
function cases(end: number): Case[] {
  const q = (
    metric: EventMetric,
    days: number,
    interval: MetricQuery['interval'],
    groupBy?: MetricGroupBy,
  ): MetricQuery => ({
    tenantId: QUERIED,
    metric,
    from: new Date(end - days * DAY),
    to: new Date(end),
    interval,
    groupBy,
    filters: {},
    limit: 10,
  });
  const out: Case[] = [];
  const series = (name: string, query: MetricQuery) => out.push({ name, run: (s) => s.series(query) });
  for (const metric of EVENT_METRICS) {
    series(`${metric}, by day, 30 days`, q(metric, 30, 'day'));
    series(`${metric}, by day, 90 days`, q(metric, 90, 'day'));
    series(`${metric}, by hour, 7 days`, q(metric, 7, 'hour'));
    series(`${metric}, by minute, last 6 hours`, {
      ...q(metric, 1, 'minute'),
      from: new Date(end - 6 * 3_600_000),
    });
    const groups: MetricGroupBy[] = SEARCH.has(metric)
      ? [metric === 'clickThroughRate' ? 'rank' : 'query', 'device', 'country']
      : PLAYBACK_GROUPS;
    for (const g of groups) series(`${metric} by ${g}, top 10, by day, 30 days`, q(metric, 30, 'day', g));
  }
  for (const g of ['asset', 'tag'] as const)
    series(`views by ${g}, top 10, by day, 90 days`, q('views', 90, 'day', g));
  series('searches by query, top 10, by day, 90 days', q('searches', 90, 'day', 'query'));
  out.push({
    name: 'trending (24 h against 7 days), top 10',
    run: (s) =>
      s.trending({ tenantId: QUERIED, at: new Date(end), recentHours: 24, baselineDays: 7, limit: 10 }),
  });
  return out.filter((c) => !args.filter || c.name.includes(args.filter));
}

type Timed = { first: number; p50: number; p95: number; max: number };

async function queries(name: string, store: AnalyticsStore, end: number, baseline: () => Promise<unknown>) {
  const before = load1();
  log(`${name}: timing, load average ${before} (2 cores)`);
  const base = await time(baseline);
  const rows: Record<string, Timed> = {};
  for (const c of cases(end)) {
    rows[c.name] = await time(() => c.run(store));
    const r = rows[c.name]!;
    console.log(
      `  ${name} | ${c.name} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | first ${r.first.toFixed(0)}`,
    );
  }
  const after = load1();
  log(
    `${name}: baseline ${base.p50.toFixed(0)} / ${base.p95.toFixed(0)} ms; load average ${before} → ${after}`,
  );
  return { baseline: base, rows, load: [before, after] };
}

// Dropping opens no Postgres database (opening one creates and migrates it).
const pgConn = stores.has('postgres') && args.only !== 'drop' ? await postgresDatabase() : null;
const ch = stores.has('clickhouse')
  ? createClient({
      url: chUrl,
      request_timeout: 3_600_000,
      // 18.16 closes idle connections after 3 s.
      keep_alive: { enabled: false },
      log: { level: ClickHouseLogLevel.ERROR },
    })
  : null;
const chStore = ch ? new ClickHouseAnalyticsStore({ url: chUrl, database: dbName }) : null;
try {
  if (args.only === 'drop') {
    await chStore?.dropDatabase();
    const admin = new pg.Client({ connectionString: args.url });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName}`);
    await admin.end();
    log(`dropped ${dbName}`);
    process.exit(0);
  }
  if (pgConn) for (const t of TENANTS) await tenantsRepository.ensure(pgConn.db, t.id);
  if (chStore && ch) {
    await chStore.ensureSchema();
    await ch.command({
      query: `CREATE TABLE IF NOT EXISTS ${dbName}.bench_state (events UInt64, end_ms UInt64) ENGINE = TinyLog`,
    });
  }
  const [pgRow] = pgConn
    ? await pgConn.db.query<{ end_ms: string }>('SELECT end_ms FROM bench_metrics_state')
    : [];
  let end = pgRow ? Number(pgRow.end_ms) : Math.floor(Date.now() / DAY) * DAY;
  if (args.only !== 'queries' && !pgRow) {
    log(
      `loading ${TENANTS.map((t) => `${t.id} ${t.events}`).join(', ')} events over ${DAYS} days ending ${new Date(end).toISOString()}`,
    );
    await load(pgConn, ch, end);
  }
  if (ch) {
    const rows = await (
      await ch.query({ query: `SELECT end_ms FROM ${dbName}.bench_state`, format: 'JSONEachRow' })
    ).json<{ end_ms: string }>();
    if (rows[0]) end = Number(rows[0].end_ms);
  }
  const report: Record<string, unknown> = {
    command: `npx tsx bench/metrics-generated.ts ${process.argv.slice(2).join(' ')}`,
    events: TENANTS,
    days: DAYS,
    end: new Date(end).toISOString(),
    rounds: ROUNDS,
    cores: os.cpus().length,
  };
  if (args.only !== 'load') {
    const from30 = new Date(end - 30 * DAY);
    if (pgConn) {
      const { db } = pgConn;
      const [c] = await db.query<{ n: string }>(
        `SELECT count(*) AS n FROM analytics_events WHERE tenant_id = $1`,
        [QUERIED],
      );
      log(`postgres: ${c!.n} raw events of ${QUERIED}`);
      report.postgres = {
        rawEvents: Number(c!.n),
        ...(await queries('postgres', new PostgresAnalyticsStore(db), end, () =>
          db.query(
            `SELECT date_trunc('day', occurred_at) AS d, count(*) FROM analytics_events
             WHERE tenant_id = $1 AND type = 'play' AND occurred_at >= $2 GROUP BY d`,
            [QUERIED, from30],
          ),
        )),
      };
    }
    if (ch && chStore) {
      const [c] = await (
        await ch.query({
          query: `SELECT count() AS n FROM ${dbName}.events WHERE tenant_id = '${QUERIED}'`,
          format: 'JSONEachRow',
        })
      ).json<{ n: string }>();
      log(`clickhouse: ${c!.n} raw events of ${QUERIED}`);
      report.clickhouse = {
        rawEvents: Number(c!.n),
        ...(await queries('clickhouse', chStore, end, async () =>
          (
            await ch.query({
              query: `SELECT toStartOfDay(occurred_at) AS d, count() FROM ${dbName}.events
                WHERE tenant_id = '${QUERIED}' AND event_type = 'play' AND occurred_ms >= ${from30.getTime()} GROUP BY d`,
              format: 'JSONEachRow',
            })
          ).json(),
        )),
      };
    }
    mkdirSync('bench/results', { recursive: true });
    const file = `bench/results/${new Date().toISOString().slice(0, 16).replace(':', '')}-metrics-generated${args.filter ? '-filtered' : ''}.json`;
    writeFileSync(file, JSON.stringify(report, null, 2));
    log(`wrote ${file}`);
  }
} finally {
  await chStore?.close();
  await ch?.close();
  await pgConn?.db.close();
}
