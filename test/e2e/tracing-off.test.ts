import { types } from 'node:util';
import { context, trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tracingEnabled } from '../../domain/tracing.js';
import { createTestApp, type TestApp } from '../support/app.js';

/**
 * Tracing off (no OTEL_EXPORTER_OTLP_ENDPOINT, as by default): nothing of it is on a request's path.
 * bench/scratch/tracing-cost.ts measures what that leaves; this says what is not there at all.
 */
describe('tracing off', () => {
  let t: TestApp;
  let key: { authorization: string };
  beforeAll(async () => {
    t = await createTestApp();
    key = await t.keyFor('default', 'VIEWER');
  });
  afterAll(() => t?.close());

  it('registers no @fastify/otel plugin, wraps no backend and makes no span for a request', async () => {
    expect(tracingEnabled()).toBe(false);
    expect(t.app.hasPlugin('@fastify/otel')).toBe(false);
    // The ports are the adapters themselves, not the proxies that time each call when tracing is on.
    for (const port of [t.container.db, t.container.search, t.container.graph, t.container.queue])
      expect(types.isProxy(port)).toBe(false);
    let active: unknown = 'not asked';
    t.app.get('/probe-tracing-off', (_req, reply) => {
      active = trace.getSpan(context.active());
      void reply.send({});
    });
    const res = await t.app.inject({
      url: '/probe-tracing-off',
      headers: { ...key, traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
    });
    expect(res.statusCode).toBe(200);
    // A caller's traceparent is not even read: no context manager, no propagator, no span.
    expect(active).toBeUndefined();
    expect(res.headers.traceparent).toBeUndefined();
  });
});
