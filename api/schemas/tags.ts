import { z } from 'zod';
import { EDITABLE_TYPES } from '../../domain/tag-overrides.js';
import { BULK_TAG_CONFIRM_ABOVE, BULK_TAG_SAMPLE_SIZE } from '../../domain/bulk-tags.js';
import { entityName, entityRefs, entityType } from './entity-refs.js';
import { MAX_BATCH_SIZE } from '../../services/ingest-service.js';
import { SearchQuerySchema } from './search.js';

// In a module of their own: assets.ts takes them too, and this one imports search.ts, which imports assets.ts.
export { entityName, entityRefs, entityType } from './entity-refs.js';

/** The filters of GET /v1/search, as a bulk change takes them: the same names and values. */
export const BulkTagFilters = SearchQuerySchema.pick({
  syntax: true,
  type: true,
  sourceSystem: true,
  status: true,
  tag: true,
  topic: true,
  speaker: true,
  brand: true,
  createdFrom: true,
  createdTo: true,
  durationMin: true,
  durationMax: true,
  resolution: true,
})
  .strict()
  .meta({
    id: 'BulkTagFilters',
    description: 'The filters of GET /v1/search (each list as an array), with `syntax` for how `q` is read.',
  });

const bulkTagsFields = {
  add: entityRefs,
  remove: entityRefs,
  lock: entityRefs,
  unlock: entityRefs,
  ids: z.array(z.uuid()).min(1).max(MAX_BATCH_SIZE).optional().describe('The assets to change.'),
  q: z
    .string()
    .trim()
    .min(1)
    .max(1_000)
    .optional()
    .describe('Or: every asset this search query matches (with `filters`, if given).'),
  filters: BulkTagFilters.optional().describe('Or with q, or alone: every asset these search filters match.'),
};

type BulkTagsShape = {
  ids?: string[] | undefined;
  q?: string | undefined;
  filters?: object | undefined;
  add: unknown[];
  remove: unknown[];
  lock: unknown[];
  unlock: unknown[];
};
const bulkTagsChecks = <T extends z.ZodType<BulkTagsShape>>(schema: T) =>
  schema
    .refine((b) => (b.ids === undefined) !== (b.q === undefined && b.filters === undefined), {
      message: 'name the assets by ids, or by q and/or filters, not both',
    })
    .refine((b) => b.add.length + b.remove.length + b.lock.length + b.unlock.length > 0, {
      message: 'name at least one tag to add, remove, lock or unlock',
    });

export const BulkTagsBody = bulkTagsChecks(
  z
    .object({
      ...bulkTagsFields,
      confirm: z
        .number()
        .int()
        .min(0)
        .optional()
        .describe(
          `Needed when a query matches more than ${BULK_TAG_CONFIRM_ABOVE} assets: the \`matched\` count of the preview. A different count (the matches changed since) answers 409 and changes nothing.`,
        ),
    })
    .strict(),
).meta({ id: 'BulkTags' });

export const BulkTagsPreviewBody = bulkTagsChecks(z.object(bulkTagsFields).strict()).meta({
  id: 'BulkTagsPreviewRequest',
});

const EntityRefOut = z.object({ name: z.string(), type: z.enum(EDITABLE_TYPES) }).meta({ id: 'EntityRef' });

/** What a tag change does, or did, to one asset. */
export const TagChangeSchema = z
  .object({
    assetId: z.uuid(),
    title: z.string().nullable().describe('Null when the asset no longer exists.'),
    added: z.array(EntityRefOut),
    removed: z.array(EntityRefOut),
    locked: z.array(EntityRefOut),
    unlocked: z.array(EntityRefOut),
    skipped: z
      .string()
      .nullable()
      .describe('Why the change does not apply to this asset (a locked tag, say); nothing changes on it.'),
  })
  .meta({ id: 'TagChange' });

export const BulkTagsPreviewSchema = z
  .object({
    matched: z
      .number()
      .int()
      .describe('How many assets the change names. Send it as `confirm` when confirmationRequired.'),
    confirmAbove: z.number().int().describe('Above this many assets by query, `confirm` is needed.'),
    maxAssets: z.number().int().describe('The most assets one bulk change may name.'),
    confirmationRequired: z.boolean(),
    sample: z
      .array(TagChangeSchema)
      .describe(
        `The first ${BULK_TAG_SAMPLE_SIZE} assets, in the job's order, with what would change on each.`,
      ),
  })
  .meta({ id: 'BulkTagsPreview' });

export const TagRenameBody = z
  .object({
    type: entityType,
    from: entityName.describe('The name as assets carry it now (matched ignoring case and accents).'),
    to: entityName.describe('The new name. A change of spelling only (ai → AI) is a rename too.'),
  })
  .strict()
  .meta({ id: 'TagRename' });

export const TagMergeBody = z
  .object({
    type: entityType,
    sources: z.array(entityName).min(1).max(50).describe('The names merged away.'),
    into: entityName.describe("The name they all become; it may be one of the assets' names already."),
  })
  .strict()
  .meta({ id: 'TagMerge' });

export const RenameRuleSchema = z
  .object({ type: z.enum(EDITABLE_TYPES), from: z.string(), to: z.string() })
  .meta({ id: 'TagRenameRule' });
export const RenameRulesSchema = z
  .object({ items: z.array(RenameRuleSchema) })
  .meta({ id: 'TagRenameRules' });
