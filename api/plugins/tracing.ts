import { FastifyOtelInstrumentation } from '@fastify/otel';
import type { FastifyInstance } from 'fastify';
import { tracingEnabled } from '../../domain/tracing.js';

/** Scrapes and probes: polled every few seconds, and nothing to follow. */
const UNTRACED = /^\/(health|ready|metrics)(\?|$)/;

/**
 * A SERVER span per request (`POST /v1/assets`), continuing the caller's `traceparent`, with a child
 * span for the route's handler; the work the request does (statements, projections, the outbox
 * events that carry its trace to the workers) happens inside it. @fastify/otel only when tracing is
 * on (runtime/tracing.ts): off, no hook is added at all. Registered before every route it covers.
 */
export async function registerTracing(app: FastifyInstance): Promise<void> {
  if (!tracingEnabled()) return;
  const instrumentation = new FastifyOtelInstrumentation({
    // Hook spans (auth, rate limit, body checks…) would triple a request's spans for little.
    instrumentHooks: false,
    ignorePaths: ({ url }) => UNTRACED.test(url),
    requestHook: (span, request) => {
      const path = request.url.split('?')[0]!;
      span.updateName(`${request.method} ${request.routeOptions.url ?? path}`);
      // Without the query string: it holds what people search for, cursors and filters.
      span.setAttribute('url.path', path);
      // Request ids are in the log lines (reqId): the span names it, so a log search finds the trace.
      span.setAttribute('http.request.id', request.id);
    },
  });
  await app.register(instrumentation.plugin());
}
