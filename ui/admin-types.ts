/**
 * The shapes of the /v1 API that the settings, imports and saved-search screens read: a hand-kept
 * subset of openapi/openapi.json, beside types.ts so the screens can grow apart from search.
 */
// The server's one permission matrix, to offer only what a key may grant (pure, bundled as is).
export { PERMISSIONS, ROLES, ROLE_PERMISSIONS, type Permission, type Role } from '../domain/permissions.js';
import type { Permission, Role } from '../domain/permissions.js';

export interface ApiKey {
  id: string;
  name: string;
  /** The first characters of the secret. */
  prefix: string;
  role: Role;
  scopes: Permission[];
  status: 'ACTIVE' | 'REVOKED';
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** GET /v1/me: the signed-in key, and what it may do. */
export interface CurrentKey {
  tenantId: string;
  keyId: string;
  name: string;
  prefix: string;
  role: Role;
  permissions: Permission[];
}

export interface CreatedApiKey extends ApiKey {
  secret: string;
}

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
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export interface Webhook {
  id: string;
  url: string;
  events: WebhookEvent[];
  description: string;
  enabled: boolean;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface CreatedWebhook extends Webhook {
  secret: string;
}

export interface WebhookDelivery {
  id: string;
  webhookId: string;
  event: WebhookEvent;
  status: 'PENDING' | 'SUCCEEDED' | 'FAILED';
  attempts: number;
  redeliveries: number;
  lastStatusCode: number | null;
  lastError: string | null;
  lastDurationMs: number | null;
  createdAt: string;
  lastAttemptAt: string | null;
}

/** POST /v1/webhooks/{id}/test, GET /v1/webhooks/{id}/test/{deliveryId} */
export interface WebhookTestDelivery extends Omit<WebhookDelivery, 'event'> {
  event: 'webhook.test';
}

export interface PipelineMinute {
  minute: string;
  ingested: number;
  enriched: number;
  failed: number;
}

export interface PipelineStatus {
  checkedAt: string;
  idle: boolean;
  assets: {
    total: number;
    STAGED: number;
    QUEUED: number;
    PROCESSING: number;
    PROCESSED: number;
    FAILED: number;
    ARCHIVED: number;
  };
  jobs: { queued: number; running: number; retrying: number };
  outboxPending: number;
  lastIngestAt: string | null;
  minutes: PipelineMinute[];
  rates: { ingestedPerMinute: number; enrichedPerMinute: number; failedPerMinute: number };
  estimatedSecondsLeft: number | null;
}

export interface SavedSearch {
  id: string;
  name: string;
  query: string;
  createdBy: string;
  createdAt: string;
}

/** A rule that archives and deletes assets by age (GET /v1/lifecycle-rules). */
export interface LifecycleRule {
  id: string;
  name: string;
  type: 'VIDEO' | 'IMAGE' | 'AUDIO' | 'TEXT' | null;
  sourceSystem: string | null;
  archiveAfterDays: number | null;
  deleteAfterDays: number | null;
  priority: number;
  active: boolean;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

/** One asset of the dry run (GET /v1/lifecycle-rules/preview). */
export interface LifecyclePreviewItem {
  assetId: string;
  title: string;
  type: string;
  sourceSystem: string;
  action: 'ARCHIVE' | 'DELETE';
  rule: { id: string; name: string };
  ageDays: number;
  thresholdDays: number;
  skipped: 'legal-hold' | 'enriching' | null;
}

export interface LifecyclePreview {
  at: string;
  items: LifecyclePreviewItem[];
  nextCursor: string | null;
}
