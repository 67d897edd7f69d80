import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { inject } from 'vitest';
import { buildApp } from '../../api/app.js';
import type { Role } from '../../domain/permissions.js';
import { loadConfig } from '../../runtime/config.js';
import {
  createContainer,
  type Container,
  type ContainerOverrides,
  type Logger,
} from '../../runtime/container.js';
import { BullMqQueue } from '../../queue/bullmq-queue.js';
import { createTestDatabase } from './database.js';

export type QueueBackend = 'in-process' | 'bullmq';

export interface TestApp {
  app: FastifyInstance;
  container: Container;
  /** Creates an API key for a tenant with a role and returns its bearer header. */
  keyFor(tenantId: string, role: Role): Promise<{ authorization: string }>;
  close(): Promise<void>;
}

/**
 * The API side of a test whose workers run in processes of their own: a container on a Postgres
 * server and Redis that ingests and runs no workers.
 */
/** Suites search lexically and embed nothing unless they set these; a model is never loaded. */
export const SEMANTIC_OFF = { SEARCH_MODE: 'lexical', SEMANTIC_SEARCH: 'false', EMBEDDING_MODEL: 'hashing' };

export function createApiContainer(
  databaseUrl: string,
  redisUrl: string,
  queuePrefix: string,
): Promise<Container> {
  return createContainer(
    loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: queuePrefix,
      RUN_WORKERS: 'false',
      ...SEMANTIC_OFF,
    }),
  );
}

/** The whole service on a database of its own, with workers running, not listening on a port. */
export async function createTestApp(
  options: {
    queue?: QueueBackend;
    env?: Record<string, string>;
    workers?: boolean;
    log?: Logger;
    extract?: ContainerOverrides['extract'];
    /** An analytics store (test/support/fakes.ts has one in memory). */
    analytics?: ContainerOverrides['analytics'];
    /** A Postgres server of the suite's own (migrated on start) instead of a database per suite. */
    databaseUrl?: string;
    /**
     * Embedded PGlite in this directory (migrated on start) instead of a database per suite, so
     * that an app built after this one closed opens the same database: a restart.
     */
    dataDir?: string;
    /** The database per suite on this backend (default: the server when there is one, see backendName). */
    backend?: 'postgres' | 'pglite';
    /** The app's logger (Fastify's request lines); none by default. */
    logger?: FastifyServerOptions['loggerInstance'];
  } = {},
): Promise<TestApp> {
  const queue = options.queue ?? 'in-process';
  const redisUrl = inject('redisUrl');
  if (queue === 'bullmq' && !redisUrl) throw new Error('bullmq requested but no Redis is available');
  const prefix = `test-${randomUUID().slice(0, 8)}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    OUTBOX_POLL_MS: '50',
    WAIT_TIMEOUT_MS: '60000',
    // Suites poll; the rate-limit suite sets its own.
    RATE_LIMIT_PER_MINUTE: '1000000',
    // Drift checks run when a suite asks for them (the embedded default runs one at start).
    DRIFT_CHECK_ON_START: 'false',
    DRIFT_CHECK_INTERVAL_MINUTES: '0',
    // Extraction in line unless a suite asks for threads (EXTRACTION_THREADS in `env`): a thread
    // pool per suite's app would only slow a busy machine's test run.
    EXTRACTION_THREADS: '0',
    // Lexical, without embeddings, unless a suite asks (the semantic suites do, with the hashing model).
    ...SEMANTIC_OFF,
    ...(queue === 'bullmq' ? { REDIS_URL: redisUrl!, QUEUE_PREFIX: prefix } : {}),
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    ...(options.dataDir ? { DATA_DIR: options.dataDir } : {}),
    ...options.env,
  });
  const container = await createContainer(config, {
    ...(options.databaseUrl || options.dataDir
      ? {}
      : { db: await createTestDatabase(['default'], options.backend ? { backend: options.backend } : {}) }),
    ...(options.log ? { log: options.log } : {}),
    ...(options.extract ? { extract: options.extract } : {}),
    ...(options.analytics ? { analytics: options.analytics } : {}),
  });
  const app = await buildApp(container, options.logger ? { loggerInstance: options.logger } : undefined);
  if (options.workers ?? true) await container.startWorkers();
  return {
    app,
    container,
    async keyFor(tenantId, role) {
      const { secret } = await container.apiKeys.create({ tenantId, name: `test-${role}`, role });
      return { authorization: `Bearer ${secret}` };
    },
    async close() {
      await app.close();
      if (container.queue instanceof BullMqQueue) await container.queue.obliterate();
      await container.close();
    },
  };
}

/**
 * Ingests named assets in one batch, answering once all are searchable and related, and returns
 * their ids by name.
 */
export async function ingestNamed<K extends string>(
  t: TestApp,
  headers: { authorization: string },
  assets: Record<K, object>,
): Promise<Record<K, string>> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/assets/batch?wait=true',
    headers,
    payload: { assets: Object.values(assets) },
  });
  if (res.statusCode !== 201) throw new Error(`batch ingest answered ${res.statusCode}: ${res.body}`);
  const items = res.json<{ items: { asset: { id: string } }[] }>().items;
  return Object.fromEntries(Object.keys(assets).map((name, i) => [name, items[i]!.asset.id])) as Record<
    K,
    string
  >;
}

/** How many projections hold the asset: its search document and its graph projection row (0 to 2). */
export async function projectedIn(t: TestApp, assetId: string): Promise<number> {
  const [search] = await t.container.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM search_documents WHERE asset_id = $1',
    [assetId],
  );
  const [graph] = await t.container.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM graph_asset_projections WHERE asset_id = $1',
    [assetId],
  );
  return search!.n + graph!.n;
}
