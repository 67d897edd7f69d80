import { pino } from 'pino';
import { loadConfig } from '../runtime/config.js';
import { createContainer } from '../runtime/container.js';
import { onShutdownSignals } from '../runtime/shutdown.js';

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
  await container.startWorkers();
  log.info({ queue: container.queue.kind, concurrency: config.WORKER_CONCURRENCY }, 'worker ready');

  onShutdownSignals({
    signals: process,
    exit: (code) => process.exit(code),
    log,
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    // Stops the relay, lets running jobs finish (BullMQ: its worker takes no new job), then closes connections.
    steps: [{ name: 'container', run: () => container.close() }],
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
