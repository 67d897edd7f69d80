import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { loadConfig } from '../../runtime/config.js';
import { createContainer, type Container } from '../../runtime/container.js';
import { cloneTemplateDatabase, type ClonedDatabase } from '../support/database.js';
import { anAssetInput } from '../support/factories.js';
import { freePort, killProcess, RedisServer, spawnService, waitFor } from '../support/processes.js';
import { SEMANTIC_OFF } from '../support/app.js';

const runnable = Boolean(inject('postgresUrl')) && RedisServer.available();
if (!runnable)
  console.info(
    'load-with-faults suite SKIPPED: it needs a Postgres server (the API and worker processes share it by URL) and a redis-server binary to kill',
  );

/** How long the load runs; LOAD_FAULTS_SECONDS=600 for a longer local run. */
const SECONDS = Number(process.env.LOAD_FAULTS_SECONDS ?? 120);
const LOCK_MS = 2_000;
/** After a fault is over, latencies are still counted as the fault's for this long. */
const SETTLE_MS = 10_000;
const DRAIN_TIMEOUT_MS = 120_000;
/**
 * The stated bound: outside the fault windows, search p95 stays under 3 s or five times the p95 of
 * the warm-up before any fault, whichever is larger. Generous on purpose: the machine has two cores
 * shared by the API, the worker, Postgres, Redis and this test, and by other work.
 */
const p95Bound = (warmUp: number) => Math.max(3_000, 5 * warmUp);
const WORDS = ['kelp', 'coral', 'glacier', 'volcano', 'desert', 'savanna', 'tundra', 'estuary'];

interface Window {
  fault: string;
  from: number;
  to: number;
  /** Outbox events waiting when the fault ended: proof that it held work back. */
  backlog: number;
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
const p95 = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? 0;
};

/**
 * Fault 6 of issue 9: the API and a worker as separate processes on loopback, under a bounded load
 * of batch ingests, edits (If-Match) and searches, while the worker is SIGKILLed and restarted and
 * Redis is killed and restarted. Every acknowledged write must be in Postgres and, once the backlog
 * drains, in both projections; a request that fails during a fault fails cleanly.
 */
describe.skipIf(!runnable)('load with faults', () => {
  const prefix = `load-${randomBytes(4).toString('hex')}`;
  const apiKey = `load-faults-${randomBytes(12).toString('hex')}`;
  let database: ClonedDatabase;
  let redis: RedisServer;
  let api: ChildProcess;
  let baseUrl: string;
  let container: Container;
  const workers: ChildProcess[] = [];
  const apiErrors: string[] = [];
  /** Processes that exited without the test killing them. */
  const crashes: string[] = [];
  const killed = new Set<ChildProcess>();
  const watch = (name: string, child: ChildProcess) =>
    child.once('exit', (code, signal) => {
      if (!killed.has(child)) crashes.push(`${name} exited (${code ?? signal})`);
    });
  const kill = (child: ChildProcess) => {
    killed.add(child);
    return killProcess(child);
  };

  const startWorker = () => {
    const child = spawnService('workers/worker-process.ts', {
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: prefix,
      QUEUE_LOCK_MS: String(LOCK_MS),
      WORKER_CONCURRENCY: '4',
      OUTBOX_POLL_MS: '100',
      JOB_BACKOFF_MS: '200',
      LOG_LEVEL: 'silent',
    });
    workers.push(child);
    watch('a worker', child);
    return child;
  };

  beforeAll(async () => {
    database = await cloneTemplateDatabase();
    // Persistent, as BullMQ needs in production: killed, it comes back with the jobs it had accepted.
    redis = await RedisServer.start({ persistent: true });
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    api = spawnService(
      'api/server.ts',
      {
        DATABASE_URL: database.url,
        REDIS_URL: redis.url,
        QUEUE_PREFIX: prefix,
        RUN_WORKERS: 'false',
        HOST: '127.0.0.1',
        PORT: String(port),
        BOOTSTRAP_API_KEY: apiKey,
        RATE_LIMIT_PER_MINUTE: '1000000',
        LOG_LEVEL: 'error',
      },
      ['ignore', 'pipe', 'inherit'],
    );
    watch('the API', api);
    // Errors the API logs are shown when a request failed uncleanly.
    createInterface({ input: api.stdout! }).on('line', (line) => {
      if (apiErrors.length < 20) apiErrors.push(line.slice(0, 2_000));
    });
    await waitFor(
      'the API to answer /health',
      async () => (await fetch(`${baseUrl}/health`).catch(() => null))?.ok,
      {
        timeoutMs: 60_000,
      },
    );
    startWorker();
    // The test's own view of the database, for the checks at the end.
    container = await createContainer(
      loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: database.url, ...SEMANTIC_OFF }),
    );
  }, 90_000);

  afterAll(async () => {
    await Promise.all([...workers, ...(api ? [api] : [])].map(kill));
    await container?.close();
    await redis?.remove();
    await database?.drop();
  });

  it(
    'keeps every acknowledged write, drains to zero drift, and fails cleanly during faults',
    async () => {
      const t0 = performance.now();
      const now = () => performance.now() - t0;
      const duration = SECONDS * 1_000;
      const windows: Window[] = [];
      const searches: { at: number; ms: number }[] = [];
      const statuses: Record<string, number> = {};
      const unclean: string[] = [];
      /** Acknowledged assets and the version each was acknowledged at. */
      const ingested = new Map<string, number>();
      const ingestedAt: number[] = [];
      /** The newest acknowledged edit of each asset. */
      const edits = new Map<string, { version: number; title: string }>();

      /** One request; anything but a success or a clean refusal is recorded as unclean. */
      const call = async (method: string, path: string, body?: unknown, ifMatch?: string) => {
        const started = performance.now();
        try {
          const res = await fetch(`${baseUrl}${path}`, {
            method,
            headers: {
              authorization: `Bearer ${apiKey}`,
              ...(body === undefined ? {} : { 'content-type': 'application/json' }),
              ...(ifMatch ? { 'if-match': ifMatch } : {}),
            },
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
            signal: AbortSignal.timeout(60_000),
          });
          const text = await res.text();
          const kind = `${method} ${path.split('?')[0]!.replace(/[0-9a-f-]{36}/, ':id')} ${res.status}`;
          statuses[kind] = (statuses[kind] ?? 0) + 1;
          const problem = res.headers.get('content-type')?.startsWith('application/problem+json');
          const clean =
            res.ok ||
            (res.status === 412 && problem) ||
            ((res.status === 503 || res.status === 429) && problem && res.headers.has('retry-after'));
          if (!clean) unclean.push(`${kind} at ${Math.round(now())} ms: ${text.slice(0, 300)}`);
          return {
            status: res.status,
            body: (text && res.headers.get('content-type')?.includes('json')
              ? JSON.parse(text)
              : null) as unknown,
            ms: performance.now() - started,
          };
        } catch (err) {
          unclean.push(`${method} ${path} at ${Math.round(now())} ms: ${(err as Error).message}`);
          return { status: 0, body: null, ms: performance.now() - started };
        }
      };

      const ingester = async () => {
        for (let n = 0; now() < duration; n++) {
          const word = pick(WORDS);
          const res = await call('POST', '/v1/assets/batch', {
            assets: Array.from({ length: 4 }, (_, i) =>
              anAssetInput({
                title: `${word} field survey ${n}.${i}`,
                description:
                  `Observers log ${word} conditions, ${pick(WORDS)} edges and weather at site ${n}. `.repeat(
                    5,
                  ),
              }),
            ),
          });
          if (res.status === 201) {
            for (const { asset } of (res.body as { items: { asset: { id: string; version: number } }[] })
              .items)
              ingested.set(asset.id, asset.version);
            ingestedAt.push(now());
          }
          await sleep(400);
        }
      };
      const editor = async (name: string) => {
        for (let n = 0; now() < duration; n++) {
          await sleep(400);
          if (ingested.size === 0) continue;
          const id = pick([...ingested.keys()]);
          const current = await call('GET', `/v1/assets/${id}`);
          if (current.status !== 200) continue;
          const based = (current.body as { version: number }).version;
          const title = `${pick(WORDS)} survey revised by ${name} ${n}`;
          const res = await call('PATCH', `/v1/assets/${id}`, { title }, `"${based}"`);
          if (res.status === 200) {
            const version = (res.body as { version: number }).version;
            if (version > (edits.get(id)?.version ?? 0)) edits.set(id, { version, title });
          }
        }
      };
      const searcher = async () => {
        while (now() < duration) {
          const at = now();
          const res = await call('GET', `/v1/search?q=${pick(WORDS)}&limit=10`);
          if (res.status === 200) searches.push({ at, ms: res.ms });
          await sleep(100);
        }
      };
      /**
       * Starts a fault at `at` (a share of the time after the warm-up), ends it `lengthMs` later, and
       * records its window.
       */
      const warmUpEnd = Math.max(15_000, duration * 0.2);
      const fault = async (
        name: string,
        at: number,
        lengthMs: number,
        start: () => Promise<void>,
        end: () => Promise<void>,
      ) => {
        await sleep(Math.max(0, warmUpEnd + (duration - warmUpEnd) * at - now()));
        const from = now();
        await start();
        await sleep(lengthMs);
        const [{ backlog }] = (await container.db.query<{ backlog: number }>(
          'SELECT count(*)::int AS backlog FROM outbox WHERE dispatched_at IS NULL',
        )) as [{ backlog: number }];
        await end();
        windows.push({ fault: name, from, to: now() + SETTLE_MS, backlog });
      };
      const faults = async () => {
        let worker = workers[workers.length - 1]!;
        const killWorker = () => kill(worker);
        const restartWorker = () => {
          worker = startWorker();
          return Promise.resolve();
        };
        await fault('worker SIGKILL', 0.1, 5_000, killWorker, restartWorker);
        await fault(
          'Redis killed',
          0.4,
          10_000,
          () => redis.kill(),
          () => redis.start(),
        );
        await fault('worker SIGKILL', 0.7, 5_000, killWorker, restartWorker);
      };

      await Promise.all([ingester(), editor('a'), editor('b'), searcher(), searcher(), faults()]);
      const loadEnd = now();

      // The backlog drains: nothing left in the outbox, every asset enriched, both projections level.
      const backlog = async () => {
        const [row] = await container.db.query<{ pending: number; unsettled: number }>(
          `SELECT (SELECT count(*)::int FROM outbox WHERE dispatched_at IS NULL) AS pending,
                  (SELECT count(*)::int FROM assets WHERE status <> 'PROCESSED') AS unsettled`,
        );
        const drift = await container.drift.check({ graceMs: 0 });
        return { ...row!, drift: drift.total };
      };
      await expect
        .poll(backlog, { timeout: DRAIN_TIMEOUT_MS, interval: 1_000 })
        .toEqual({ pending: 0, unsettled: 0, drift: 0 });
      const drained = now() - loadEnd;

      const inFault = (at: number) => windows.some((w) => at >= w.from && at <= w.to);
      const warm = searches.filter((s) => s.at >= 5_000 && s.at < warmUpEnd).map((s) => s.ms);
      const outside = searches.filter((s) => s.at >= warmUpEnd && !inFault(s.at)).map((s) => s.ms);
      const during = searches.filter((s) => inFault(s.at)).map((s) => s.ms);
      const redisWindow = windows.find((w) => w.fault === 'Redis killed')!;
      console.info(
        [
          `load with faults over ${SECONDS} s: ${ingested.size} assets and ${edits.size} edited assets acknowledged, ${searches.length} searches`,
          `search p95: warm-up ${Math.round(p95(warm))} ms (${warm.length}), outside faults ${Math.round(p95(outside))} ms (${outside.length}), during faults ${Math.round(p95(during))} ms (${during.length}); bound ${Math.round(p95Bound(p95(warm)))} ms`,
          `backlog drained ${Math.round(drained / 1_000)} s after the load ended`,
          `fault windows: ${windows.map((w) => `${w.fault} ${Math.round(w.from / 1_000)}–${Math.round(w.to / 1_000)} s (outbox ${w.backlog})`).join(', ')}`,
          `answers: ${JSON.stringify(statuses)}`,
        ].join('\n'),
      );

      if (unclean.length > 0) console.error(`API errors:\n${apiErrors.join('\n')}`);
      expect(unclean).toEqual([]);
      expect(crashes).toEqual([]);
      expect(windows.filter((w) => w.backlog === 0)).toEqual([]);
      // Ingest went on while Redis was down: the events waited in the outbox.
      expect(
        ingestedAt.filter((at) => at >= redisWindow.from && at <= redisWindow.to - SETTLE_MS).length,
      ).toBeGreaterThan(0);

      // Every acknowledged write is in Postgres, at its acknowledged version or a later one.
      const rows = await container.db.query<{ id: string; version: number; title: string }>(
        `SELECT id, version, title FROM assets WHERE tenant_id = 'default'`,
      );
      const stored = new Map(rows.map((r) => [r.id, r]));
      const lost = [...ingested].filter(([id, version]) => (stored.get(id)?.version ?? 0) < version);
      expect(lost).toEqual([]);
      const lostEdits = [...edits].filter(
        ([id, edit]) => (stored.get(id)?.version ?? 0) < edit.version || stored.get(id)?.title !== edit.title,
      );
      expect(lostEdits).toEqual([]);

      expect(outside.length).toBeGreaterThan(50);
      expect(p95(outside)).toBeLessThanOrEqual(p95Bound(p95(warm)));
    },
    SECONDS * 1_000 + DRAIN_TIMEOUT_MS + 60_000,
  );
});
