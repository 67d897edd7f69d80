import { z } from 'zod';
import { fitsInt4 } from '../../domain/ranges.js';
import {
  ASSET_STATUSES,
  ASSET_TYPES,
  AssetInputSchema,
  TechnicalMetadataSchema,
  type Asset,
} from '../../domain/asset.js';
import { TAG_SOURCES, tagDetailsOf } from '../../domain/asset-tags.js';
import { formatTimeCode } from '../../domain/time-code.js';
import { RELATED_VIA } from '../../services/discovery-service.js';
import { MAX_BATCH_SIZE } from '../../services/ingest-service.js';
import { limitParam } from './common.js';
import { exampleAsset, exampleAssetSummary, exampleNewAsset, exampleRelatedSummary } from './examples.js';
import { entityRefs } from './entity-refs.js';

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
  tags: z
    .array(z.string())
    .describe(
      'The effective tags: what search, facets, related content and exports use. Given tags before enrichment; after it, the given, manual and suggested tags together, less those an editor removed. `tagDetails` says where each comes from.',
    ),
  tagDetails: z
    .array(
      z.object({
        name: z.string(),
        source: z
          .enum(TAG_SOURCES)
          .describe(
            'given: in the source metadata at ingest; manual: added or confirmed by an editor; suggested: found by enrichment.',
          ),
        locked: z.boolean().describe('Never changed by enrichment; unlock it before removing it.'),
        confidence: z
          .number()
          .describe('1 for given and manual tags; the extractor’s confidence for suggested ones.'),
      }),
    )
    .describe('The effective tags (the same names as `tags`, in the same order) with their provenance.'),
  removedTags: z
    .array(z.string())
    .describe('Tags an editor removed: enrichment never suggests them again until one is added back.'),
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
    legalHold: z
      .boolean()
      .describe('Under legal hold: the asset may be neither deleted nor purged (set by an ADMIN).'),
  })
  .meta({ id: 'Asset', examples: [exampleAsset] });

export type AssetSummaryDto = z.output<typeof AssetSummarySchema>;

export function toAssetSummary(a: Asset): AssetSummaryDto {
  const details = tagDetailsOf(a);
  return {
    id: a.id,
    type: a.type,
    title: a.title,
    description: a.description,
    fileHash: a.fileHash,
    sourceSystem: a.sourceSystem,
    sourceId: a.sourceId,
    tags: details.map((t) => t.name),
    tagDetails: details,
    removedTags: a.enrichment?.suppressedTags ?? [],
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

export const toAssetDto = (a: Asset) => ({
  ...toAssetSummary(a),
  transcript: a.transcript,
  links: a.links,
  legalHold: a.legalHold ?? false,
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

const signalList = RELATED_VIA.join('|');

export const RelatedQuery = z.object({
  limit: limitParam(10),
  via: z
    .string()
    .max(200)
    .regex(new RegExp(`^(${signalList})(,(${signalList}))*$`), {
      message: `a comma-separated list of ${RELATED_VIA.join(', ')}`,
    })
    .optional()
    .describe(
      'Relate only through these signals, comma-separated (e.g. SPEAKER,TOPIC): shared entity types; RELATED_TO, links editors made; TEMPORAL, created within a day of each other (it only lifts assets related another way); TEXT, similar wording; CO_VIEWED, played in the same sessions (viewers also watched); SIMILAR_MEANING, close in meaning (tenants with semantic search on). Without it, all count.',
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
                .enum(RELATED_VIA)
                .describe(
                  'The shared entity type; TEXT for similar wording (name: the words in common); RELATED_TO for a link an editor made (name: its note); TEMPORAL for assets created close together (name: how far apart); CO_VIEWED for assets played in the same sessions (name: e.g. "12 sessions watched both", count: how many); SIMILAR_MEANING for assets close in meaning, by sentence embeddings (name: e.g. "close in meaning (cosine 0.78)"; moment: the related asset\'s moment that is close, when it is one).',
                ),
              name: z.string(),
              contribution: z.number(),
              count: z
                .number()
                .int()
                .min(1)
                .optional()
                .describe('CO_VIEWED: the number of sessions that played both assets.'),
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
  .refine(...fitsInt4)
  .optional()
  .describe('The asset version the change is based on, if not given as If-Match.');

/** After a 412, the editor's merged change names the version it was first based on. */
const conflictResolvedFrom = z
  .number()
  .int()
  .min(1)
  .refine(...fitsInt4)
  .optional()
  .describe(
    'After a 412: the version the change was first based on. The change, based on the current version, is recorded as conflict_resolved.',
  );

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
