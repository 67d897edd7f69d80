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
  /** Enrichment failed on its last attempt: the asset is FAILED. */
  'asset.failed': { assetId: string; version: number; error: string };
  /** Someone asked for an asset to be enriched again (retry, backfill); `nonce` makes it a new job. */
  'asset.enrichment-requested': { assetId: string; version: number; nonce: string };
  /** The tenant's label models are missing or old; `bucket` lets one training run per period. */
  'labels.training-due': { bucket: number };
  /** A background job (backfill, bulk edit) was created. */
  'background-job.created': { jobId: string; kind: string };
  /** A webhook delivery is to be sent; `run` counts redeliveries, so each one is a new job. */
  'webhook.delivery-requested': { deliveryId: string; run: number };
}
export type OutboxEventType = keyof OutboxEvents;

/**
 * The events a webhook can announce about an asset. Each gets the asset's next `sequence` number
 * in the transaction that writes it (store/outbox-repository.ts), so numbers follow commit order.
 */
export const SEQUENCED_EVENT_TYPES = [
  'asset.ingested',
  'asset.enriched',
  'asset.updated',
  'asset.failed',
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
  };
}[OutboxEventType];
