import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Container } from '../../runtime/container.js';
import { serveMetrics, type MetricsServer } from '../../workers/metrics-server.js';
import { createApiContainer } from '../support/app.js';
import { cloneTemplateDatabase, type ClonedDatabase } from '../support/database.js';
import { anAssetInput } from '../support/factories.js';
import { freePort, killProcess, spawnService, waitFor } from '../support/processes.js';

// A worker process's /metrics (workers/metrics-server.ts): the server on a loopback port, then a
// real worker process serving the jobs it ran, which the API process never sees.

const redisUrl = inject('redisUrl');
const runnable = Boolean(inject('postgresUrl') && redisUrl);
if (!runnable) console.info('worker metrics process suite SKIPPED: it needs a Postgres server and Redis');

describe("a worker process's metrics endpoint", () => {
  let server: MetricsServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('serves the exposition at GET /metrics and nothing else', async () => {
    server = await serveMetrics(() => Promise.resolve('mdisc_assets_in_flight 3\n'), {
      port: 0,
      host: '127.0.0.1',
    });
    const base = `http://127.0.0.1:${server.port}`;
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await res.text()).toBe('mdisc_assets_in_flight 3\n');
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('answers 500 when the metrics cannot be read, and keeps serving', async () => {
    let fail = true;
    server = await serveMetrics(
      () => (fail ? Promise.reject(new Error('db away')) : Promise.resolve('ok\n')),
      {
        port: 0,
        host: '127.0.0.1',
      },
    );
    const url = `http://127.0.0.1:${server.port}/metrics`;
    expect((await fetch(url)).status).toBe(500);
    fail = false;
    expect((await fetch(url)).status).toBe(200);
  });

  it('refuses to start on a port already taken', async () => {
    server = await serveMetrics(() => Promise.resolve(''), { port: 0, host: '127.0.0.1' });
    await expect(
      serveMetrics(() => Promise.resolve(''), { port: server.port, host: '127.0.0.1' }),
    ).rejects.toThrow(/EADDRINUSE/);
  });
});

describe.skipIf(!runnable)('a worker process started with METRICS_PORT', () => {
  const prefix = `metrics-${randomBytes(4).toString('hex')}`;
  let database: ClonedDatabase;
  let api: Container;
  let worker: ChildProcess | undefined;

  beforeAll(async () => {
    database = await cloneTemplateDatabase();
    api = await createApiContainer(database.url, redisUrl!, prefix);
  }, 60_000);

  afterAll(async () => {
    if (worker) await killProcess(worker);
    await api?.close();
    await database?.drop();
  });

  it('serves the jobs it ran on its own /metrics, and stops serving on SIGTERM', async () => {
    const port = await freePort();
    worker = spawnService('workers/worker-process.ts', {
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl!,
      QUEUE_PREFIX: prefix,
      OUTBOX_POLL_MS: '50',
      LOG_LEVEL: 'silent',
      HOST: '127.0.0.1',
      METRICS_PORT: String(port),
    });
    const scrape = async () => {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`).catch(() => null);
      return res?.ok ? (await res.text()).split('\n') : null;
    };
    await api.ingest.ingest({ tenantId: 'default', actor: 'test' }, [anAssetInput(), anAssetInput()]);
    const lines = await waitFor(
      'the worker to count both assets projected',
      async () => {
        const l = await scrape();
        return l?.includes('mdisc_job_assets_total{job_name="project-assets",outcome="done"} 2') ? l : null;
      },
      { timeoutMs: 90_000, intervalMs: 250 },
    );
    expect(lines).toContain('mdisc_job_assets_total{job_name="enrich-assets",outcome="done"} 2');
    expect(lines).toContain('mdisc_projection_lag_seconds_count 2');
    // The scrape-time gauges are read from the shared database and queue, as the API reads them.
    expect(lines).toContain('mdisc_assets_in_flight 0');
    // The API process ran none of it: without the worker's target these counts are nowhere.
    expect((await api.system.metricsText()).split('\n')).toContain(
      'mdisc_job_assets_total{job_name="enrich-assets",outcome="done"} 0',
    );

    const exited = new Promise<number | null>((resolve) => worker!.once('exit', (code) => resolve(code)));
    worker.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(await scrape()).toBeNull();
  }, 120_000);
});
