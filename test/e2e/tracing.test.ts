import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../runtime/config.js';
import { startTracing, type Tracing } from '../../runtime/tracing.js';
import { createTestApp, type QueueBackend, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';
import { logLines } from '../support/log-lines.js';

const exporter = new InMemorySpanExporter();
let tracing: Tracing;
// The SDK first, as the server starts it: the container and the app then wrap and instrument.
beforeAll(() => {
  tracing = startTracing(loadConfig({ NODE_ENV: 'test' }), { exporter });
});
afterAll(() => tracing?.shutdown());

// BullMQ carries the trace context in the job's data, the in-process queue in the job request.
const queues: QueueBackend[] = inject('redisUrl') ? ['in-process', 'bullmq'] : ['in-process'];

describe.each(queues)('tracing on the %s queue: one ingest is one trace', (queue) => {
  const logs = logLines();
  let t: TestApp;
  let key: { authorization: string };

  beforeAll(async () => {
    t = await createTestApp({ queue, logger: pino({ level: 'info', mixin: tracing.logMixin }, logs.stream) });
    key = await t.keyFor('default', 'EDITOR');
  });
  afterAll(() => t?.close());

  const spansOf = (traceId: string) =>
    exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);

  it('spans the API request, the relay, enrichment and both projections, in one connected trace', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/assets?wait=true',
      headers: { ...key, 'x-request-id': `ingest-${queue}` },
      payload: anAssetInput({ title: 'Traced talk', transcript: 'Ken Robinson on schools and creativity.' }),
    });
    expect(res.statusCode).toBe(201);

    const request = await expect
      .poll(
        () =>
          exporter
            .getFinishedSpans()
            .find(
              (s) => s.name === 'POST /v1/assets' && s.attributes['http.request.id'] === `ingest-${queue}`,
            ),
        { timeout: 60_000 },
      )
      .toBeDefined()
      .then(() =>
        exporter
          .getFinishedSpans()
          .find(
            (s) => s.name === 'POST /v1/assets' && s.attributes['http.request.id'] === `ingest-${queue}`,
          )!,
      );
    expect(request.kind).toBe(SpanKind.SERVER);
    // The path without its query string, which can carry what people search for.
    expect(request.attributes['url.path']).toBe('/v1/assets');
    const traceId = request.spanContext().traceId;
    // The projection job is the last step; it may end after the answer.
    await expect
      .poll(() => spansOf(traceId).some((s) => s.name === 'job project-assets'), { timeout: 60_000 })
      .toBe(true);

    const spans = spansOf(traceId);
    const names = spans.map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'POST /v1/assets',
        'publish enrich-assets',
        'job enrich-assets',
        'enrichment.extract',
        'publish project-assets',
        'job project-assets',
        'db.transaction',
        'db.query',
      ]),
    );
    expect(names.some((n) => n.startsWith('search.upsert'))).toBe(true);
    expect(names.some((n) => n.startsWith('graph.'))).toBe(true);
    const jobs = spans.filter((s) => s.name.startsWith('job '));
    expect(jobs.every((s) => s.kind === SpanKind.CONSUMER)).toBe(true);

    // One tree: every span but the request's has its parent in the trace (no orphan, no second root).
    const ids = new Set(spans.map((s) => s.spanContext().spanId));
    const roots = spans.filter(
      (s: ReadableSpan) => !s.parentSpanContext || !ids.has(s.parentSpanContext.spanId),
    );
    expect(roots.map((s) => s.name)).toEqual(['POST /v1/assets']);

    // The statements carry their SQL; the relay's batch is a trace of its own, linked to the request's.
    const query = spans.find((s) => s.name === 'db.query')!;
    expect(query.attributes['db.system']).toBe('postgresql');
    expect(String(query.attributes['db.query.text'])).toMatch(/\S/);
    const relay = exporter
      .getFinishedSpans()
      .find((s) => s.name === 'outbox relay' && s.links.some((l) => l.context.traceId === traceId));
    expect(relay).toBeDefined();
    expect(relay!.spanContext().traceId).not.toBe(traceId);
    // The relay's enqueue is a call to the queue's backend: Redis on BullMQ.
    const enqueue = spansOf(relay!.spanContext().traceId).find((s) => s.name === 'queue.enqueue');
    expect(enqueue?.attributes['db.system']).toBe(queue === 'bullmq' ? 'redis' : undefined);
  });

  it('puts the trace id, span id and request id on the log lines of a request', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/v1/assets?limit=1',
      headers: { ...key, 'x-request-id': `logged-${queue}` },
    });
    expect(res.statusCode).toBe(200);
    const request = await expect
      .poll(() =>
        exporter.getFinishedSpans().find((s) => s.attributes['http.request.id'] === `logged-${queue}`),
      )
      .toBeDefined()
      .then(() =>
        exporter.getFinishedSpans().find((s) => s.attributes['http.request.id'] === `logged-${queue}`)!,
      );
    // Fastify's line as the request finishes is logged inside its span.
    const lines = logs.lines.filter((l) => l.reqId === `logged-${queue}` && l.trace_id !== undefined);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line.trace_id).toBe(request.spanContext().traceId);
      expect(line.span_id).toMatch(/^[0-9a-f]{16}$/);
    }
  });
});
