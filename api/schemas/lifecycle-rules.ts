import { z } from 'zod';
import { ASSET_TYPES } from '../../domain/asset.js';
import {
  fieldsOf,
  MAX_LIFECYCLE_DAYS,
  thresholdProblem,
  type LifecycleDecision,
  type LifecycleRule,
} from '../../domain/lifecycle-rules.js';
import { limitParam } from './common.js';

const days = (what: string) =>
  z
    .number()
    .int()
    .min(1)
    .max(MAX_LIFECYCLE_DAYS)
    .nullable()
    .describe(
      `${what}, counted from the asset's createdAt (docs/lifecycle.md#lifecycle-rules); null: never.`,
    );

const fields = {
  name: z.string().trim().min(1).max(100).describe('Unique in the tenant.'),
  type: z.enum(ASSET_TYPES).nullable().describe('Only assets of this type; null: any type.'),
  sourceSystem: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .nullable()
    .describe('Only assets from this source system; null: any.'),
  archiveAfterDays: days('Archive assets at least this many days old'),
  deleteAfterDays: days('Delete assets at least this many days old; later than archiveAfterDays'),
  priority: z
    .number()
    .int()
    .min(-1000)
    .max(1000)
    .describe('Of the active rules matching an asset, the highest decides (ties: by name).'),
  active: z.boolean().describe('An inactive rule decides nothing.'),
};

/** Both thresholds given together must make sense (a patch's whole rule is checked by the service). */
const thresholds = (b: { archiveAfterDays?: number | null; deleteAfterDays?: number | null }) =>
  b.archiveAfterDays === undefined ||
  b.deleteAfterDays === undefined ||
  thresholdProblem(b.archiveAfterDays, b.deleteAfterDays) === null;
const THRESHOLDS = {
  message: 'give archiveAfterDays, deleteAfterDays or both, the delete later than the archive',
  path: ['deleteAfterDays'],
};

export const NewLifecycleRuleBody = z
  .object({
    name: fields.name,
    type: fields.type.optional(),
    sourceSystem: fields.sourceSystem.optional(),
    archiveAfterDays: fields.archiveAfterDays.optional(),
    deleteAfterDays: fields.deleteAfterDays.optional(),
    priority: fields.priority.default(0),
    active: fields.active.default(true),
  })
  .strict()
  .refine((b) => thresholds({ archiveAfterDays: null, deleteAfterDays: null, ...b }), THRESHOLDS)
  .meta({
    id: 'NewLifecycleRule',
    examples: [
      {
        name: 'Old raw video',
        type: 'VIDEO',
        sourceSystem: 'TED',
        archiveAfterDays: 365,
        deleteAfterDays: 1825,
      },
    ],
  });

export const LifecycleRulePatchBody = z
  .object({
    name: fields.name.optional(),
    type: fields.type.optional(),
    sourceSystem: fields.sourceSystem.optional(),
    archiveAfterDays: fields.archiveAfterDays.optional(),
    deleteAfterDays: fields.deleteAfterDays.optional(),
    priority: fields.priority.optional(),
    active: fields.active.optional(),
  })
  .strict()
  .refine(thresholds, THRESHOLDS)
  .meta({ id: 'LifecycleRulePatch', examples: [{ active: false }, { archiveAfterDays: 180 }] });

export const LifecycleRuleSchema = z
  .object({
    id: z.uuid(),
    ...fields,
    createdBy: z.string().describe('key:<id> of the key that created it.'),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'LifecycleRule' });

export const LifecycleRuleListSchema = z
  .object({ items: z.array(LifecycleRuleSchema).describe('In the order they are weighed.') })
  .meta({ id: 'LifecycleRuleList' });

export const PreviewQuery = z.object({
  at: z.iso
    .datetime()
    .optional()
    .describe('The clock to weigh the assets at; default now. The cursor keeps the first page’s.'),
  limit: limitParam(50),
  cursor: z.string().max(500).optional(),
});

export const LifecyclePreviewItemSchema = z
  .object({
    assetId: z.uuid(),
    title: z.string(),
    type: z.enum(ASSET_TYPES),
    sourceSystem: z.string(),
    createdAt: z.iso.datetime().describe('What the age is counted from.'),
    action: z.enum(['ARCHIVE', 'DELETE']),
    rule: z.object({ id: z.uuid(), name: z.string() }).describe('The rule that decides.'),
    ageDays: z.number().int(),
    thresholdDays: z.number().int().describe("The rule's archiveAfterDays or deleteAfterDays."),
    skipped: z
      .enum(['legal-hold', 'enriching'])
      .nullable()
      .describe('Why a run leaves it alone for now: under legal hold, or still being enriched.'),
  })
  .meta({ id: 'LifecyclePreviewItem' });

export const LifecyclePreviewSchema = z
  .object({
    at: z.iso.datetime(),
    items: z.array(LifecyclePreviewItemSchema),
    nextCursor: z
      .string()
      .nullable()
      .describe('A page weighs at most 5,000 assets: it may hold fewer items than asked and still go on.'),
  })
  .meta({ id: 'LifecyclePreview' });

export const lifecycleRuleDto = (r: LifecycleRule): z.output<typeof LifecycleRuleSchema> => ({
  id: r.id,
  ...fieldsOf(r),
  createdBy: r.createdBy,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

export const previewItemDto = (d: LifecycleDecision): z.output<typeof LifecyclePreviewItemSchema> => ({
  assetId: d.asset.id,
  title: d.asset.title,
  type: d.asset.type,
  sourceSystem: d.asset.sourceSystem,
  createdAt: d.asset.createdAt.toISOString(),
  action: d.action,
  rule: d.rule,
  ageDays: d.ageDays,
  thresholdDays: d.thresholdDays,
  skipped: d.skipped,
});
