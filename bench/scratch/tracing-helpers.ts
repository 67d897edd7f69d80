/**
 * The cost of the span helpers per call, in one process: `traced` around an async function, and a
 * port method through `tracedPort`, against calling the function directly; with tracing off (the
 * helpers test a boolean and call through) and on (an SDK batching spans to an exporter that drops
 * them). Rounds alternate the variants; prints the median CPU ns per call with min and max.
 *   npx tsx bench/scratch/tracing-helpers.ts [--calls 200000] [--rounds 7]
 */
import { parseArgs } from 'node:util';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { traced } from '../../domain/tracing.js';
import { loadConfig } from '../../runtime/config.js';
import { startTracing, tracedPort } from '../../runtime/tracing.js';

const { values } = parseArgs({
  options: { calls: { type: 'string', default: '200000' }, rounds: { type: 'string', default: '7' } },
});
const calls = Number(values.calls);
const rounds = Number(values.rounds);

const port = { query: (text: string) => Promise.resolve([text.length]) };
const drop: SpanExporter = {
  export: (_spans: ReadableSpan[], done: (r: ExportResult) => void) => done({ code: 0 }),
  shutdown: () => Promise.resolve(),
};

/** CPU time per call (user + system), which a busy machine's other processes disturb less than wall time. */
async function perCall(fn: () => Promise<unknown>): Promise<number> {
  const t0 = process.cpuUsage();
  for (let i = 0; i < calls; i++) await fn();
  const { user, system } = process.cpuUsage(t0);
  return ((user + system) * 1000) / calls;
}

const variants: Record<string, () => Promise<unknown>> = {
  direct: () => port.query('SELECT 1'),
  traced: () => traced('bench', {}, () => port.query('SELECT 1')),
  port: (() => {
    const proxied = tracedPort(port, { name: 'db', statements: ['query'] });
    return () => proxied.query('SELECT 1');
  })(),
};

async function measure(label: string, names: string[]): Promise<void> {
  const ns: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < rounds + 1; r++) {
    for (const name of names) {
      const fn = variants[name]!;
      const v = await perCall(fn);
      if (r > 0) ns[name]!.push(v); // round 0 warms up
    }
  }
  const stat = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return `${s[Math.floor(s.length / 2)]!.toFixed(0)} ns (${s[0]!.toFixed(0)}–${s[s.length - 1]!.toFixed(0)})`;
  };
  for (const [name, xs] of Object.entries(ns)) console.log(`${label}\t${name}\t${stat(xs)}`);
}

async function main(): Promise<void> {
  // Off, the container does not wrap its ports at all: `traced` is the only helper on a hot path.
  await measure('off', ['direct', 'traced']);
  // On as the service runs it: batched export, and calls inside a recorded span, as a request's are.
  const tracing = startTracing(loadConfig({}), { exporter: drop, batch: true });
  await traced('request', {}, () => measure('on', ['direct', 'traced', 'port']));
  await tracing.shutdown();
}

void main();
