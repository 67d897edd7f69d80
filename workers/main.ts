import { pino } from 'pino';
import { loadConfig } from '../runtime/config.js';
import { createContainer } from '../runtime/container.js';

/**
 * A worker process without the API: the outbox relay and the job workers. Needs REDIS_URL and
 * DATABASE_URL, so that it shares the queue and the database with the API processes.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.REDIS_URL || !config.DATABASE_URL) {
    throw new Error(
      'a separate worker process needs REDIS_URL and DATABASE_URL; embedded mode runs workers inside `npm start`',
    );
  }
  const log = pino({ level: config.LOG_LEVEL });
  const container = await createContainer(config, { log });
  container.startWorkers();
  log.info({ queue: container.queue.kind, concurrency: config.WORKER_CONCURRENCY }, 'worker ready');

  const shutdown = (signal: string) => {
    log.info({ signal }, 'worker shutting down: finishing running jobs');
    container.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'unclean worker shutdown');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
