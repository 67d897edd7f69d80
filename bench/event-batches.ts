/**
 * The events suite's synthetic interaction events, deterministic by seed:
 *   - wire batches for the ingest load (what a player posts), built once as request bodies whose
 *     event ids are patched in place per post, so every posted event is new (the store counts an id
 *     once) and building them is not part of what is measured;
 *   - stored events for the metrics dataset, addressed by index (event i is the same in every run),
 *     so a load resumes at the index it reached.
 * The ingest events carry no assetId: the load runs in a fresh tenant, independent of the library.
 */
import type { InteractionEvent, StoredEvent } from '../domain/interaction-events.js';
import { seededRandom } from '../scripts/lib/synthetic-library.js';

/** A stateless hash of (seed, i) to [0, 1): event i of the metrics dataset without generating 0..i-1. */
function unit(seed: number, i: number, salt: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(i, 0xc2b2ae35) ^ Math.imul(salt, 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return ((h ^ (h >>> 16)) >>> 0) / 4_294_967_296;
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0').slice(-width);

/** A valid v4-shaped uuid whose last 12 hex digits are a counter. */
export const eventId = (run: number, slot: number, seq: number) =>
  `${hex(run, 8)}-${hex(slot, 4)}-4000-8000-${hex(seq, 12)}`;

const DEVICES = ['web', 'ios', 'android', 'tv', 'desktop'];
const COUNTRIES = ['DE', 'US', 'FR', 'GB', 'NL', 'ES', 'IT', 'PL', 'SE', 'AT'];
const QUERIES = ['climate', 'election', 'football', 'interview', 'concert', 'news', 'weather', 'science'];

/** The mix of a playback-heavy service: cumulative shares. */
const TYPE_MIX: [string, number][] = [
  ['play', 0.25],
  ['progress', 0.55],
  ['pause', 0.6],
  ['seek', 0.63],
  ['complete', 0.7],
  ['error', 0.72],
  ['search', 0.87],
  ['click', 0.95],
  ['impression', 1],
];
const typeAt = (u: number) => TYPE_MIX.find(([, share]) => u < share)![0];
/** Position-biased clicks: rank 1 about half the time. */
const rankAt = (u: number) => Math.min(10, 1 + Math.floor(-Math.log2(1 - u * 0.999)));

/** One event as a client sends it (no assetId: see the file comment). */
export function wireEvent(random: () => number, id: string, at: Date, users: number): InteractionEvent {
  const type = typeAt(random());
  const user = Math.floor(random() * users);
  const event: InteractionEvent = {
    id,
    type,
    userId: `user-${user}`,
    sessionId: `s-${user}-${Math.floor(random() * 4)}`,
    occurredAt: new Date(at.getTime() - Math.floor(random() * 60_000)).toISOString(),
    context: {
      device: DEVICES[Math.floor(random() * DEVICES.length)]!,
      country: COUNTRIES[Math.floor(random() * COUNTRIES.length)]!,
      app: 'bench',
    },
    consent: random() > 0.05,
  };
  if (['play', 'progress', 'pause', 'seek', 'complete', 'error'].includes(type))
    event.position = type === 'play' ? 0 : Math.floor(random() * 3_600_000);
  if (type === 'search')
    event.search = {
      query: QUERIES[Math.floor(random() * QUERIES.length)]!,
      totalHits: random() < 0.1 ? 0 : 1 + Math.floor(random() * 500),
    };
  if (type === 'click')
    event.search = { query: QUERIES[Math.floor(random() * QUERIES.length)]!, clickedRank: rankAt(random()) };
  return event;
}

/** A request body of `size` events and where each id's 12-digit counter sits in it. */
export interface BatchTemplate {
  body: Buffer;
  events: InteractionEvent[];
  /** Byte offsets of the counters: writing a new counter there makes every id of the batch new. */
  counterOffsets: number[];
}

export function batchTemplates(o: {
  seed: number;
  run: number;
  /** The first id slot of these batches: callers give each worker a range of its own. */
  firstSlot: number;
  count: number;
  size: number;
  users: number;
  at: Date;
}): BatchTemplate[] {
  if (o.firstSlot + o.count * o.size > 0xffff)
    throw new Error('batch templates: at most 65,535 events in all');
  const random = seededRandom(o.seed);
  const templates: BatchTemplate[] = [];
  for (let t = 0; t < o.count; t++) {
    const events = Array.from({ length: o.size }, (_, i) =>
      wireEvent(random, eventId(o.run, o.firstSlot + t * o.size + i, 0), o.at, o.users),
    );
    const text = JSON.stringify({ events });
    const counterOffsets: number[] = [];
    let from = 0;
    for (const e of events) {
      const at = text.indexOf(e.id, from);
      // The body is ASCII (the generator's strings are), so a character offset is a byte offset.
      counterOffsets.push(at + 24);
      from = at + e.id.length;
    }
    templates.push({ body: Buffer.from(text), events, counterOffsets });
  }
  return templates;
}

/** Makes every id of the template's body new: its counters become `seq`. */
export function stampBatch(template: BatchTemplate, seq: number): Buffer {
  const digits = hex(seq, 12);
  for (const offset of template.counterOffsets) template.body.write(digits, offset, 'latin1');
  return template.body;
}

/**
 * A wire event as the API would store it (tenant, tokens in place of the ids, no asset): what the
 * raw XADD and COPY baselines write, so they carry the same data as the measured path.
 */
export function asStored(tenantId: string, e: InteractionEvent, receivedAt: Date): StoredEvent {
  return {
    tenantId,
    id: e.id,
    type: e.type,
    assetId: e.assetId ?? null,
    userToken: e.consent && e.userId ? `tok-${e.userId}` : null,
    sessionToken: e.consent && e.sessionId ? `tok-${e.sessionId}` : null,
    occurredAt: new Date(e.occurredAt),
    receivedAt,
    position: e.position ?? null,
    search: e.search ?? null,
    context: e.context ?? {},
    consent: e.consent,
    properties: e.properties ?? null,
    asset: null,
  };
}

/** An asset of the library, with the dimensions events are grouped by. */
export interface DatasetAsset {
  tenantId: string;
  id: string;
  type: string;
  sourceSystem: string;
  tags: string[];
  speakers: string[];
}

const DAY_MS = 86_400_000;
/** The metrics dataset spans this many days before its anchor. */
export const DATASET_DAYS = 30;

/**
 * Event `i` of the metrics dataset: an asset drawn by Zipf-like popularity (rank ~ u^3 over the
 * assets), a user among `users`, a time in the `DATASET_DAYS` days before `anchor`. Stateless in i.
 */
export function datasetEvent(
  seed: number,
  i: number,
  assets: DatasetAsset[],
  users: number,
  anchor: Date,
): StoredEvent {
  const u = (salt: number) => unit(seed, i, salt);
  const asset = assets[Math.floor(u(1) ** 3 * assets.length)]!;
  const type = typeAt(u(2));
  const user = Math.floor(u(3) ** 2 * users);
  const consent = u(4) > 0.05;
  const occurredAt = new Date(anchor.getTime() - Math.floor(u(5) * DATASET_DAYS * DAY_MS));
  const search =
    type === 'search'
      ? {
          query: QUERIES[Math.floor(u(6) * QUERIES.length)]!,
          totalHits: u(7) < 0.1 ? 0 : 1 + Math.floor(u(8) * 500),
        }
      : type === 'click'
        ? { query: QUERIES[Math.floor(u(6) * QUERIES.length)]!, clickedRank: rankAt(u(7)) }
        : null;
  const playback = !['search', 'click', 'impression'].includes(type);
  return {
    tenantId: asset.tenantId,
    id: eventId(seed, Math.floor(i / 2 ** 40) & 0xffff, i % 2 ** 40),
    type,
    assetId: type === 'search' ? null : asset.id,
    userToken: consent ? `tok-user-${user}` : null,
    sessionToken: consent ? `tok-s-${user}-${Math.floor(u(9) * 4)}` : null,
    occurredAt,
    receivedAt: occurredAt,
    position: playback ? (type === 'play' ? 0 : Math.floor(u(10) * 3_600_000)) : null,
    search,
    context: {
      device: DEVICES[Math.floor(u(11) * DEVICES.length)]!,
      country: COUNTRIES[Math.floor(u(12) * COUNTRIES.length)]!,
    },
    consent,
    properties: null,
    asset:
      type === 'search'
        ? null
        : {
            type: asset.type,
            sourceSystem: asset.sourceSystem,
            tags: asset.tags,
            topics: [],
            speakers: asset.speakers,
            durationSeconds: 3_600,
          },
  };
}
