import { z } from 'zod';

/**
 * Ingress controllers: feeds a tenant's assets are pulled from on a schedule (docs/connectors.md).
 * Each kind has a configuration schema of its own; this is the one definition behind validation,
 * the stored configuration's type and the OpenAPI contract.
 */
export const CONTROLLER_KINDS = ['mrss', 'json-feed', 'rest-listing'] as const;
export type ControllerKind = (typeof CONTROLLER_KINDS)[number];

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

export const CONTROLLER_CONFIG_SCHEMAS = {
  mrss: MrssConfigSchema,
  'json-feed': JsonFeedConfigSchema,
  'rest-listing': RestListingConfigSchema,
} as const satisfies Record<ControllerKind, z.ZodType>;

export type MrssConfig = z.output<typeof MrssConfigSchema>;
export type JsonFeedConfig = z.output<typeof JsonFeedConfigSchema>;
export type RestListingConfig = z.output<typeof RestListingConfigSchema>;
export type ControllerConfig = MrssConfig | JsonFeedConfig | RestListingConfig;

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
}

/** The default sourceSystem of a controller: its kind and its feed's host. */
export function defaultSourceSystem(kind: ControllerKind, url: string): string {
  let host = 'unknown';
  try {
    host = new URL(url).hostname;
  } catch {
    // The URL is checked elsewhere; a name is still given.
  }
  return `${kind}:${host}`.slice(0, 100);
}
