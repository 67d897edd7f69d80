import { z } from 'zod';
import { EDITABLE_TYPES } from '../../domain/tag-overrides.js';
import type { BackgroundJob, JobChange } from '../../store/background-jobs-repository.js';
import type { ProcessingJob } from '../../store/processing-jobs-repository.js';
import { limitParam } from './common.js';

const JOB_STATUSES = ['QUEUED', 'RUNNING', 'RETRYING', 'COMPLETED', 'FAILED'] as const;
const CHANGE_OUTCOMES = ['CHANGED', 'UNCHANGED', 'SKIPPED'] as const;

const EntityRefs = z.array(z.object({ name: z.string(), type: z.enum(EDITABLE_TYPES) }));

const BulkTagJobSchema = z
  .object({
    add: EntityRefs,
    remove: EntityRefs,
    lock: EntityRefs,
    unlock: EntityRefs,
    q: z.string().nullable().describe('The search query that named the assets, if any.'),
    filters: z.record(z.string(), z.unknown()).nullable().describe('The search filters, if any.'),
    matched: z.number().int().describe('How many assets the change named when it started.'),
  })
  .meta({ id: 'BulkTagJob' });

const LifecycleJobSchema = z
  .object({
    at: z.iso.datetime().describe('The clock every asset is weighed at (a preview at it lists the same).'),
    trigger: z.enum(['manual', 'schedule']),
    archived: z.number().int(),
    deleted: z.number().int(),
    skipped: z.number().int().describe('Under legal hold, or still being enriched.'),
  })
  .meta({ id: 'LifecycleJob' });

export const JobSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(['enrichment', 'background']),
    status: z.enum(JOB_STATUSES),
    progressPercent: z.number().min(0).max(100),
    assetId: z.uuid().nullable(),
    assetTitle: z
      .string()
      .nullable()
      .optional()
      .describe("For enrichment runs: the asset's title now (null once the asset is gone)."),
    assetVersion: z.number().int().nullable(),
    workflow: z.string().nullable(),
    backgroundKind: z
      .string()
      .nullable()
      .describe('For background jobs: what they do, e.g. enrichment-backfill.'),
    capabilitiesRequested: z.array(z.string()),
    capabilitiesCompleted: z.array(z.string()),
    capabilitiesFailed: z.array(z.string()),
    timingsMs: z.record(z.string(), z.number()),
    retryCount: z.number().int(),
    retryConfig: z.record(z.string(), z.unknown()),
    lastError: z.string().nullable(),
    deadLettered: z.boolean().describe('Failed past its last attempt; POST /v1/jobs/{id}/retry revives it.'),
    total: z.number().int().nullable(),
    processed: z.number().int().nullable(),
    bulkTags: BulkTagJobSchema.nullable()
      .optional()
      .describe(
        'For bulk tag changes (backgroundKind tags-bulk): what was asked. The changes: GET /v1/jobs/{id}/changes.',
      ),
    lifecycle: LifecycleJobSchema.nullable()
      .optional()
      .describe(
        'For runs of the lifecycle rules (backgroundKind lifecycle-rules): its clock and counts so far.',
      ),
    createdBy: z.string().optional().describe('For background jobs: who started it.'),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Job' });

export const JobListQuery = z.object({
  status: z.enum(JOB_STATUSES).optional().describe('FAILED lists the dead letters.'),
  kind: z
    .enum(['enrichment', 'background'])
    .optional()
    .describe(
      'enrichment: runs of one asset; background: bulk tag changes, renames, backfills. Both when absent.',
    ),
  backgroundKind: z
    .string()
    .max(100)
    .optional()
    .describe('Only background jobs of this kind, e.g. tags-bulk.'),
  limit: limitParam(20),
  cursor: z.string().max(500).optional(),
});

export const JobPageSchema = z
  .object({ items: z.array(JobSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'JobPage' });

export const JobChangeSchema = z
  .object({
    assetId: z.uuid(),
    title: z.string().nullable().describe('The asset title now; null once the asset is gone.'),
    outcome: z
      .enum(CHANGE_OUTCOMES)
      .describe('CHANGED: a new version; UNCHANGED: it had the change already; SKIPPED: see error.'),
    added: EntityRefs,
    removed: EntityRefs,
    locked: EntityRefs,
    unlocked: EntityRefs,
    version: z.number().int().nullable().describe('The version the change made (or found).'),
    error: z.string().nullable(),
  })
  .meta({ id: 'JobChange' });

export const JobChangesQuery = z.object({
  outcome: z.enum(CHANGE_OUTCOMES).optional(),
  limit: limitParam(50),
  cursor: z.string().max(500).optional(),
});

export const JobChangePageSchema = z
  .object({
    items: z.array(JobChangeSchema),
    nextCursor: z.string().nullable(),
    counts: z.object({ CHANGED: z.number().int(), UNCHANGED: z.number().int(), SKIPPED: z.number().int() }),
  })
  .meta({ id: 'JobChangePage' });

export function jobChangeDto(c: JobChange): z.output<typeof JobChangeSchema> {
  return {
    assetId: c.assetId,
    title: c.title,
    outcome: c.outcome,
    added: c.added as z.output<typeof EntityRefs>,
    removed: c.removed as z.output<typeof EntityRefs>,
    locked: c.locked as z.output<typeof EntityRefs>,
    unlocked: c.unlocked as z.output<typeof EntityRefs>,
    version: c.version,
    error: c.error,
  };
}

export function enrichmentJobDto(j: ProcessingJob): z.output<typeof JobSchema> {
  return {
    id: j.id,
    kind: 'enrichment',
    status: j.status,
    progressPercent: Math.round(j.progress * 100),
    assetId: j.assetId,
    assetTitle: j.assetTitle ?? null,
    assetVersion: j.assetVersion,
    workflow: j.workflow,
    backgroundKind: null,
    capabilitiesRequested: j.capabilitiesRequested,
    capabilitiesCompleted: j.capabilitiesCompleted,
    capabilitiesFailed: j.capabilitiesFailed,
    timingsMs: j.timings,
    retryCount: j.retryCount,
    retryConfig: j.retryConfig,
    lastError: j.lastError,
    deadLettered: j.deadLetteredAt !== null,
    total: null,
    processed: null,
    createdAt: j.createdAt.toISOString(),
    updatedAt: j.updatedAt.toISOString(),
  };
}

export function backgroundJobDto(j: BackgroundJob): z.output<typeof JobSchema> {
  const progress =
    j.status === 'COMPLETED' ? 100 : j.total ? Math.min(100, Math.round((j.processed / j.total) * 100)) : 0;
  return {
    id: j.id,
    kind: 'background',
    status: j.status,
    progressPercent: progress,
    assetId: null,
    assetVersion: null,
    workflow: null,
    backgroundKind: j.kind,
    capabilitiesRequested: [],
    capabilitiesCompleted: [],
    capabilitiesFailed: [],
    timingsMs: {},
    retryCount: 0,
    retryConfig: {},
    lastError: j.lastError,
    deadLettered: false,
    total: j.total,
    processed: j.processed,
    bulkTags: bulkTagsOf(j),
    lifecycle: lifecycleOf(j),
    createdBy: j.createdBy,
    createdAt: j.createdAt.toISOString(),
    updatedAt: j.updatedAt.toISOString(),
  };
}

/** A lifecycle run's clock and counts (its cursor keeps them, committed with each page). */
function lifecycleOf(j: BackgroundJob): z.output<typeof LifecycleJobSchema> | null {
  if (j.kind !== 'lifecycle-rules') return null;
  const p = j.params as { at?: string; trigger?: 'manual' | 'schedule' };
  const c = (j.cursor ?? {}) as { archived?: number; deleted?: number; skipped?: number };
  return {
    at: p.at ?? j.createdAt.toISOString(),
    trigger: p.trigger ?? 'manual',
    archived: c.archived ?? 0,
    deleted: c.deleted ?? 0,
    skipped: c.skipped ?? 0,
  };
}

/** What a bulk tag job was asked to do, from its parameters (without its list of ids). */
function bulkTagsOf(j: BackgroundJob): z.output<typeof BulkTagJobSchema> | null {
  if (j.kind !== 'tags-bulk') return null;
  const p = j.params as {
    patch?: Partial<Record<'add' | 'remove' | 'lock' | 'unlock', z.output<typeof EntityRefs>>>;
    q?: string;
    filters?: Record<string, unknown>;
    ids?: string[];
    matched?: number;
  };
  return {
    add: p.patch?.add ?? [],
    remove: p.patch?.remove ?? [],
    lock: p.patch?.lock ?? [],
    unlock: p.patch?.unlock ?? [],
    q: p.q ?? null,
    filters: p.filters ?? null,
    matched: p.matched ?? p.ids?.length ?? j.total ?? 0,
  };
}
