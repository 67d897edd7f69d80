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
