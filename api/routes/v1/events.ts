import { z } from 'zod';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { BUILT_IN_EVENT_TYPES, EVENT_BATCH_MAX } from '../../../domain/interaction-events.js';
import { ValidationError } from '../../../domain/errors.js';
import type { ApiDeps } from '../../deps.js';
import { MAX_EVENT_TYPES_PER_TENANT } from '../../../services/event-ingest-service.js';
import { authProblems, conflict, notFound, problem, problemResponse } from '../../schemas/common.js';
import {
  EventBatchAcceptedSchema,
  EventBatchBody,
  EventsProblemSchema,
  EventTypeListSchema,
  EventTypeParams,
  EventSettingsSchema,
  eventSettingsDto,
  EventTypeSchema,
  eventTypeDto,
  isEventBatch,
  PutEventSettingsBody,
  PutEventTypeBody,
  UserErasedSchema,
  UserTokenBody,
  UserTokenParams,
  UserTokenSchema,
} from '../../schemas/events.js';

/**
 * A full batch of the largest events (search events listing 100 results) is about 5 MB; typical
 * batches of 1,000 events are under 500 kB. Past this, 413 before the body is read.
 */
export const EVENT_BODY_LIMIT_BYTES = 8 * 1024 * 1024;

/** /v1/events: interaction events in, and the tenant's custom event types. */
const eventRoutes: FastifyPluginCallbackZod<{ deps: Pick<ApiDeps, 'events' | 'eventPrivacy'> }> = (
  app,
  { deps: { events, eventPrivacy } },
  done,
) => {
  app.post(
    '/events',
    {
      config: { permission: 'events:write' },
      bodyLimit: EVENT_BODY_LIMIT_BYTES,
      // Events are judged one by one by the service: the schema documents them, this checks the shape.
      validatorCompiler: () => (data: unknown) =>
        isEventBatch(data)
          ? { value: data }
          : { error: new ValidationError('body.events: a non-empty array of events is required') },
      schema: {
        tags: ['events'],
        operationId: 'postEvents',
        summary: 'Send a batch of interaction events',
        description:
          `At most ${EVENT_BATCH_MAX} events. Each event is judged alone: the valid ones are kept, the others ` +
          'reported by index (`rejected`). 202 once the kept events are durable in the event stream; they reach ' +
          'the metrics within seconds. An event id sent again (a retried batch) is counted once. 400 ' +
          '(`/problems/events-rejected`) when no event is valid, 413 (`/problems/batch-too-large`) past ' +
          `${EVENT_BATCH_MAX} events, 503 when the stream cannot take them (nothing was accepted: retry). See docs/events.md.`,
        security: [{ apiKey: [] }],
        body: EventBatchBody,
        response: {
          202: EventBatchAcceptedSchema,
          ...authProblems,
          400: problemResponse(
            EventsProblemSchema,
            'No event of the batch was valid (`/problems/events-rejected`, `errors` by index), or the body is not a batch.',
          ),
          413: problem(
            `More than ${EVENT_BATCH_MAX} events, or a body over ${EVENT_BODY_LIMIT_BYTES} bytes.`,
          ),
          503: problem(
            'The event stream or the database is unavailable: nothing was accepted. Retry after Retry-After.',
          ),
        },
      },
    },
    async (req, reply) =>
      // The validator passed the events on unjudged (see above): the service judges each.
      reply.code(202).send(await events.ingest(req.principal, (req.body as { events: unknown[] }).events)),
  );

  app.get(
    '/events/types',
    {
      config: { permission: 'events:write' },
      schema: {
        tags: ['events'],
        operationId: 'listEventTypes',
        summary: 'The event types POST /v1/events takes: the built-in ones and those the tenant registered',
        security: [{ apiKey: [] }],
        response: { 200: EventTypeListSchema, ...authProblems },
      },
    },
    async (req) => ({
      builtIn: [...BUILT_IN_EVENT_TYPES],
      items: (await events.listTypes(req.principal.tenantId)).map(eventTypeDto),
    }),
  );

  app.put(
    '/events/types/:name',
    {
      config: { permission: 'events:write' },
      schema: {
        tags: ['events'],
        operationId: 'putEventType',
        summary: 'Register a custom event type (or change its description)',
        description: `A lowercase name that is not a built-in type. A tenant registers at most ${MAX_EVENT_TYPES_PER_TENANT} (409 beyond). Every process takes it within seconds. Audited.`,
        security: [{ apiKey: [] }],
        params: EventTypeParams,
        body: PutEventTypeBody,
        response: {
          200: EventTypeSchema.describe('Updated'),
          201: EventTypeSchema.describe('Registered'),
          409: conflict('the tenant already registered the most event types it may; delete one first.'),
          ...authProblems,
        },
      },
    },
    async (req, reply) => {
      const { type, created } = await events.putType(req.principal, req.params.name, req.body.description);
      return reply.code(created ? 201 : 200).send(eventTypeDto(type));
    },
  );

  app.delete(
    '/events/types/:name',
    {
      config: { permission: 'events:write' },
      schema: {
        tags: ['events'],
        operationId: 'deleteEventType',
        summary: 'Unregister a custom event type',
        description:
          'Events of the type are refused from then on (within seconds in every process); those taken stay. Audited.',
        security: [{ apiKey: [] }],
        params: EventTypeParams,
        response: { 204: z.null().describe('Deleted'), 404: notFound, ...authProblems },
      },
    },
    async (req, reply) => {
      await events.removeType(req.principal, req.params.name);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/events/users/token',
    {
      config: { permission: 'masking:resolve' },
      schema: {
        tags: ['events'],
        operationId: 'getEventUserToken',
        summary: 'The token a userId is stored under',
        description:
          'Events keep the masking token of their userId, never the userId: this gives the token to erase ' +
          '(DELETE /v1/events/users/{userToken}). Nothing is stored or looked up. 503 without MASK_KEY.',
        security: [{ apiKey: [] }],
        body: UserTokenBody,
        response: { 200: UserTokenSchema, ...authProblems },
      },
    },
    async (req) => ({ userToken: await eventPrivacy.userTokenOf(req.principal, req.body.userId) }),
  );

  app.delete(
    '/events/users/:userToken',
    {
      config: { permission: 'masking:resolve' },
      schema: {
        tags: ['events'],
        operationId: 'eraseEventUser',
        summary: "Erase one person's raw events",
        description:
          'Deletes the raw events stored under the token (the tenant only); the metrics keep their counts, ' +
          'which hold no user. Events still in the stream when this runs are stored after it: erase again ' +
          'a minute later to be sure (docs/events.md, "Privacy"). Audited with the token and the count.',
        security: [{ apiKey: [] }],
        params: UserTokenParams,
        response: { 200: UserErasedSchema, ...authProblems },
      },
    },
    async (req) => eventPrivacy.eraseUser(req.principal, req.params.userToken),
  );

  app.get(
    '/events/settings',
    {
      config: { permission: 'masking:resolve' },
      schema: {
        tags: ['events'],
        operationId: 'getEventSettings',
        summary: "The tenant's interaction-event settings (raw-event retention)",
        security: [{ apiKey: [] }],
        response: { 200: EventSettingsSchema, ...authProblems },
      },
    },
    async (req) => eventSettingsDto(await eventPrivacy.getSettings(req.principal)),
  );

  app.put(
    '/events/settings',
    {
      config: { permission: 'masking:resolve' },
      schema: {
        tags: ['events'],
        operationId: 'putEventSettings',
        summary: "Set the tenant's interaction-event settings",
        description:
          'Raw events older than `rawRetentionDays` (1–3650, default 90) are deleted by the retention run ' +
          '(every EVENT_RETENTION_INTERVAL_MS, and at start); the metrics keep their counts. Audited.',
        security: [{ apiKey: [] }],
        body: PutEventSettingsBody,
        response: { 200: EventSettingsSchema, ...authProblems },
      },
    },
    async (req) => eventSettingsDto(await eventPrivacy.putSettings(req.principal, req.body)),
  );
  done();
};

export default eventRoutes;
