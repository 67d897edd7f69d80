import { EventEmitter } from 'node:events';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { loadConfig } from '../runtime/config.js';
import { createContainer } from '../runtime/container.js';
import { onShutdownSignals } from '../runtime/shutdown.js';
import { exitAfterFlush, logMixin } from '../runtime/logging.js';
import { startTracing } from '../runtime/tracing.js';
import { serveMetrics } from './metrics-server.js';

/**
 * One worker process without the API: the outbox relay and the job workers. Needs REDIS_URL and
 * DATABASE_URL, so that it shares the queue and the database with the API processes. `main.ts`
 * runs WORKER_PROCESSES of these; started alone (`--slot` unset) it is slot 0.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { slot: { type: 'string', default: '0' } } });
  const slot = Number(values.slot);
  const config = loadConfig();
  if (!config.REDIS_URL || !config.DATABASE_URL) {
    throw new Error(
      'a separate worker process needs REDIS_URL and DATABASE_URL; embedded mode runs workers inside `npm start`',
    );
  }
  // Before the container is built, which wraps its backends when tracing is on (runtime/tracing.ts).
  const tracing = startTracing(config, { serviceName: `${config.OTEL_SERVICE_NAME}-worker` });
  const log = pino({ level: config.LOG_LEVEL, mixin: logMixin(tracing) }).child({ slot });
  const container = await createContainer(config, { log });
  // Each process counts its own jobs: Prometheus scrapes every slot (docs in ops/prometheus/README.md).
  // Bound before any job starts: a port taken fails the start with nothing running to abandon.
  const metrics =
    config.METRICS_ENABLED && config.METRICS_PORT !== undefined
      ? await serveMetrics(() => container.system.metricsText(), {
          port: config.METRICS_PORT + slot,
          host: config.HOST,
        }).catch(async (err: unknown) => {
          await container.close();
          throw err;
        })
      : null;
  // The timed tasks (drift, popularity, co-views, click boosts, retention) run in one process of
  // the set: they are idempotent, but N copies of a tenant-wide recomputation is only wasted work.
  await container.startWorkers({ schedules: slot === 0 });
  log.info(
    {
      queue: container.queue.kind,
      concurrency: config.WORKER_CONCURRENCY,
      ...(metrics ? { metricsPort: metrics.port } : {}),
    },
    'worker ready',
  );

  onShutdownSignals({
    signals: process.send ? supervisedSignals() : process,
    exit: (code) => exitAfterFlush(log, code),
    log,
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    // Stops the relay, lets running jobs finish (BullMQ: its worker takes no new job), then closes connections.
    steps: [
      ...(metrics ? [{ name: 'metrics', run: () => metrics.close() }] : []),
      { name: 'container', run: () => container.close() },
      { name: 'tracing', run: () => tracing.shutdown() },
    ],
  });
}

/**
 * Under the supervisor, a stop order may come twice: a terminal's Ctrl-C or a service manager's
 * SIGTERM reaches the whole process group, and the supervisor then sends its own. The first one
 * drains; the rest are the same order, not a "second signal" that exits at once (the supervisor
 * kills a process that does not drain in time). A supervisor that died (its IPC channel closed)
 * is a stop order too, so that no worker runs on unsupervised.
 */
function supervisedSignals(): EventEmitter {
  const signals = new EventEmitter();
  let ordered = false;
  const order = () => {
    if (ordered) return;
    ordered = true;
    signals.emit('SIGTERM');
  };
  process.on('SIGTERM', order);
  process.on('SIGINT', order);
  process.once('disconnect', order);
  return signals;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
