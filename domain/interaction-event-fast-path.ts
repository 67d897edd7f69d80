import type { EventContext, InteractionEvent, SearchDetails } from './interaction-events.js';

/**
 * The common shape of an interaction event, checked by hand: zod takes about 20 µs per event, which
 * alone would hold ingest to 50,000 events a second per core. Returns the event exactly as
 * `InteractionEventSchema` would parse it, or null when the event is not plainly valid in this
 * common shape: the caller then asks the schema, which stays the one definition (and gives the
 * reasons). Never accepts what the schema rejects (test/unit/interaction-event-fast-path.test.ts).
 */
export function fastParseEvent(
  item: unknown,
  patterns: { uuid: RegExp; datetime: RegExp },
): InteractionEvent | null {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return null;
  const o = item as Record<string, unknown>;
  for (const key in o) if (!EVENT_KEYS.has(key)) return null;
  const { id, type, assetId, userId, sessionId, occurredAt, position, search, context, consent } = o;
  if (o.properties !== undefined) return null;
  if (typeof id !== 'string' || !patterns.uuid.test(id)) return null;
  if (typeof type !== 'string' || type.length < 1 || type.length > 64) return null;
  if (assetId !== undefined && (typeof assetId !== 'string' || !patterns.uuid.test(assetId))) return null;
  if (userId !== undefined && !trimmed(userId, 128)) return null;
  if (sessionId !== undefined && !trimmed(sessionId, 128)) return null;
  if (typeof occurredAt !== 'string' || !patterns.datetime.test(occurredAt)) return null;
  if (
    position !== undefined &&
    (typeof position !== 'number' ||
      !Number.isSafeInteger(position) ||
      position < 0 ||
      position > MAX_POSITION)
  )
    return null;
  if (consent !== undefined && typeof consent !== 'boolean') return null;
  let ctx: EventContext | undefined;
  if (context !== undefined) {
    ctx = fastContext(context);
    if (!ctx) return null;
  }
  let details: SearchDetails | undefined;
  if (search !== undefined) {
    details = fastSearch(search, patterns.uuid);
    if (!details) return null;
  }
  const event: InteractionEvent = { id, type, occurredAt, consent: consent ?? true };
  if (assetId !== undefined) event.assetId = assetId;
  if (userId !== undefined) event.userId = userId;
  if (sessionId !== undefined) event.sessionId = sessionId;
  if (position !== undefined) event.position = position;
  if (details) event.search = details;
  if (ctx) event.context = ctx;
  return event;
}

const EVENT_KEYS: ReadonlySet<string> = new Set([
  'id',
  'type',
  'assetId',
  'userId',
  'sessionId',
  'occurredAt',
  'position',
  'search',
  'context',
  'consent',
  'properties',
]);
const CONTEXT_KEYS: ReadonlySet<string> = new Set(['device', 'network', 'app', 'referrer', 'country']);
const SEARCH_KEYS: ReadonlySet<string> = new Set(['query', 'resultIds', 'totalHits', 'clickedRank']);
const MAX_POSITION = 7 * 24 * 3600 * 1000;
const COUNTRY = /^[A-Z]{2}$/;

/** A string the schema's `.trim().min(1).max(max)` keeps as it is (already trimmed). */
function trimmed(value: unknown, max: number, min = 1): value is string {
  return typeof value === 'string' && value.length >= min && value.length <= max && value.trim() === value;
}

function fastContext(value: unknown): EventContext | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const c = value as Record<string, unknown>;
  const out: EventContext = {};
  for (const key in c) {
    if (!CONTEXT_KEYS.has(key)) return undefined;
    const v = c[key];
    if (key === 'country') {
      // Upper case already: the schema's upper-casing then changes nothing.
      if (typeof v !== 'string' || !COUNTRY.test(v)) return undefined;
      out.country = v;
    } else if (key === 'referrer') {
      if (!trimmed(v, 2_000)) return undefined;
      out.referrer = v;
    } else {
      if (!trimmed(v, 100)) return undefined;
      out[key as 'device' | 'network' | 'app'] = v;
    }
  }
  return out;
}

function fastSearch(value: unknown, uuid: RegExp): SearchDetails | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const s = value as Record<string, unknown>;
  for (const key in s) if (!SEARCH_KEYS.has(key)) return undefined;
  const { query, resultIds, totalHits, clickedRank } = s;
  if (!trimmed(query, 500, 0)) return undefined;
  const out: SearchDetails = { query };
  if (resultIds !== undefined) {
    if (!Array.isArray(resultIds) || resultIds.length > 100) return undefined;
    for (const r of resultIds) if (typeof r !== 'string' || !uuid.test(r)) return undefined;
    out.resultIds = resultIds as string[];
  }
  if (totalHits !== undefined) {
    if (typeof totalHits !== 'number' || !Number.isSafeInteger(totalHits) || totalHits < 0) return undefined;
    out.totalHits = totalHits;
  }
  if (clickedRank !== undefined) {
    if (
      typeof clickedRank !== 'number' ||
      !Number.isSafeInteger(clickedRank) ||
      clickedRank < 1 ||
      clickedRank > 100
    )
      return undefined;
    out.clickedRank = clickedRank;
  }
  return out;
}
