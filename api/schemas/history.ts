import { z } from 'zod';
import { dateTime, INT4_MAX } from '../../domain/ranges.js';
import type { HistoryEntry } from '../../services/curation-service.js';
import type { StoredActionRecord } from '../../store/actions-repository.js';
import type { StoredVersion, VersionEntry } from '../../store/versions-repository.js';
import { limitParam, ProblemSchema, problemResponse } from './common.js';
import { exampleStaleVersion } from './examples.js';

const versionNumber = z.coerce.number().int().min(1).max(INT4_MAX);

export const VersionParams = z.object({ id: z.uuid(), v: versionNumber });

export const VersionListQuery = z.object({ limit: limitParam(20), cursor: z.string().max(500).optional() });

const versionFields = {
  version: z.number().int(),
  changeKind: z
    .enum(['INGEST', 'ENRICHMENT', 'EDIT', 'ROLLBACK'])
    .describe('INGEST created the asset, ENRICHMENT is a worker run, EDIT an editor, ROLLBACK a restore.'),
  changedBy: z.string().describe('key:<id> for API keys, worker:<name> for workers.'),
  reason: z.string().nullable(),
  createdAt: z.iso.datetime(),
};

export const VersionEntrySchema = z
  .object({
    ...versionFields,
    changedByName: z
      .string()
      .describe('Who made the version, by name: the API key’s name, or "enrichment worker".'),
    summary: z
      .string()
      .describe(
        "What the version changed, in words: \"added tag 'climate'; locked tag 'education'\", \"suggested tag 'oceans'; status 'QUEUED' → 'PROCESSED'\", or \"ingested\".",
      ),
  })
  .meta({ id: 'AssetVersionEntry' });

export const VersionPageSchema = z
  .object({ items: z.array(VersionEntrySchema), nextCursor: z.string().nullable() })
  .meta({ id: 'AssetVersionPage' });

export const VersionSchema = z
  .object({
    ...versionFields,
    snapshot: z
      .record(z.string(), z.unknown())
      .describe('The asset as it was at this version, as stored (enrichment in its stored form).'),
  })
  .meta({ id: 'AssetVersion' });

const versionDto = (v: VersionEntry) => ({
  version: v.version,
  changeKind: v.changeKind,
  changedBy: v.changedBy,
  reason: v.reason,
  createdAt: v.createdAt.toISOString(),
});

export const toVersionEntry = (v: HistoryEntry): z.output<typeof VersionEntrySchema> => ({
  ...versionDto(v),
  changedByName: v.changedByName,
  summary: v.summary,
});

export const toVersionDto = (v: StoredVersion): z.output<typeof VersionSchema> => ({
  ...versionDto(v),
  snapshot: v.snapshot,
});

export const FieldChangeSchema = z
  .object({
    field: z.string().describe('A top-level field, or one level down as enrichment.tags.'),
    old: z
      .unknown()
      .describe('The whole old value; for lists, `added`, `removed` and `updated` say what changed.'),
    new: z.unknown(),
    added: z.array(z.unknown()).optional().describe('For lists: the items only the new value has.'),
    removed: z.array(z.unknown()).optional().describe('For lists: the items only the old value had.'),
    updated: z
      .array(z.object({ old: z.unknown(), new: z.unknown() }))
      .optional()
      .describe('For lists: the items on both sides (matched by name) that differ, such as a tag locked.'),
    summary: z
      .string()
      .describe("The change in words, e.g. \"added tag 'climate'; locked tag 'education'\"."),
  })
  .meta({ id: 'FieldChange' });

export const DiffQuery = z.object({
  against: versionNumber
    .optional()
    .describe('The version to compare with; default the one before (for version 1, the empty state).'),
});

export const DiffSchema = z
  .object({
    from: z.number().int().describe('The version compared with; 0 is the empty state before ingest.'),
    to: z.number().int(),
    changes: z.array(FieldChangeSchema).describe('Every field whose value differs, in field order.'),
    summary: z
      .string()
      .describe(
        "The whole change in words, tags as a curator sees them: \"added tag 'climate'; removed tag 'idea'; locked tag 'education'\". Empty when nothing differs.",
      ),
  })
  .meta({ id: 'AssetDiff' });

export const RollbackBody = z
  .object({
    version: versionNumber.describe('The version whose snapshot to restore.'),
    reason: z.string().trim().max(500).optional().describe('Why; kept in the version history and audit.'),
    expectedVersion: versionNumber
      .optional()
      .describe('The current version the rollback is based on, when no If-Match header is sent.'),
  })
  .strict()
  .meta({ id: 'RollbackRequest' });

export const RollbackResultSchema = z
  .object({
    version: z.number().int().describe('The new version that holds the restored state.'),
    restoredFrom: z.number().int(),
    changedFields: z.array(z.string()).describe('What the rollback changed, as in a diff.'),
    summary: z.string().describe('What the rollback changed, in words.'),
  })
  .meta({ id: 'RollbackResult' });

/** 412: the write named a version the asset is no longer at. */
export const StaleVersionProblemSchema = ProblemSchema.extend({
  currentVersion: z.number().int(),
  diff: z
    .array(FieldChangeSchema)
    .describe('What changed from the version the request named to the current one.'),
  summary: z.string().describe('The same change in words, tags as a curator sees them.'),
}).meta({
  id: 'StaleVersionProblem',
  description: 'RFC 9457 problem details for a stale If-Match.',
  examples: [exampleStaleVersion],
});

/** 412 with the current version and what changed since the one the request named. */
export const staleVersion = problemResponse(
  StaleVersionProblemSchema,
  'The asset is no longer at the version the request named; nothing was written. `currentVersion` and `diff` say what changed since.',
);

const ACTION_STATUSES = ['SUCCEEDED', 'FAILED', 'DENIED'] as const;

export const ActionSchema = z
  .object({
    id: z.uuid(),
    assetId: z.uuid().nullable(),
    actionType: z.string().describe('e.g. INGEST, ENRICH, ASSET_LINK, ASSET_ROLLBACK, ACCESS.'),
    direction: z.enum(['INBOUND', 'OUTBOUND', 'INTERNAL']),
    controller: z.string().describe('What ran it: api, or the enrichment workflow.'),
    actor: z.string(),
    status: z.enum(ACTION_STATUSES),
    details: z.record(z.string(), z.unknown()),
    startedAt: z.iso.datetime(),
    durationMs: z.number(),
  })
  .meta({ id: 'ActionRecord' });

export const ActionPageSchema = z
  .object({ items: z.array(ActionSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'ActionRecordPage' });

export const AssetActionsQuery = z.object({ limit: limitParam(20), cursor: z.string().max(500).optional() });

export const ActionListQuery = AssetActionsQuery.extend({
  type: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]{0,63}$/, 'must be an action type such as ASSET_ROLLBACK')
    .optional()
    .describe('Only this action type, e.g. ASSET_ROLLBACK, or ACCESS for denied requests.'),
  from: dateTime().optional().describe('Started at or after.'),
  to: dateTime().optional().describe('Started before.'),
});

export const toActionDto = (a: StoredActionRecord): z.output<typeof ActionSchema> => ({
  id: a.id,
  assetId: a.assetId,
  actionType: a.actionType,
  direction: a.direction,
  controller: a.controller,
  actor: a.actor,
  status: a.status,
  details: a.details,
  startedAt: a.startedAt.toISOString(),
  durationMs: a.durationMs,
});
