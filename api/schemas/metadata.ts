import { z } from 'zod';
import { dateTime } from '../../domain/ranges.js';
import {
  FILTER_OPS,
  MAX_METADATA_BATCH,
  MAX_METADATA_FILTERS,
  METADATA_NAME,
  parsePathFilter,
  type BulkStoreItem,
  type MetadataRecord,
  type NewMetadataRecord,
  type PathFilter,
} from '../../domain/metadata.js';
import type { KindSchema } from '../../services/metadata-service.js';
import { limitParam } from './common.js';

const name = (what: string) =>
  z
    .string()
    .regex(METADATA_NAME, 'lower-case letters, digits, _ and ., starting with a letter')
    .describe(what);
const jsonObject = z.record(z.string(), z.unknown());

const TargetSchema = z
  .object({
    type: name('What the record describes: asset, controller, job, tenant, index, or another name.'),
    id: z.string().min(1).max(256),
    extras: jsonObject.optional(),
  })
  .strict();

const ContextSchema = z
  .object({
    jobId: z.string().max(256).optional(),
    runId: z.string().max(256).optional(),
    namespace: z.string().max(256).optional(),
    extras: jsonObject.optional(),
  })
  .strict();

export const NewMetadataRecordSchema = z
  .object({
    target: TargetSchema,
    kind: z.string().min(1).max(64).describe("The record's kind; its schema validates `payload`."),
    payload: jsonObject,
    producedAt: dateTime().optional().describe('When the fact held; default now.'),
    producerId: z.string().min(1).max(128).describe('What produced it, e.g. `enrichment.v3`.'),
    context: ContextSchema.optional(),
    version: z.string().max(64).optional(),
    quality: z.number().optional(),
    extras: jsonObject.optional(),
  })
  .strict()
  .meta({
    id: 'NewMetadataRecord',
    examples: [
      {
        target: { type: 'controller', id: '6f1c2a4e-8e55-4c55-9d3c-1d7c1f0e7a11' },
        kind: 'sync_result',
        payload: { status: 'SUCCEEDED', itemCount: 120, ingested: 118, failed: 2 },
        producerId: 'partner.sync.v2',
        extras: { window_start: '2026-12-01T00:00:00Z' },
      },
    ],
  });

export const MetadataRecordsBody = z
  .union([
    NewMetadataRecordSchema,
    z
      .object({ records: z.array(NewMetadataRecordSchema).min(1).max(MAX_METADATA_BATCH) })
      .strict()
      .meta({ id: 'NewMetadataRecordBatch' }),
  ])
  .describe(`One record, or \`records\`: a batch of at most ${MAX_METADATA_BATCH}.`);

export const MetadataRecordSchema = z
  .object({
    id: z.uuid(),
    seq: z.number().int().describe("The record's position in the log (GET /v1/metadata/log)."),
    target: z.object({ type: z.string(), id: z.string(), extras: jsonObject }),
    kind: z.string(),
    schemaVersion: z.string().describe("The version of the kind's schema that validated the payload."),
    payload: jsonObject,
    producedAt: z.iso.datetime(),
    producerId: z.string(),
    context: z.object({
      tenant: z.string(),
      jobId: z.string().optional(),
      runId: z.string().optional(),
      namespace: z.string().optional(),
      extras: jsonObject.optional(),
    }),
    version: z.string().optional(),
    quality: z.number().optional(),
    extras: jsonObject.optional(),
    recordedAt: z.iso.datetime(),
  })
  .meta({ id: 'MetadataRecord' });

export const MetadataBatchResultSchema = z
  .object({
    stored: z.number().int(),
    rejected: z.number().int(),
    items: z.array(
      z.object({
        index: z.number().int(),
        status: z.enum(['stored', 'rejected']),
        record: MetadataRecordSchema.optional(),
        error: z.string().optional(),
      }),
    ),
  })
  .meta({ id: 'MetadataBatchResult' });

export const MetadataPageSchema = z
  .object({ items: z.array(MetadataRecordSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'MetadataRecordPage' });

/** `type:id`, the id taking everything after the first colon. */
const targetParam = z
  .string()
  .regex(/^[a-z][a-z0-9_.]{0,63}:.{1,256}$/s, 'is type:id, e.g. asset:<uuid>')
  .transform((t) => ({ type: t.slice(0, t.indexOf(':')), id: t.slice(t.indexOf(':') + 1) }))
  .describe('The target as `type:id`, e.g. `asset:0b6c…`.');

const windowQuery = {
  from: dateTime().optional().describe('Records produced at or after this.'),
  to: dateTime().optional().describe('Records produced before this.'),
};

export const LatestQuery = z.object({ target: targetParam, kind: z.string().min(1).max(64) });

export const HistoryQuery = z.object({
  target: targetParam,
  kind: z.string().min(1).max(64),
  ...windowQuery,
  limit: limitParam(50),
  cursor: z.string().max(512).optional(),
});

const filterItem = z
  .string()
  .max(400)
  .transform((s, ctx): PathFilter => {
    const parsed = parsePathFilter(s);
    if (typeof parsed === 'string') {
      ctx.addIssue({ code: 'custom', message: parsed });
      return z.NEVER;
    }
    return parsed;
  });

export const RecordsQuery = z.object({
  kind: z.string().min(1).max(64).optional(),
  target: z
    .string()
    .regex(/^[a-z][a-z0-9_.]{0,63}(:.{1,256})?$/s, 'is type or type:id')
    .optional()
    .describe('`type` (every target of a type) or `type:id`.'),
  ...windowQuery,
  filter: z
    .preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(filterItem).max(MAX_METADATA_FILTERS))
    .optional()
    .describe(
      `Up to ${MAX_METADATA_FILTERS} filters \`path:op:value\` on the payload or extras, all to hold: the path is ` +
        '`payload.` or `extras.` and 1 to 5 property names (`extras.window_start`), op one of ' +
        `${FILTER_OPS.join(', ')}; a numeric value compares as a number, true/false as booleans, else as a string.`,
    )
    .meta({ type: 'array', items: { type: 'string' } }),
  limit: limitParam(50),
  cursor: z.string().max(512).optional(),
});

export const LogQuery = z.object({
  kind: z
    .preprocess(
      (v) => (typeof v === 'string' ? v.split(',').filter((s) => s !== '') : v),
      z.array(z.string().min(1).max(64)).max(20),
    )
    .optional()
    .describe('Only records of these kinds (repeated or comma-separated).')
    .meta({ type: 'array', items: { type: 'string' } }),
  after: z
    .string()
    .regex(/^\d{1,15}$/)
    .optional()
    .describe(
      'Resume after this record `seq` (an SSE `id`); the Last-Event-ID header wins over it. Default: from the start.',
    ),
  format: z
    .enum(['sse', 'ndjson'])
    .optional()
    .describe('Default: by Accept (application/x-ndjson), else SSE.'),
  follow: z
    .stringbool()
    .default(false)
    .describe(
      'Keep the stream open and send new records as they commit (true), or end once caught up (the default, as on /v1/changes).',
    )
    .meta({ type: 'boolean' }),
});

export const KindSchemaSchema = z
  .object({
    kind: z.string(),
    version: z.string(),
    builtIn: z.boolean(),
    description: z.string().optional(),
    retentionDays: z
      .number()
      .int()
      .nullable()
      .describe('Rolling window in days; null keeps the full history.'),
    schema: jsonObject,
    forced: z.boolean().describe('Registered although not backward compatible with the version before.'),
    createdBy: z.string().optional(),
    createdAt: z.iso.datetime().optional(),
  })
  .meta({ id: 'MetadataKind' });

export const KindListSchema = z.object({ items: z.array(KindSchemaSchema) }).meta({ id: 'MetadataKindList' });

export const NewKindBody = z
  .object({
    kind: name('The kind, not one of the built-in kinds.'),
    version: z
      .string()
      .regex(/^\d{1,9}\.\d{1,9}\.\d{1,9}$/)
      .describe('Semantic version, higher than the newest.'),
    schema: jsonObject.describe("JSON Schema (draft-07) of the kind's payload."),
    retentionDays: z.number().int().min(1).max(36500).nullable().optional(),
    force: z.boolean().optional().describe('Register although not backward compatible (audited).'),
  })
  .strict()
  .meta({
    id: 'NewMetadataKind',
    examples: [
      {
        kind: 'partner_checksum',
        version: '1.0.0',
        schema: { type: 'object', required: ['ok'], properties: { ok: { type: 'boolean' } } },
        retentionDays: 30,
      },
    ],
  });

export const KindParams = z.object({ kind: z.string().min(1).max(64) });

export const recordDto = (r: MetadataRecord): z.output<typeof MetadataRecordSchema> => ({
  id: r.id,
  seq: r.seq,
  target: r.target,
  kind: r.kind,
  schemaVersion: r.schemaVersion,
  payload: r.payload,
  producedAt: r.producedAt.toISOString(),
  producerId: r.producerId,
  context: r.context,
  ...(r.version !== undefined ? { version: r.version } : {}),
  ...(r.quality !== undefined ? { quality: r.quality } : {}),
  ...(r.extras !== undefined ? { extras: r.extras } : {}),
  recordedAt: r.recordedAt.toISOString(),
});

export const batchDto = (items: BulkStoreItem[]): z.output<typeof MetadataBatchResultSchema> => ({
  stored: items.filter((i) => i.status === 'stored').length,
  rejected: items.filter((i) => i.status === 'rejected').length,
  items: items.map((i) =>
    i.status === 'stored'
      ? { index: i.index, status: i.status, record: recordDto(i.record) }
      : { index: i.index, status: i.status, error: i.error },
  ),
});

export const kindDto = (k: KindSchema): z.output<typeof KindSchemaSchema> => ({
  kind: k.kind,
  version: k.version,
  builtIn: k.builtIn,
  ...(k.description ? { description: k.description } : {}),
  retentionDays: k.retentionDays,
  schema: k.schema,
  forced: k.forced,
  ...(k.createdBy ? { createdBy: k.createdBy } : {}),
  ...(k.createdAt ? { createdAt: k.createdAt.toISOString() } : {}),
});

export const toNewRecord = (r: z.output<typeof NewMetadataRecordSchema>): NewMetadataRecord => ({
  ...r,
  producedAt: r.producedAt ? new Date(r.producedAt) : undefined,
});
