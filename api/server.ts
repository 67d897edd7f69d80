import { pino } from 'pino';
import { loadConfig } from '../runtime/config.js';
import { createContainer } from '../runtime/container.js';
import { buildApp } from './app.js';

/** Starts the service: the API, plus the outbox relay and the workers unless RUN_WORKERS=false. */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = pino({ level: config.LOG_LEVEL });
  const container = await createContainer(config, { log });
  const app = await buildApp(container, { loggerInstance: log });
  if (config.RUN_WORKERS) container.startWorkers();

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down: finishing in-flight requests and jobs');
    try {
      await app.close();
      await container.close();
      process.exit(0);
    } catch (err) {
      log.error({ err }, 'unclean shutdown');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ host: config.HOST, port: config.PORT });
  log.info(
    {
      database: container.db.kind,
      queue: container.queue.kind,
      graph: container.graph.kind,
      search: container.search.kind,
      workers: config.RUN_WORKERS,
    },
    'media discovery service ready',
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
