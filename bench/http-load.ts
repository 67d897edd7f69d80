/**
 * A small load generator, run as a child process of the harness so it does not share the measured
 * process's event loop: `concurrency` connections' worth of requests in flight over loopback, bounded
 * by a count and a time. Reads its settings as JSON from argv[2]; prints its result as one JSON line.
 */
import { percentile } from './lib.js';

interface LoadSpec {
  /** Requested in turn: request i gets urls[i % urls.length]. */
  urls: string[];
  headers: Record<string, string>;
  concurrency: number;
  maxRequests: number;
  maxSeconds: number;
  /** Untimed requests first (connection set-up, JIT, caches). */
  warmup: number;
}

const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;

async function main(): Promise<void> {
  const get = async (i: number) => {
    const res = await fetch(spec.urls[i % spec.urls.length]!, { headers: spec.headers });
    await res.arrayBuffer();
    return res.status;
  };
  for (let i = 0; i < spec.warmup; i++) await get(i);
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const deadline = performance.now() + spec.maxSeconds * 1000;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (let i = next++; i < spec.maxRequests && performance.now() < deadline; i = next++) {
      const t0 = performance.now();
      let status: string;
      try {
        status = String(await get(i));
      } catch {
        status = 'error';
      }
      latencies.push(performance.now() - t0);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: spec.concurrency }, worker));
  const elapsedMs = performance.now() - started;
  const ok = statuses['200'] ?? 0;
  console.log(
    JSON.stringify({
      requests: latencies.length,
      ok,
      statuses,
      elapsedMs,
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      perSecond: (latencies.length * 1000) / elapsedMs,
    }),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
