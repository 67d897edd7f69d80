/**
 * Interaction events, through the running API, beside baselines from the same run:
 *   - ingest: accepted events per second of POST /v1/events (pre-built batches of 1,000 from a load
 *     generator in another process) on the Redis Streams log (REDIS_URL) and on the Postgres log (the
 *     embedded default); baselines: pipelined XADD of the same events, split and encoded by the log's
 *     own functions, from the same kind of process, and COPY of the same log rows into a scratch
 *     table shaped like `event_log`;
 *   - lag: while the load runs, probe batches into a tenant of their own, each timed from its 202 to
 *     its events being counted by GET /v1/metrics;
 *   - the API's peak RSS during each load;
 *   - metrics: GET /v1/metrics over a dataset of 10 events per library asset (10 million at 1m),
 *     loaded once per scale through the store's `record` in big batches, on Postgres and on
 *     ClickHouse (CLICKHOUSE_URL); baseline: plain `count(*) … GROUP BY day` over the raw table.
 */
import { randomUUID } from 'node:crypto';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@clickhouse/client';
import type { PGlite } from '@electric-sql/pglite';
import { apiKeyService } from '../../runtime/container.js';
import type { Database } from '../../store/db.js';
import { tenantsRepository } from '../../store/tenants-repository.js';
import { ClickHouseBulkLoader, PostgresBulkLoader } from '../bulk-events.js';
import { asStored, batchTemplates, DATASET_DAYS, datasetEvent, type DatasetAsset } from '../event-batches.js';
import type { EventLoadResult, EventLoadSpec } from '../event-load.js';
import { clickHouseAnalytics, EVENT_LOG_TABLE, logEncoding, postgresAnalytics } from '../events-wiring.js';
import {
  log,
  measure,
  overRounds,
  percentile,
  spread,
  type Compared,
  type LatencyFigure,
  type RoundStats,
  type Spread,
} from '../lib.js';
import { runLoad, type Service } from '../processes.js';
import { MAIN_TENANT } from '../load.js';

const BATCH = 1_000;
/** Distinct batches per load worker (ids renewed per post). */
const TEMPLATES = 4;
const INGEST_SEED = 2_121;
const DATASET_SEED = 21;
/** Events the metrics dataset holds per library asset: 10 million at the 1m scale. */
export const EVENTS_PER_ASSET = 10;
/** `record` calls of this many events while loading the dataset (a tenant's share each). */
const LOAD_BATCH = 5_000;
/** Events per chunk handed to the bulk loader. */
const BULK_CHUNK = 100_000;

/** Where the bulk loader puts the dataset: `add` chunks, then `finish`. */
export interface BulkSink {
  add(events: ReturnType<typeof datasetEvent>[]): Promise<void>;
  finish(): Promise<unknown>;
}
/** Probe events per probe batch, with distinct users: they land in several partitions. */
const PROBE_EVENTS = 8;
const PROBE_TIMEOUT_MS = 120_000;
const DAY_MS = 86_400_000;

export const EVENTS_TARGETS = {
  acceptedPerSecondRedis: 100_000,
  lagP95Ms: 5_000,
  metricsP95Ms: 100,
  apiRssBytes: 1024 ** 3,
};

export interface EventsOptions {
  scale: number;
  rounds: number;
  /** Load workers (connections) of the ingest load generator. */
  concurrency: number;
  seconds: number;
  /** At most this many events per round. */
  maxEvents: number;
  /** Events of the metrics dataset (default 10 per asset). */
  datasetEvents: number;
  /** How the metrics dataset is loaded: the bench bulk loader (default) or the stores' `record`. */
  datasetLoad: 'bulk' | 'record';
  /** Requests per metrics query and round, and their concurrency. */
  metricsRuns: number;
  metricsConcurrency: number;
  /** The partition count of the API's event log, which the XADD and COPY baselines use too. */
  partitions: number;
  quick: boolean;
}

export interface EventsPlan {
  runId: string;
  loadTenant: string;
  probeTenant: string;
  keys: Record<string, string>;
}

export interface IngestPathResult {
  log: 'redis' | 'postgres';
  /** Accepted events per second. */
  accepted: Spread;
  baseline: { name: string; perSecond: Spread } | null;
  /** Per 1,000-event request, ms. */
  batchP50: Spread;
  batchP95: Spread;
  /** From a probe batch's 202 to its events counted by GET /v1/metrics, ms. */
  lag: { p50: Spread; p95: Spread; samples: number; timedOut: number };
  apiPeakRss: number;
  statuses: Record<string, number>;
  rejected: number;
  firstError: string | null;
}

export interface DatasetState {
  events: number;
  loaded: number;
  anchor: string;
  method: string;
  seconds: number;
}

export interface MetricsStoreResult {
  store: 'postgres' | 'clickhouse';
  dataset: DatasetState;
  queries: Record<string, Compared & { statuses: Record<string, number> }>;
}

export interface EventsResult {
  settings: Omit<EventsOptions, 'quick' | 'scale'> & { batch: number; eventsWithoutAssetId: true };
  ingest: IngestPathResult[];
  metrics: MetricsStoreResult[];
  /** Why a part did not run (ClickHouse not configured, no Redis). */
  skipped: string[];
}

const tenantName = (runId: string, role: 'load' | 'probe') => `ingest-events-${runId}-${role}`;

/**
 * Tenants and keys for the run (fresh tenants, deleted with the ingest suite's), made before the API
 * starts: PGlite admits one process.
 */
export async function prepareEvents(db: Database): Promise<EventsPlan> {
  const runId = randomUUID().slice(0, 8);
  const keys: Record<string, string> = {};
  for (const role of ['load', 'probe'] as const) {
    const tenant = tenantName(runId, role);
    await tenantsRepository.ensure(db, tenant);
    keys[tenant] = (
      await apiKeyService(db).create({ tenantId: tenant, name: 'bench', role: 'ADMIN' })
    ).secret;
  }
  return { runId, loadTenant: tenantName(runId, 'load'), probeTenant: tenantName(runId, 'probe'), keys };
}

// ---- ingest ----

function loadSpec(o: EventsOptions, tenantId: string): Omit<EventLoadSpec, 'mode'> {
  return {
    tenantId,
    concurrency: o.concurrency,
    seconds: o.seconds,
    maxEvents: o.maxEvents,
    batchSize: BATCH,
    templates: TEMPLATES,
    seed: INGEST_SEED,
    run: (Math.random() * 2 ** 32) >>> 0,
    users: 100_000,
    warmup: o.quick ? 1 : 2,
  };
}

/** Events per second of pipelined XADD of the same events into the log's partitions, per round. */
export async function xaddBaseline(o: EventsOptions, redisUrl: string, tenantId: string): Promise<Spread> {
  const rates: number[] = [];
  for (let r = 0; r < o.rounds; r++) {
    const res = await runLoad<EventLoadResult>(
      {
        ...loadSpec(o, tenantId),
        mode: 'xadd',
        redisUrl,
        prefix: `bench-xadd-${process.pid}`,
        partitions: o.partitions,
      } satisfies EventLoadSpec,
      'bench/event-load.ts',
    );
    if (res.firstError) throw new Error(`XADD baseline failed: ${res.firstError}`);
    rates.push(res.perSecond);
  }
  return spread(rates);
}

const csvField = (v: string | number) => `"${String(v).replaceAll('"', '""')}"`;

/**
 * Events per second of COPY of the same events as the Postgres log's rows (a row per partition per
 * batch, the log's own encoding) into a scratch table `LIKE event_log`, its index included.
 */
export async function copyBaseline(db: Database, o: EventsOptions, tenantId: string): Promise<Spread> {
  const encoding = await logEncoding(o.partitions);
  const events = Math.min(o.maxEvents, o.quick ? 20_000 : 200_000);
  const templates = batchTemplates({
    seed: INGEST_SEED,
    run: 0,
    firstSlot: 0,
    count: Math.min(TEMPLATES * 8, Math.ceil(events / BATCH)),
    size: BATCH,
    users: 100_000,
    at: new Date(),
  });
  const receivedAt = new Date();
  const lines: string[] = [];
  for (let b = 0; b * BATCH < events; b++) {
    const stored = templates[b % templates.length]!.events.map((e) => asStored(tenantId, e, receivedAt));
    for (const [p, list] of encoding.byPartition(stored, encoding.partitions))
      lines.push([tenantId, p, encoding.encodeEvents(list)].map(csvField).join(','));
  }
  const csv = lines.join('\n') + '\n';
  const rows = Math.ceil(events / BATCH) * BATCH;
  const file = join(tmpdir(), `bench-events-copy-${process.pid}.csv`);
  const rates: number[] = [];
  await db.query('DROP TABLE IF EXISTS bench_events_copy_scratch');
  await db.query(`CREATE TABLE bench_events_copy_scratch (LIKE ${EVENT_LOG_TABLE} INCLUDING ALL)`);
  try {
    if (db.kind === 'postgres') {
      writeFileSync(file, csv);
      chmodSync(file, 0o644);
    }
    for (let r = 0; r < o.rounds; r++) {
      await db.query('TRUNCATE bench_events_copy_scratch');
      const t0 = performance.now();
      const copy = `COPY bench_events_copy_scratch (tenant_id, partition, events) FROM`;
      if (db.kind === 'postgres') await db.query(`${copy} '${file}' WITH (FORMAT csv)`);
      else {
        // PGlite reads COPY data from a blob; the Database port does not expose it, the engine does.
        const engine = (db as unknown as { db: PGlite }).db;
        await engine.query(`${copy} '/dev/blob' WITH (FORMAT csv)`, [], { blob: new Blob([csv]) });
      }
      rates.push((rows * 1000) / (performance.now() - t0));
    }
  } finally {
    rmSync(file, { force: true });
    await db.query('DROP TABLE IF EXISTS bench_events_copy_scratch');
  }
  return spread(rates);
}

/** The count GET /v1/metrics gives for `metric` in the tenant of `key` since `from`. */
async function metricTotal(api: Service, key: string, metric: string, from: Date): Promise<number> {
  const q = new URLSearchParams({
    metric,
    from: from.toISOString(),
    to: new Date(Date.now() + DAY_MS).toISOString(),
    interval: 'day',
  });
  const res = await fetch(`${api.url}/v1/metrics?${q.toString()}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`GET /v1/metrics answered ${res.status}: ${text.slice(0, 500)}`);
  const body = JSON.parse(text) as { series?: { total: number }[] };
  if (!Array.isArray(body.series)) throw new Error(`GET /v1/metrics: no series in ${text.slice(0, 300)}`);
  return body.series.reduce((sum, s) => sum + s.total, 0);
}

async function postEvents(api: Service, key: string, events: object[]): Promise<{ accepted: number }> {
  const res = await fetch(`${api.url}/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ events }),
  });
  const text = await res.text();
  if (res.status !== 202) throw new Error(`POST /v1/events answered ${res.status}: ${text.slice(0, 500)}`);
  const body = JSON.parse(text) as { accepted: number | unknown[] };
  return { accepted: Array.isArray(body.accepted) ? body.accepted.length : body.accepted };
}

/** Posts probe search events and times them from the 202 until GET /v1/metrics counts them. */
class Prober {
  private expected = 0;
  private readonly since = new Date(Date.now() - 3_600_000);
  constructor(
    private readonly api: Service,
    private readonly key: string,
  ) {}

  /** Starts from what the tenant already counts (an earlier path of this run). */
  async init(): Promise<void> {
    this.expected = await metricTotal(this.api, this.key, 'searches', this.since);
  }

  /** One probe: ms from the 202 to visible, or null when it was not visible within the timeout. */
  async probe(): Promise<number | null> {
    const events = Array.from({ length: PROBE_EVENTS }, (_, i) => ({
      id: randomUUID(),
      type: 'search',
      userId: `probe-${randomUUID().slice(0, 8)}-${i}`,
      occurredAt: new Date().toISOString(),
      search: { query: 'probe', totalHits: 1 },
    }));
    const { accepted } = await postEvents(this.api, this.key, events);
    const answered = performance.now();
    this.expected += accepted;
    while (performance.now() - answered < PROBE_TIMEOUT_MS) {
      if ((await metricTotal(this.api, this.key, 'searches', this.since)) >= this.expected)
        return performance.now() - answered;
      await new Promise((r) => setTimeout(r, 25));
    }
    return null;
  }
}

/** The ingest rounds against one API process (one event log): accepted events/s, lag, peak RSS. */
export async function ingestRounds(
  api: Service,
  logKind: 'redis' | 'postgres',
  plan: EventsPlan,
  o: EventsOptions,
  baseline: IngestPathResult['baseline'],
): Promise<IngestPathResult> {
  const prober = new Prober(api, plan.keys[plan.probeTenant]!);
  await prober.init();
  // One probe before the load: the route and the consumer work, or the suite says what is missing.
  if ((await prober.probe()) === null)
    throw new Error(`events: a probe was not counted within ${PROBE_TIMEOUT_MS} ms: ${api.diagnostics()}`);
  const results: EventLoadResult[] = [];
  const lag50: number[] = [];
  const lag95: number[] = [];
  let samples = 0;
  let timedOut = 0;
  for (let r = 0; r < o.rounds; r++) {
    let running = true;
    const load = runLoad<EventLoadResult>(
      {
        ...loadSpec(o, plan.loadTenant),
        mode: 'http',
        url: api.url,
        apiKey: plan.keys[plan.loadTenant]!,
      } satisfies EventLoadSpec,
      'bench/event-load.ts',
    ).finally(() => (running = false));
    const lags: number[] = [];
    const probing = (async () => {
      while (running) {
        const lag = await prober.probe();
        if (lag === null) timedOut++;
        // A probe that was never counted stands in as the timeout: the real lag is longer.
        lags.push(lag ?? PROBE_TIMEOUT_MS);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const [res] = await Promise.all([load, probing]);
    results.push(res);
    samples += lags.length;
    lag50.push(percentile(lags, 50));
    lag95.push(percentile(lags, 95));
    // Untimed: the backlog drains before the next round (a probe after the load is counted last).
    await prober.probe();
    log(
      `events (${logKind}): round ${r + 1}/${o.rounds}: ${Math.round(res.perSecond)} events/s accepted, ` +
        `lag p95 ${Math.round(percentile(lags, 95))} ms over ${lags.length} probes`,
    );
  }
  const statuses: Record<string, number> = {};
  for (const res of results)
    for (const [s, n] of Object.entries(res.statuses)) statuses[s] = (statuses[s] ?? 0) + n;
  if (!statuses['202']) {
    const first = results.find((x) => x.firstError)?.firstError;
    throw new Error(`events: no load batch was accepted (${JSON.stringify(statuses)}): ${first}`);
  }
  return {
    log: logKind,
    accepted: spread(results.map((x) => x.perSecond)),
    baseline,
    batchP50: spread(results.map((x) => x.p50)),
    batchP95: spread(results.map((x) => x.p95)),
    lag: { p50: spread(lag50), p95: spread(lag95), samples, timedOut },
    apiPeakRss: api.memory()?.peak ?? NaN,
    statuses,
    rejected: results.reduce((n, x) => n + x.rejected, 0),
    firstError: results.find((x) => x.firstError)?.firstError ?? null,
  };
}

// ---- the metrics dataset ----

async function datasetAssets(db: Database): Promise<DatasetAsset[]> {
  const rows = await db.query<{
    tenant_id: string;
    id: string;
    type: string;
    source_system: string;
    given_tags: unknown[];
    given_speakers: unknown[];
  }>(
    `SELECT tenant_id, id, type, source_system, given_tags, given_speakers FROM assets
     WHERE tenant_id LIKE 'tenant-%' ORDER BY md5(id::text) LIMIT 100000`,
  );
  if (rows.length === 0) throw new Error('events: the bench library holds no assets');
  const names = (xs: unknown[]) =>
    xs.map((x) => (typeof x === 'string' ? x : ((x as { name?: string }).name ?? '')));
  return rows.map((r) => ({
    tenantId: r.tenant_id,
    id: r.id,
    type: r.type,
    sourceSystem: r.source_system,
    tags: names(r.given_tags),
    speakers: names(r.given_speakers),
  }));
}

async function readDataset(db: Database, key: string): Promise<DatasetState | null> {
  await db.query('CREATE TABLE IF NOT EXISTS bench_state (key text PRIMARY KEY, value jsonb NOT NULL)');
  const [row] = await db.query<{ value: DatasetState }>('SELECT value FROM bench_state WHERE key = $1', [
    key,
  ]);
  return row?.value ?? null;
}

async function writeDataset(db: Database, key: string, state: DatasetState): Promise<void> {
  await db.query(
    `INSERT INTO bench_state (key, value) VALUES ($1, $2)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
    [key, JSON.stringify(state)],
  );
}

/**
 * Loads what is missing of the metrics dataset into `store` through `record`, in batches of
 * LOAD_BATCH per tenant, recording its progress under `stateKey` of bench_state: event i is the same
 * in every run, so a load resumes at the index it reached (a repeated event is skipped by the store).
 * Then checks that the raw table holds every event: a store emptied behind bench_state's back (a
 * dropped ClickHouse database, expired raw events) must not yield figures over nothing.
 */
export async function loadDataset(
  db: Database,
  store: { record(events: ReturnType<typeof datasetEvent>[]): Promise<unknown> },
  stateKey: string,
  events: number,
  rawCount: () => Promise<number>,
  bulk?: () => Promise<BulkSink>,
): Promise<DatasetState> {
  const state = await loadMissing(db, store, stateKey, events, bulk);
  const held = await rawCount();
  if (held !== events)
    throw new Error(
      `events: bench_state says the ${stateKey} dataset holds ${events} events, its raw table holds ${held}: ` +
        'drop the bench database (and its ClickHouse database) to load it again',
    );
  return state;
}

async function loadMissing(
  db: Database,
  store: { record(events: ReturnType<typeof datasetEvent>[]): Promise<unknown> },
  stateKey: string,
  events: number,
  bulk?: () => Promise<BulkSink>,
): Promise<DatasetState> {
  const existing = await readDataset(db, stateKey);
  if (existing && existing.events !== events)
    throw new Error(`events: ${stateKey} in bench_state holds ${existing.events} events, not ${events}`);
  // The dataset ends at the start of the day it was first loaded on: whole days to query.
  const anchor = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS);
  const state: DatasetState = existing ?? {
    events,
    loaded: 0,
    anchor: anchor.toISOString(),
    method: `AnalyticsStore.record, ${LOAD_BATCH} events per call`,
    seconds: 0,
  };
  if (state.loaded >= events) {
    log(`events: dataset ${stateKey}: ${events} events already loaded (bench_state)`);
    return state;
  }
  const assets = await datasetAssets(db);
  const users = Math.max(1_000, Math.floor(events / 20));
  const started = Date.now();
  let reported = Date.now();
  const at = new Date(state.anchor);
  if (bulk && state.loaded === 0) {
    // The bench bulk loader: the same rows and rollups as record, in one pass (not resumable).
    // Watch time counts each session's positions in generation order (these events' times are
    // random within a session, so record's counts depend on its batches too).
    const sink = await bulk();
    for (let i = 0; i < events; i += BULK_CHUNK) {
      const chunk: ReturnType<typeof datasetEvent>[] = [];
      for (let j = i; j < Math.min(events, i + BULK_CHUNK); j++)
        chunk.push(datasetEvent(DATASET_SEED, j, assets, users, at));
      await sink.add(chunk);
      if (Date.now() - reported > 30_000) {
        reported = Date.now();
        log(`events: dataset ${stateKey}: ${i + chunk.length}/${events} events staged (bulk)`);
      }
    }
    await sink.finish();
    state.loaded = events;
    state.method = 'the bench bulk loader (bench/bulk-events.ts)';
    state.seconds = (Date.now() - started) / 1000;
    await writeDataset(db, stateKey, state);
  }
  while (state.loaded < events) {
    const chunk = Math.min(events - state.loaded, LOAD_BATCH * 4);
    const byTenant = new Map<string, ReturnType<typeof datasetEvent>[]>();
    for (let i = state.loaded; i < state.loaded + chunk; i++) {
      const e = datasetEvent(DATASET_SEED, i, assets, users, at);
      const list = byTenant.get(e.tenantId) ?? [];
      list.push(e);
      byTenant.set(e.tenantId, list);
    }
    // Outside a tenant scope, as the stream consumer records: the store creates partitions as it goes.
    for (const list of byTenant.values())
      for (let i = 0; i < list.length; i += LOAD_BATCH) await store.record(list.slice(i, i + LOAD_BATCH));
    state.loaded += chunk;
    state.seconds = (existing?.seconds ?? 0) + (Date.now() - started) / 1000;
    await writeDataset(db, stateKey, state);
    if (Date.now() - reported > 30_000) {
      reported = Date.now();
      log(`events: dataset ${stateKey}: ${state.loaded}/${events} events`);
    }
  }
  log(`events: dataset ${stateKey}: loaded ${events} events in ${Math.round(state.seconds)} s`);
  return state;
}

/** The dashboard queries measured, as GET /v1/metrics parameters over the dataset's last days. */
export function metricQueries(anchor: Date): Record<string, Record<string, string>> {
  const days = (n: number) => new Date(anchor.getTime() - n * DAY_MS).toISOString();
  const month = { from: days(DATASET_DAYS), to: anchor.toISOString() };
  return {
    'views by day, 30 days': { metric: 'views', interval: 'day', ...month },
    'views, top 10 assets': { metric: 'views', interval: 'day', groupBy: 'asset', limit: '10', ...month },
    'unique viewers by day': { metric: 'uniqueViewers', interval: 'day', ...month },
    'zero-result rate by hour, 7 days': {
      metric: 'zeroResultRate',
      interval: 'hour',
      from: days(7),
      to: anchor.toISOString(),
    },
    'click-through rate by rank': { metric: 'clickThroughRate', interval: 'day', groupBy: 'rank', ...month },
  };
}

/** The plain-SQL baseline: views by day over the raw table, in the main tenant, over 30 days. */
export async function postgresBaseline(
  db: Database,
  rawTable: string,
  anchor: Date,
  o: { rounds: number; runs: number },
): Promise<LatencyFigure> {
  const from = new Date(anchor.getTime() - DATASET_DAYS * DAY_MS);
  const sql = `SELECT date_trunc('day', occurred_at) AS day, count(*)::int AS n FROM ${rawTable}
    WHERE tenant_id = $1 AND type = 'play' AND occurred_at >= $2 AND occurred_at < $3 GROUP BY 1 ORDER BY 1`;
  return measure({ rounds: o.rounds, runs: o.runs, concurrency: 1, warmup: 2 }, () =>
    db.query(sql, [MAIN_TENANT, from, anchor]),
  );
}

/** The same count on ClickHouse (literals, not query parameters: ClickHouse 18.16 has none). */
export async function clickHouseBaseline(
  url: string,
  rawTable: string,
  typeColumn: string,
  anchor: Date,
  o: { rounds: number; runs: number },
): Promise<LatencyFigure> {
  const from = new Date(anchor.getTime() - DATASET_DAYS * DAY_MS);
  const ts = (d: Date) => `toDateTime('${d.toISOString().slice(0, 19).replace('T', ' ')}', 'UTC')`;
  const client = createClient({ url });
  const query = `SELECT toStartOfDay(occurred_at) AS day, count() AS n FROM ${rawTable}
    WHERE tenant_id = '${MAIN_TENANT}' AND ${typeColumn} = 'play' AND occurred_at >= ${ts(from)} AND occurred_at < ${ts(anchor)}
    GROUP BY day ORDER BY day`;
  try {
    return await measure({ rounds: o.rounds, runs: o.runs, concurrency: 1, warmup: 2 }, async () => {
      const rs = await client.query({ query, format: 'JSONEachRow' });
      await rs.json();
    });
  } finally {
    await client.close();
  }
}

/** GET /v1/metrics for each dashboard query, from the load generator in another process. */
export async function metricsRounds(
  api: Service,
  apiKey: string,
  anchor: Date,
  baseline: LatencyFigure,
  o: EventsOptions,
): Promise<MetricsStoreResult['queries']> {
  const out: MetricsStoreResult['queries'] = {};
  for (const [name, params] of Object.entries(metricQueries(anchor))) {
    const url = `${api.url}/v1/metrics?${new URLSearchParams(params).toString()}`;
    const first = await fetch(url, { headers: { authorization: `Bearer ${apiKey}` } });
    const text = await first.text();
    if (first.status !== 200)
      throw new Error(`events: ${name}: GET ${url} answered ${first.status}: ${text}`);
    const rounds: RoundStats[] = [];
    const statuses: Record<string, number> = {};
    for (let r = 0; r < o.rounds; r++) {
      const res = await runLoad<RoundStats & { statuses: Record<string, number> }>({
        urls: [url],
        headers: { authorization: `Bearer ${apiKey}` },
        concurrency: o.metricsConcurrency,
        maxRequests: o.metricsRuns,
        maxSeconds: o.quick ? 5 : 30,
        warmup: 2,
      });
      rounds.push(res);
      for (const [s, n] of Object.entries(res.statuses)) statuses[s] = (statuses[s] ?? 0) + n;
    }
    out[name] = { ours: overRounds(rounds), baseline, statuses };
  }
  return out;
}

/** The metrics dataset on Postgres: loaded (once per scale) and its baseline measured, API not running. */
export async function preparePostgresMetrics(
  db: Database,
  o: EventsOptions,
): Promise<{ dataset: DatasetState; baseline: LatencyFigure }> {
  const { store, rawTable } = await postgresAnalytics(db);
  const before = await readDataset(db, 'events');
  const dataset = await loadDataset(
    db,
    store,
    'events',
    o.datasetEvents,
    async () => {
      const [row] = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${rawTable} WHERE tenant_id LIKE 'tenant-%'`,
      );
      return row?.n ?? 0;
    },
    o.datasetLoad === 'bulk' ? () => PostgresBulkLoader.start(db) : undefined,
  );
  // Without autovacuum assumed: what the load wrote gets its visibility map and statistics.
  if (!before || before.loaded < dataset.events) await db.query('VACUUM ANALYZE');
  log('events: plain SQL baseline (Postgres)');
  const baseline = await postgresBaseline(db, rawTable, new Date(dataset.anchor), {
    rounds: o.rounds,
    runs: o.metricsRuns,
  });
  return { dataset, baseline };
}

/** Whether ClickHouse answers at `url`; the reason it does not, otherwise. */
export async function clickHouseReachable(url: string): Promise<string | null> {
  const client = createClient({ url });
  try {
    const { success } = await client.ping();
    return success ? null : `ClickHouse at ${new URL(url).host} did not answer a ping`;
  } finally {
    await client.close();
  }
}

/** Drops a scale's ClickHouse database (`--drop`, as the smoke test runs). */
export async function dropClickHouseDatabase(baseUrl: string, database: string): Promise<void> {
  const admin = createClient({ url: baseUrl });
  try {
    await admin.command({ query: `DROP DATABASE IF EXISTS ${database}` });
  } finally {
    await admin.close();
  }
}

export async function prepareClickHouseMetrics(
  db: Database,
  url: string,
  database: string,
  o: EventsOptions,
): Promise<{ dataset: DatasetState; baseline: LatencyFigure }> {
  const { store, rawTable, typeColumn } = await clickHouseAnalytics(url, database);
  try {
    // Its progress is kept in the Postgres bench database, beside the library it was drawn from.
    const bulkClient = o.datasetLoad === 'bulk' ? createClient({ url, request_timeout: 600_000 }) : null;
    const dataset = await loadDataset(
      db,
      store,
      'events-clickhouse',
      o.datasetEvents,
      async () => {
        const client = createClient({ url });
        try {
          const rs = await client.query({
            query: `SELECT count() AS n FROM ${rawTable} WHERE tenant_id LIKE 'tenant-%'`,
            format: 'JSONEachRow',
          });
          const [row] = await rs.json<{ n: string | number }>();
          return Number(row?.n ?? 0);
        } finally {
          await client.close();
        }
      },
      bulkClient
        ? () => {
            const loader = new ClickHouseBulkLoader(bulkClient, database);
            return Promise.resolve({ add: (events) => loader.add(events), finish: () => Promise.resolve() });
          }
        : undefined,
    ).finally(() => bulkClient?.close());
    log('events: plain SQL baseline (ClickHouse)');
    const baseline = await clickHouseBaseline(url, rawTable, typeColumn, new Date(dataset.anchor), {
      rounds: o.rounds,
      runs: o.metricsRuns,
    });
    return { dataset, baseline };
  } finally {
    await store.close();
  }
}
