/**
 * A quick measurement of the Postgres analytics store (not part of `npm run bench` yet: the events
 * suite is built elsewhere). Loads synthetic events through `record` into a database of its own, then
 * times the typical metric queries.
 *
 *   npx tsx bench/scratch/analytics-postgres.ts --events 1000000 [--url postgres://…/postgres] [--rounds 30]
 *
 * The database `bench_analytics_<events>` is made (and migrated) on the server; a loaded one is reused
 * (drop it to load again). Events: 30 days, 5,000 assets of Zipf popularity, 200,000 users, sessions of
 * a play then progress to a random share of the asset, searches over 2,000 queries (10 % without
 * results) with position-biased clicks, 5 devices, 20 countries.
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { PostgresAnalyticsStore } from '../../analytics/postgres-analytics-store.js';
import type { EventMetric, MetricGroupBy, MetricInterval } from '../../analytics/analytics-store.js';
import type { EventAssetDims, StoredEvent } from '../../domain/interaction-events.js';
import { openDatabase } from '../../store/db.js';
import { migrate } from '../../store/migrate.js';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    url: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    rounds: { type: 'string', default: '30' },
    batch: { type: 'string', default: '1000' },
  },
});
const N = Number(args.events);
const ROUNDS = Number(args.rounds);
const BATCH = Number(args.batch);
const TENANT = 'bench';
const DAY = 86_400_000;
const START = Date.UTC(2026, 9, 1);
const SPAN = 30 * DAY;

// A small seeded generator, so that every run loads the same events.
let seed = 7;
/** mulberry32. */
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
/** Zipf over 0..n-1 with exponent 1, by inverting the harmonic CDF approximately. */
const zipf = (n: number) => Math.min(n - 1, Math.floor(Math.exp(rand() * Math.log(n + 1))) - 1);
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
const uuid = (kind: number, n: number) => `${hex(kind, 8)}-0000-4000-8000-${hex(n, 12)}`;

const ASSETS = 5_000;
const DEVICES = ['mobile', 'desktop', 'tv', 'tablet', 'console'];
const COUNTRIES = [
  'DE',
  'FR',
  'GB',
  'US',
  'ES',
  'IT',
  'NL',
  'BE',
  'AT',
  'CH',
  'SE',
  'NO',
  'DK',
  'FI',
  'PL',
  'CZ',
  'PT',
  'IE',
  'CA',
  'AU',
];
const assetDims: EventAssetDims[] = Array.from({ length: ASSETS }, (_, i) => ({
  type: i % 5 === 0 ? 'AUDIO' : 'VIDEO',
  sourceSystem: ['archive', 'radio', 'studio'][i % 3]!,
  tags: [`tag${i % 200}`, `tag${(i * 7) % 200}`, `tag${(i * 13) % 200}`],
  topics: [`topic${i % 50}`, `topic${(i * 3) % 50}`],
  speakers: [`speaker${i % 500}`],
  durationSeconds: 300 + (i % 40) * 60,
}));

function* generate(): Generator<StoredEvent> {
  let i = 0;
  let id = 0;
  const base = (type: string, t: number, user: number, session: number, device: string, country: string) =>
    ({
      tenantId: TENANT,
      id: uuid(1, id++),
      type,
      assetId: null,
      userToken: `user-${user}`,
      sessionToken: `session-${session}`,
      occurredAt: new Date(t),
      receivedAt: new Date(t),
      position: null,
      search: null,
      context: { device, country },
      consent: rand() > 0.05,
      properties: null,
      asset: null,
    }) satisfies StoredEvent;
  let session = 0;
  while (i < N) {
    const t0 = START + Math.floor((i / N) * SPAN);
    const user = Math.floor(rand() * 200_000);
    const device = pick(DEVICES);
    const country = pick(COUNTRIES);
    session += 1;
    if (rand() < 0.3) {
      // A search, and perhaps a click on one of its results (rank 1 most often).
      const q = zipf(2_000);
      const zero = q % 10 === 0;
      yield {
        ...base('search', t0, user, session, device, country),
        search: { query: `query ${q}`, totalHits: zero ? 0 : 1 + (q % 90) },
      };
      i += 1;
      if (!zero && rand() < 0.5 && i < N) {
        let rank = 1;
        while (rand() < 0.45 && rank < 20) rank += 1;
        const a = zipf(ASSETS);
        yield {
          ...base('click', t0 + 2_000, user, session, device, country),
          assetId: uuid(2, a),
          asset: assetDims[a]!,
          search: { query: `query ${q}`, clickedRank: rank },
        };
        i += 1;
      }
      continue;
    }
    // A playback session: play, progress every minute up to a random share, then complete, pause or an error.
    const a = zipf(ASSETS);
    const dims = assetDims[a]!;
    const duration = dims.durationSeconds! * 1000;
    const watched = Math.floor(rand() * duration);
    const ev = (type: string, offset: number, position: number | null) => ({
      ...base(type, t0 + offset, user, session, device, country),
      assetId: uuid(2, a),
      asset: dims,
      position,
    });
    yield ev('play', 0, 0);
    i += 1;
    for (let p = 60_000; p < watched && i < N; p += 60_000) {
      yield ev('progress', p, p);
      i += 1;
    }
    if (i >= N) break;
    const end = rand();
    yield end < 0.03
      ? ev('error', watched, watched)
      : watched > duration * 0.9
        ? ev('complete', watched, duration)
        : ev('pause', watched, watched);
    i += 1;
  }
}

async function ensureDatabase(): Promise<string> {
  const name = `bench_analytics_${N}`;
  const admin = new pg.Client({ connectionString: args.url });
  await admin.connect();
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  if (!exists) await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(args.url);
  url.pathname = `/${name}`;
  return url.toString();
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

async function main() {
  const url = await ensureDatabase();
  const db = await openDatabase({ url, poolSize: 4 });
  await migrate(db);
  const store = new PostgresAnalyticsStore(db);
  const [{ n }] = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM analytics_events`)) as [
    { n: number },
  ];
  if (n < N) {
    if (n > 0) throw new Error(`${url} holds ${n} of ${N} events: drop it and load again`);
    const started = performance.now();
    let batch: StoredEvent[] = [];
    let done = 0;
    let last = started;
    for (const e of generate()) {
      batch.push(e);
      if (batch.length === BATCH) {
        await store.record(batch);
        done += batch.length;
        batch = [];
        if (performance.now() - last > 10_000) {
          last = performance.now();
          const rate = done / ((last - started) / 1000);
          console.log(`${done} events, ${Math.round(rate)} events/s through record`);
        }
      }
    }
    if (batch.length) await store.record(batch);
    done += batch.length;
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `loaded ${done} events in ${seconds.toFixed(0)} s: ${Math.round(done / seconds)} events/s through record (batches of ${BATCH}, one writer)`,
    );
    await db.query('VACUUM ANALYZE');
  }
  const sizes = await db.query<{ name: string; size: string }>(
    `SELECT t AS name, pg_size_pretty(sum(pg_total_relation_size(c.oid))) AS size FROM (VALUES ('analytics_events'), ('analytics_asset_rollups'), ('analytics_dim_rollups'), ('analytics_tenant_rollups'), ('analytics_context_rollups'), ('analytics_query_rollups'), ('analytics_rank_rollups'), ('analytics_tenant_viewers'), ('analytics_context_viewers'), ('analytics_asset_viewers'), ('analytics_watch_progress')) v(t)
     JOIN pg_class c ON c.relname = v.t OR c.relname LIKE v.t || '\\_%' GROUP BY t ORDER BY t`,
  );
  console.log(sizes.map((s) => `${s.name}: ${s.size}`).join(', '));

  const from = new Date(START);
  const to = new Date(START + SPAN);
  const queries: {
    name: string;
    metric: EventMetric;
    interval: MetricInterval;
    groupBy?: MetricGroupBy;
    from?: Date;
    to?: Date;
    filters?: Record<string, string[]>;
  }[] = [
    { name: 'views by day, 30 days', metric: 'views', interval: 'day' },
    { name: 'views by asset, top 10, by day, 30 days', metric: 'views', interval: 'day', groupBy: 'asset' },
    { name: 'uniqueViewers by day, 30 days', metric: 'uniqueViewers', interval: 'day' },
    { name: 'zeroResultRate by hour, 30 days', metric: 'zeroResultRate', interval: 'hour' },
    {
      name: 'clickThroughRate by rank, by day, 30 days',
      metric: 'clickThroughRate',
      interval: 'day',
      groupBy: 'rank',
    },
    { name: 'views by tag, top 10, by day, 30 days', metric: 'views', interval: 'day', groupBy: 'tag' },
    {
      name: 'watchTime by hour for one tag, 7 days',
      metric: 'watchTime',
      interval: 'hour',
      from: new Date(START + 23 * DAY),
      filters: { tag: ['tag3'] },
    },
    {
      name: 'views by minute, 1 hour (raw)',
      metric: 'views',
      interval: 'minute',
      from: new Date(START + 10 * DAY),
      to: new Date(START + 10 * DAY + 3_600_000),
    },
  ];
  console.log(`\n| query | p50 ms | p95 ms | series |\n| --- | ---: | ---: | ---: |`);
  for (const q of queries) {
    const times: number[] = [];
    let count = 0;
    for (let r = 0; r < ROUNDS + 2; r += 1) {
      const t = performance.now();
      const result = await store.series({
        tenantId: TENANT,
        metric: q.metric,
        from: q.from ?? from,
        to: q.to ?? to,
        interval: q.interval,
        groupBy: q.groupBy,
        filters: q.filters ?? {},
        limit: 10,
      });
      if (r >= 2) times.push(performance.now() - t);
      count = result.series.length;
    }
    console.log(
      `| ${q.name} | ${percentile(times, 50).toFixed(1)} | ${percentile(times, 95).toFixed(1)} | ${count} |`,
    );
  }
  const t = performance.now();
  await store.trending({
    tenantId: TENANT,
    at: new Date(START + 20 * DAY),
    recentHours: 6,
    baselineDays: 7,
    limit: 10,
  });
  console.log(`trending (6 h against 7 days), once: ${(performance.now() - t).toFixed(1)} ms`);
  await db.close();
}

await main();
