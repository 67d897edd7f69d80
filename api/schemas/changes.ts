import { z } from 'zod';
import { ASSET_CHANGE_TYPES, type AssetChange } from '../../domain/asset-changes.js';
import { MAX_CHANGES_PAGE } from '../../services/change-feed-service.js';
import { ProblemSchema, problemResponse, queryFlag } from './common.js';

const Cursor = z
  .string()
  .max(64)
  .regex(/^[0-9]{1,19}-[0-9]{1,15}$/, 'a cursor this feed issued');

/** `type=updated,deleted` or `type=updated&type=deleted`. */
const TypeList = z
  .preprocess(
    (value: unknown) => {
      const items: unknown = typeof value === 'string' ? value.split(',') : value;
      if (!Array.isArray(items)) return items;
      return items.map((x: unknown) => (typeof x === 'string' ? x.trim() : x)).filter((x) => x !== '');
    },
    z.array(z.enum(ASSET_CHANGE_TYPES)).max(ASSET_CHANGE_TYPES.length),
  )
  .optional();

export const ChangesQuerySchema = z.object({
  cursor: Cursor.optional().describe(
    'Read on after this entry (its `cursor`, or the SSE `id`); from the start of the log without one. `Last-Event-ID`, when sent, wins over it.',
  ),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_CHANGES_PAGE)
    .optional()
    .describe(
      `JSON: the page size (default 100, at most ${MAX_CHANGES_PAGE}). Streams: end after this many entries (default: no end).`,
    ),
  type: TypeList.describe('Only these kinds of change (comma-separated or repeated); all without it.'),
  follow: queryFlag(
    'Streams only: once caught up, keep the stream open and send new entries as they are written (keep-alives in between).',
  ),
});

export const ChangesHeadersSchema = z.object({
  'last-event-id': Cursor.optional().describe(
    'SSE: the `id` of the last event received, to resume after it.',
  ),
});

export const AssetChangeSchema = z
  .object({
    cursor: z
      .string()
      .describe('This entry’s place in the log: resume after it with `cursor=` or `Last-Event-ID`.'),
    assetId: z.uuid(),
    change: z
      .enum(ASSET_CHANGE_TYPES)
      .describe(
        'ingested (new, or present when the log began), enriched, updated (an edit, tags, a rollback), archived, restored, failed (enrichment gave up), deleted (a tombstone), purged (the row gone), erased (a person’s data removed).',
      ),
    version: z
      .number()
      .int()
      .min(1)
      .describe('The asset’s version after the change (purged: one past its last).'),
    fields: z
      .array(z.string())
      .nullable()
      .describe(
        'What an update changed, as in a version diff (e.g. `title`, `enrichment.tags`), when known.',
      ),
    changedAt: z.iso.datetime(),
  })
  .meta({ id: 'AssetChange' });

export const ChangePageSchema = z
  .object({
    items: z.array(AssetChangeSchema),
    nextCursor: z
      .string()
      .nullable()
      .describe(
        'Where to read on from: after the last item, or the cursor given when there were none (null: the log is empty).',
      ),
    caughtUp: z.boolean().describe('Fewer items than asked for: this was the end of the log for now.'),
  })
  .meta({ id: 'AssetChangePage' });

export const assetChangeDto = (c: AssetChange): z.output<typeof AssetChangeSchema> => ({
  cursor: c.cursor,
  assetId: c.assetId,
  change: c.change,
  version: c.version,
  fields: c.fields,
  changedAt: c.changedAt.toISOString(),
});

/** 410: the cursor is older than the log keeps (docs/change-feeds.md, "Retention"). */
export const ResyncProblemSchema = ProblemSchema.extend({
  resumeCursor: z
    .string()
    .nullable()
    .describe('Where to read the log from once the assets are listed in full: the end of the log now.'),
  retentionDays: z.number().int().describe('How many days the log keeps its entries.'),
}).meta({
  id: 'ResyncProblem',
  description: 'RFC 9457 problem details for a change-feed cursor older than the log keeps.',
  examples: [
    {
      type: '/problems/resync-required',
      title: 'Gone',
      status: 410,
      detail:
        'the cursor is older than the log keeps (30 days): changes after it were pruned. Resync: list the assets in full (GET /v1/assets), then read the changes from resumeCursor.',
      instance: '/v1/changes?cursor=48213-1077',
      resumeCursor: '93112-50210',
      retentionDays: 30,
    },
  ],
});

export const resyncRequired = problemResponse(
  ResyncProblemSchema,
  'The cursor (or, without one, the start of the log) is older than the log keeps: changes after it were pruned. Nothing was read. Resync: list the assets in full, then read the changes from `resumeCursor`.',
);
