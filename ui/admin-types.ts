/**
 * The shapes of the /v1 API that the settings, imports and saved-search screens read: a hand-kept
 * subset of openapi/openapi.json, beside types.ts so the screens can grow apart from search.
 */
export const ROLES = ['ADMIN', 'CONTENT_MANAGER', 'EDITOR', 'DEVELOPER', 'VIEWER'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'assets:read',
  'assets:write',
  'search:read',
  'tags:write',
  'jobs:manage',
  'keys:manage',
  'export:read',
  'webhooks:manage',
  'workflows:manage',
  'taxonomy:manage',
  /** Sending interaction events: what a player or page carries (an ingest-only key holds only this). */
  'events:write',
  /** Reading the metrics of interaction events and of the pipeline. */
  'metrics:read',
  'masking:resolve',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READ: Permission[] = ['assets:read', 'search:read'];

/** The server's permission matrix (domain/permissions.ts), to offer only what a key may grant. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  ADMIN: PERMISSIONS,
  CONTENT_MANAGER: [
    ...READ,
    'assets:write',
    'tags:write',
    'jobs:manage',
    'export:read',
    'taxonomy:manage',
    'metrics:read',
  ],
  EDITOR: [...READ, 'assets:write', 'tags:write'],
  DEVELOPER: [...READ, 'keys:manage', 'webhooks:manage', 'jobs:manage', 'events:write', 'metrics:read'],
  VIEWER: READ,
};

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
  'tags.changed',
  'asset.watched',
  'asset.playback-error',
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
