/**
 * The events suite's load generator, a child process of the harness (like http-load.ts) so it does
 * not share the measured process's event loop. `concurrency` workers, each with batches of events
 * built before the clock starts (their ids made new per post by patching a counter in place):
 *   - `http`: POST /v1/events over undici keep-alive connections, counting the accepted events;
 *   - `xadd`: the baseline, the same events as the API would store them, split and encoded by the
 *     event log's own functions, one pipelined XADD per partition per batch, as the log appends.
 * Bounded by a time and an event count. Reads its settings as JSON from argv[2]; prints one JSON line.
 */
import { Redis } from 'ioredis';
import { Pool } from 'undici';
import { asStored, batchTemplates, stampBatch, type BatchTemplate } from './event-batches.js';
import { ENTRY_FIELD, logEncoding, streamKey } from './events-wiring.js';
import { percentile } from './lib.js';

export interface EventLoadSpec {
  mode: 'http' | 'xadd';
  /** http: the API's origin and a key with events:write. */
  url?: string;
  apiKey?: string;
  /** xadd: the Redis, the key prefix (deleted after the round) and the log's partition count. */
  redisUrl?: string;
  prefix?: string;
  partitions?: number;
  tenantId: string;
  concurrency: number;
  seconds: number;
  maxEvents: number;
  batchSize: number;
  /** Distinct batches per worker (their ids renewed per post). */
  templates: number;
  seed: number;
  /** Makes this round's ids its own (8 hex digits of the uuid). */
  run: number;
  users: number;
  /** Untimed batches per worker first (connections, JIT). */
  warmup: number;
}

export interface EventLoadResult {
  mode: 'http' | 'xadd';
  batches: number;
  accepted: number;
  rejected: number;
  statuses: Record<string, number>;
  elapsedMs: number;
  /** Accepted events per second (xadd: events written). */
  perSecond: number;
  /** Per batch, ms. */
  p50: number;
  p95: number;
  firstError: string | null;
}

const spec = JSON.parse(process.argv[2] ?? '{}') as EventLoadSpec;

/** A worker's batches: worker w owns its own templates, so no two posts patch one buffer at once. */
function templatesOf(w: number): BatchTemplate[] {
  return batchTemplates({
    seed: spec.seed + w,
    run: spec.run,
    firstSlot: w * spec.templates * spec.batchSize,
    count: spec.templates,
    size: spec.batchSize,
    users: spec.users,
    at: new Date(),
  });
}

interface Outcome {
  status: string;
  accepted: number;
  rejected: number;
  /** The answer of a failed batch, for the report. */
  text?: string;
}
type Send = (w: number, batch: number) => Promise<Outcome>;

function httpSender(): { send: Send; close(): Promise<void> } {
  const pool = new Pool(spec.url!, { connections: spec.concurrency, keepAliveTimeout: 60_000 });
  const templates = Array.from({ length: spec.concurrency }, (_, w) => templatesOf(w));
  const headers = { authorization: `Bearer ${spec.apiKey}`, 'content-type': 'application/json' };
  const seqs = templates.map(() => 0);
  return {
    async send(w, batch) {
      // The counter makes each batch's ids new: worker in the high bits, its own count below.
      const body = stampBatch(templates[w]![batch % spec.templates]!, w * 2 ** 32 + ++seqs[w]!);
      const res = await pool.request({
        origin: spec.url!,
        path: '/v1/events',
        method: 'POST',
        headers,
        body,
      });
      const text = await res.body.text();
      if (res.statusCode !== 202) return { status: String(res.statusCode), accepted: 0, rejected: 0, text };
      const answer = JSON.parse(text) as { accepted: number | unknown[]; rejected: number | unknown[] };
      const count = (x: number | unknown[]) => (Array.isArray(x) ? x.length : x);
      return { status: '202', accepted: count(answer.accepted), rejected: count(answer.rejected) };
    },
    close: () => pool.close(),
  };
}

async function xaddSender(): Promise<{ send: Send; close(): Promise<void> }> {
  const encoding = await logEncoding(spec.partitions!);
  const receivedAt = new Date();
  // Encoded once, before the clock: the baseline is the Redis write, as the measured path's is.
  const entries = Array.from({ length: spec.concurrency }, (_, w) =>
    templatesOf(w).map((t) =>
      [
        ...encoding.byPartition(
          t.events.map((e) => asStored(spec.tenantId, e, receivedAt)),
          encoding.partitions,
        ),
      ].map(([p, list]) => [streamKey(spec.prefix!, p), encoding.encodeEvents(list)] as const),
    ),
  );
  const connections = await Promise.all(
    entries.map(async () => {
      const redis = new Redis(spec.redisUrl!, { lazyConnect: true, maxRetriesPerRequest: 1 });
      await redis.connect();
      return redis;
    }),
  );
  return {
    async send(w, batch) {
      const pipeline = connections[w]!.pipeline();
      for (const [key, json] of entries[w]![batch % spec.templates]!)
        pipeline.xadd(key, '*', ENTRY_FIELD, json);
      const results = (await pipeline.exec()) ?? [];
      const failed = results.find(([err]) => err);
      if (failed) return { status: 'error', accepted: 0, rejected: 0, text: String(failed[0]) };
      return { status: 'ok', accepted: spec.batchSize, rejected: 0 };
    },
    async close() {
      // The baseline's streams go at once: a round may write a few hundred megabytes.
      const keys = Array.from({ length: encoding.partitions }, (_, p) => streamKey(spec.prefix!, p));
      await connections[0]!.del(...keys);
      for (const c of connections) c.disconnect();
    },
  };
}

async function main(): Promise<void> {
  const sender = spec.mode === 'http' ? httpSender() : await xaddSender();
  for (let w = 0; w < spec.concurrency; w++) for (let i = 0; i < spec.warmup; i++) await sender.send(w, i);
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let accepted = 0;
  let rejected = 0;
  let sent = 0;
  let firstError: string | null = null;
  const started = performance.now();
  const deadline = started + spec.seconds * 1000;
  const worker = async (w: number) => {
    for (let b = 0; performance.now() < deadline && sent < spec.maxEvents; b++) {
      sent += spec.batchSize;
      const t0 = performance.now();
      let outcome: Outcome;
      try {
        outcome = await sender.send(w, b);
      } catch (err) {
        outcome = { status: 'error', accepted: 0, rejected: 0, text: (err as Error).message };
      }
      latencies.push(performance.now() - t0);
      statuses[outcome.status] = (statuses[outcome.status] ?? 0) + 1;
      accepted += outcome.accepted;
      rejected += outcome.rejected;
      if (outcome.text !== undefined && firstError === null) firstError = outcome.text.slice(0, 1_000);
    }
  };
  await Promise.all(Array.from({ length: spec.concurrency }, (_, w) => worker(w)));
  const elapsedMs = performance.now() - started;
  await sender.close();
  const result: EventLoadResult = {
    mode: spec.mode,
    batches: latencies.length,
    accepted,
    rejected,
    statuses,
    elapsedMs,
    perSecond: (accepted * 1000) / elapsedMs,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    firstError,
  };
  console.log(JSON.stringify(result));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
