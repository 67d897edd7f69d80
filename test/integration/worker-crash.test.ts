import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import type { Container } from '../../runtime/container.js';
import { BullMqQueue } from '../../queue/bullmq-queue.js';
import { createApiContainer } from '../support/app.js';
import { cloneTemplateDatabase, type ClonedDatabase } from '../support/database.js';
import { anAssetInput } from '../support/factories.js';
import { killProcess, spawnService } from '../support/processes.js';

const redisUrl = inject('redisUrl');
const runnable = Boolean(inject('postgresUrl') && redisUrl);
if (!runnable) console.info('worker-crash suite SKIPPED: it needs a Postgres server and Redis');

const ASSETS = 240;
const LOCK_MS = 1_500;

/**
 * Fault 1 of issue 9: a worker process killed (SIGKILL) in the middle of enrichment, and in the
 * middle of projection. A worker started after it takes the dead one's jobs up once their lease runs
 * out; in the end every asset is enriched exactly once and projected at its newest version, and none
 * is left in PROCESSING.
 */
describe.skipIf(!runnable)('a worker process killed mid-job', () => {
  const prefix = `crash-${randomBytes(4).toString('hex')}`;
  let database: ClonedDatabase;
  let container: Container;
  const workers: ChildProcess[] = [];

  const startWorker = () => {
    const child = spawnService('workers/worker-process.ts', {
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl!,
      QUEUE_PREFIX: prefix,
      QUEUE_LOCK_MS: String(LOCK_MS),
      WORKER_CONCURRENCY: '2',
      OUTBOX_POLL_MS: '50',
      LOG_LEVEL: 'silent',
    });
    workers.push(child);
    return child;
  };
  const statuses = async (tenantId: string) => {
    const rows = await container.db.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM assets WHERE tenant_id = $1 GROUP BY status`,
      [tenantId],
    );
    return Object.fromEntries(rows.map((r) => [r.status, r.n])) as Record<string, number>;
  };
  const ingest = async (tenantId: string, count: number) => {
    await container.apiKeys.create({ tenantId, name: 'test', role: 'ADMIN' });
    const ingested = await container.ingest.ingest(
      { tenantId, actor: 'test' },
      Array.from({ length: count }, (_, i) =>
        anAssetInput({
          title: `Kelp forest survey ${i}`,
          description: `Divers count urchins, otters and kelp stipes along transect ${i}. `.repeat(20),
        }),
      ),
    );
    return ingested.map((r) => r.asset.id);
  };
  /** The assets search and the graph do not both hold at `version`. */
  const unprojected = async (tenantId: string, ids: string[], version: number) => {
    const [inSearch, inGraph] = await Promise.all([
      container.search.projectedVersions(tenantId, ids),
      container.graph.projectedVersions(tenantId, ids),
    ]);
    return ids.filter((id) => inSearch.get(id) !== version || inGraph.get(id) !== version);
  };

  beforeAll(async () => {
    database = await cloneTemplateDatabase();
    // The API side: it ingests; the workers run in child processes only.
    container = await createApiContainer(database.url, redisUrl!, prefix);
  }, 60_000);

  afterAll(async () => {
    for (const w of workers) w.kill('SIGKILL');
    if (container) {
      if (container.queue instanceof BullMqQueue) await container.queue.obliterate();
      await container.close();
    }
    await database?.drop();
  });

  it('during enrichment: loses nothing, applies nothing twice, and leaves nothing in PROCESSING', async () => {
    const ids = await ingest('crash', ASSETS);

    // Killed once some assets are enriched and others are not: jobs are in its hands.
    const first = startWorker();
    await expect
      .poll(async () => (await statuses('crash')).PROCESSED ?? 0, { timeout: 30_000, interval: 50 })
      .toBeGreaterThanOrEqual(20);
    await killProcess(first);
    const atKill = await statuses('crash');
    console.info(`worker killed with assets ${JSON.stringify(atKill)}`);
    expect(atKill.PROCESSED ?? 0).toBeLessThan(ASSETS);

    startWorker();
    await expect
      .poll(() => statuses('crash'), { timeout: 120_000, interval: 100 })
      .toEqual({ PROCESSED: ASSETS });

    // Each asset enriched exactly once: one ENRICHMENT version, at version 2.
    const enrichments = await container.db.query<{ asset_id: string; n: number }>(
      `SELECT asset_id, count(*)::int AS n FROM asset_versions
       WHERE tenant_id = 'crash' AND change_kind = 'ENRICHMENT' GROUP BY asset_id`,
    );
    expect(enrichments).toHaveLength(ASSETS);
    expect(enrichments.every((e) => e.n === 1)).toBe(true);

    // And projected at that version, in search and in the graph.
    await expect.poll(() => unprojected('crash', ids, 2), { timeout: 30_000, interval: 100 }).toEqual([]);
  }, 180_000);

  it('during projection: the next worker projects every asset at its newest version', async () => {
    const ids = await ingest('projkill', 40);
    // A session of the test's own holds search writes back: the projection job (one batch job for
    // the ingest batch) writes the graph, then waits on the search index, half done, until the
    // worker holding it is killed.
    const blocker = new pg.Client({ connectionString: database.url });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE search_documents IN SHARE MODE');
    try {
      const first = startWorker();
      await expect
        .poll(
          async () => {
            const [waiting] = await container.db.query<{ n: number }>(
              `SELECT count(*)::int AS n FROM pg_stat_activity
               WHERE datname = current_database() AND wait_event_type = 'Lock'`,
            );
            return waiting!.n;
          },
          { timeout: 60_000, interval: 100 },
        )
        .toBeGreaterThanOrEqual(1);
      await killProcess(first);
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
    const inSearch = await container.search.projectedVersions('projkill', ids);
    const inGraph = await container.graph.projectedVersions('projkill', ids);
    console.info(
      `worker killed mid-projection: ${inGraph.size} assets in the graph, ${inSearch.size} in search`,
    );
    expect(inSearch.size).toBeLessThan(ids.length);

    startWorker();
    await expect.poll(() => unprojected('projkill', ids, 2), { timeout: 60_000, interval: 100 }).toEqual([]);
    expect(await statuses('projkill')).toEqual({ PROCESSED: ids.length });
    const drift = await container.drift.check({ tenants: ['projkill'], graceMs: 0 });
    expect(drift.total).toBe(0);
  }, 120_000);
});
