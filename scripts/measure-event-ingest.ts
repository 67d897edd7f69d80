/**
 * A quick probe of POST /v1/events throughput (not the benchmark: `npm run bench -- --only events`
 * is that). Run it in its own process against a running API:
 *
 *   tsx scripts/measure-event-ingest.ts --url http://127.0.0.1:3000 --key <events:write key> \
 *     [--seconds 20] [--posters 8] [--batch 1000] [--assets <id,id,…>]
 *
 * It pre-builds the bodies (so the generator spends its CPU on sending), posts them from several
 * parallel posters, and prints accepted events per second and the latency of a batch.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:3000' },
    key: { type: 'string' },
    seconds: { type: 'string', default: '20' },
    posters: { type: 'string', default: '8' },
    batch: { type: 'string', default: '1000' },
    assets: { type: 'string', default: '' },
    /** Processes (the API, redis-server…) whose CPU time per accepted event to report (Linux). */
    pids: { type: 'string', default: '' },
  },
});
if (!values.key) throw new Error('--key is required');
const batch = Number(values.batch);
const assets = values.assets ? values.assets.split(',') : [];
const types = ['play', 'progress', 'progress', 'progress', 'pause', 'complete', 'impression', 'click'];

/** A realistic mix: a few thousand people, sessions, assets when given, positions, context. */
function body(): string {
  const now = Date.now();
  const events = Array.from({ length: batch }, (_, i) => {
    const user = Math.floor(Math.random() * 5_000);
    return {
      id: randomUUID(),
      type: types[i % types.length],
      ...(assets.length ? { assetId: assets[Math.floor(Math.random() * assets.length)] } : {}),
      userId: `user-${user}`,
      sessionId: `session-${user}-${Math.floor(now / 600_000)}`,
      occurredAt: new Date(now - Math.floor(Math.random() * 60_000)).toISOString(),
      position: Math.floor(Math.random() * 600_000),
      context: { device: i % 3 ? 'web' : 'tv', app: 'player/4.2', country: i % 2 ? 'DE' : 'FR' },
    };
  });
  return JSON.stringify({ events });
}

const bodies = Array.from({ length: 64 }, body);
const headers = { authorization: `Bearer ${values.key}`, 'content-type': 'application/json' };
const endAt = Date.now() + Number(values.seconds) * 1000;
let accepted = 0;
const statuses = new Map<number, number>();
const latencies: number[] = [];

async function poster(n: number): Promise<void> {
  for (let i = n; Date.now() < endAt; i++) {
    const started = performance.now();
    const res = await fetch(`${values.url}/v1/events`, {
      method: 'POST',
      headers,
      body: bodies[i % bodies.length],
    });
    const answer = (await res.json()) as { accepted?: number };
    latencies.push(performance.now() - started);
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    if (res.status === 202) accepted += answer.accepted ?? 0;
  }
}

/** CPU seconds a process has used (user + system), from /proc. */
function cpuSeconds(pid: string): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
const pids = values.pids ? values.pids.split(',') : [];
const cpuBefore = pids.map(cpuSeconds);
const started = Date.now();
await Promise.all(Array.from({ length: Number(values.posters) }, (_, i) => poster(i)));
const seconds = (Date.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]?.toFixed(1);
console.log(
  JSON.stringify({
    acceptedPerSecond: Math.round(accepted / seconds),
    accepted,
    seconds,
    posters: Number(values.posters),
    batch,
    statuses: Object.fromEntries(statuses),
    batchLatencyMs: { p50: pct(0.5), p95: pct(0.95), p99: pct(0.99) },
    // CPU per accepted event, and what one core would take at that cost.
    cpu: Object.fromEntries(
      pids.map((pid, i) => {
        const used = cpuSeconds(pid) - cpuBefore[i]!;
        return [
          pid,
          {
            seconds: used,
            microsPerEvent: (used * 1e6) / accepted,
            eventsPerCoreSecond: Math.round(accepted / used),
          },
        ];
      }),
    ),
  }),
);
