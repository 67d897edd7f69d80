/**
 * The benchmark harness: loads a scale of the synthetic library once (resumable), then measures
 * ingest, search, related content, HTTP, memory and interaction events, each beside a baseline taken
 * in the same run.
 *   npm run bench -- --scale 2k|10k|100k|1m|<number> [--only ingest,search,related,http,memory,events,responsive]
 *                    [--db server|pglite|both] [--quick] [--rounds 3] [--runs 50] [--load-only]
 * Prints a markdown table and writes bench/results/<date>-<scale>.json. See bench/README.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { apiKeyService } from '../runtime/container.js';
import type { Database } from '../store/db.js';
import { log, type Compared, type LatencyFigure, type Spread } from './lib.js';
import { loadScale, MAIN_TENANT, type LoadState } from './load.js';
import { deleteQueueKeys, startService, startWorkerProcesses, type Service } from './processes.js';
import { httpSuite, type HttpResult } from './suites/http.js';
import {
  copyBaseline,
  dropIngestTenants,
  ingestInputs,
  ingestScaling,
  ingestSuite,
  prepareIngest,
  type IngestResult,
} from './suites/ingest.js';
import {
  clickHouseReachable,
  copyBaseline as eventsCopyBaseline,
  dropClickHouseDatabase,
  EVENTS_PER_ASSET,
  EVENTS_TARGETS,
  ingestRounds,
  metricsRounds,
  prepareClickHouseMetrics,
  prepareEvents,
  preparePostgresMetrics,
  xaddBaseline,
  type EventsOptions,
  type EventsResult,
} from './suites/events.js';
import { DEFAULT_EVENT_PARTITIONS } from './events-wiring.js';
import { relatedSuite, type RelatedResult } from './suites/related.js';
import {
  prepareResponsiveness,
  responsivenessSuite,
  type ResponsivenessResult,
} from './suites/responsiveness.js';
import { searchSuite } from './suites/search.js';
import { parseScale, scaleLabel, targetFor, type Target, type TargetKind } from './target.js';

const SUITES = ['ingest', 'search', 'related', 'http', 'memory', 'events', 'responsive'] as const;
type Suite = (typeof SUITES)[number];

const { values } = parseArgs({
  options: {
    scale: { type: 'string' },
    /** The old benches' flag: the same as --scale. */
    assets: { type: 'string' },
    only: { type: 'string' },
    db: { type: 'string', default: 'server' },
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    runs: { type: 'string' },
    'baseline-runs': { type: 'string' },
    concurrency: { type: 'string', default: '2' },
    'http-concurrency': { type: 'string', default: '8' },
    'http-requests': { type: 'string' },
    'http-seconds': { type: 'string' },
    'ingest-assets': { type: 'string' },
    /** The responsive suite: assets of the import it probes during, probe seconds, rounds. */
    'responsive-assets': { type: 'string' },
    'responsive-seconds': { type: 'string' },
    'responsive-rounds': { type: 'string' },
    /**
     * The ingest suite's scaling run (Postgres server and Redis only): end to end with this many
     * separate worker processes each, e.g. `1,2,4`, beside an API that runs none.
     */
    'worker-processes': { type: 'string' },
    /** The events suite: load connections, seconds and at most this many events per round. */
    'events-concurrency': { type: 'string', default: '4' },
    'events-seconds': { type: 'string' },
    'events-max': { type: 'string' },
    /** Events of the metrics dataset; default 10 per asset of the scale (10 million at 1m). */
    'events-dataset': { type: 'string' },
    /** How the metrics dataset is loaded: `bulk` (bench/bulk-events.ts, default) or `record`. */
    'events-load': { type: 'string', default: 'bulk' },
    /** GET /v1/metrics requests per query and round, and their concurrency. */
    'metrics-runs': { type: 'string' },
    'metrics-concurrency': { type: 'string', default: '1' },
    /** Writes a V8 CPU profile of the API process (which runs the workers too) into this directory. */
    'cpu-prof': { type: 'string' },
    /** The bench database (server) or PGlite directory name; default bench_<scale>. */
    database: { type: 'string' },
    out: { type: 'string', default: join('bench', 'results') },
    /** Load the scale and stop: the slow step, on its own. */
    'load-only': { type: 'boolean', default: false },
    /** Drop the bench database afterwards (the smoke test does). */
    drop: { type: 'boolean', default: false },
  },
});

const scale = parseScale(values.scale ?? values.assets ?? '2k');
const quick = values.quick;
const only = new Set<Suite>(
  values.only
    ? values.only.split(',').map((s) => {
        if (!(SUITES as readonly string[]).includes(s.trim()))
          throw new Error(`--only: unknown suite "${s}"`);
        return s.trim() as Suite;
      })
    : SUITES,
);
const kinds: TargetKind[] =
  values.db === 'both' ? ['pglite', 'server'] : values.db === 'pglite' ? ['pglite'] : ['server'];
const num = (v: string | undefined, fallback: number) => (v === undefined ? fallback : Number(v));
const rounds = num(values.rounds, quick ? 2 : 3);
const runs = num(values.runs, quick ? 8 : 50);
// The plain baselines take about a second per query from 100k assets (docs/search-speed.md).
const baselineRuns = num(values['baseline-runs'], scale >= 500_000 ? 3 : scale >= 100_000 ? 10 : runs);
const httpRequests = num(values['http-requests'], quick ? 100 : 2_000);
const httpSeconds = num(values['http-seconds'], quick ? 5 : 20);
const ingestAssets = Math.min(scale, num(values['ingest-assets'], quick ? 50 : 300));
const responsiveAssets = num(values['responsive-assets'], quick ? 100 : Math.min(scale, 5_000));
const responsiveSeconds = num(values['responsive-seconds'], quick ? 3 : 20);
const responsiveRounds = num(values['responsive-rounds'], 1);
const workerProcesses = (values['worker-processes'] ?? '')
  .split(',')
  .filter((s) => s.trim() !== '')
  .map((s) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1 || n > 64)
      throw new Error(`--worker-processes: 1 to 64 each, not "${s}"`);
    return n;
  });
const eventsOptions: EventsOptions = {
  scale,
  rounds,
  concurrency: Number(values['events-concurrency']),
  seconds: num(values['events-seconds'], quick ? 3 : 15),
  maxEvents: num(values['events-max'], quick ? 50_000 : 3_000_000),
  datasetEvents: num(values['events-dataset'], scale * EVENTS_PER_ASSET),
  datasetLoad: (() => {
    const load = values['events-load'];
    if (load !== 'bulk' && load !== 'record') throw new Error(`--events-load: bulk or record, not "${load}"`);
    return load;
  })(),
  metricsRuns: num(values['metrics-runs'], quick ? 8 : 100),
  metricsConcurrency: Number(values['metrics-concurrency']),
  // The API's event log partitions; the raw XADD and COPY baselines split the same events as many ways.
  partitions: num(process.env.EVENT_PARTITIONS, DEFAULT_EVENT_PARTITIONS),
  quick,
};
/** The bench tenant's API key: a fixed secret, as BOOTSTRAP_API_KEY would give. */
const BENCH_KEY = 'bench-tenant-1-key-0123456789abcdef';

export interface TargetResult {
  database: string;
  load: LoadState & { secondsThisRun: number; mainTenantAssets: number; totalAssets: number };
  search?: Record<string, Compared>;
  related?: RelatedResult;
  http?: HttpResult;
  ingest?: IngestResult;
  responsive?: ResponsivenessResult;
  memory?: { apiPeakRss: number; apiRssAtStart: number; bareFastifyPeakRss: number; harnessPeakRss: number };
  events?: EventsResult;
}

export interface BenchResult {
  date: string;
  command: string;
  scale: number;
  quick: boolean;
  settings: Record<string, number>;
  machine: Record<string, unknown> & { loadAverageAfter: number[] };
  targets: Partial<Record<TargetKind, TargetResult>>;
}

async function count(db: Database, sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await db.query<{ n: number }>(sql, params);
  return row?.n ?? 0;
}

async function runTarget(kind: TargetKind): Promise<TargetResult> {
  const target = targetFor(kind, scale, values.database);
  log(`${kind}: ${target.name}`);
  let db = await target.open();
  const t0 = Date.now();
  const state = await loadScale(db, scale);
  const result: TargetResult = {
    database: target.name,
    load: {
      ...state,
      secondsThisRun: (Date.now() - t0) / 1000,
      mainTenantAssets: await count(db, 'SELECT count(*)::int AS n FROM assets WHERE tenant_id = $1', [
        MAIN_TENANT,
      ]),
      totalAssets: await count(db, "SELECT count(*)::int AS n FROM assets WHERE tenant_id LIKE 'tenant-%'"),
    },
  };
  if (values['load-only']) {
    await db.close();
    return result;
  }
  // An interrupted earlier run may have left its ingest tenants.
  await dropIngestTenants(db);

  const inProcess = {
    tenantId: MAIN_TENANT,
    rounds,
    runs,
    baselineRuns,
    concurrency: Number(values.concurrency),
  };
  if (only.has('search')) {
    log('search');
    result.search = await searchSuite(db, inProcess);
  }
  if (only.has('related')) {
    log('related');
    result.related = await relatedSuite(db, inProcess);
  }

  if (only.has('http') || only.has('ingest') || only.has('memory') || only.has('responsive')) {
    await apiKeyService(db).ensureBootstrapKey(MAIN_TENANT, BENCH_KEY);
    const assetIds = (
      await db.query<{ id: string }>(
        'SELECT id FROM assets WHERE tenant_id = $1 ORDER BY md5(id::text) LIMIT 200',
        [MAIN_TENANT],
      )
    ).map((r) => r.id);
    let ingest:
      | {
          plan: Awaited<ReturnType<typeof prepareIngest>>;
          copy: Spread;
          inputs: ReturnType<typeof ingestInputs>;
        }
      | undefined;
    if (only.has('ingest')) {
      log('ingest: COPY baseline');
      const inputs = ingestInputs(ingestAssets);
      ingest = {
        inputs,
        plan: await prepareIngest(db, rounds, kind === 'server' ? workerProcesses : []),
        copy: await copyBaseline(db, inputs, rounds),
      };
    }
    const responsive = only.has('responsive')
      ? {
          plan: await prepareResponsiveness(db, responsiveRounds),
          inputs: ingestInputs(responsiveAssets),
        }
      : undefined;
    // PGlite admits one process: the API gets the directory while it runs.
    if (kind === 'pglite') await db.close();
    const services: Service[] = [];
    const redisUrl = kind === 'server' ? (process.env.REDIS_URL ?? 'redis://127.0.0.1:6379') : undefined;
    const queuePrefix = `bench-${process.pid}`;
    try {
      const bare = await startService('bench/bare-server.ts', {}, '/bare');
      services.push(bare);
      const apiEnv: Record<string, string> = {
        ...target.apiEnv(),
        RATE_LIMIT_PER_MINUTE: '100000000',
        LOG_LEVEL: 'warn',
        WAIT_TIMEOUT_MS: '30000',
        ...(redisUrl ? { REDIS_URL: redisUrl, QUEUE_PREFIX: queuePrefix } : {}),
      };
      const api = await startService('api/server.ts', { ...apiEnv, RUN_WORKERS: 'true' }, '/health', {
        unset: ['BOOTSTRAP_API_KEY', ...(kind === 'pglite' ? ['DATABASE_URL', 'REDIS_URL'] : [])],
        ...(values['cpu-prof'] ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`] } : {}),
      });
      services.push(api);
      const atStart = api.memory();
      if (only.has('http')) {
        log('http');
        result.http = await httpSuite(api, bare, {
          apiKey: BENCH_KEY,
          assetIds,
          rounds,
          concurrency: Number(values['http-concurrency']),
          maxRequests: httpRequests,
          maxSeconds: httpSeconds,
        });
      }
      if (ingest) {
        log(`ingest: ${ingest.inputs.length} assets per round`);
        result.ingest = await ingestSuite(api, ingest.plan, ingest.inputs, ingest.copy);
      }
      // PGlite admits one process: its workers run beside its API (the embedded default).
      if (responsive && kind === 'pglite') {
        log(responsiveLine);
        result.responsive = await responsivenessSuite(api, responsive.plan, responsive.inputs, {
          apiKey: BENCH_KEY,
          assetIds,
          seconds: responsiveSeconds,
          workers: "the API's own workers",
        });
      }
      if (only.has('memory')) {
        result.memory = {
          apiPeakRss: api.memory()?.peak ?? NaN,
          apiRssAtStart: atStart?.rss ?? NaN,
          bareFastifyPeakRss: bare.memory()?.peak ?? NaN,
          harnessPeakRss: process.resourceUsage().maxRSS * 1024,
        };
      }
      if (ingest && result.ingest && kind === 'server' && workerProcesses.length > 0) {
        // An API without workers, so that the worker processes alone do the background work; the
        // API above would relay and work the same outbox, so it stops first.
        await api.stop();
        const apiAlone = await startService('api/server.ts', { ...apiEnv, RUN_WORKERS: 'false' }, '/health', {
          unset: ['BOOTSTRAP_API_KEY'],
        });
        services.push(apiAlone);
        log(`ingest scaling: ${workerProcesses.join(', ')} worker processes`);
        result.ingest.scaling = await ingestScaling(
          apiAlone,
          ingest.plan,
          ingest.inputs,
          workerProcesses,
          (n) =>
            startWorkerProcesses({ ...apiEnv, RUN_WORKERS: 'true' }, n, { unset: ['BOOTSTRAP_API_KEY'] }),
        );
      }
    } finally {
      for (const s of services.reverse()) await s.stop();
      if (redisUrl) await deleteQueueKeys(redisUrl, queuePrefix);
    }
    if (responsive && kind === 'server') {
      log(responsiveLine);
      // As deployed on a server: an API without workers and a worker process beside it, started
      // once the API above has stopped (its relay and workers would take the import's jobs).
      const separate = await startSeparateWorkers(target, `${queuePrefix}-r`);
      try {
        result.responsive = await responsivenessSuite(separate.api, responsive.plan, responsive.inputs, {
          apiKey: BENCH_KEY,
          assetIds,
          seconds: responsiveSeconds,
          workers: 'a worker process beside the API',
        });
      } finally {
        await separate.worker.stop();
        await separate.api.stop();
        await deleteQueueKeys(redisUrl!, `${queuePrefix}-r`);
      }
    }
    if (kind === 'pglite') db = await target.open();
    await dropIngestTenants(db);
  }
  if (only.has('events')) {
    const events = await runEvents(kind, target, db);
    db = events.db;
    result.events = events.result;
  }
  await db.close();
  if (values.drop) {
    await target.drop();
    if (result.events?.metrics.some((m) => m.store === 'clickhouse'))
      await dropClickHouseDatabase(process.env.CLICKHOUSE_URL!, clickHouseDatabase());
  }
  return result;
}

const responsiveLine = `responsive: search and related from one client each, idle and during a ${responsiveAssets}-asset import`;

/** An API process that runs no workers, and one worker process (`workers/main.ts`) on the same queue. */
async function startSeparateWorkers(
  target: Target,
  queuePrefix: string,
): Promise<{ api: Service; worker: Service }> {
  const env = {
    ...target.apiEnv(),
    RATE_LIMIT_PER_MINUTE: '100000000',
    WAIT_TIMEOUT_MS: '30000',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: queuePrefix,
    DRIFT_CHECK_ON_START: 'false',
  };
  const nodeArgs = values['cpu-prof']
    ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`] }
    : {};
  const api = await startService(
    'api/server.ts',
    { ...env, LOG_LEVEL: 'warn', RUN_WORKERS: 'false' },
    '/health',
    {
      unset: ['BOOTSTRAP_API_KEY'],
      ...nodeArgs,
    },
  );
  try {
    // Its info line says it is ready.
    // One worker process (the supervisor would start one per core).
    const worker = await startService(
      'workers/main.ts',
      { ...env, LOG_LEVEL: 'info', WORKER_PROCESSES: '1' },
      '',
      {
        unset: ['BOOTSTRAP_API_KEY'],
        readyOutput: /worker ready/,
        ...nodeArgs,
      },
    );
    return { api, worker };
  } catch (err) {
    await api.stop();
    throw err;
  }
}

/** The scale's ClickHouse database: named as its Postgres bench database. */
const clickHouseDatabase = () => values.database ?? `bench_${scaleLabel(scale)}`;

/** The API process of the events suite: the bench's settings, the event log and store as told. */
function startEventsApi(
  kind: TargetKind,
  target: Target,
  setting: { redisUrl?: string; queuePrefix?: string; clickHouse?: { url: string; database: string } },
): Promise<Service> {
  return startService(
    'api/server.ts',
    {
      ...target.apiEnv(),
      RATE_LIMIT_PER_MINUTE: '100000000',
      LOG_LEVEL: 'warn',
      RUN_WORKERS: 'true',
      // The in-process queue's start-up drift check would run beside the load.
      DRIFT_CHECK_ON_START: 'false',
      DRIFT_CHECK_INTERVAL_MINUTES: '0',
      ...(setting.redisUrl ? { REDIS_URL: setting.redisUrl, QUEUE_PREFIX: setting.queuePrefix! } : {}),
      EVENT_PARTITIONS: String(eventsOptions.partitions),
      // POST /v1/events replaces user ids by the tenant's masking token, made with this key.
      MASK_KEY: 'bench-mask-key-0123456789abcdef0123456789',
      ...(setting.clickHouse
        ? { CLICKHOUSE_URL: setting.clickHouse.url, CLICKHOUSE_DATABASE: setting.clickHouse.database }
        : {}),
    },
    '/health',
    {
      unset: [
        'BOOTSTRAP_API_KEY',
        ...(setting.redisUrl ? [] : ['REDIS_URL']),
        ...(setting.clickHouse ? [] : ['CLICKHOUSE_URL', 'CLICKHOUSE_DATABASE']),
        ...(kind === 'pglite' ? ['DATABASE_URL'] : []),
      ],
      ...(values['cpu-prof'] ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`] } : {}),
    },
  );
}

/**
 * The events suite (bench/suites/events.ts): the datasets and in-process baselines first (PGlite
 * admits one process), then an API per event log (Redis Streams on the server target, then the
 * Postgres log) for the ingest rounds, then one on ClickHouse for its metrics when it is configured.
 */
async function runEvents(
  kind: TargetKind,
  target: Target,
  opened: Database,
): Promise<{ db: Database; result: EventsResult }> {
  let db = opened;
  const o = eventsOptions;
  const skipped: string[] = [];
  await apiKeyService(db).ensureBootstrapKey(MAIN_TENANT, BENCH_KEY);
  const plan = await prepareEvents(db);
  log(`events: metrics dataset of ${o.datasetEvents} events (Postgres)`);
  const pg = await preparePostgresMetrics(db, o);
  const chBase = process.env.CLICKHOUSE_URL;
  let ch: Awaited<ReturnType<typeof prepareClickHouseMetrics>> | undefined;
  if (!chBase) skipped.push('metrics on ClickHouse: CLICKHOUSE_URL is not set');
  else {
    const why = await clickHouseReachable(chBase).catch((err: unknown) => String(err));
    if (why) skipped.push(`metrics on ClickHouse: ${why}`);
    else {
      log(`events: metrics dataset of ${o.datasetEvents} events (ClickHouse)`);
      ch = await prepareClickHouseMetrics(db, chBase, clickHouseDatabase(), o);
    }
  }
  log('events: COPY baseline');
  const copy = await eventsCopyBaseline(db, o, plan.loadTenant);
  const redisUrl = kind === 'server' ? (process.env.REDIS_URL ?? 'redis://127.0.0.1:6379') : undefined;
  let xadd: Spread | undefined;
  if (redisUrl) {
    log('events: XADD baseline');
    xadd = await xaddBaseline(o, redisUrl, plan.loadTenant);
  } else skipped.push('the Redis Streams log: the embedded PGlite target runs without Redis');
  if (kind === 'pglite') await db.close();
  const result: EventsResult = {
    settings: {
      rounds: o.rounds,
      concurrency: o.concurrency,
      seconds: o.seconds,
      maxEvents: o.maxEvents,
      datasetEvents: o.datasetEvents,
      datasetLoad: o.datasetLoad,
      metricsRuns: o.metricsRuns,
      metricsConcurrency: o.metricsConcurrency,
      partitions: o.partitions,
      batch: 1_000,
      eventsWithoutAssetId: true,
    },
    ingest: [],
    metrics: [],
    skipped,
  };
  try {
    const logs: ('redis' | 'postgres')[] = redisUrl ? ['redis', 'postgres'] : ['postgres'];
    for (const logKind of logs) {
      const queuePrefix = `bench-${process.pid}-events`;
      log(`events: ingest on the ${logKind === 'redis' ? 'Redis Streams' : 'Postgres'} log`);
      const api = await startEventsApi(kind, target, logKind === 'redis' ? { redisUrl, queuePrefix } : {});
      try {
        result.ingest.push(
          await ingestRounds(
            api,
            logKind,
            plan,
            o,
            logKind === 'redis'
              ? { name: 'pipelined XADD', perSecond: xadd! }
              : { name: 'COPY into a scratch event_log', perSecond: copy },
          ),
        );
        if (logKind === logs.at(-1)) {
          log('events: GET /v1/metrics on Postgres');
          result.metrics.push({
            store: 'postgres',
            dataset: pg.dataset,
            queries: await metricsRounds(api, BENCH_KEY, new Date(pg.dataset.anchor), pg.baseline, o),
          });
        }
      } finally {
        await api.stop();
        if (logKind === 'redis') await deleteQueueKeys(redisUrl!, queuePrefix);
      }
    }
    if (ch) {
      log('events: GET /v1/metrics on ClickHouse');
      const api = await startEventsApi(kind, target, {
        clickHouse: { url: chBase!, database: clickHouseDatabase() },
      });
      try {
        result.metrics.push({
          store: 'clickhouse',
          dataset: ch.dataset,
          queries: await metricsRounds(api, BENCH_KEY, new Date(ch.dataset.anchor), ch.baseline, o),
        });
      } finally {
        await api.stop();
      }
    }
  } finally {
    if (kind === 'pglite') db = await target.open();
    await dropIngestTenants(db);
  }
  return { db, result };
}

// ---- report ----

const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const rate = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const withRange = (s: Spread, f: (x: number) => string) => `${f(s.median)} [${f(s.min)}–${f(s.max)}]`;
const lat = (l: LatencyFigure) => `${ms(l.p50.median)} / ${withRange(l.p95, ms)} / ${ms(l.p99.median)}`;

function latencyRows(rows: Record<string, Compared>, unit: string): string[] {
  const out = [
    `| case | ours p50 / p95 [min–max] / p99 ms | ours ${unit} | baseline p50 / p95 [min–max] / p99 ms | baseline ${unit} | p95 ratio (baseline / ours) |`,
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const [name, c] of Object.entries(rows)) {
    const base = c.baseline;
    out.push(
      `| ${name} | ${lat(c.ours)} | ${withRange(c.ours.perSecond, rate)} | ${base ? lat(base) : '–'} | ${
        base ? withRange(base.perSecond, rate) : '–'
      } | ${base ? `${(base.p95.median / c.ours.p95.median).toFixed(2)}×` : '–'} |`,
    );
  }
  return out;
}

function report(kind: TargetKind, r: TargetResult): string {
  const lines = [
    `### ${kind === 'server' ? 'Postgres server' : 'embedded PGlite'}: ${r.load.totalAssets} assets (${r.load.mainTenantAssets} in ${MAIN_TENANT}, the one queried)`,
    '',
  ];
  if (r.ingest) {
    const i = r.ingest;
    lines.push(
      `**Ingest** (${i.assets} assets per round, assets/s, median [min–max]): end to end ${withRange(i.endToEnd, rate)}; canonical write ${withRange(i.canonicalWrite, rate)}; baseline plain COPY into a scratch \`assets\` ${withRange(i.copyBaseline, rate)} rows/s. COPY / canonical write ${(i.copyBaseline.median / i.canonicalWrite.median).toFixed(1)}×, COPY / end to end ${(i.copyBaseline.median / i.endToEnd.median).toFixed(0)}×.${i.waitsTimedOut ? ` ${i.waitsTimedOut} waits ran out and were posted again.` : ''}${i.failedEnrichments ? ` ${i.failedEnrichments} enrichments FAILED.` : ''}${i.resent ? ` ${i.resent} batches posted again after a reset connection.` : ''}${i.serverErrors.length ? ` **${i.serverErrors.length} batches answered 5xx** and were posted again (see the JSON).` : ''}`,
      '',
    );
    if (i.scaling) {
      const one = i.scaling.find((x) => x.processes === 1)?.endToEnd.median;
      lines.push(
        `**Ingest scaling** (end to end, an API without workers and \`npm run worker\` with WORKER_PROCESSES = n, assets/s, median [min–max]; ${cpus().length} cores): ${i.scaling
          .map(
            (x) =>
              `${x.processes}: ${withRange(x.endToEnd, rate)}${one ? ` (${(x.endToEnd.median / one).toFixed(2)}×)` : ''}${x.waitsTimedOut ? `, ${x.waitsTimedOut} waits ran out` : ''}`,
          )
          .join('; ')}.`,
        '',
      );
    }
  }
  if (r.responsive) {
    const x = r.responsive;
    const p = (f: LatencyFigure) => `${ms(f.p50.median)} / ${withRange(f.p95, ms)}`;
    lines.push(
      `**Responsiveness during an import** (one client each, ${x.seconds} s per probe; the import: ${x.assets} assets into a fresh tenant, batches of 100 posted two at a time, settled by ${x.workers}, ${withRange(x.importRate, rate)} assets/s end to end)`,
      '',
      '| request | idle p50 / p95 [min–max] ms | during the import p50 / p95 [min–max] ms | p95 during / idle (target ≤ 3×) |',
      '| --- | --- | --- | --- |',
      `| GET /v1/search | ${p(x.idle.search)} | ${p(x.during.search)} | ${x.ratio.search.toFixed(2)}× |`,
      `| GET /v1/assets/{id}/related | ${p(x.idle.related)} | ${p(x.during.related)} | ${x.ratio.related.toFixed(2)}× |`,
      '',
    );
    if (x.importEndedFirst || x.failedRequests)
      lines.push(
        `${x.importEndedFirst ? `In ${x.importEndedFirst} rounds the import settled before the probes ended (a larger --responsive-assets keeps it running). ` : ''}${x.failedRequests ? `${x.failedRequests} probe requests failed.` : ''}`,
        '',
      );
  }
  if (r.search)
    lines.push('**Search** (in process, BM25 vs plain ts_rank_cd)', '', ...latencyRows(r.search, 'q/s'), '');
  if (r.related) {
    const s = r.related.supernode;
    lines.push(
      `**Related content** (in process, GraphStore.related vs a shared-entity count); largest supernode: ${s ? `${s.type} "${s.name}" on ${s.assets} assets (${(s.share * 100).toFixed(0)}%)` : 'none'}`,
      '',
      ...latencyRows(r.related.kinds, 'q/s'),
      '',
    );
  }
  if (r.http) {
    lines.push(
      `**HTTP** (concurrency ${values['http-concurrency']}, load generator in another process; baseline: a bare Fastify route)`,
      '',
      ...latencyRows(r.http.cases, 'req/s'),
      '',
    );
    const bad = Object.entries(r.http.cases).flatMap(([name, c]) =>
      Object.entries(c.statuses)
        .filter(([s]) => s !== '200')
        .map(([s, n]) => `${name}: ${n}× ${s}`),
    );
    if (bad.length) lines.push(`Non-200 answers: ${bad.join('; ')}`, '');
    const loaded = r.http.cases['GET /v1/search']?.ours;
    const alone = r.http.cases['GET /v1/search, one client']?.ours;
    const asset = r.http.cases['GET /v1/assets/{id}'];
    if (loaded && alone) {
      lines.push(
        `Search p95 at concurrency ${values['http-concurrency']} / p95 from one client: ${(loaded.p95.median / alone.p95.median).toFixed(2)}× (target ≤ 2×).` +
          (asset?.baseline
            ? ` GET /v1/assets/{id} throughput / bare Fastify: ${((100 * asset.ours.perSecond.median) / asset.baseline.perSecond.median).toFixed(0)}% (target ≥ 50%).`
            : ''),
        '',
      );
    }
  }
  if (r.events) lines.push(...eventsReport(r.events));
  if (r.memory) {
    const m = r.memory;
    lines.push(
      `**Memory** (peak RSS): API process ${mb(m.apiPeakRss)} (${mb(m.apiRssAtStart)} at start${kind === 'pglite' ? ', the database engine included' : ''}); bare Fastify ${mb(m.bareFastifyPeakRss)} (ratio ${(m.apiPeakRss / m.bareFastifyPeakRss).toFixed(1)}×); the harness ${mb(m.harnessPeakRss)}.`,
      '',
    );
  }
  return lines.join('\n');
}

const met = (ok: boolean) => (ok ? 'met' : '**missed**');

function eventsReport(e: EventsResult): string[] {
  const t = EVENTS_TARGETS;
  const lines = [
    `**Events ingest** (POST /v1/events, batches of 1,000 events without assetId, ${e.settings.concurrency} connections from a load generator in another process, ${e.settings.seconds} s per round; lag: a probe batch from its 202 until GET /v1/metrics counts it, while the load runs)`,
    '',
    '| event log | accepted events/s [min–max] | baseline, same run | events/s [min–max] | ours / baseline | request p50 / p95 ms | lag p50 / p95 [min–max] ms | API peak RSS |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const p of e.ingest) {
    lines.push(
      `| ${p.log === 'redis' ? 'Redis Streams' : 'Postgres'} | ${withRange(p.accepted, rate)} | ${p.baseline?.name ?? '–'} | ${
        p.baseline ? withRange(p.baseline.perSecond, rate) : '–'
      } | ${p.baseline ? `${((100 * p.accepted.median) / p.baseline.perSecond.median).toFixed(0)}%` : '–'} | ${ms(
        p.batchP50.median,
      )} / ${ms(p.batchP95.median)} | ${ms(p.lag.p50.median)} / ${withRange(p.lag.p95, ms)} | ${mb(p.apiPeakRss)} |`,
    );
  }
  lines.push('');
  const redis = e.ingest.find((p) => p.log === 'redis');
  const notes = e.ingest.flatMap((p) => [
    ...(p.lag.timedOut ? [`${p.log}: ${p.lag.timedOut} probes not counted within 2 minutes`] : []),
    ...(p.rejected ? [`${p.log}: ${p.rejected} events rejected`] : []),
    ...(Object.keys(p.statuses).some((s) => s !== '202')
      ? [`${p.log}: answers ${JSON.stringify(p.statuses)}; first failure: ${p.firstError}`]
      : []),
  ]);
  if (notes.length) lines.push(notes.join('; ') + '.', '');
  lines.push(
    `Targets (reported, never enforced): ≥ ${t.acceptedPerSecondRedis.toLocaleString('en')} events/s accepted with Redis: ${
      redis
        ? `${rate(redis.accepted.median)}, ${met(redis.accepted.median >= t.acceptedPerSecondRedis)}`
        : 'not run'
    }; lag p95 ≤ ${t.lagP95Ms / 1000} s: ${e.ingest.map((p) => `${p.log} ${ms(p.lag.p95.median)} ms, ${met(p.lag.p95.median <= t.lagP95Ms)}`).join(', ')}; API RSS < 1 GiB: ${e.ingest
      .map((p) => `${p.log} ${mb(p.apiPeakRss)}, ${met(p.apiPeakRss < t.apiRssBytes)}`)
      .join(', ')}.`,
    '',
  );
  for (const m of e.metrics) {
    lines.push(
      `**GET /v1/metrics on ${m.store === 'postgres' ? 'Postgres' : 'ClickHouse'}** over ${m.dataset.events.toLocaleString('en')} events (loaded by ${m.dataset.method}; concurrency ${e.settings.metricsConcurrency}; baseline: plain \`count(*) … GROUP BY day\` of views over the raw table, in process)`,
      '',
      ...latencyRows(m.queries, 'req/s'),
      '',
      `Target metrics p95 ≤ ${t.metricsP95Ms} ms: ${Object.entries(m.queries)
        .map(([name, q]) => `${name} ${met(q.ours.p95.median <= t.metricsP95Ms)}`)
        .join(', ')}.`,
      '',
    );
  }
  if (e.skipped.length) lines.push(`Not run: ${e.skipped.join('; ')}.`, '');
  return lines;
}

async function main(): Promise<void> {
  const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`;
  const loadBefore = loadavg();
  const started = new Date();
  const targets: Partial<Record<TargetKind, TargetResult>> = {};
  for (const kind of kinds) targets[kind] = await runTarget(kind);
  const result: BenchResult = {
    date: started.toISOString(),
    command,
    scale,
    quick,
    settings: {
      rounds,
      runs,
      baselineRuns,
      httpRequests,
      httpSeconds,
      ingestAssets,
      responsiveAssets,
      responsiveSeconds,
      responsiveRounds,
    },
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      memoryBytes: totalmem(),
      node: process.version,
      loadAverageBefore: loadBefore,
      loadAverageAfter: loadavg(),
    },
    targets,
  };
  const text = [
    `## ${scaleLabel(scale)} (${started.toISOString().slice(0, 16).replace('T', ' ')} UTC)`,
    '',
    `\`${command}\` — ${cpus().length} cores, load average ${loadBefore.map((x) => x.toFixed(1)).join(' ')} before, ${result.machine.loadAverageAfter.map((x) => x.toFixed(1)).join(' ')} after; ${rounds} rounds, figures are medians [min–max] over rounds.`,
    '',
    ...kinds.map((k) => report(k, targets[k]!)),
  ].join('\n');
  console.log(text);
  mkdirSync(values.out, { recursive: true });
  const file = join(
    values.out,
    // A partial run (a load, one database, some suites) never overwrites the day's full results.
    `${started.toISOString().slice(0, 10)}-${scaleLabel(scale)}${values.db === 'server' ? '' : `-${values.db}`}${values['load-only'] ? '-load' : ''}${quick ? '-quick' : ''}${values.only ? `-${[...only].join('+')}` : ''}.json`,
  );
  writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  log(`wrote ${file}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
