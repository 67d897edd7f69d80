import { z } from 'zod';
import { MAX_WEBHOOK_URL_LENGTH } from '../../domain/webhook-url.js';
import {
  DEFAULT_ROTATION_GRACE_SECONDS,
  MAX_ROTATION_GRACE_SECONDS,
} from '../../domain/webhook-signature.js';
import { WEBHOOK_EVENTS, WEBHOOK_TEST_EVENT, type WebhookEventType } from '../../domain/webhooks.js';
import type { Webhook, WebhookDelivery } from '../../store/webhooks-repository.js';
import { limitParam } from './common.js';

const url = z
  .string()
  .trim()
  .min(1)
  .max(MAX_WEBHOOK_URL_LENGTH)
  .describe(
    'Where deliveries are POSTed: http or https, no credentials. Private, loopback and reserved addresses are refused unless the service allows them (WEBHOOK_ALLOW_PRIVATE).',
  );
const events = z
  .array(z.enum(WEBHOOK_EVENTS))
  .min(1)
  .max(WEBHOOK_EVENTS.length * 2)
  .describe('The events to deliver.');
const description = z.string().trim().max(500).describe('What the webhook is for.');

export const NewWebhookBody = z
  .object({
    url,
    events,
    description: description.optional(),
    enabled: z.boolean().optional().describe('Deliveries are made only while enabled; true when absent.'),
  })
  .strict()
  .meta({
    id: 'NewWebhook',
    examples: [{ url: 'https://cms.example.com/hooks/media', events: ['asset.enriched', 'tags.changed'] }],
  });

export const WebhookPatchBody = z
  .object({
    url: url.optional(),
    events: events.optional(),
    description: description.optional(),
    enabled: z.boolean().optional().describe('A disabled webhook gets no deliveries.'),
  })
  .strict()
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'name at least one field to change')
  .meta({ id: 'WebhookPatch', examples: [{ enabled: false }] });

export const WebhookSchema = z
  .object({
    id: z.uuid(),
    url: z.string(),
    events: z.array(z.enum(WEBHOOK_EVENTS)),
    description: z.string(),
    enabled: z.boolean(),
    createdBy: z.string().describe('key:<id> of the key that registered it.'),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Webhook' });

export const CreatedWebhookSchema = WebhookSchema.extend({
  secret: z
    .string()
    .describe(
      'The signing secret (whsec_…), shown this once. Verify each delivery with it (docs/webhooks.md).',
    ),
}).meta({ id: 'CreatedWebhook' });

export const RotateSecretQuery = z.object({
  graceSeconds: z.coerce
    .number()
    .int()
    .min(0)
    .max(MAX_ROTATION_GRACE_SECONDS)
    .optional()
    .describe(
      `How long the old secret keeps signing beside the new one, in seconds (default ${DEFAULT_ROTATION_GRACE_SECONDS}, a day; at most a week; 0: it stops at once).`,
    ),
});

export const PreviousSecretExpiresAt = z.iso
  .datetime()
  .nullable()
  .describe(
    'Until when the old secret signs too: each request carries a signature by each secret (two `v1,` entries in webhook-signature), so the receiver may switch at any time before it. Null: the old secret stopped at once.',
  );

export const RotatedWebhookSecretSchema = WebhookSchema.extend({
  secret: z
    .string()
    .describe('The new signing secret (whsec_…), shown this once. Requests are signed with it from now on.'),
  previousSecretExpiresAt: PreviousSecretExpiresAt,
}).meta({ id: 'RotatedWebhookSecret' });

export const WebhookListSchema = z.object({ items: z.array(WebhookSchema) }).meta({ id: 'WebhookList' });

export const DELIVERY_STATUSES = ['PENDING', 'SUCCEEDED', 'FAILED'] as const;

export const DeliverySchema = z
  .object({
    id: z.uuid().describe('The idempotency id: sent as webhook-id on every attempt and redelivery.'),
    webhookId: z.uuid(),
    event: z.enum(WEBHOOK_EVENTS),
    status: z
      .enum(DELIVERY_STATUSES)
      .describe('PENDING until the receiver accepts it (SUCCEEDED) or the last attempt fails (FAILED).'),
    attempts: z.number().int().describe('Attempts made, over every redelivery.'),
    redeliveries: z.number().int(),
    lastStatusCode: z.number().int().nullable().describe("The receiver's last HTTP status; null if none."),
    lastError: z.string().nullable(),
    lastResponse: z
      .string()
      .nullable()
      .describe("The start of the receiver's last answer, truncated; the rest is not kept."),
    lastDurationMs: z.number().nullable(),
    payload: z.unknown().describe('The body sent: { type, timestamp, data }.'),
    createdAt: z.iso.datetime(),
    lastAttemptAt: z.iso.datetime().nullable(),
    completedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'WebhookDelivery' });

/** A test delivery (POST /v1/webhooks/{id}/test): a delivery whose event is always webhook.test. */
export const TestDeliverySchema = DeliverySchema.extend({ event: z.literal(WEBHOOK_TEST_EVENT) }).meta({
  id: 'WebhookTestDelivery',
});

export const TestDeliveryParams = z.object({ id: z.uuid(), deliveryId: z.uuid() });

export const DeliveryPageSchema = z
  .object({ items: z.array(DeliverySchema), nextCursor: z.string().nullable() })
  .meta({ id: 'WebhookDeliveryPage' });

export const DeliveryListQuery = z.object({
  status: z.enum(DELIVERY_STATUSES).optional().describe('FAILED lists the dead deliveries.'),
  limit: limitParam(20),
  cursor: z.string().max(500).optional(),
});

export const DeliveryParams = z.object({ id: z.uuid(), deliveryId: z.uuid() });

export const webhookDto = (w: Webhook): z.output<typeof WebhookSchema> => ({
  id: w.id,
  url: w.url,
  events: w.events,
  description: w.description,
  enabled: w.enabled,
  createdBy: w.createdBy,
  createdAt: w.createdAt.toISOString(),
  updatedAt: w.updatedAt.toISOString(),
});

export const deliveryDto = (d: WebhookDelivery): z.output<typeof DeliverySchema> => ({
  ...deliveryFields(d),
  // The listing and redelivery never read test deliveries (the repository keeps them apart).
  event: d.eventType as WebhookEventType,
});

export const testDeliveryDto = (d: WebhookDelivery): z.output<typeof TestDeliverySchema> => ({
  ...deliveryFields(d),
  event: WEBHOOK_TEST_EVENT,
});

const deliveryFields = (d: WebhookDelivery) => ({
  id: d.id,
  webhookId: d.webhookId,
  status: d.status,
  attempts: d.attempts,
  redeliveries: d.redeliveries,
  lastStatusCode: d.lastStatusCode,
  lastError: d.lastError,
  lastResponse: d.lastResponse,
  lastDurationMs: d.lastDurationMs,
  payload: JSON.parse(d.body) as unknown,
  createdAt: d.createdAt.toISOString(),
  lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null,
  completedAt: d.completedAt?.toISOString() ?? null,
});
