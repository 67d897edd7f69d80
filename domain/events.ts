import type { TraceCarrier } from './tracing.js';
/** Events written to the outbox in the same transaction as the change they announce. */
export interface OutboxEvents {
  /** New content to enrich. */
  'asset.ingested': { assetId: string; version: number };
  /** Canonical asset changed in a way the projections must reflect. */
  'asset.enriched': { assetId: string; version: number };
  /**
   * An editor changed the asset (its links, …): the projections must reflect the new version.
   * `fields` names what changed (as in a version diff, e.g. `title`, `enrichment.tags`); events
   * written before it existed lack it.
   */
  'asset.updated': { assetId: string; version: number; fields?: string[] };
  /**
   * The asset was deleted (a tombstone at `version`) or purged (its row gone): the projections drop
   * it. A purge of an asset deleted before announces it again, with `purged`.
   */
  'asset.deleted': { assetId: string; version: number; purged: boolean };
  /** Enrichment failed on its last attempt: the asset is FAILED. */
  'asset.failed': { assetId: string; version: number; error: string };
  /** Someone asked for an asset to be enriched again (retry, backfill); `nonce` makes it a new job. */
  'asset.enrichment-requested': { assetId: string; version: number; nonce: string };
  /** The tenant's label models are missing or old; `bucket` lets one training run per period. */
  'labels.training-due': { bucket: number };
  /** A background job (backfill, bulk edit) was created. */
  'background-job.created': { jobId: string; kind: string };
  /**
   * Derived from interaction events (services/derived-events-service.ts): a person watched an asset
   * (a `complete`, or `progress` past the watched share of its duration), once per session (else
   * user, else event) and asset.
   */
  'asset.watched': DerivedEventPayload;
  /** Derived from an `error` interaction event on an asset, once per event. */
  'asset.playback-error': DerivedEventPayload & {
    properties: Record<string, string | number | boolean> | null;
  };
  /** A comment or reply was made on an asset (services/comment-service.ts). Announced to webhooks only. */
  'comment.created': {
    assetId: string;
    commentId: string;
    parentId: string | null;
    type: string | null;
    status: string | null;
    timestampMs: number | null;
  };
  /** A feedback thread's workflow status or assignee changed. Announced to webhooks only. */
  'comment.status_changed': {
    assetId: string;
    commentId: string;
    from: string;
    to: string;
    /** The assignee's masking token, as comments name people. */
    assigneeToken: string | null;
  };
  /**
   * The asset's time-coded feedback changed (a comment made, edited, deleted, moved in its workflow,
   * or erased with its author): the search projection of the asset is written again, its feedback
   * read from Postgres (issue 27). `revision` is the asset's comment event it follows. Internal:
   * no webhook announces it.
   */
  'asset.feedback-changed': { assetId: string; revision: number };
  /**
   * A metadata record fell outside its kind's tolerance band: the variability helper wrote the
   * `anomaly` record `recordId` about `target` (services/metadata-service.ts). Announced to webhooks only.
   */
  'metadata.anomaly': MetadataAnomalyPayload;
  /** A webhook delivery is to be sent; `run` counts redeliveries, so each one is a new job. */
  'webhook.delivery-requested': { deliveryId: string; run: number };
}
export type OutboxEventType = keyof OutboxEvents;

/** What a `metadata.anomaly` event carries: the anomaly record's id and what it found. */
export interface MetadataAnomalyPayload {
  /** The `anomaly` record's id (GET /v1/metadata/records/query?kind=anomaly). */
  recordId: string;
  target: { type: string; id: string };
  /** The kind and payload field judged, e.g. `sync_result` and `itemCount`. */
  kind: string;
  field: string;
  value: number;
  mean: number;
  lower: number;
  upper: number;
  /** The record judged to be outside the band. */
  sourceRecordId: string;
}

/** What a webhook event derived from an interaction event carries: tokens, never the person. */
export interface DerivedEventPayload {
  assetId: string;
  /** The interaction event's id (`eventId` in a webhook's `data` is the announcement's own). */
  interactionEventId: string;
  userToken: string | null;
  sessionToken: string | null;
  occurredAt: string;
  /** Playback position in milliseconds, when the event had one. */
  position: number | null;
}

/**
 * The events a webhook can announce about an asset. Each gets the asset's next `sequence` number
 * in the transaction that writes it (store/outbox-repository.ts), so numbers follow commit order.
 */
export const SEQUENCED_EVENT_TYPES = [
  'asset.ingested',
  'asset.enriched',
  'asset.updated',
  'asset.failed',
  'asset.deleted',
] as const satisfies readonly OutboxEventType[];

/** A stored event; a union over the types, so that switching on `type` narrows `payload`. */
export type OutboxEvent = {
  [T in OutboxEventType]: {
    id: number;
    tenantId: string;
    type: T;
    aggregateId: string;
    payload: OutboxEvents[T];
    /** The asset's event number, for the SEQUENCED_EVENT_TYPES (null for events written before it). */
    sequence?: number | null;
    /** The trace context of the work that wrote the event, when tracing was on (domain/tracing.ts). */
    trace?: TraceCarrier;
    /** The ids of the requests whose work wrote the event (domain/request-ids.ts). */
    requestIds?: string[];
  };
}[OutboxEventType];
