import { z } from 'zod';
import { EDITABLE_TYPES } from '../../domain/tag-overrides.js';
import { MAX_BATCH_SIZE } from '../../services/ingest-service.js';

export const entityName = z.string().trim().min(1).max(200);
export const entityType = z.enum(EDITABLE_TYPES).default('TAG').describe('The entity type; TAG when absent.');
const EntityRefSchema = z.object({ name: entityName, type: entityType }).strict();
export const entityRefs = z.array(EntityRefSchema).max(100).default([]);

export const BulkTagsBody = z
  .object({
    add: entityRefs,
    remove: entityRefs,
    lock: entityRefs,
    unlock: entityRefs,
    ids: z.array(z.uuid()).min(1).max(MAX_BATCH_SIZE).optional().describe('The assets to change.'),
    q: z.string().trim().min(1).max(1_000).optional().describe('Or: every asset this search query matches.'),
  })
  .strict()
  .refine((b) => (b.ids === undefined) !== (b.q === undefined), {
    message: 'name the assets by ids or by q, not both',
  })
  .refine((b) => b.add.length + b.remove.length + b.lock.length + b.unlock.length > 0, {
    message: 'name at least one tag to add, remove, lock or unlock',
  })
  .meta({ id: 'BulkTags' });

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
