import type { OutboxEventType } from './events.js';

/**
 * What the change log (GET /v1/changes, docs/change-feeds.md) says happened to an asset. Each change
 * of an asset is one entry, written with the change's outbox event in the same transaction.
 */
export const ASSET_CHANGE_TYPES = [
  'ingested',
  'enriched',
  'updated',
  'archived',
  'restored',
  'failed',
  'deleted',
  'purged',
  'erased',
] as const;
export type AssetChangeType = (typeof ASSET_CHANGE_TYPES)[number];

/** The changes an `asset.updated` event stands for when its writer names one; else `updated`. */
export type UpdateChangeType = Extract<AssetChangeType, 'archived' | 'restored' | 'erased'>;

/** One entry of a tenant's change log. */
export interface AssetChange {
  /** Where the entry is in the log: resume after it with this. */
  cursor: string;
  assetId: string;
  change: AssetChangeType;
  /** The asset's version after the change (a purge: one past its last). */
  version: number;
  /** What an update changed (e.g. `title`, `enrichment.tags`), when known. */
  fields: string[] | null;
  changedAt: Date;
}

/**
 * The log entry an outbox event stands for, or null for events that change no asset (a delivery,
 * a training run, an enrichment request).
 */
export function changeTypeOf(event: {
  type: OutboxEventType;
  payload: unknown;
  change?: UpdateChangeType;
}): AssetChangeType | null {
  switch (event.type) {
    case 'asset.ingested':
      return 'ingested';
    case 'asset.enriched':
      return 'enriched';
    case 'asset.updated':
      return event.change ?? 'updated';
    case 'asset.failed':
      return 'failed';
    case 'asset.deleted':
      return (event.payload as { purged?: boolean }).purged ? 'purged' : 'deleted';
    // Comments are about an asset, not part of it: a mirror of the library does not carry them.
    case 'comment.created':
    case 'comment.status_changed':
    case 'asset.feedback-changed':
    case 'metadata.anomaly':
    case 'asset.enrichment-requested':
    case 'labels.training-due':
    case 'background-job.created':
    case 'asset.watched':
    case 'asset.playback-error':
    case 'webhook.delivery-requested':
      return null;
  }
}
