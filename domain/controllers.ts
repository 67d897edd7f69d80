import { z } from 'zod';

/**
 * Controllers (docs/connectors.md): ingress controllers pull a tenant's assets from a source on a
 * schedule (feeds, a watched folder); egress controllers push the enrichment of the tenant's changed
 * assets out (a partner's endpoint, a folder of sidecars). Each kind has a configuration schema of
 * its own; this is the one definition behind validation, the stored configuration's type and the
 * OpenAPI contract.
 */
export const INGRESS_KINDS = ['mrss', 'json-feed', 'rest-listing', 'watched-folder'] as const;
export const EGRESS_KINDS = ['partner-push', 'sidecar-folder'] as const;
export const CONTROLLER_KINDS = [...INGRESS_KINDS, ...EGRESS_KINDS] as const;
export type ControllerKind = (typeof CONTROLLER_KINDS)[number];
export type IngressKind = (typeof INGRESS_KINDS)[number];
export type EgressKind = (typeof EGRESS_KINDS)[number];
export const CONTROLLER_DIRECTIONS = ['ingress', 'egress'] as const;
export type ControllerDirection = (typeof CONTROLLER_DIRECTIONS)[number];

export const isEgressKind = (kind: ControllerKind): kind is EgressKind =>
  (EGRESS_KINDS as readonly string[]).includes(kind);
export const directionOf = (kind: ControllerKind): ControllerDirection =>
  isEgressKind(kind) ? 'egress' : 'ingress';

export const LOGGING_LEVELS = ['critical', 'error', 'warning', 'info'] as const;
export type LoggingLevel = (typeof LOGGING_LEVELS)[number];

export const CONTROLLER_HEALTH = ['unknown', 'healthy', 'unhealthy'] as const;
export type ControllerHealth = (typeof CONTROLLER_HEALTH)[number];

export const RUN_STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'INTERRUPTED'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export type RunTrigger = 'schedule' | 'manual';

export const DEFAULT_SYNC_INTERVAL_MINUTES = 15;
/** A week: a feed polled less often than that is better synced on demand. */
export const MAX_SYNC_INTERVAL_MINUTES = 10_080;

const feedUrl = z
  .string()
  .max(2048)
  .describe(
    'The feed: http or https, no credentials. Private, loopback and reserved addresses are refused unless the service allows them (WEBHOOK_ALLOW_PRIVATE), as for webhooks.',
  );
const sourceSystem = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .optional()
  .describe(
    "The assets' sourceSystem; with each item's id it makes a sync idempotent. Default: the kind and the feed's host, e.g. `mrss:videos.example.com`.",
  );
const maxPages = z
  .number()
  .int()
  .min(1)
  .max(1_000)
  .default(100)
  .describe('Pages read at most per sync (a feed paged with next links or cursors).');

export const WHEN_GONE = ['keep', 'archive', 'delete'] as const;
export const WhenGoneSchema = z
  .enum(WHEN_GONE)
  .default('keep')
  .describe(
    "What becomes of an item's asset once the item has left the feed: keep it as it is, archive it (hidden from search and related content, restorable), or delete it (a tombstone; not under legal hold).",
  );

export const MrssConfigSchema = z
  .object({ url: feedUrl, sourceSystem, whenGone: WhenGoneSchema })
  .strict()
  .meta({ id: 'MrssControllerConfig' });

export const JsonFeedConfigSchema = z
  .object({ url: feedUrl, sourceSystem, maxPages, whenGone: WhenGoneSchema })
  .strict()
  .meta({ id: 'JsonFeedControllerConfig' });

export const RestListingConfigSchema = z
  .object({
    url: feedUrl,
    sourceSystem,
    maxPages,
    whenGone: WhenGoneSchema,
    itemsField: z
      .string()
      .min(1)
      .max(100)
      .default('items')
      .describe('The field of a page holding its items.'),
    nextCursorField: z
      .string()
      .min(1)
      .max(100)
      .default('nextCursor')
      .describe('The field of a page holding the cursor of the next page (null or absent on the last page).'),
    cursorParam: z
      .string()
      .min(1)
      .max(100)
      .default('cursor')
      .describe('The query parameter the cursor is sent in.'),
  })
  .strict()
  .meta({ id: 'RestListingControllerConfig' });

/**
 * A folder in the tenant's own folder under the service's CONTROLLER_FOLDER_ROOT
 * (`<root>/<tenant id>/`), written relative to it: no absolute path, no `..`; where it really lies
 * (symbolic links resolved) is checked when the controller is saved and at every run.
 */
const folderPath = z
  .string()
  .trim()
  .min(1)
  .max(1024)
  .refine((p) => !p.startsWith('/') && !p.startsWith('\\') && !/^[a-zA-Z]:/.test(p), {
    message:
      "must be relative to the tenant's folder under the controller folder root (CONTROLLER_FOLDER_ROOT)",
  })
  .refine((p) => !p.split(/[\\/]/).includes('..'), { message: 'must not contain ..' })
  .refine((p) => !p.includes('\0'), { message: 'must not contain a NUL character' });

export const MAX_FOLDER_FILES = 10_000;
export const MAX_SIDECAR_BYTES = 1024 * 1024;

export const WatchedFolderConfigSchema = z
  .object({
    path: folderPath.describe(
      "The folder to watch, relative to the tenant's folder under the service's controller folder root (`<CONTROLLER_FOLDER_ROOT>/<tenant id>/`), e.g. `partners/acme/inbox`. Media files in it and its subfolders become assets; `clip.json` beside `clip.mp4` is the clip's sidecar (title, description, transcript, tags, speakers, contributors, type, publishedAt, thumbnailUrl, durationSeconds). Symbolic links that lead out of the folder are skipped; the folder itself must really lie inside the tenant's folder.",
    ),
    sourceSystem: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .describe(
        "The assets' sourceSystem; with each file's path relative to the folder (its sourceId) it makes a sync idempotent. Default: `watched-folder:` and the folder's path.",
      ),
    whenGone: WhenGoneSchema,
    maxFiles: z
      .number()
      .int()
      .min(1)
      .max(MAX_FOLDER_FILES)
      .default(1_000)
      .describe(
        'Media files read at most per sync, in path order. A folder holding more is read in part, and then marks nothing gone.',
      ),
    maxSidecarBytes: z
      .number()
      .int()
      .min(256)
      .max(MAX_SIDECAR_BYTES)
      .default(64 * 1024)
      .describe('Largest sidecar JSON read; a larger one makes its file a failed item of the run.'),
  })
  .strict()
  .meta({ id: 'WatchedFolderControllerConfig' });

const egressBatchSize = z
  .number()
  .int()
  .min(1)
  .max(500)
  .default(100)
  .describe('Assets per batch: one signed POST (partner push), or files written before the cursor is saved.');
const maxBatches = z
  .number()
  .int()
  .min(1)
  .max(1_000)
  .default(50)
  .describe('Batches sent at most per sync; the next sync goes on from where this one stopped.');

export const PartnerPushConfigSchema = z
  .object({
    url: feedUrl.describe(
      "The partner's endpoint batches are POSTed to: http or https, no credentials. Private, loopback and reserved addresses are refused unless the service allows them (WEBHOOK_ALLOW_PRIVATE), as for webhooks. Each request is signed like a webhook (webhook-id, webhook-timestamp, webhook-signature) with the secret answered once when the controller is created.",
    ),
    batchSize: egressBatchSize,
    maxBatches,
    attempts: z
      .number()
      .int()
      .min(1)
      .max(5)
      .default(3)
      .describe(
        'Attempts per batch within one run (same webhook-id each time). When all fail, the run fails, the controller turns unhealthy and the cursor stays: the next run sends the batch again.',
      ),
  })
  .strict()
  .meta({ id: 'PartnerPushControllerConfig' });

export const SidecarFolderConfigSchema = z
  .object({
    path: folderPath.describe(
      "The folder `<assetId>.json` files are written to, relative to the tenant's folder under the service's controller folder root (`<CONTROLLER_FOLDER_ROOT>/<tenant id>/`). It must exist. Each file is written whole (a temporary file renamed over it); a deleted or archived asset's file is removed.",
    ),
    batchSize: egressBatchSize,
    maxBatches,
  })
  .strict()
  .meta({ id: 'SidecarFolderControllerConfig' });

export const CONTROLLER_CONFIG_SCHEMAS = {
  mrss: MrssConfigSchema,
  'json-feed': JsonFeedConfigSchema,
  'rest-listing': RestListingConfigSchema,
  'watched-folder': WatchedFolderConfigSchema,
  'partner-push': PartnerPushConfigSchema,
  'sidecar-folder': SidecarFolderConfigSchema,
} as const satisfies Record<ControllerKind, z.ZodType>;

export type MrssConfig = z.output<typeof MrssConfigSchema>;
export type JsonFeedConfig = z.output<typeof JsonFeedConfigSchema>;
export type RestListingConfig = z.output<typeof RestListingConfigSchema>;
export type WatchedFolderConfig = z.output<typeof WatchedFolderConfigSchema>;
export type PartnerPushConfig = z.output<typeof PartnerPushConfigSchema>;
export type SidecarFolderConfig = z.output<typeof SidecarFolderConfigSchema>;
export type FeedConfig = MrssConfig | JsonFeedConfig | RestListingConfig;
export type IngressConfig = FeedConfig | WatchedFolderConfig;
export type EgressConfig = PartnerPushConfig | SidecarFolderConfig;
export type ControllerConfig = IngressConfig | EgressConfig;

/** Where the next sync starts; written only by a run that got that far. */
export interface SyncState {
  etag?: string;
  lastModified?: string;
  /** A cursor listing's position: the cursor of the last page read. */
  cursor?: string;
}

/** What one run did, in counts. */
export interface RunCounts {
  new: number;
  updated: number;
  unchanged: number;
  failed: number;
  /** Items that left the feed since the run before. */
  gone: number;
  /** Of those, the assets archived or deleted by the controller's `whenGone`. */
  archived: number;
  deleted: number;
  /** Egress: records a partner acknowledged (changed assets and deletion records). */
  pushed: number;
  /** Egress: sidecar files written or removed. */
  written: number;
}

/** A run's counts before it counted anything. */
export const emptyRunCounts = (): RunCounts => ({
  new: 0,
  updated: 0,
  unchanged: 0,
  failed: 0,
  gone: 0,
  archived: 0,
  deleted: 0,
  pushed: 0,
  written: 0,
});

/** The default sourceSystem of a controller: its kind and its feed's host (a folder: its path). */
export function defaultSourceSystem(kind: ControllerKind, url: string): string {
  if (kind === 'watched-folder' || kind === 'sidecar-folder') return `${kind}:${url}`.slice(0, 100);
  let host = 'unknown';
  try {
    host = new URL(url).hostname;
  } catch {
    // The URL is checked elsewhere; a name is still given.
  }
  return `${kind}:${host}`.slice(0, 100);
}
