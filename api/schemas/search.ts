import { z } from 'zod';
import { dateTime, seconds } from '../../domain/ranges.js';
import { ASSET_STATUSES, ASSET_TYPES } from '../../domain/asset.js';
import { QUERY_NOTES_MAX, QUERY_SYNTAXES } from '../../domain/query-syntax.js';
import type { SearchFilters } from '../../search/search-index.js';
import { BLEND_MODES, SEARCH_MODES } from '../../services/discovery-service.js';
import { AssetSummarySchema } from './assets.js';
import { limitParam, queryFlag } from './common.js';
import { exampleAssetSummary } from './examples.js';

/**
 * A list parameter: repeated (?tag=a&tag=b, how the document declares it) or comma-separated
 * (?tag=a,b, for people typing URLs).
 */
const list = <T extends z.ZodType<unknown, string>>(item: T) =>
  z.preprocess(splitList, z.array(item).max(50)).optional();

/** An enum value given in any case. */
const upperCased = <T extends z.ZodType<unknown, string>>(item: T) =>
  z.preprocess((v: string) => (typeof v === 'string' ? v.toUpperCase() : v), item);

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
      'Words, "quoted phrases" (must match), -exclusions, and field:value filters (type, source, status, tag, topic, speaker, brand), ranked by BM25. Read leniently: an operator applies only where it is well-formed, anything else is words (queryNotes says where). Empty browses.',
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
  // Enum values in any case, as `type:video` in q is read: `type=video` is VIDEO.
  type: list(upperCased(z.enum(ASSET_TYPES))).describe('In any case: type=video is VIDEO.'),
  sourceSystem: list(z.string().max(100)),
  status: list(upperCased(z.enum(ASSET_STATUSES))).describe('In any case: status=processed is PROCESSED.'),
  tag: list(z.string().max(200)),
  topic: list(z.string().max(200)),
  speaker: list(z.string().max(200)),
  brand: list(z.string().max(200)),
  createdFrom: dateTime().optional(),
  createdTo: dateTime().optional(),
  durationMin: seconds().optional().describe('Seconds.'),
  durationMax: seconds().optional().describe('Seconds.'),
  resolution: z
    .string()
    .regex(/^\d{1,6}x\d{1,6}$/, 'must be WIDTHxHEIGHT, e.g. 1920x1080')
    .optional(),
  openIssues: queryFlag(
    'Only assets with an open issue: time-coded feedback of type issue, open or in progress (docs/comments.md). Feedback moments are then those of open issues.',
  ),
  sort: z
    .enum(['relevance', 'createdAt', 'popularity', 'trending'])
    .optional()
    .describe(
      'Default: relevance with text, createdAt without. popularity: popularity learned from the tenant’s interaction events (views and watch time, decayed with a half-life), then the source system’s view count (technicalMetadata.viewCount), so a tenant without events keeps the source’s order. trending: recent views against the asset’s own baseline, then the same. Both are recomputed every POPULARITY_INTERVAL_MS; see docs/popularity.md.',
    ),
  facets: queryFlag('Count tags, topics, speakers, types and sources over the filtered results.'),
  explain: queryFlag('Return per hit the matched terms, their fields and the score parts.'),
  blend: z
    .enum(BLEND_MODES)
    .optional()
    .describe(
      'graph: fuse text relevance with graph proximity (assets of the speakers, topics and tags the query names, and assets related to the best hits) by reciprocal rank fusion. auto: the same for queries of at most 4 words that name a speaker, topic, tag, brand or contributor. Exact title and speaker matches stay on top. Applies to relevance-ranked queries without phrases or exclusions; filters narrow the fused ranking without re-ranking it. Past the fused top, the text ranking continues. Default: the deployment setting SEARCH_BLEND.',
    ),
  mode: z
    .enum(SEARCH_MODES)
    .optional()
    .describe(
      'lexical: rank by the words (BM25). semantic: rank by meaning, the assets whose title, description or transcript moments are nearest the query in a sentence-embedding space (at most 100), exact title and speaker matches first. hybrid: both rankings fused by reciprocal rank fusion (with the graph too, as blend says), exact matches first; past the fused top the text ranking continues. Applies to relevance-ranked queries without phrases or exclusions, for tenants with semantic search on; otherwise the search is lexical. Filters narrow the ranking without re-ranking it. Default: the deployment setting SEARCH_MODE (docs/semantic-search.md).',
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
  > & { openIssues?: boolean | undefined },
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
    ...(q.openIssues ? { openIssues: true } : {}),
  };
}

const FacetValues = z.array(z.object({ value: z.string(), count: z.number().int() }));

export const SearchResultSchema = z
  .object({
    hits: z.array(
      z.object({
        asset: AssetSummarySchema,
        score: z
          .number()
          .describe(
            "The relevance the hits are ordered by: with sort=relevance (the default with words), never higher than the hit before it, on this page or an earlier one. Text ranking: BM25 (plus 1,000 for a title or speaker equal to the whole query). Blended ranking: the reciprocal-rank-fusion score (1 added for such an exact match; past the fused top, the text rank's share 1/(61 + rank)). Only comparable within one search. 0 when browsing; with another sort, the text relevance, not the order.",
          ),
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
            proximity: z
              .number()
              .optional()
              .describe('Added for query terms near each other (term proximity); absent: nothing added.'),
            score: z.number().describe("The hit's score, as above."),
            fusion: z
              .object({
                textRank: z
                  .number()
                  .int()
                  .nullable()
                  .describe('Rank in the text ranking; null: brought in by the graph.'),
                textScore: z
                  .number()
                  .nullable()
                  .describe('The BM25 score that terms and exactMatch explain.'),
                text: z.number(),
                entities: z.number(),
                neighbours: z.number(),
                semantic: z
                  .number()
                  .optional()
                  .describe('Semantic and hybrid search: the vector ranking’s share of the fused score.'),
                semanticRank: z
                  .number()
                  .int()
                  .nullable()
                  .optional()
                  .describe('Rank in the vector ranking; null: not among its hits.'),
                similarity: z
                  .number()
                  .nullable()
                  .optional()
                  .describe('Cosine similarity of the query and the asset’s nearest passage, -1 to 1.'),
                pinned: z.number(),
              })
              .optional()
              .describe(
                'Blended ranking: the parts of the fused score (score = text + entities + neighbours + semantic + pinned).',
              ),
          })
          .optional()
          .describe('With explain=true.'),
      }),
    ),
    nextCursor: z.string().nullable(),
    total: z
      .object({
        value: z.number().int(),
        exact: z
          .boolean()
          .describe(
            'False when value is an estimate: past 10,000 matches they are not all counted (see docs/search-relevance.md#hit-count).',
          ),
      })
      .describe('How many assets match, filters applied: exact up to 10,000, estimated past that.'),
    notices: z
      .array(
        z.object({
          code: z.enum(['unknown-field']),
          message: z.string(),
        }),
      )
      .optional()
      .describe(
        'How the request was read where it may differ from what was meant. unknown-field: a name:value in q whose name is no field; it was searched as words. queryNotes says the same and more.',
      ),
    queryNotes: z
      .array(
        z.object({
          code: z
            .string()
            .describe(
              "What was read other than as written. unclosed-quote: a quote without its pair; prose-quotes: quotation marks in prose (10 words or more besides the operators), not required phrases; literal-minus: a minus before no word (a dash); empty-field-value: a field name with no value right after the colon; invalid-field-value: a value that is none of the field's (type:film); unknown-field: a name:value whose name is no field. Each was searched as words. More codes may come.",
            ),
          text: z.string().describe('The part of q it is about, as written.'),
          message: z.string(),
        }),
      )
      .max(QUERY_NOTES_MAX)
      .optional()
      .describe(
        'Where q was read other than as written (syntax=query reads operators only where they are well-formed, everything else as words, and never refuses prose): absent when q was read as written.',
      ),
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
    moments: z
      .array(
        z.object({
          kind: z
            .enum(['feedback'])
            .describe('feedback: a time-coded comment on the asset. More kinds may come.'),
          asset: AssetSummarySchema,
          commentId: z.uuid(),
          start: z.number().describe('Seconds into the media, for a t= deep link.'),
          timestamp: z.string(),
          fragment: z.string().describe("The comment's text (at most 1,000 characters), matches in <mark>."),
        }),
      )
      .max(10)
      .optional()
      .describe(
        'First page of a text search, for a key that may also read comments (assets:read): up to 10 assets whose time-coded feedback holds every word of q, each with its best moment, the filters applied. Feedback never ranks the hits. Absent: none matched, or the key may not read comments.',
      ),
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
        total: { value: 1, exact: true },
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

export const SuggestQuery = z.object({ q: z.string().min(1).max(200), limit: limitParam(10) });

export const SuggestResultSchema = z.object({
  suggestions: z.array(
    z.object({
      kind: z.enum(['title', 'tag', 'speaker', 'topic']),
      value: z.string(),
      assets: z.number().int().describe('How many assets carry it.'),
      assetId: z
        .uuid()
        .optional()
        .describe('For a title: the asset it is the title of, when exactly one asset carries it.'),
    }),
  ),
  queries: z
    .array(
      z.object({ kind: z.literal('query'), value: z.string().describe('The query as most often spelled.') }),
    )
    .optional()
    .describe(
      'Searches completing the prefix that several people of the tenant ran (at least 3), most people first: from the click learning (docs/clicks.md). Searching a value as q repeats it. Absent when there are none.',
    ),
});
