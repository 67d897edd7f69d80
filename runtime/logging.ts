import { requestIdsLogFields } from '../domain/request-ids.js';
import type { Tracing } from './tracing.js';

/**
 * pino's `mixin` for the API's and the workers' loggers: a job's lines name the requests it serves
 * (`reqIds`, domain/request-ids.ts), and with tracing on every line inside a span its trace_id and
 * span_id. A request's own lines already carry its `reqId` (Fastify's child logger).
 */
export function logMixin(tracing: Pick<Tracing, 'logMixin'>): () => object {
  const traced = tracing.logMixin;
  return traced ? () => ({ ...traced(), ...requestIdsLogFields() }) : requestIdsLogFields;
}

/** How long an exit waits for the log to reach its destination. */
const EXIT_FLUSH_MS = 2_000;

/**
 * Exits once the log's buffered lines are written. pino writes asynchronously, and its own flush at
 * `process.exit` could write the last lines ahead of one still being written: the shutdown's
 * "closed" steps came out of order in test/integration/server-process.test.ts.
 */
export function exitAfterFlush(log: { flush(cb: (err?: Error) => void): void }, code: number): void {
  // A destination that never answers must not keep the process from exiting.
  setTimeout(() => process.exit(code), EXIT_FLUSH_MS);
  log.flush(() => process.exit(code));
}
