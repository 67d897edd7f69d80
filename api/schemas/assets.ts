import { z } from 'zod';
import {
  ASSET_STATUSES,
  ASSET_TYPES,
  AssetInputSchema,
  TechnicalMetadataSchema,
  type Asset,
} from '../../domain/asset.js';
import { ENTITY_TYPES } from '../../domain/entities.js';
import { RELATION_SIGNALS } from '../../graph/graph-store.js';
import { EDITABLE_TYPES } from '../../domain/tag-overrides.js';
import { BLEND_MODES } from '../../services/discovery-service.js';
import { MAX_BATCH_SIZE } from '../../services/ingest-service.js';
import type { SearchFilters } from '../../search/search-index.js';
import { QUERY_SYNTAXES } from '../../search/query-parser.js';
import { formatTimeCode } from '../../domain/time-code.js';
import { limitParam, queryFlag } from './common.js';
import { exampleAsset, exampleAssetSummary, exampleNewAsset, exampleRelatedSummary } from './examples.js';

export const AssetInput = AssetInputSchema.meta({ id: 'NewAsset', examples: [exampleNewAsset] });

export const EnrichmentSchema = z
  .object({
    keywords: z.array(z.object({ term: z.string(), score: z.number() })),
    topics: z.array(
      z.object({ name: z.string(), confidence: z.number(), source: z.enum(['ai', 'manual']).optional() }),
    ),
    speakers: z.array(
      z.object({ name: z.string(), source: z.enum(['ai', 'manual']), confidence: z.number().optional() }),
    ),
    brands: z.array(z.object({ name: z.string(), score: z.number() })),
    tags: z.array(
      z.object({
        name: z.string(),
        source: z.enum(['ai', 'manual']),
        locked: z.boolean(),
        confidence: z.number(),
      }),
    ),
    moments: z
      .array(
        z.object({
          start: z.number().describe('Seconds from the start of the media.'),
          end: z.number(),
          timestamp: z.string().describe('The start as hh:mm:ss, for a t= deep link.'),
          speaker: z.string().nullable(),
          keywords: z.array(z.string()),
        }),
      )
      .describe('Time-coded segments of the transcript.'),
  })
  .meta({ id: 'Enrichment' });

const assetFields = {
  id: z.uuid(),
  type: z.enum(ASSET_TYPES),
  title: z.string(),
  description: z.string(),
  fileHash: z.string(),
  sourceSystem: z.string(),
  sourceId: z.string().nullable(),
  tags: z.array(z.string()).describe('Tags as given at ingest.'),
  speakers: z.array(z.string()).describe('Speakers as given at ingest.'),
  contributors: z
    .array(z.string())
    .describe(
      'People or organisations who made the asset (producer, director, channel…), as given at ingest.',
    ),
  operationalTags: z.array(z.string()),
  technicalMetadata: TechnicalMetadataSchema.meta({ id: 'TechnicalMetadata' }),
  status: z.enum(ASSET_STATUSES),
  statusDetail: z.string().nullable().describe('Why the asset is FAILED or being retried.'),
  version: z.number().int(),
  enrichment: EnrichmentSchema.nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
};

export const AssetSummarySchema = z
  .object(assetFields)
  .meta({ id: 'AssetSummary', examples: [exampleAssetSummary] });
const linkFields = {
  note: z.string(),
  createdBy: z.string(),
  createdAt: z.iso.datetime(),
};
export const AssetLinkSchema = z.object({ targetId: z.uuid(), ...linkFields }).meta({ id: 'AssetLink' });
export const AssetSchema = z
  .object({
    ...assetFields,
    transcript: z.string(),
    links: z.array(AssetLinkSchema).describe('Links editors made from this asset to related ones.'),
  })
  .meta({ id: 'Asset', examples: [exampleAsset] });

export type AssetSummaryDto = z.output<typeof AssetSummarySchema>;

export function toAssetSummary(a: Asset): AssetSummaryDto {
  return {
    id: a.id,
    type: a.type,
    title: a.title,
    description: a.description,
    fileHash: a.fileHash,
    sourceSystem: a.sourceSystem,
    sourceId: a.sourceId,
    tags: a.tags,
    speakers: a.speakers,
    contributors: a.contributors,
    operationalTags: a.operationalTags,
    technicalMetadata: a.technicalMetadata,
    status: a.status,
    statusDetail: a.statusDetail,
    version: a.version,
    enrichment: a.enrichment && {
      keywords: a.enrichment.keywords,
      topics: a.enrichment.topics,
      speakers: a.enrichment.speakers,
      brands: a.enrichment.brands,
      tags: a.enrichment.tags,
      moments: (a.enrichment.moments ?? []).map((m) => ({ ...m, timestamp: formatTimeCode(m.start) })),
    },
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}

export const toAssetDto = (a: Asset) => ({ ...toAssetSummary(a), transcript: a.transcript, links: a.links });

export const IngestQuery = z.object({
  wait: queryFlag('Answer only once the assets are searchable and related (bounded wait; 202 on timeout).'),
});

export const IngestResultSchema = z
  .object({
    asset: AssetSummarySchema,
    duplicate: z
      .boolean()
      .describe('True when the tenant already had this fileHash; nothing new was created.'),
  })
  .meta({ id: 'IngestResult', examples: [{ asset: exampleAssetSummary, duplicate: false }] });

export const BatchBody = z
  .object({ assets: z.array(AssetInput).min(1).max(MAX_BATCH_SIZE) })
  .strict()
  .meta({
    id: 'AssetBatch',
    examples: [
      {
        assets: [
          exampleNewAsset,
          {
            type: 'VIDEO',
            title: "How to escape education's death valley",
            speakers: ['Ken Robinson'],
            tags: ['education'],
            sourceSystem: 'ted',
            sourceId: 'talk-1726',
          },
        ],
      },
    ],
  });

export const BatchResultSchema = z
  .object({
    items: z.array(IngestResultSchema).describe('One per input, in input order.'),
    created: z.number().int(),
    duplicates: z.number().int(),
  })
  .meta({
    id: 'BatchResult',
    examples: [
      {
        items: [
          { asset: exampleAssetSummary, duplicate: true },
          { asset: exampleRelatedSummary, duplicate: false },
        ],
        created: 1,
        duplicates: 1,
      },
    ],
  });

export const ListQuery = z.object({ limit: limitParam(20), cursor: z.string().max(500).optional() });

export const AssetPageSchema = z
  .object({ items: z.array(AssetSummarySchema), nextCursor: z.string().nullable() })
  .meta({ id: 'AssetPage' });

/**
 * A list parameter: repeated (?tag=a&tag=b, how the document declares it) or comma-separated
 * (?tag=a,b, for people typing URLs).
 */
const list = <T extends z.ZodType<unknown, string>>(item: T) =>
  z.preprocess(splitList, z.array(item).max(50)).optional();

function splitList(value: unknown): unknown {
  const items: unknown = typeof value === 'string' ? value.split(',') : value;
  if (!Array.isArray(items)) return items;
  return items.map((x: unknown) => (typeof x === 'string' ? x.trim() : x)).filter((x) => x !== '');
}

export const SearchQuerySchema = z.object({
  q: z
    .string()
    .max(4_000)
    .default('')
    .describe(
      'Words, "quoted phrases" (must match), -exclusions, and field:value filters (type, source, status, tag, topic, speaker, brand), ranked by BM25. Empty browses.',
    )
    .meta({ examples: ['creativity speaker:"Ken Robinson" -politics'] }),
  syntax: z
    .enum(QUERY_SYNTAXES)
    .optional()
    .describe(
      'How q is read. query (the default): "phrases", -exclusions and field:value filters are syntax. plain: every word of q ranks, quotes, minus signs and colons included; for text nobody wrote as a query (prose, a pasted title, a natural-language question). Filters then come from the parameters only.',
    ),
  limit: limitParam(20),
  cursor: z
    .string()
    .max(20_000)
    .optional()
    .describe('From the previous page; it carries the ranking statistics of page one.'),
  type: list(z.enum(ASSET_TYPES)),
  sourceSystem: list(z.string().max(100)),
  status: list(z.enum(ASSET_STATUSES)),
  tag: list(z.string().max(200)),
  topic: list(z.string().max(200)),
  speaker: list(z.string().max(200)),
  brand: list(z.string().max(200)),
  createdFrom: z.iso.datetime({ offset: true }).optional(),
  createdTo: z.iso.datetime({ offset: true }).optional(),
  durationMin: z.coerce.number().nonnegative().optional().describe('Seconds.'),
  durationMax: z.coerce.number().nonnegative().optional().describe('Seconds.'),
  resolution: z
    .string()
    .regex(/^\d{1,6}x\d{1,6}$/, 'must be WIDTHxHEIGHT, e.g. 1920x1080')
    .optional(),
  sort: z
    .enum(['relevance', 'createdAt', 'popularity'])
    .optional()
    .describe('Default: relevance with text, createdAt without.'),
  facets: queryFlag('Count tags, topics, speakers, types and sources over the filtered results.'),
  explain: queryFlag('Return per hit the matched terms, their fields and the score parts.'),
  blend: z
    .enum(BLEND_MODES)
    .optional()
    .describe(
      'graph: fuse text relevance with graph proximity (assets of the speakers, topics and tags the query names, and assets related to the best hits) by reciprocal rank fusion. auto: the same for queries of at most 4 words that name a speaker, topic, tag, brand or contributor. Exact title and speaker matches stay on top. Applies to relevance-ranked queries without filters, phrases or exclusions; past the fused top, the text ranking continues. Default: the deployment setting SEARCH_BLEND.',
    ),
});

/** The filters of a search query (the search route's, or an export's), as the search port takes them. */
export function searchFiltersOf(
  q: Pick<
    z.output<typeof SearchQuerySchema>,
    | 'type'
    | 'sourceSystem'
    | 'status'
    | 'tag'
    | 'topic'
    | 'speaker'
    | 'brand'
    | 'createdFrom'
    | 'createdTo'
    | 'durationMin'
    | 'durationMax'
    | 'resolution'
  >,
): SearchFilters {
  const [width, height] = q.resolution?.split('x').map(Number) ?? [];
  return {
    ...(q.type && { type: q.type }),
    ...(q.sourceSystem && { sourceSystem: q.sourceSystem }),
    ...(q.status && { status: q.status }),
    ...(q.tag && { tags: q.tag }),
    ...(q.topic && { topics: q.topic }),
    ...(q.speaker && { speakers: q.speaker }),
    ...(q.brand && { brands: q.brand }),
    ...(q.createdFrom && { createdFrom: new Date(q.createdFrom) }),
    ...(q.createdTo && { createdTo: new Date(q.createdTo) }),
    ...(q.durationMin !== undefined && { durationMin: q.durationMin }),
    ...(q.durationMax !== undefined && { durationMax: q.durationMax }),
    ...(width && height ? { resolution: { width, height } } : {}),
  };
}

const FacetValues = z.array(z.object({ value: z.string(), count: z.number().int() }));

export const SearchResultSchema = z
  .object({
    hits: z.array(
      z.object({
        asset: AssetSummarySchema,
        score: z.number(),
        highlights: z
          .record(z.string(), z.string())
          .describe('title, description, transcript → fragment, matches wrapped in <mark>.'),
        moment: z
          .object({ start: z.number(), timestamp: z.string() })
          .optional()
          .describe('For a transcript match in a timed transcript: where it is, for a t= deep link.'),
        exact: z
          .boolean()
          .optional()
          .describe('True when the title or a speaker equals the whole query: such hits rank first.'),
        explanation: z
          .object({
            terms: z.array(
              z.object({
                term: z.string().describe('The stemmed query term.'),
                fields: z.array(z.string()),
                idf: z.number(),
                tf: z.number().describe('Field-weighted term frequency.'),
                weight: z.number().describe('Query weight: occurrences, lower for typo corrections.'),
                contribution: z.number(),
              }),
            ),
            exactMatch: z.number(),
            score: z.number(),
          })
          .optional()
          .describe('With explain=true.'),
      }),
    ),
    nextCursor: z.string().nullable(),
    facets: z
      .object({
        tags: FacetValues,
        topics: FacetValues,
        speakers: FacetValues,
        type: FacetValues,
        sourceSystem: FacetValues,
      })
      .optional()
      .describe('With facets=true; each dimension counted with the other filters only.'),
    facetsEstimated: z
      .boolean()
      .optional()
      .describe(
        'True when the result set was too large to count exactly (over 5,000 expected matches on the embedded index): the facet counts are estimated from a uniform sample of it.',
      ),
  })
  .meta({
    id: 'SearchResult',
    examples: [
      {
        hits: [
          {
            asset: exampleAssetSummary,
            score: 0.04918,
            highlights: {
              title: 'Do schools kill <mark>creativity</mark>?',
              transcript: 'Robinson: <mark>Creativity</mark> now is as important in education as literacy',
            },
            moment: { start: 12, timestamp: '00:00:12' },
          },
        ],
        nextCursor: null,
        facets: {
          tags: [
            { value: 'creativity', count: 1 },
            { value: 'education', count: 1 },
          ],
          topics: [{ value: 'Education', count: 1 }],
          speakers: [{ value: 'Ken Robinson', count: 1 }],
          type: [{ value: 'VIDEO', count: 1 }],
          sourceSystem: [{ value: 'ted', count: 1 }],
        },
      },
    ],
  });

/** What can relate two assets: a shared entity type, or one of the other signals. */
export const RELATED_SIGNALS = [...ENTITY_TYPES, ...RELATION_SIGNALS, 'TEXT'] as const;
const signalList = RELATED_SIGNALS.join('|');

export const RelatedQuery = z.object({
  limit: limitParam(10),
  via: z
    .string()
    .max(200)
    .regex(new RegExp(`^(${signalList})(,(${signalList}))*$`), {
      message: `a comma-separated list of ${RELATED_SIGNALS.join(', ')}`,
    })
    .optional()
    .describe(
      'Relate only through these signals, comma-separated (e.g. SPEAKER,TOPIC): shared entity types; RELATED_TO, links editors made; TEMPORAL, created within a day of each other (it only lifts assets related another way); TEXT, similar wording. Without it, all count.',
    )
    .meta({ examples: ['SPEAKER,TOPIC'] }),
});

export const RelatedResultSchema = z
  .object({
    items: z.array(
      z.object({
        asset: AssetSummarySchema,
        score: z.number(),
        reasons: z
          .array(
            z.object({
              type: z
                .enum(RELATED_SIGNALS)
                .describe(
                  'The shared entity type; TEXT for similar wording (name: the words in common); RELATED_TO for a link an editor made (name: its note); TEMPORAL for assets created close together (name: how far apart).',
                ),
              name: z.string(),
              contribution: z.number(),
              moment: z
                .object({ start: z.number(), end: z.number(), timestamp: z.string() })
                .optional()
                .describe('Where the entity occurs in the related asset: link to it with t=timestamp.'),
            }),
          )
          .describe('The shared entities behind the score, strongest first.'),
      }),
    ),
  })
  .meta({
    id: 'RelatedResult',
    examples: [
      {
        items: [
          {
            asset: exampleRelatedSummary,
            score: 2.4256,
            reasons: [
              { type: 'SPEAKER', name: 'Ken Robinson', contribution: 1.3863 },
              { type: 'TAG', name: 'education', contribution: 0.8318 },
              { type: 'KEYWORD', name: 'ken', contribution: 0.2075 },
            ],
          },
        ],
      },
    ],
  });

export const LinkParams = z.object({ id: z.uuid(), targetId: z.uuid() });

export const LinkBody = z
  .object({
    note: z.string().trim().max(500).default('').describe('Why the assets are related; shown as the reason.'),
  })
  .strict()
  .meta({ id: 'NewLink' });

export const LinkResultSchema = z
  .object({
    link: AssetLinkSchema,
    version: z.number().int().describe('The asset version that holds the change.'),
  })
  .meta({ id: 'LinkResult' });

export const AssetLinksSchema = z
  .object({
    outgoing: z.array(AssetLinkSchema).describe("The asset's own links, in the order they were made."),
    incoming: z
      .array(z.object({ sourceId: z.uuid(), ...linkFields }))
      .describe('Links other assets made to this one, newest first.'),
  })
  .meta({ id: 'AssetLinks' });

/** The asset version an edit is based on, for clients that cannot send If-Match. */
const basedOnVersion = z
  .number()
  .int()
  .min(1)
  .optional()
  .describe('The asset version the change is based on, if not given as If-Match.');

/** After a 412, the editor's merged change names the version it was first based on. */
const conflictResolvedFrom = z
  .number()
  .int()
  .min(1)
  .optional()
  .describe(
    'After a 412: the version the change was first based on. The change, based on the current version, is recorded as conflict_resolved.',
  );

const entityName = z.string().trim().min(1).max(200);
const entityType = z.enum(EDITABLE_TYPES).default('TAG').describe('The entity type; TAG when absent.');
const EntityRefSchema = z.object({ name: entityName, type: entityType }).strict();
const entityRefs = z.array(EntityRefSchema).max(100).default([]);

export const TagPatchBody = z
  .object({
    add: entityRefs.describe('Added as manual: kept through re-enrichment.'),
    remove: entityRefs.describe(
      'Removed, and never added back by enrichment. A locked tag must be unlocked first.',
    ),
    lock: entityRefs.describe(
      'A locked tag is never changed by a worker; a locked topic, speaker, brand or keyword is kept through every re-enrichment.',
    ),
    unlock: entityRefs,
    version: basedOnVersion,
    conflictResolvedFrom: conflictResolvedFrom,
  })
  .strict()
  .refine((p) => p.add.length + p.remove.length + p.lock.length + p.unlock.length > 0, {
    message: 'name at least one tag to add, remove, lock or unlock',
  })
  .meta({
    id: 'TagPatch',
    examples: [
      {
        add: [{ name: 'public schools' }, { name: 'Education', type: 'TOPIC' }],
        remove: [{ name: 'creativity' }],
        version: 2,
      },
    ],
  });

export const MetadataPatchBody = z
  .object({
    title: AssetInputSchema.shape.title.optional(),
    description: z.string().max(20_000).optional(),
    operationalTags: AssetInputSchema.shape.operationalTags.unwrap().optional(),
    version: basedOnVersion,
    conflictResolvedFrom: conflictResolvedFrom,
  })
  .strict()
  .refine((p) => p.title !== undefined || p.description !== undefined || p.operationalTags !== undefined, {
    message: 'name at least one of title, description, operationalTags',
  })
  .meta({ id: 'MetadataPatch' });

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
