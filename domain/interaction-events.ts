import { z } from 'zod';
import { fastParseEvent } from './interaction-event-fast-path.js';

/**
 * Interaction events: what players, pages and partner apps report about how people use the
 * library (playback, search, clicks). Validated here once; the API, the stream and the analytics
 * store all speak these types.
 */

/** The event types every tenant has; a tenant registers more (`CUSTOM_EVENT_TYPE`). */
export const BUILT_IN_EVENT_TYPES = [
  'play',
  'progress',
  'pause',
  'seek',
  'complete',
  'error',
  'search',
  'impression',
  'click',
  'share',
] as const;
export type BuiltInEventType = (typeof BUILT_IN_EVENT_TYPES)[number];

/** A registered custom type's name: lowercase, so it cannot be mistaken for a built-in one by case. */
export const CUSTOM_EVENT_TYPE = /^[a-z][a-z0-9_.-]{0,63}$/;

/** At most this many events in one `POST /v1/events`; more is a 413. */
export const EVENT_BATCH_MAX = 1_000;
/** An event may be reported this long after it happened (the raw retention bounds it too). */
export const EVENT_MAX_AGE_MS = 30 * 24 * 3600 * 1000;
/** …and this far ahead of the server's clock (device clocks drift). */
export const EVENT_MAX_SKEW_MS = 10 * 60 * 1000;
/** Result ids a search event may list. */
export const SEARCH_RESULTS_MAX = 100;

const token = z.string().trim().min(1).max(128);
const short = z.string().trim().min(1).max(100);

export const EventContextSchema = z
  .object({
    device: short.optional(),
    network: short.optional(),
    app: short.optional(),
    referrer: z.string().trim().min(1).max(2_000).optional(),
    /** ISO 3166-1 alpha-2, upper case. */
    country: z
      .string()
      .regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as DE')
      .transform((c) => c.toUpperCase())
      .optional(),
  })
  .strict();
export type EventContext = z.infer<typeof EventContextSchema>;

export const SearchDetailsSchema = z
  .object({
    query: z.string().trim().max(500),
    /** The asset ids shown, in the order shown. */
    resultIds: z.array(z.uuid()).max(SEARCH_RESULTS_MAX).optional(),
    /** How many hits the search had in all (0: a zero-result search). */
    totalHits: z.number().int().nonnegative().optional(),
    /** On a click: the 1-based rank of the clicked result. */
    clickedRank: z.number().int().min(1).max(SEARCH_RESULTS_MAX).optional(),
  })
  .strict();
export type SearchDetails = z.infer<typeof SearchDetailsSchema>;

/** One event as a client sends it. `type` is checked against the tenant's types by `checkEventBatch`. */
export const InteractionEventSchema = z
  .object({
    /** Client-generated, for idempotency: a retried event is counted once. */
    id: z.uuid(),
    type: z.string().min(1).max(64),
    assetId: z.uuid().optional(),
    /** Pseudonymous; replaced by the tenant's masking token before it is stored. */
    userId: token.optional(),
    sessionId: token.optional(),
    occurredAt: z.iso.datetime({ offset: true }),
    /** Playback position in milliseconds. */
    position: z
      .number()
      .int()
      .nonnegative()
      .max(7 * 24 * 3600 * 1000)
      .optional(),
    search: SearchDetailsSchema.optional(),
    context: EventContextSchema.optional(),
    /** false: counted only in anonymous aggregates (no user, no session kept). */
    consent: z.boolean().default(true),
    /** Free properties of custom types: flat, small. */
    properties: z
      .record(z.string().max(64), z.union([z.string().max(500), z.number(), z.boolean()]))
      .refine((p) => Object.keys(p).length <= 20, 'at most 20 properties')
      .optional(),
  })
  .strict();
export type InteractionEvent = z.infer<typeof InteractionEventSchema>;

/** What the analytics store keeps of an asset at the time of the event, to group metrics by. */
export interface EventAssetDims {
  type: string;
  sourceSystem: string;
  tags: string[];
  topics: string[];
  speakers: string[];
  /** Seconds, when known: completion and `asset.watched` need it. */
  durationSeconds: number | null;
}

/**
 * An event as the stream and the analytics store carry it: tenant-scoped, the user replaced by a
 * masking token (null without consent), the asset's dimensions attached.
 */
export interface StoredEvent {
  tenantId: string;
  id: string;
  type: string;
  assetId: string | null;
  userToken: string | null;
  sessionToken: string | null;
  occurredAt: Date;
  receivedAt: Date;
  position: number | null;
  search: SearchDetails | null;
  context: EventContext;
  consent: boolean;
  properties: Record<string, string | number | boolean> | null;
  asset: EventAssetDims | null;
}

/** A reason an event of a batch was not taken, by its index in the batch. */
export interface EventRejection {
  index: number;
  /** JSON pointer into the batch, e.g. `/events/3/occurredAt`. */
  pointer: string;
  detail: string;
}

const BUILT_IN: ReadonlySet<string> = new Set(BUILT_IN_EVENT_TYPES);

/** The schema's own patterns for the fast path, so that both judge ids and times alike. */
const FAST_PATTERNS = (() => {
  const pattern = (schema: z.ZodType) => (schema as { _zod: { pattern?: RegExp } })._zod.pattern;
  const uuid = pattern(InteractionEventSchema.shape.id);
  const datetime = pattern(InteractionEventSchema.shape.occurredAt);
  return uuid && datetime ? { uuid, datetime } : null;
})();

/** Unknown types, bad fields, times out of range: each event judged alone, the valid ones kept. */
export function checkEventBatch(
  raw: readonly unknown[],
  customTypes: ReadonlySet<string>,
  now: Date,
): { valid: { index: number; event: InteractionEvent }[]; rejected: EventRejection[] } {
  const valid: { index: number; event: InteractionEvent }[] = [];
  const rejected: EventRejection[] = [];
  // A plain loop with no closure per event: under tsx each named closure made costs a defineProperty.
  for (let index = 0; index < raw.length; index++) {
    const item = raw[index];
    // The common shape checked by hand first (zod costs 20 µs an event); the schema decides the rest.
    const fast = FAST_PATTERNS ? fastParseEvent(item, FAST_PATTERNS) : null;
    const parsed = fast ? { success: true as const, data: fast } : InteractionEventSchema.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      rejected.push({
        index,
        pointer: `/events/${index}${issue.path.map((p) => `/${String(p)}`).join('')}`,
        detail: issue.message,
      });
      continue;
    }
    const event = parsed.data;
    const problem = timeOrTypeProblem(event, customTypes, now);
    if (problem)
      rejected.push({ index, pointer: `/events/${index}/${problem.field}`, detail: problem.detail });
    else valid.push({ index, event });
  }
  return { valid, rejected };
}

/** What is wrong with a well-formed event's type or time for this tenant now, or null. */
function timeOrTypeProblem(
  event: InteractionEvent,
  customTypes: ReadonlySet<string>,
  now: Date,
): { field: 'type' | 'occurredAt'; detail: string } | null {
  if (!BUILT_IN.has(event.type) && !customTypes.has(event.type))
    return {
      field: 'type',
      detail: `unknown event type "${event.type}": use a built-in type or register it first`,
    };
  const at = Date.parse(event.occurredAt);
  if (at > now.getTime() + EVENT_MAX_SKEW_MS) return { field: 'occurredAt', detail: 'is in the future' };
  if (at < now.getTime() - EVENT_MAX_AGE_MS)
    return { field: 'occurredAt', detail: `is older than ${EVENT_MAX_AGE_MS / 86_400_000} days` };
  return null;
}
