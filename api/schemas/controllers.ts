import { z } from 'zod';
import { PreviousSecretExpiresAt } from './webhooks.js';
import {
  CONTROLLER_DIRECTIONS,
  CONTROLLER_HEALTH,
  CONTROLLER_KINDS,
  DEFAULT_SYNC_INTERVAL_MINUTES,
  directionOf,
  JsonFeedConfigSchema,
  LOGGING_LEVELS,
  MAX_SYNC_INTERVAL_MINUTES,
  MrssConfigSchema,
  PartnerPushConfigSchema,
  RestListingConfigSchema,
  RUN_STATUSES,
  SidecarFolderConfigSchema,
  WatchedFolderConfigSchema,
} from '../../domain/controllers.js';
import type { Controller, ControllerRun } from '../../store/controllers-repository.js';
import { limitParam } from './common.js';

const name = z.string().trim().min(1).max(100).describe('What the controller pulls in, in words.');
const syncIntervalMinutes = z
  .number()
  .int()
  .min(1)
  .max(MAX_SYNC_INTERVAL_MINUTES)
  .describe(
    `Minutes between the starts of two scheduled syncs (default ${DEFAULT_SYNC_INTERVAL_MINUTES}). A change takes effect at the schedule's next tick, without a restart.`,
  );
const loggingLevel = z
  .enum(LOGGING_LEVELS)
  .describe(
    "The controller's own log lines at and above this level: info (each run's counts), warning (items refused), error (failed runs), critical (a configuration no longer valid).",
  );
const enabled = z
  .boolean()
  .describe('A disabled controller is not synced on schedule; POST …/sync still runs it.');

const common = {
  name,
  syncIntervalMinutes: syncIntervalMinutes.optional(),
  loggingLevel: loggingLevel.optional(),
  enabled: enabled.optional(),
};

export const NewControllerBody = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('mrss'), configuration: MrssConfigSchema, ...common }).strict(),
    z.object({ kind: z.literal('json-feed'), configuration: JsonFeedConfigSchema, ...common }).strict(),
    z.object({ kind: z.literal('rest-listing'), configuration: RestListingConfigSchema, ...common }).strict(),
    z
      .object({ kind: z.literal('watched-folder'), configuration: WatchedFolderConfigSchema, ...common })
      .strict(),
    z.object({ kind: z.literal('partner-push'), configuration: PartnerPushConfigSchema, ...common }).strict(),
    z
      .object({ kind: z.literal('sidecar-folder'), configuration: SidecarFolderConfigSchema, ...common })
      .strict(),
  ])
  .meta({
    id: 'NewController',
    examples: [
      {
        name: 'Brightcove library',
        kind: 'mrss',
        configuration: { url: 'https://feeds.example.com/library.rss' },
        syncIntervalMinutes: 15,
        loggingLevel: 'info',
      },
      {
        name: 'Partner inbox',
        kind: 'watched-folder',
        configuration: { path: 'partners/acme/inbox', whenGone: 'archive' },
        syncIntervalMinutes: 5,
      },
      {
        name: 'Acme enrichment feed',
        kind: 'partner-push',
        configuration: { url: 'https://partner.example.com/hooks/enrichment', batchSize: 100 },
      },
      {
        name: 'Sidecars for the archive',
        kind: 'sidecar-folder',
        configuration: { path: 'exports/sidecars' },
      },
    ],
  });

export const ControllerPatchBody = z
  .object({
    name: name.optional(),
    configuration: z
      .record(z.string(), z.unknown())
      .optional()
      .describe(
        "A whole new configuration, checked against the controller's kind; a new URL starts the feed afresh.",
      ),
    syncIntervalMinutes: syncIntervalMinutes.optional(),
    loggingLevel: loggingLevel.optional(),
    enabled: enabled.optional(),
  })
  .strict()
  .meta({ id: 'ControllerPatch', examples: [{ syncIntervalMinutes: 60 }, { enabled: false }] });

export const RunCountsSchema = z
  .object({
    new: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    failed: z.number().int(),
    gone: z
      .number()
      .int()
      .describe(
        "Items that left the feed since the run before; what becomes of their assets is the configuration's `whenGone`.",
      ),
    archived: z.number().int().describe('Assets of gone items archived (`whenGone: archive`).'),
    deleted: z.number().int().describe('Assets of gone items deleted (`whenGone: delete`).'),
    pushed: z
      .number()
      .int()
      .describe('Egress (partner-push): records the partner acknowledged, deletion records included.'),
    written: z
      .number()
      .int()
      .describe(
        'Egress (sidecar-folder): sidecar files written, or removed for deleted and archived assets.',
      ),
  })
  .meta({ id: 'ControllerRunCounts' });

export const ControllerRunSchema = z
  .object({
    id: z.uuid(),
    controllerId: z.uuid(),
    trigger: z.enum(['schedule', 'manual']),
    status: z
      .enum(RUN_STATUSES)
      .describe('INTERRUPTED: the process running it stopped; the next run took the controller over.'),
    startedAt: z.iso.datetime(),
    finishedAt: z.iso.datetime().nullable(),
    durationMs: z.number().int().nullable(),
    fetchMs: z.number().int().nullable().describe('Of durationMs, the time spent fetching pages.'),
    notModified: z.boolean().describe('The feed answered 304 Not Modified: every item unchanged.'),
    pages: z.number().int().describe('Pages read (ingress), or batches delivered (egress).'),
    counts: RunCountsSchema,
    error: z.string().nullable(),
    failures: z
      .array(z.object({ sourceId: z.string(), error: z.string() }))
      .describe('The first items refused, with why.'),
  })
  .meta({ id: 'ControllerRun' });

export const ControllerSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    kind: z.enum(CONTROLLER_KINDS),
    direction: z
      .enum(CONTROLLER_DIRECTIONS)
      .describe('ingress: pulls assets in from a source; egress: pushes assets’ enrichment out.'),
    configuration: z.record(z.string(), z.unknown()),
    sourceSystem: z
      .string()
      .describe(
        "The assets' sourceSystem; with each item's id, what makes syncs idempotent (egress kinds: a name only).",
      ),
    syncIntervalMinutes: z.number().int(),
    loggingLevel: z.enum(LOGGING_LEVELS),
    enabled: z.boolean(),
    health: z
      .enum(CONTROLLER_HEALTH)
      .describe(
        'unknown until the first run ends; unhealthy while its last run failed (lastError says why).',
      ),
    lastSyncAt: z.iso.datetime().nullable().describe('When its last successful run ended.'),
    lastRunAt: z.iso
      .datetime()
      .nullable()
      .describe('When its last run started; the interval counts from it.'),
    lastError: z.string().nullable(),
    syncing: z.boolean().describe('A run holds the controller now.'),
    createdBy: z.string(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Controller' });

export const NewControllerSchema = z
  .object({
    ...ControllerSchema.shape,
    secret: z
      .string()
      .optional()
      .describe(
        'partner-push only: the secret its requests are signed with, as webhooks are (`whsec_…`, docs/webhooks.md). Shown this once; keep it where the partner verifies signatures.',
      ),
  })
  .meta({ id: 'NewControllerResult' });

export const RotatedSecretSchema = z
  .object({
    ...ControllerSchema.shape,
    secret: z
      .string()
      .describe(
        'The new secret requests are signed with from now on (`whsec_…`), in place of the old one. Shown this once.',
      ),
    previousSecretExpiresAt: PreviousSecretExpiresAt,
  })
  .meta({ id: 'RotatedControllerSecret' });

export const ControllerListSchema = z
  .object({ items: z.array(ControllerSchema) })
  .meta({ id: 'ControllerList' });

export const ControllerRunPageSchema = z
  .object({ items: z.array(ControllerRunSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'ControllerRunPage' });

export const RunListQuery = z.object({
  limit: limitParam(20),
  cursor: z.string().max(500).optional(),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const controllerDto = (c: Controller, now = new Date()): z.output<typeof ControllerSchema> => ({
  id: c.id,
  name: c.name,
  kind: c.kind,
  direction: directionOf(c.kind),
  configuration: c.config,
  sourceSystem: c.sourceSystem,
  syncIntervalMinutes: c.syncIntervalMinutes,
  loggingLevel: c.loggingLevel,
  enabled: c.enabled,
  health: c.health,
  lastSyncAt: iso(c.lastSyncAt),
  lastRunAt: iso(c.lastRunAt),
  lastError: c.lastError,
  syncing: c.leaseUntil !== null && c.leaseUntil > now,
  createdBy: c.createdBy,
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt.toISOString(),
});

export const controllerRunDto = (r: ControllerRun): z.output<typeof ControllerRunSchema> => ({
  id: r.id,
  controllerId: r.controllerId,
  trigger: r.trigger,
  status: r.status,
  startedAt: r.startedAt.toISOString(),
  finishedAt: iso(r.finishedAt),
  durationMs: r.durationMs,
  fetchMs: r.fetchMs,
  notModified: r.notModified,
  pages: r.pages,
  counts: r.counts,
  error: r.error,
  failures: r.failures,
});
