import { z } from 'zod';
import {
  BUILT_IN_EVENT_TYPES,
  CUSTOM_EVENT_TYPE,
  EVENT_BATCH_MAX,
  InteractionEventSchema,
} from '../../domain/interaction-events.js';
import { MAX_EVENT_TYPE_DESCRIPTION } from '../../services/event-ingest-service.js';
import { MAX_RAW_RETENTION_DAYS, type EventSettings } from '../../services/event-privacy-service.js';
import { TOKEN_PATTERN } from '../../domain/masking.js';
import type { EventTypeRecord } from '../../store/interaction-events-repository.js';
import { ProblemSchema } from './common.js';

const exampleEvent = {
  id: '3f1c2a4e-8b7d-4c1e-9a55-0d6e2f4b7a10',
  type: 'progress',
  assetId: '9b2d7c1e-4f3a-4e8b-a1c6-5d0e7f2a9b34',
  userId: 'user-8812',
  sessionId: 'sess-2f9a',
  occurredAt: '2026-12-06T21:30:05.120Z',
  position: 95000,
  context: { device: 'tv', app: 'player-web/4.2', country: 'DE' },
  consent: true,
};

export const InteractionEventDoc = InteractionEventSchema.meta({
  id: 'InteractionEvent',
  description:
    'One interaction event. `type` is a built-in type or one the tenant registered (PUT /v1/events/types/{name}). ' +
    "`userId` and `sessionId` are replaced by the tenant's masking tokens before anything stores them; with " +
    '`consent: false` neither is kept. `assetId` must name an asset of the tenant. `occurredAt` at most 30 days ' +
    'old and 10 minutes ahead. See docs/events.md.',
  examples: [exampleEvent],
});

/**
 * The batch as documented. Its events are judged one by one by the service (a bad event does not
 * fail the batch), so the route validates only that `events` is an array (eventBatchValidator).
 */
export const EventBatchBody = z
  .object({
    events: z
      .array(InteractionEventDoc)
      .min(1)
      .max(EVENT_BATCH_MAX)
      .describe(
        `At most ${EVENT_BATCH_MAX} events (413 past that). Each is judged alone: the valid ones are taken, the others reported by index.`,
      ),
  })
  .meta({ id: 'EventBatch', examples: [{ events: [exampleEvent] }] });

/** The route's validator: a JSON object whose `events` is a non-empty array; each event is the service's. */
export function isEventBatch(body: unknown): body is { events: unknown[] } {
  return (
    typeof body === 'object' &&
    body !== null &&
    Array.isArray((body as { events?: unknown }).events) &&
    (body as { events: unknown[] }).events.length > 0
  );
}

export const EventRejectionSchema = z
  .object({
    index: z.number().int().describe("The event's index in the batch."),
    pointer: z.string().describe('A JSON pointer to the field at fault, e.g. `/events/3/occurredAt`.'),
    detail: z.string(),
  })
  .meta({ id: 'EventRejection' });

export const EventBatchAcceptedSchema = z
  .object({
    accepted: z.number().int().describe('Events taken: durable in the event stream.'),
    rejected: z.array(EventRejectionSchema).describe('The events not taken, by index, and why.'),
  })
  .meta({
    id: 'EventBatchAccepted',
    examples: [
      {
        accepted: 2,
        rejected: [
          {
            index: 1,
            pointer: '/events/1/type',
            detail: 'unknown event type "plya": use a built-in type or register it first',
          },
        ],
      },
    ],
  });

/** 400: a request error (`errors` by field) or a batch of which no event was valid (`errors` by event). */
export const EventsProblemSchema = ProblemSchema.extend({
  errors: z
    .array(
      z.union([
        EventRejectionSchema,
        z.object({ location: z.string(), field: z.string(), message: z.string() }),
      ]),
    )
    .optional()
    .describe(
      '`/problems/events-rejected`: every event by index; `/problems/invalid-request`: each invalid field.',
    ),
}).meta({ id: 'EventsProblem' });

export const EventTypeParams = z.object({
  name: z
    .string()
    .regex(CUSTOM_EVENT_TYPE, 'lowercase letters, digits and _ . - (at most 64, starting with a letter)'),
});

export const PutEventTypeBody = z
  .object({
    description: z
      .string()
      .trim()
      .max(MAX_EVENT_TYPE_DESCRIPTION)
      .default('')
      .describe('What the event means.'),
  })
  .strict()
  .meta({ id: 'PutEventType', examples: [{ description: 'The viewer added the asset to a playlist.' }] });

export const EventTypeSchema = z
  .object({
    name: z.string(),
    description: z.string(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'EventType' });

export const EventTypeListSchema = z
  .object({
    builtIn: z.array(z.enum(BUILT_IN_EVENT_TYPES)).describe('The types every tenant has.'),
    items: z.array(EventTypeSchema).describe('The types this tenant registered, by name.'),
  })
  .meta({ id: 'EventTypeList' });

export const eventTypeDto = (t: EventTypeRecord): z.output<typeof EventTypeSchema> => ({
  name: t.name,
  description: t.description,
  createdAt: t.createdAt.toISOString(),
  updatedAt: t.updatedAt.toISOString(),
});

export const UserTokenParams = z.object({
  userToken: z
    .string()
    .regex(TOKEN_PATTERN, 'tok_ and 32 lowercase hex digits')
    .describe("The person's masking token (POST /v1/events/users/token gives it for a userId)."),
});

export const UserErasedSchema = z
  .object({ erased: z.int().min(0).describe('Raw events deleted.') })
  .meta({ id: 'UserErased' });

export const UserTokenBody = z
  .object({
    userId: z.string().min(1).max(256).describe('The pseudonymous userId the events were sent with.'),
  })
  .strict()
  .meta({ id: 'UserTokenRequest', examples: [{ userId: 'user-8812' }] });

export const UserTokenSchema = z
  .object({ userToken: z.string().describe('The token its events are stored under.') })
  .meta({ id: 'UserToken' });

export const EventSettingsSchema = z
  .object({
    rawRetentionDays: z
      .int()
      .min(1)
      .max(MAX_RAW_RETENTION_DAYS)
      .describe('Days raw events are kept after they occurred; the rollups are kept.'),
    updatedAt: z.iso.datetime().nullable().describe('Null while the tenant keeps the defaults.'),
  })
  .meta({ id: 'EventSettings' });

export const PutEventSettingsBody = z
  .object({ rawRetentionDays: z.int().min(1).max(MAX_RAW_RETENTION_DAYS) })
  .strict()
  .meta({ id: 'PutEventSettings', examples: [{ rawRetentionDays: 30 }] });

export const eventSettingsDto = (s: EventSettings): z.output<typeof EventSettingsSchema> => ({
  rawRetentionDays: s.rawRetentionDays,
  updatedAt: s.updatedAt?.toISOString() ?? null,
});
