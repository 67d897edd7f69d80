import { pino } from 'pino';
import { loadConfig } from '../runtime/config.js';
import { createContainer } from '../runtime/container.js';
import { onShutdownSignals } from '../runtime/shutdown.js';
import { exitAfterFlush, logMixin } from '../runtime/logging.js';
import { startTracing } from '../runtime/tracing.js';
import { buildApp } from './app.js';
import { databaseDescription, readyLine } from './startup-lines.js';

/** Starts the service: the API, plus the outbox relay and the workers unless RUN_WORKERS=false. */
async function main(): Promise<void> {
  const config = loadConfig();
  // Before the container and the app are built: they wrap their backends and register the HTTP
  // spans only when tracing is on (runtime/tracing.ts).
  const tracing = startTracing(config);
  // Every line logged inside a span carries its trace_id and span_id (a request's also its reqId),
  // a job's (RUN_WORKERS) the ids of the requests it serves (reqIds).
  const log = pino({ level: config.LOG_LEVEL, mixin: logMixin(tracing) });
  // Start-up can take a while (opening PGlite, migrating); say what is happening meanwhile.
  const database = databaseDescription(config);
  const startedAt = Date.now();
  const seconds = () => ((Date.now() - startedAt) / 1000).toFixed(1);
  log.info(`starting: opening ${database} and running migrations`);
  const container = await createContainer(config, { log });
  log.info(`database open after ${seconds()} s; building the API`);
  const app = await buildApp(container, { loggerInstance: log });

  onShutdownSignals({
    signals: process,
    exit: (code) => exitAfterFlush(log, code),
    log,
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    steps: [
      // Stops accepting connections (a request on a kept-alive one gets 503) and waits for in-flight requests.
      { name: 'http', run: () => app.close() },
      // Stops the relay, lets running jobs finish, then closes the queue, the backends and the pool.
      { name: 'container', run: () => container.close() },
      // Last: the spans of the requests and jobs that just finished are exported too.
      { name: 'tracing', run: () => tracing.shutdown() },
    ],
  });

  await app.listen({ host: config.HOST, port: config.PORT });
  const address = app.server.address();
  log.info(
    {
      database: container.db.kind,
      queue: container.queue.kind,
      graph: container.graph.kind,
      search: container.search.kind,
      workers: config.RUN_WORKERS,
    },
    readyLine({
      host: config.HOST,
      port: typeof address === 'object' && address ? address.port : config.PORT,
      database,
      queue: container.queue.kind,
    }),
  );
  // After listening: /ready answers while the workers take up what a crash left (docs/reliability.md).
  if (config.RUN_WORKERS) await container.startWorkers();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
