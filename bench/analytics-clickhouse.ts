/*
 * A quick measurement of the ClickHouse analytics store (not a suite of `npm run bench` yet):
 *   CLICKHOUSE_URL=http://127.0.0.1:8123 node --import tsx bench/analytics-clickhouse.ts [--events 10000000] [--rounds 30]
 *
 * 1. Loads --events synthetic events over the last 30 days with one INSERT … SELECT FROM numbers()
 *    into the raw table (its materialized views fill the id table and the rollups as `record` would).
 * 2. Times `series` queries through the adapter (p50/p95 of --rounds runs each), beside the same
 *    metric computed from the raw events with one plain GROUP BY (the baseline).
 * 3. Times `record` with batches of 1,000 generated events (de-duplication look-up, watch-time
 *    look-up, one INSERT), beside a plain INSERT of the same rows' shape with the client.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { ClickHouseLogLevel, createClient } from '@clickhouse/client';
import type { MetricQuery } from '../analytics/analytics-store.js';
import { ClickHouseAnalyticsStore } from '../analytics/clickhouse-analytics-store.js';
import type { StoredEvent } from '../domain/interaction-events.js';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '10000000' },
    rounds: { type: 'string', default: '30' },
    batches: { type: 'string', default: '100' },
    'batch-size': { type: 'string', default: '1000' },
    database: { type: 'string', default: 'bench_analytics' },
    reload: { type: 'boolean', default: false },
    /** `queries` or `record`: one part only (after a load). */
    only: { type: 'string' },
  },
});
const url = process.env.CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';
const N = Number(args.events);
const ROUNDS = Number(args.rounds);
const DAY = 86_400_000;
const TENANT = 'bench';
const end = Math.floor(Date.now() / DAY) * DAY;
const start = end - 30 * DAY;

const client = createClient({ url, request_timeout: 600_000, log: { level: ClickHouseLogLevel.ERROR } });
const store = new ClickHouseAnalyticsStore({ url, database: args.database });

const count = async (sql: string) =>
  Number((await (await client.query({ query: sql, format: 'JSONEachRow' })).json<{ n: string }>())[0]!.n);

async function load(): Promise<void> {
  const db = args.database;
  if (args.reload) await store.dropDatabase();
  await store.ensureSchema();
  const have = await count(`SELECT count() AS n FROM ${db}.events WHERE tenant_id = '${TENANT}'`);
  if (have >= N) {
    console.log(`raw events already loaded: ${have}`);
    return;
  }
  const span = end - start;
  // u(k): a uniform number in [0, 1) from the row number, salted by k.
  const u = (k: number) => `(cityHash64(number, ${k}) % 1000000) / 1000000`;
  const sql = `
    INSERT INTO ${db}.events (tenant_id, id, event_type, asset_id, user_token, session_token, consent, occurred_at,
      occurred_ms, received_at, position, watch_increase_ms, search_text, search_query, total_hits, zero_result,
      clicked_rank, result_ids, device, network, app, referrer, country, properties, asset_type, source_system,
      tags, topics, speakers, duration_seconds)
    SELECT '${TENANT}', toString(generateUUIDv4()), type, if(type IN ('search'), '', concat('asset-', toString(a))),
      concat('u', toString(user)), concat('s', toString(user), '-', toString(intDiv(ms, 3600000))), 1,
      toDateTime(intDiv(ms, 1000), 'UTC'), ms, toDateTime(intDiv(ms, 1000), 'UTC'),
      if(type IN ('progress', 'pause', 'complete'), toUInt32(30000), NULL),
      if(type IN ('progress', 'pause', 'complete'), 30000, 0),
      q, q, if(type = 'search', toUInt32(zero ? 0 : 12), NULL), type = 'search' AND zero,
      if(type = 'click', toUInt8(1 + floor(pow(${u(7)}, 2) * 10)), 0), emptyArrayString(),
      ['mobile', 'tv', 'web', 'tablet'][cityHash64(number, 4) % 4 + 1], '', '', '',
      ['DE', 'FR', 'US', 'GB', 'ES', 'IT', 'NL', 'SE'][cityHash64(number, 5) % 8 + 1], '',
      if(type = 'search', '', ['VIDEO', 'AUDIO', 'IMAGE'][a % 3 + 1]),
      if(type = 'search', '', ['archive', 'radio', 'partner', 'upload'][a % 4 + 1]),
      if(type = 'search', emptyArrayString(), [concat('tag', toString(a % 50)), concat('tag', toString(a % 7 + 50))]),
      if(type = 'search', emptyArrayString(), [concat('topic', toString(a % 20))]), emptyArrayString(), toNullable(600.)
    FROM (
      SELECT number,
        ${start} + intDiv(number * ${span}, ${N}) AS ms,
        multiIf(r < 40, 'play', r < 65, 'progress', r < 70, 'pause', r < 78, 'complete', r < 80, 'error',
          r < 92, 'search', 'click') AS type,
        cityHash64(number, 1) % 100 AS r,
        toUInt64(floor(pow(${u(2)}, 3) * 5000)) AS a,
        cityHash64(number, 3) % 200000 AS user,
        if(type IN ('search', 'click'), concat('query ', toString(toUInt64(floor(pow(${u(6)}, 2) * 2000)))), '') AS q,
        cityHash64(number, 8) % 10 = 0 AS zero
      FROM numbers(${N})
    )`;
  const t0 = performance.now();
  await client.command({ query: sql, clickhouse_settings: { max_insert_block_size: '1048576' } });
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    `loaded ${N} raw events by INSERT … SELECT in ${seconds.toFixed(1)} s (${Math.round(N / seconds)} rows/s, rollups by the views)`,
  );
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

async function time(fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  await fn();
  const ms: number[] = [];
  for (let i = 0; i < ROUNDS; i += 1) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return { p50: pct(ms, 50), p95: pct(ms, 95) };
}

async function queries(): Promise<void> {
  const base: MetricQuery = {
    tenantId: TENANT,
    metric: 'views',
    from: new Date(start),
    to: new Date(end),
    interval: 'day',
    filters: {},
    limit: 10,
  };
  const db = args.database;
  const cases: [string, MetricQuery, string][] = [
    [
      'views by day, 30 days',
      base,
      `SELECT toStartOfDay(occurred_at) AS t, count() FROM ${db}.events WHERE tenant_id = '${TENANT}' AND event_type = 'play' GROUP BY t`,
    ],
    [
      'views by asset, top 10, by day, 30 days',
      { ...base, groupBy: 'asset' },
      `SELECT asset_id, count() AS c FROM ${db}.events WHERE tenant_id = '${TENANT}' AND event_type = 'play' GROUP BY asset_id ORDER BY c DESC LIMIT 10`,
    ],
    [
      'uniqueViewers by day, 30 days',
      { ...base, metric: 'uniqueViewers' },
      `SELECT toStartOfDay(occurred_at) AS t, uniq(user_token) FROM ${db}.events WHERE tenant_id = '${TENANT}' AND event_type = 'play' GROUP BY t`,
    ],
    [
      'zeroResultRate by hour, 30 days',
      { ...base, metric: 'zeroResultRate', interval: 'hour' },
      `SELECT toStartOfHour(occurred_at) AS t, countIf(zero_result = 1) / count() FROM ${db}.events WHERE tenant_id = '${TENANT}' AND event_type = 'search' GROUP BY t`,
    ],
    [
      'clickThroughRate by rank, by day, 30 days',
      { ...base, metric: 'clickThroughRate', groupBy: 'rank' },
      `SELECT clicked_rank, count() FROM ${db}.events WHERE tenant_id = '${TENANT}' AND event_type = 'click' AND clicked_rank > 0 GROUP BY clicked_rank`,
    ],
    [
      'views by tag, top 10, by day, 30 days',
      { ...base, groupBy: 'tag' },
      `SELECT arrayJoin(tags) AS g, count() AS c FROM ${db}.events WHERE tenant_id = '${TENANT}' AND event_type = 'play' GROUP BY g ORDER BY c DESC LIMIT 10`,
    ],
    [
      'views by minute, last 6 hours (raw)',
      { ...base, interval: 'minute', from: new Date(end - 6 * 3_600_000) },
      `SELECT toStartOfMinute(occurred_at) AS t, count() FROM ${db}.events WHERE tenant_id = '${TENANT}' AND event_type = 'play' AND occurred_ms >= ${end - 6 * 3_600_000} GROUP BY t`,
    ],
  ];
  console.log(
    '\n| series | p50 ms | p95 ms | baseline: plain GROUP BY on raw, p50 / p95 ms |\n| --- | --- | --- | --- |',
  );
  for (const [name, query, baseline] of cases) {
    const ours = await time(() => store.series(query));
    const raw = await time(async () =>
      (await client.query({ query: baseline, format: 'JSONEachRow' })).json(),
    );
    console.log(
      `| ${name} | ${ours.p50.toFixed(1)} | ${ours.p95.toFixed(1)} | ${raw.p50.toFixed(1)} / ${raw.p95.toFixed(1)} |`,
    );
  }
}

/** A batch like the stream hands over: plays, progress of the same sessions, searches and clicks. */
function batch(size: number, at: number): StoredEvent[] {
  const out: StoredEvent[] = [];
  for (let i = 0; i < size; i += 1) {
    const user = Math.floor(Math.random() * 200_000);
    const r = Math.random();
    const type =
      r < 0.4 ? 'play' : r < 0.7 ? 'progress' : r < 0.8 ? 'complete' : r < 0.92 ? 'search' : 'click';
    const search = type === 'search' || type === 'click';
    const a = Math.floor(Math.random() ** 3 * 5000);
    const occurredAt = new Date(at + i);
    out.push({
      tenantId: TENANT,
      id: randomUUID(),
      type,
      assetId: search && type === 'search' ? null : `asset-${a}`,
      userToken: `u${user}`,
      sessionToken: `s${user}-rec`,
      occurredAt,
      receivedAt: occurredAt,
      position: type === 'progress' || type === 'complete' ? Math.floor(Math.random() * 600_000) : null,
      search: search
        ? {
            query: `query ${Math.floor(Math.random() * 2000)}`,
            totalHits: 12,
            ...(type === 'click' ? { clickedRank: 1 + Math.floor(Math.random() * 10) } : {}),
          }
        : null,
      context: { device: 'mobile', country: 'DE' },
      consent: true,
      properties: null,
      asset:
        search && type === 'search'
          ? null
          : {
              type: 'VIDEO',
              sourceSystem: 'archive',
              tags: [`tag${a % 50}`],
              topics: [],
              speakers: [],
              durationSeconds: 600,
            },
    });
  }
  return out;
}

async function recordThroughput(): Promise<void> {
  const batches = Number(args.batches);
  const size = Number(args['batch-size']);
  const now = end - 3_600_000;
  const prepared = Array.from({ length: batches }, (_, b) => batch(size, now + b * size));
  let t0 = performance.now();
  for (const events of prepared) await store.record(events);
  const ours = (batches * size) / ((performance.now() - t0) / 1000);
  // Redelivered: every event a duplicate.
  t0 = performance.now();
  for (const events of prepared.slice(0, 5)) await store.record(events);
  const dupes = (5 * size) / ((performance.now() - t0) / 1000);
  // Baseline: the same number of rows through a plain INSERT into a scratch table of the same shape.
  const scratch = `${args.database}.record_baseline`;
  await client.command({ query: `DROP TABLE IF EXISTS ${scratch}` });
  await client.command({ query: `CREATE TABLE ${scratch} AS ${args.database}.events` });
  const rows = prepared.map((events) =>
    events.map((e) => ({
      tenant_id: e.tenantId,
      id: e.id,
      event_type: e.type,
      asset_id: e.assetId ?? '',
      user_token: e.userToken ?? '',
      occurred_at: e.occurredAt.toISOString().slice(0, 19).replace('T', ' '),
      occurred_ms: e.occurredAt.getTime(),
    })),
  );
  t0 = performance.now();
  for (const values of rows) await client.insert({ table: scratch, values, format: 'JSONEachRow' });
  const plain = (batches * size) / ((performance.now() - t0) / 1000);
  await client.command({ query: `DROP TABLE ${scratch}` });
  console.log(
    `\nrecord, batches of ${size}, one caller: ${Math.round(ours)} events/s; all duplicates: ${Math.round(dupes)} events/s`,
  );
  console.log(
    `baseline, plain INSERT of the same batches into a table without views: ${Math.round(plain)} rows/s`,
  );
}

try {
  const version = (
    await (
      await client.query({ query: 'SELECT version() AS v', format: 'JSONEachRow' })
    ).json<{ v: string }>()
  )[0]!.v;
  console.log(`ClickHouse ${version} at ${url}, database ${args.database}`);
  await load();
  const sizes: string[] = [];
  for (const family of ['context', 'assets', 'searches']) {
    for (const grain of ['hourly', 'daily']) {
      sizes.push(
        `${family}_${grain} ${await count(`SELECT count() AS n FROM ${args.database}.${family}_${grain}`)}`,
      );
    }
  }
  console.log(`rollup rows: ${sizes.join(', ')}`);
  const load1 = (await import('node:os')).loadavg()[0]!.toFixed(1);
  console.log(`load average before: ${load1} (2 cores)`);
  if (args.only !== 'record') await queries();
  if (args.only !== 'queries') await recordThroughput();
  console.log(`load average after: ${(await import('node:os')).loadavg()[0]!.toFixed(1)}`);
} finally {
  await store.close();
  await client.close();
}
