import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { loadConfig } from '../../runtime/config.js';
import { createContainer, type Container } from '../../runtime/container.js';
import { BullMqQueue } from '../../workers/queue/bullmq-queue.js';
import { withDatabase } from '../support/global-setup.js';
import { anAssetInput } from '../support/factories.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const postgresUrl = inject('postgresUrl');
const template = inject('postgresTemplate');
const redisUrl = inject('redisUrl');
const runnable = Boolean(postgresUrl && template && redisUrl);
if (!runnable) console.info('worker-crash suite SKIPPED: it needs a Postgres server and Redis');

const ASSETS = 240;
const LOCK_MS = 1_500;

/**
 * Fault 1 of issue 9: a worker process killed (SIGKILL) in the middle of enrichment. A worker
 * started after it takes the dead one's jobs up once their lease runs out; in the end every asset is
 * enriched exactly once and projected, and none is left in PROCESSING.
 */
describe.skipIf(!runnable)('a worker process killed mid-job', () => {
  const name = `${template}_crash_${randomBytes(4).toString('hex')}`;
  const prefix = `crash-${randomBytes(4).toString('hex')}`;
  let databaseUrl: string;
  let container: Container;
  const workers: ChildProcess[] = [];

  const startWorker = () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: databaseUrl,
        REDIS_URL: redisUrl!,
        QUEUE_PREFIX: prefix,
        QUEUE_LOCK_MS: String(LOCK_MS),
        WORKER_CONCURRENCY: '2',
        OUTBOX_POLL_MS: '50',
        LOG_LEVEL: 'silent',
      },
      stdio: 'ignore',
    });
    workers.push(child);
    return child;
  };
  const statuses = async () => {
    const rows = await container.db.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM assets WHERE tenant_id = 'crash' GROUP BY status`,
    );
    return Object.fromEntries(rows.map((r) => [r.status, r.n])) as Record<string, number>;
  };

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: postgresUrl! });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    await admin.end();
    databaseUrl = withDatabase(postgresUrl!, name);
    // The API side: it ingests; the workers run in child processes only.
    container = await createContainer(
      loadConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        DATABASE_URL: databaseUrl,
        REDIS_URL: redisUrl!,
        QUEUE_PREFIX: prefix,
        RUN_WORKERS: 'false',
      }),
    );
  }, 60_000);

  afterAll(async () => {
    for (const w of workers) w.kill('SIGKILL');
    if (container) {
      if (container.queue instanceof BullMqQueue) await container.queue.obliterate();
      await container.close();
    }
    const admin = new pg.Client({ connectionString: postgresUrl! });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  it('loses nothing, applies nothing twice, and leaves nothing in PROCESSING', async () => {
    await container.apiKeys.create({ tenantId: 'crash', name: 'test', role: 'ADMIN' });
    const ingested = await container.ingest.ingest(
      { tenantId: 'crash', actor: 'test' },
      Array.from({ length: ASSETS }, (_, i) =>
        anAssetInput({
          title: `Kelp forest survey ${i}`,
          description: `Divers count urchins, otters and kelp stipes along transect ${i}. `.repeat(20),
        }),
      ),
    );
    const ids = ingested.map((r) => r.asset.id);

    // Killed once some assets are enriched and others are not: jobs are in its hands.
    const first = startWorker();
    for (let i = 0; i < 600; i++) {
      if (((await statuses()).PROCESSED ?? 0) >= 20) break;
      await sleep(50);
    }
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const atKill = await statuses();
    console.info(`worker killed with assets ${JSON.stringify(atKill)}`);
    expect(atKill.PROCESSED ?? 0).toBeLessThan(ASSETS);

    startWorker();
    let now = atKill;
    for (let i = 0; i < 1_200 && (now.PROCESSED ?? 0) < ASSETS; i++) {
      await sleep(100);
      now = await statuses();
    }
    expect(now).toEqual({ PROCESSED: ASSETS });

    // Each asset enriched exactly once: one ENRICHMENT version, at version 2.
    const enrichments = await container.db.query<{ asset_id: string; n: number }>(
      `SELECT asset_id, count(*)::int AS n FROM asset_versions
       WHERE tenant_id = 'crash' AND change_kind = 'ENRICHMENT' GROUP BY asset_id`,
    );
    expect(enrichments).toHaveLength(ASSETS);
    expect(enrichments.every((e) => e.n === 1)).toBe(true);

    // And projected at that version, in search and in the graph.
    for (let i = 0; i < 300; i++) {
      const [inSearch, inGraph] = await Promise.all([
        container.search.projectedVersions('crash', ids),
        container.graph.projectedVersions('crash', ids),
      ]);
      const done = ids.every((id) => inSearch.get(id) === 2 && inGraph.get(id) === 2);
      if (done || i === 299) {
        expect(ids.filter((id) => inSearch.get(id) !== 2 || inGraph.get(id) !== 2)).toEqual([]);
        break;
      }
      await sleep(100);
    }
  }, 180_000);
});
