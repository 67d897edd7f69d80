/**
 * CPU per event of each step of POST /v1/events and of the consumer, in one process, on the events
 * suite's own batches (bench/event-batches.ts): where the API's time per event goes, without the
 * HTTP server, Redis or Postgres. Each step after a full collection, so that it pays for its own
 * garbage: `node --expose-gc --import tsx bench/scratch/event-path-cost.ts [--batches 40]`
 */
import { parseArgs } from 'node:util';
import Fastify from 'fastify';
import { checkEventBatch, type StoredEvent } from '../../domain/interaction-events.js';
import { JSON_LIMITS, jsonShapeProblem } from '../../api/plugins/json-body.js';
import { MaskingService } from '../../services/masking-service.js';
import { byPartition, decodeEvents, encodeEvents } from '../../stream/partitions.js';
import { batchTemplates, stampBatch } from '../event-batches.js';

const { values } = parseArgs({ options: { batches: { type: 'string', default: '40' } } });
const n = Number(values.batches);
const templates = batchTemplates({
  seed: 2_121,
  run: 1,
  firstSlot: 0,
  count: 4,
  size: 1_000,
  users: 100_000,
  at: new Date(),
});
const bodies = Array.from({ length: n }, (_, i) =>
  stampBatch(templates[i % templates.length]!, i).toString(),
);
const masking = new MaskingService({} as ConstructorParameters<typeof MaskingService>[0], {
  rules: [],
  key: 'bench-mask-key-0123456789abcdef0123456789',
});
const parseJson = Fastify().getDefaultJsonParser('error', 'error') as unknown as (
  req: unknown,
  body: string,
  done: (err: Error | null, value?: unknown) => void,
) => void;
const now = new Date();
const types: ReadonlySet<string> = new Set();

/** µs of CPU per event of `step` over every body (after one untimed pass). */
function cost<T>(name: string, step: (body: string, i: number) => T): T[] {
  const out: T[] = [];
  for (let i = 0; i < Math.min(5, n); i++) step(bodies[i]!, i);
  // Each step pays for its own garbage only: run with --expose-gc.
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.cpuUsage();
  for (let i = 0; i < n; i++) out.push(step(bodies[i]!, i));
  const used = process.cpuUsage(before);
  console.log(`${name.padEnd(36)} ${((used.user + used.system) / (n * 1_000)).toFixed(2)} µs/event`);
  return out;
}

cost('text shape check', (b) => jsonShapeProblem(b, JSON_LIMITS));
cost('JSON.parse', (b) => JSON.parse(b) as unknown);
const parsed = cost('Fastify JSON parser', (b) => {
  let v: unknown;
  parseJson({}, b, (_e, value) => (v = value));
  return v as { events: unknown[] };
});
const checked = cost('checkEventBatch', (_b, i) => checkEventBatch(parsed[i]!.events, types, now));
const tokenOnce = new Map<string, string>();
cost('HMAC user+session (uncached)', (_b, i) => {
  for (const { event } of checked[i]!.valid) {
    if (event.userId) tokenOnce.set(event.userId, masking.tokenOf('t', event.userId));
    if (event.sessionId) tokenOnce.set(event.sessionId, masking.tokenOf('t', event.sessionId));
  }
});
const stored = cost('to StoredEvent (tokens from a map)', (_b, i) =>
  checked[i]!.valid.map(({ event }): StoredEvent => ({
    tenantId: 't',
    id: event.id,
    type: event.type,
    assetId: null,
    userToken: event.userId ? tokenOnce.get(event.userId)! : null,
    sessionToken: event.sessionId ? tokenOnce.get(event.sessionId)! : null,
    occurredAt: new Date(event.occurredAt),
    receivedAt: now,
    position: event.position ?? null,
    search: event.search ?? null,
    context: event.context ?? {},
    consent: event.consent,
    properties: null,
    asset: null,
  })),
);
const encoded = cost('byPartition + encodeEvents', (_b, i) =>
  [...byPartition(stored[i]!, 8).values()].map((list) => encodeEvents(list)),
);
cost('decodeEvents (consumer)', (_b, i) => encoded[i]!.map((e) => decodeEvents(e)));

const bytes = encoded.reduce((n, list) => n + list.reduce((m, e) => m + e.length, 0), 0);
console.log(`stream entry bytes per event             ${(bytes / (n * 1_000)).toFixed(0)}`);
