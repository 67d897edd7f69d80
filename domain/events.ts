/** Events written to the outbox in the same transaction as the change they announce. */
export interface OutboxEvents {
  /** New content to enrich. */
  'asset.ingested': { assetId: string; version: number };
  /** Canonical asset changed in a way the projections must reflect. */
  'asset.enriched': { assetId: string; version: number };
}
export type OutboxEventType = keyof OutboxEvents;

export interface OutboxEvent<T extends OutboxEventType = OutboxEventType> {
  id: number;
  tenantId: string;
  type: T;
  aggregateId: string;
  payload: OutboxEvents[T];
}
