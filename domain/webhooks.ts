import type { DerivedEventPayload, OutboxEvent, OutboxEvents } from './events.js';

/** The events a webhook can subscribe to. */
export const WEBHOOK_EVENTS = [
  'asset.created',
  'asset.enriched',
  'asset.updated',
  'asset.failed',
  'asset.deleted',
  'tags.changed',
  'asset.watched',
  'asset.playback-error',
  'comment.created',
  'comment.status_changed',
  'metadata.anomaly',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

/**
 * A test delivery (POST /v1/webhooks/{id}/test): sent to one webhook on request, never subscribed
 * to, signed and logged like any other delivery.
 */
export const WEBHOOK_TEST_EVENT = 'webhook.test';
/** What a delivery announces: a subscribed event, or a test. */
export type DeliveryEventType = WebhookEventType | typeof WEBHOOK_TEST_EVENT;
export const DELIVERY_EVENTS = [...WEBHOOK_EVENTS, WEBHOOK_TEST_EVENT] as const;

/** What each event's `data` holds. Thin on purpose: receivers read the asset through the API. */
export interface WebhookEventData {
  'asset.created': { assetId: string; version: number };
  'asset.enriched': { assetId: string; version: number };
  'asset.updated': { assetId: string; version: number; fields: string[] };
  'asset.failed': { assetId: string; version: number; error: string };
  'asset.deleted': { assetId: string; version: number; purged: boolean };
  'tags.changed': { assetId: string; version: number; fields: string[] };
  'asset.watched': DerivedEventPayload;
  'asset.playback-error': OutboxEvents['asset.playback-error'];
  'comment.created': OutboxEvents['comment.created'];
  'comment.status_changed': OutboxEvents['comment.status_changed'];
  'metadata.anomaly': OutboxEvents['metadata.anomaly'];
}

export type WebhookEvent = {
  [T in WebhookEventType]: { type: T; data: WebhookEventData[T] };
}[WebhookEventType];

/**
 * Fields of an asset version diff that are its tags and entities. An editor's change to any of
 * them is `tags.changed`; a change to anything else is `asset.updated` (a rollback can be both).
 * Moments are here because only renames of speakers change them after enrichment.
 */
const TAG_FIELD =
  /^(tags|speakers|enrichment\.(tags|topics|speakers|brands|keywords|moments|suppressedTags|overrides))$/;

export const isTagField = (field: string): boolean => TAG_FIELD.test(field);

/** The webhook events an outbox event announces: none, one, or (an edit of tags and more) two. */
export function webhookEventsFor(event: OutboxEvent): WebhookEvent[] {
  switch (event.type) {
    case 'asset.ingested': {
      const { assetId, version } = event.payload;
      return [{ type: 'asset.created', data: { assetId, version } }];
    }
    case 'asset.enriched': {
      const { assetId, version } = event.payload;
      return [{ type: 'asset.enriched', data: { assetId, version } }];
    }
    case 'asset.updated': {
      const { assetId, version, fields } = event.payload;
      // An event from before `fields` existed: all that is known is that the asset changed.
      if (!fields) return [{ type: 'asset.updated', data: { assetId, version, fields: [] } }];
      const tags = fields.filter(isTagField);
      const other = fields.filter((f) => !isTagField(f));
      const out: WebhookEvent[] = [];
      if (tags.length > 0) out.push({ type: 'tags.changed', data: { assetId, version, fields: tags } });
      // A new version that changed nothing (a rollback to the current state) is still an update.
      if (other.length > 0 || tags.length === 0)
        out.push({ type: 'asset.updated', data: { assetId, version, fields: other } });
      return out;
    }
    case 'asset.failed': {
      const { assetId, version, error } = event.payload;
      return [{ type: 'asset.failed', data: { assetId, version, error } }];
    }
    case 'asset.deleted': {
      const { assetId, version, purged } = event.payload;
      return [{ type: 'asset.deleted', data: { assetId, version, purged } }];
    }
    case 'asset.watched':
      return [{ type: 'asset.watched', data: event.payload }];
    case 'asset.playback-error':
      return [{ type: 'asset.playback-error', data: event.payload }];
    case 'comment.created':
      return [{ type: 'comment.created', data: event.payload }];
    case 'comment.status_changed':
      return [{ type: 'comment.status_changed', data: event.payload }];
    case 'metadata.anomaly':
      return [{ type: 'metadata.anomaly', data: event.payload }];
    case 'asset.enrichment-requested':
    case 'asset.feedback-changed':
    case 'labels.training-due':
    case 'background-job.created':
    case 'webhook.delivery-requested':
      return [];
  }
}

/** Where an event stands among its asset's events, and which change it announces. */
export interface EventOrder {
  /** The outbox event's id: the same for every webhook told of this change. */
  eventId: number;
  /** The asset's event number (null for events written before numbering). */
  sequence: number | null;
}

/**
 * The body of a delivery, as in the Standard Webhooks spec: `type`, `timestamp` (when the event
 * happened) and `data`, with the event's id and the asset's `sequence` number in `data`: receivers
 * compare sequences to put an asset's events in order, since deliveries may arrive out of it.
 */
export function webhookBody(event: WebhookEvent, occurredAt: Date, order: EventOrder): string {
  const data = {
    ...event.data,
    eventId: String(order.eventId),
    ...(order.sequence !== null ? { sequence: order.sequence } : {}),
  };
  return JSON.stringify({ type: event.type, timestamp: occurredAt.toISOString(), data });
}

/** The body of a test delivery: the same envelope as an event's, naming the webhook it tests. */
export function webhookTestBody(webhookId: string, requestedAt: Date, eventId: number): string {
  const data = { webhookId, eventId: String(eventId), test: true };
  return JSON.stringify({ type: WEBHOOK_TEST_EVENT, timestamp: requestedAt.toISOString(), data });
}
