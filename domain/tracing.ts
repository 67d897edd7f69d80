import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
} from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { errorMessage } from './errors.js';

/**
 * Tracing as every layer uses it: spans through the OpenTelemetry API only, and the W3C trace
 * context as it travels in outbox rows and jobs. The runtime starts the SDK (runtime/tracing.ts)
 * when OTEL_EXPORTER_OTLP_ENDPOINT is set and then calls `enableTracing`; until then every helper
 * here runs its work directly, without making even a no-op span, so tracing off costs a boolean test.
 */

/** The W3C trace context (`traceparent`, and `tracestate` and `baggage` when present) as text. */
export type TraceCarrier = Record<string, string>;

export { SpanKind };

const TRACER = 'media-discovery';

let enabled = false;

/** Called by the runtime once the SDK is registered; `false` when it is shut down (tests). */
export function enableTracing(on: boolean): void {
  enabled = on;
}

export function tracingEnabled(): boolean {
  return enabled;
}

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  /** The span's parent: a context taken from a carrier. Default: the active span. */
  parent?: Context;
  /** Spans this one is caused by besides its parent (the events a batch job gathers). */
  links?: Link[];
  /** Start a new trace whatever is active (a background loop a request happened to wake). */
  root?: boolean;
}

/**
 * Runs `fn` in a span named `name`, which ends when its promise settles; a rejection marks the span
 * as an error and records the exception. With tracing off, only runs `fn`.
 */
export function traced<T>(name: string, options: SpanOptions, fn: (span?: Span) => Promise<T>): Promise<T> {
  if (!enabled) return fn();
  const tracer = trace.getTracer(TRACER);
  // A root span starts from the root context: not even an enclosing `untraced` applies to it.
  const parent = options.parent ?? (options.root ? ROOT_CONTEXT : context.active());
  return tracer.startActiveSpan(
    name,
    {
      kind: options.kind ?? SpanKind.INTERNAL,
      attributes: options.attributes,
      links: options.links,
      root: options.root,
    },
    parent,
    async (span) => {
      try {
        return await fn(span);
      } catch (err) {
        markFailed(span, err);
        throw err;
      } finally {
        span.end();
      }
    },
  );
}

/** Records a failure on a span: the exception as an event, and the span's status as an error. */
export function markFailed(span: Span, err: unknown): void {
  span.recordException(err instanceof Error ? err : String(err));
  span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(err) });
}

/** The active trace context, to store with work that continues elsewhere; null with tracing off or no span. */
export function currentTraceCarrier(): TraceCarrier | null {
  if (!enabled) return null;
  const active = context.active();
  if (!trace.getSpan(active)) return null;
  const carrier: TraceCarrier = {};
  propagation.inject(active, carrier);
  return carrier.traceparent ? carrier : null;
}

/** The context a carrier names, as the parent of the span that continues its work. */
export function contextFrom(carrier: TraceCarrier | null | undefined): Context {
  return carrier ? propagation.extract(ROOT_CONTEXT, carrier) : ROOT_CONTEXT;
}

/** A link to the span a carrier names (nothing for an empty or invalid one). */
export function linkTo(carrier: TraceCarrier | null | undefined): Link | null {
  if (!carrier) return null;
  const spanContext = trace.getSpanContext(contextFrom(carrier));
  return spanContext && trace.isSpanContextValid(spanContext) ? { context: spanContext } : null;
}

/** The trace and span ids of the active span, for log lines; empty with tracing off or no span. */
export function activeTraceIds(): { trace_id?: string; span_id?: string } {
  if (!enabled) return {};
  const spanContext = trace.getSpan(context.active())?.spanContext();
  if (!spanContext || !trace.isSpanContextValid(spanContext)) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}

/**
 * Runs `fn` with tracing suppressed: a polling loop's empty rounds (the outbox relay every 250 ms)
 * would otherwise each make a trace. Work it finds starts a root span of its own (`root: true`).
 */
export function untraced<T>(fn: () => T): T {
  if (!enabled) return fn();
  return context.with(suppressTracing(context.active()), fn);
}

/** What a job is to its publish span. */
export interface Publishable {
  name: string;
  trace?: TraceCarrier;
  links?: TraceCarrier[];
}

/**
 * Sends jobs with a PRODUCER span each (`publish <job>`): the child of the trace the job carries
 * (the request that wrote its event), linked to the job's other traces and to the active span (the
 * relay's). Each job then carries its publish span's context, which the worker's span continues.
 */
export async function publishing<J extends Publishable>(
  jobs: J[],
  send: (jobs: J[]) => Promise<void>,
  attributes: Attributes = {},
): Promise<void> {
  if (!enabled || jobs.length === 0) return send(jobs);
  const tracer = trace.getTracer(TRACER);
  const active = trace.getSpan(context.active())?.spanContext();
  const spans = jobs.map((job) =>
    tracer.startSpan(
      `publish ${job.name}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: { 'messaging.operation.type': 'send', ...attributes },
        links: [
          ...(job.links ?? []).map(linkTo).filter((l): l is Link => l !== null),
          ...(active && job.trace ? [{ context: active }] : []),
        ],
      },
      job.trace ? contextFrom(job.trace) : context.active(),
    ),
  );
  const sent = jobs.map((job, i) => {
    const carrier: TraceCarrier = {};
    propagation.inject(trace.setSpan(ROOT_CONTEXT, spans[i]!), carrier);
    return { ...job, trace: carrier, links: undefined };
  });
  try {
    await send(sent);
  } catch (err) {
    for (const span of spans) markFailed(span, err);
    throw err;
  } finally {
    for (const span of spans) span.end();
  }
}
