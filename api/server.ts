import { pino } from 'pino';
import { loadConfig } from '../runtime/config.js';
import { createContainer } from '../runtime/container.js';
import { onShutdownSignals } from '../runtime/shutdown.js';
import { buildApp } from './app.js';

/** Starts the service: the API, plus the outbox relay and the workers unless RUN_WORKERS=false. */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = pino({ level: config.LOG_LEVEL });
  const container = await createContainer(config, { log });
  const app = await buildApp(container, { loggerInstance: log });

  onShutdownSignals({
    signals: process,
    exit: (code) => process.exit(code),
    log,
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    steps: [
      // Stops accepting connections (a request on a kept-alive one gets 503) and waits for in-flight requests.
      { name: 'http', run: () => app.close() },
      // Stops the relay, lets running jobs finish, then closes the queue, the backends and the pool.
      { name: 'container', run: () => container.close() },
    ],
  });

  await app.listen({ host: config.HOST, port: config.PORT });
  // After listening: /ready answers while the workers take up what a crash left (docs/reliability.md).
  if (config.RUN_WORKERS) await container.startWorkers();
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
