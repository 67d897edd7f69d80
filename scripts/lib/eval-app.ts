import { buildApp } from '../../api/app.js';
import { loadConfig } from '../../runtime/config.js';
import { createContainer } from '../../runtime/container.js';
import { openDatabase } from '../../store/db.js';

/**
 * The service's container for an evaluation: quiet, polling fast, with the in-process queue, on
 * embedded PGlite in memory or (with `server`) on the Postgres server at DATABASE_URL.
 */
export async function startEvalContainer(server: boolean) {
  const config = loadConfig({
    ...process.env,
    LOG_LEVEL: 'silent',
    OUTBOX_POLL_MS: '50',
    REDIS_URL: '',
    DATABASE_URL: server ? process.env.DATABASE_URL : '',
    WAIT_TIMEOUT_MS: '120000',
    BODY_LIMIT_BYTES: String(50 * 1024 * 1024),
    // An evaluation measures its own tenant: no drift check over the whole database beside it.
    DRIFT_CHECK_ON_START: 'false',
    DRIFT_CHECK_INTERVAL_MINUTES: '0',
    // One client asking as fast as it can: the per-key limit guards a shared service, and a quiet
    // machine answered the full eval:related's 4,600 requests faster than 1,200 a minute (429).
    RATE_LIMIT_PER_MINUTE: '1000000',
  });
  const db = config.DATABASE_URL ? undefined : await openDatabase({ dataDir: 'memory://' });
  return createContainer(config, db ? { db } : {});
}

/**
 * The whole service in this process for an evaluation: embedded PGlite in memory (or the server at
 * DATABASE_URL with `server`), the in-process queue, workers running, and an ADMIN key of a fresh
 * tenant. Requests go through `app.inject`, so they cross the real HTTP stack.
 */
/**
 * Ingests one batch and waits until every asset in it is enriched and projected. A 202 means the
 * wait ran out (a loaded machine); the same batch is posted again, which adds nothing (assets are
 * deduplicated by hash) and waits on the same assets, so an evaluation never ranks a partial index.
 */
export async function ingestSettled(
  app: Awaited<ReturnType<typeof buildApp>>,
  headers: Record<string, string>,
  assets: unknown[],
): Promise<{ asset: { id: string; sourceId: string } }[]> {
  for (let attempt = 1; attempt <= 10; attempt++) {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/assets/batch?wait=true',
      headers,
      payload: { assets },
    });
    if (res.statusCode >= 300 && res.statusCode !== 202)
      throw new Error(`ingest answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
    if (res.statusCode !== 202)
      return res.json<{ items: { asset: { id: string; sourceId: string } }[] }>().items;
    process.stderr.write(`\nthe batch is not settled after the wait (attempt ${attempt}); waiting again\n`);
  }
  throw new Error('the batch did not settle in 10 waits: the figures would rank a partial index');
}

/**
 * `tenantId`: work in this tenant (on the server, one an earlier run loaded: a batch it already holds
 * is deduplicated and settles at once), rather than a fresh one.
 */
export async function startEvalApp(options: {
  server: boolean;
  tenantPrefix: string;
  tenantId?: string | undefined;
}) {
  const container = await startEvalContainer(options.server);
  const app = await buildApp(container);
  await container.startWorkers();
  const tenantId = options.tenantId ?? `${options.tenantPrefix}-${Date.now()}`;
  const { secret } = await container.apiKeys.create({ tenantId, name: 'eval', role: 'ADMIN' });
  return {
    app,
    container,
    tenantId,
    headers: { authorization: `Bearer ${secret}` },
    close: async () => {
      await app.close();
      await container.close();
    },
  };
}
