import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type SpanExporter,
} from '@opentelemetry/sdk-trace';
import { activeTraceIds, enableTracing, markFailed, SpanKind } from '../domain/tracing.js';
import type { Config } from './config.js';

export interface Tracing {
  readonly enabled: boolean;
  /** pino's `mixin`: the active trace and span ids on every log line (undefined with tracing off). */
  readonly logMixin: (() => object) | undefined;
  /** Exports what is buffered and stops; later spans are not recorded. */
  shutdown(): Promise<void>;
}

const off: Tracing = { enabled: false, logMixin: undefined, shutdown: () => Promise.resolve() };

/**
 * Starts the OpenTelemetry SDK when OTEL_EXPORTER_OTLP_ENDPOINT is set (or a test gives an
 * exporter): an async-hooks context manager, W3C trace context propagation, and a
 * tracer provider exporting over OTLP/HTTP in batches. Without either, nothing is registered and
 * every span helper runs its work directly (domain/tracing.ts).
 *
 * No module is patched: HTTP spans come from @fastify/otel, a plugin the app registers, and the
 * stores, queue and projections are wrapped by the composition root (`tracedPort`). So the SDK only
 * has to start before the container and the app are built, not before their modules load.
 */
export function startTracing(
  config: Pick<Config, 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'OTEL_SERVICE_NAME' | 'OTEL_TRACES_SAMPLE_RATIO'>,
  options: {
    /** Spans go here instead (tests: an in-memory exporter), each as it ends unless `batch`. */
    exporter?: SpanExporter;
    batch?: boolean;
    serviceName?: string;
  } = {},
): Tracing {
  const endpoint = config.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint && !options.exporter) return off;
  // Per the OTLP spec, the generic endpoint is the base the traces path goes under.
  const exporter =
    options.exporter ?? new OTLPTraceExporter({ url: `${endpoint!.replace(/\/+$/, '')}/v1/traces` });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName ?? config.OTEL_SERVICE_NAME }),
    // A request that arrives sampled (or not) stays so; new traces are sampled at the ratio.
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.OTEL_TRACES_SAMPLE_RATIO) }),
    // A test's exporter sees each span as it ends; OTLP gets them in batches, off the request path.
    spanProcessors: [
      options.exporter ? new SimpleSpanProcessor({ exporter }) : new BatchSpanProcessor({ exporter }),
    ],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(
    // Trace context only: nothing reads baggage, and a client's baggage header would be copied into
    // every outbox row and job of its request.
    new W3CTraceContextPropagator(),
  );
  trace.setGlobalTracerProvider(provider);
  enableTracing(true);
  return {
    enabled: true,
    logMixin: activeTraceIds,
    async shutdown() {
      enableTracing(false);
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}

/** What a port is, for its spans' attributes: `db.system` of the backend behind it. */
export interface PortSpans {
  /** The span name's prefix: `search`, `graph`, `db`, `queue`… */
  name: string;
  system?: string;
  /** Methods that get no span (cheap, or called for every row). */
  skip?: readonly string[];
  /** Methods whose first argument is a statement, recorded as `db.query.text`. */
  statements?: readonly string[];
  /** Methods whose first argument is a callback given a transaction (`transaction(fn)`): its statements get spans too. */
  transactions?: readonly string[];
}

/**
 * Whether a call makes a span: only inside a recorded one (a request, a job, a relayed batch, a
 * scheduled run). A polling loop's calls would otherwise each be a trace of one span.
 */
const recording = () => trace.getSpan(context.active())?.isRecording() === true;

/**
 * The port with a CLIENT span around each method call (`search.upsertMany`, `db.query`…), for the
 * composition root to wrap an adapter with when tracing is on. The adapter itself is called, not
 * the proxy, so its private fields work; `instanceof` still sees the adapter's class. Calls made
 * outside a recorded span make none (see `recording`). A span ends
 * when the call's promise settles; a synchronous method's at once, its result left as it was.
 */
export function tracedPort<T extends object>(port: T, spans: PortSpans): T {
  const wrapped = new Map<string, unknown>();
  const tracer = trace.getTracer('media-discovery');
  return new Proxy(port, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || typeof prop !== 'string' || prop === 'constructor') return value;
      if (spans.skip?.includes(prop)) return (value as (...a: unknown[]) => unknown).bind(target);
      let fn = wrapped.get(prop);
      if (!fn) {
        const method = value as (...a: unknown[]) => unknown;
        const statement = spans.statements?.includes(prop);
        const transaction = spans.transactions?.includes(prop);
        fn = (...args: unknown[]) => {
          if (!recording()) return method.apply(target, args);
          const attributes: Record<string, string> = {};
          if (spans.system) attributes['db.system'] = spans.system;
          if (statement && typeof args[0] === 'string') attributes['db.query.text'] = args[0].slice(0, 2_000);
          if (transaction && typeof args[0] === 'function') {
            const body = args[0] as (tx: object) => unknown;
            args = [(tx: object) => body(tracedPort(tx, { ...spans, transactions: [] })), ...args.slice(1)];
          }
          return tracer.startActiveSpan(
            `${spans.name}.${prop}`,
            { kind: SpanKind.CLIENT, attributes },
            (span) => {
              const fail = (err: unknown) => markFailed(span, err);
              let result: unknown;
              try {
                result = method.apply(target, args);
              } catch (err) {
                fail(err);
                span.end();
                throw err;
              }
              if (!isThenable(result)) {
                span.end();
                return result;
              }
              return result.then(
                (v) => {
                  span.end();
                  return v;
                },
                (err: unknown) => {
                  fail(err);
                  span.end();
                  throw err;
                },
              );
            },
          );
        };
        wrapped.set(prop, fn);
      }
      return fn;
    },
  });
}

const isThenable = (v: unknown): v is PromiseLike<unknown> =>
  typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
