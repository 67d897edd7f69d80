import type { estypes } from '@elastic/elasticsearch';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../../domain/cursor.js';
import { ES_PROXIMITY, FEEDBACK } from '../ranking-features.js';
import { QUERY_LIMITS } from '../../domain/query-limits.js';
import {
  boundedClickBoosts,
  FIELD_GROUPS,
  filtersOf,
  normalizeSuggestion,
  rankedWords,
  sortOf,
} from '../adapter-rules.js';
import {
  FACET_DIMENSIONS,
  MORE_LIKE_THIS,
  type Explanation,
  type FacetDimension,
  type Facets,
  type HitHighlights,
  type MoreLikeThisQuery,
  type ParsedQuery,
  type SearchFilters,
  type SearchHit,
  type SearchPage,
  type SearchQuery,
  type SearchSort,
  TOTAL_EXACT_UP_TO,
} from '../search-index.js';
import { documentId, type EsDoc } from './versioned-index.js';

/*
 * The pure translation between the port and Elasticsearch: a parsed query to a search request, and
 * the answer back to a page. Nothing here talks to a server.
 */

// Field boosts mirror the Postgres adapter's BM25 field weights (title and speakers 2, tags and topics
// 1.5, description, keywords and people 1, transcript 0.5).
const TEXT_FIELDS = [
  'title^2',
  'speakers.text^2',
  'tags.text^1.5',
  'topics.text^1.5',
  'description',
  'keywords',
  'people',
  'transcript^0.5',
];

/** The fields a hit highlights, with matched terms marked as the Postgres adapter marks them. */
const HIGHLIGHT: estypes.SearchHighlight = {
  pre_tags: ['<mark>'],
  post_tags: ['</mark>'],
  fields: {
    title: { number_of_fragments: 0 },
    description: {},
    transcript: { number_of_fragments: 1 },
  },
};

/**
 * Facets count the folded values, as filters compare them: `Education` and `education` are one
 * value, and filtering by it finds both. Each is shown in its most common spelling as written
 * (`raw`), from a sub-aggregation of the bucket's spellings.
 */
const FACET_FIELDS: Record<FacetDimension, { folded: string; raw?: string }> = {
  tags: { folded: 'tags', raw: 'tags.raw' },
  topics: { folded: 'topics', raw: 'topics.raw' },
  speakers: { folded: 'speakers', raw: 'speakers.raw' },
  type: { folded: 'type' },
  sourceSystem: { folded: 'source_system', raw: 'source_system.raw' },
};
/**
 * Spellings read per facet value. A bucket's documents hold other values of the dimension too (a
 * talk tagged `Education` and `science`), so its spellings are the most common values of its
 * documents; the most common spelling of its own value is among the first few.
 */
const SPELLINGS = 10;

/** The name of the query clauses that match a title or speaker equal to the whole query. */
const EXACT = 'exact';
/** Added to the score of such a match (Postgres' BM25.exactMatchBoost). */
const EXACT_BOOST = 1_000;

/** `pit`: the point in time a relevance search pages in (absent from cursors of other orders). */
const CursorSchema = z.object({
  after: z.array(z.union([z.string(), z.number(), z.null()])),
  pit: z.string().optional(),
  // The ranking page one chose (ranking-features.ts), so that later pages rank alike: feedback's
  // terms and weights, and whether proximity applied.
  fb: z
    .object({ t: z.array(z.string().max(200)).max(64), w: z.array(z.number().min(0).max(1e6)).max(64) })
    .optional(),
  px: z.boolean().optional(),
});

/** The ranking features of a search (page one's choice, or its cursor's). */
export interface EsRanking {
  proximity: boolean;
  /** Pseudo-relevance feedback's terms, analyzed as the index analyzes them, with their weights. */
  expansion: { term: string; weight: number }[];
}

/** The ranking a cursor carries: page one's. */
export function cursorRanking(cursor: string): EsRanking {
  const c = decodeCursor(cursor, CursorSchema);
  return {
    proximity: c.px ?? false,
    expansion: (c.fb?.t ?? []).map((term, i) => ({ term, weight: c.fb?.w[i] ?? 0 })),
  };
}

/** The searched fields without their boosts. */
export const TEXT_FIELD_NAMES = () => TEXT_FIELDS.map((f) => f.split('^')[0]!);

/**
 * Pseudo-relevance feedback's first pass: the best \`FEEDBACK.docs\` of the query's own ranking,
 * ids only, within the tenant and the request's filters (as on Postgres).
 */
export function feedbackFirstPassRequest(
  alias: string,
  tenantId: string,
  request: SearchQuery,
  fuzzy: string[],
  size: number,
): estypes.SearchRequest {
  const full = searchRequest(
    alias,
    tenantId,
    { query: request.query, limit: size - 1, highlight: false },
    { fuzzy },
  );
  const filters = filterClauses(filtersOf(request));
  return {
    index: alias,
    size,
    track_total_hits: false,
    _source: false,
    query: full.query!,
    ...(filters.length > 0 ? { post_filter: { bool: { filter: filters } } } : {}),
  };
}

/**
 * The candidates for feedback's terms considered at most (those in the most feedback documents,
 * then by frequency): their document frequencies in the tenant are counted in one request.
 */
export const FEEDBACK_DF_CANDIDATES = 100;

/**
 * The tenant's document frequency of each candidate term of feedback (analyzed, as term vectors give
 * them): a document counts once whatever field holds the term. The term vectors' own frequencies
 * are the shard's, over every tenant; a term's rarity there is not the tenant's.
 */
export function feedbackDfRequest(alias: string, tenantId: string, terms: string[]): estypes.SearchRequest {
  return {
    index: alias,
    size: 0,
    track_total_hits: false,
    query: { term: { tenant_id: tenantId } },
    aggs: {
      df: {
        filters: {
          filters: Object.fromEntries(
            terms.map((t) => [
              t,
              {
                bool: {
                  should: TEXT_FIELD_NAMES().map((f) => ({ term: { [f]: t } })),
                  minimum_should_match: 1,
                },
              },
            ]),
          ),
        },
      },
    },
  };
}

/** The answer to \`feedbackDfRequest\`: term → the tenant's document frequency. */
export function readFeedbackDf(res: estypes.SearchResponse): Map<string, number> {
  const buckets = (res.aggregations?.df as { buckets?: Record<string, { doc_count: number }> } | undefined)
    ?.buckets;
  return new Map(Object.entries(buckets ?? {}).map(([term, b]) => [term, b.doc_count]));
}

/** How long a point in time outlives the request that last used it. */
export const PIT_KEEP_ALIVE = '5m';

/** The point in time a cursor carries, if any. */
export function cursorPit(cursor: string | undefined): string | undefined {
  return cursor ? decodeCursor(cursor, CursorSchema).pit : undefined;
}

/**
 * The search request for a page of the port's search; in a point in time `pit` when given (then
 * the request names no index, and Elasticsearch adds its `_shard_doc` tie-breaker to the sort).
 */
export function searchRequest(
  alias: string,
  tenantId: string,
  request: SearchQuery,
  {
    pit,
    fuzzy = [],
    ranking = { proximity: false, expansion: [] },
  }: { pit?: string | undefined; fuzzy?: string[]; ranking?: EsRanking } = {},
): estypes.SearchRequest {
  const { query } = request;
  const filters = filtersOf(request);
  const after = request.cursor ? decodeCursor(request.cursor, CursorSchema).after : undefined;
  const whole = query.text.trim().toLowerCase();
  const must: estypes.QueryDslQueryContainer[] = [];
  if (query.text.trim()) {
    must.push({
      bool: {
        should: [
          {
            multi_match: {
              query: rankedText(rankedWords(query)),
              fields: TEXT_FIELDS,
              type: 'most_fields',
              // With feedback, the query keeps FEEDBACK.originalWeight of the whole (RM3).
              ...(ranking.expansion.length > 0 ? { boost: FEEDBACK.originalWeight } : {}),
            },
          },
          // Feedback's terms (RM3), each at its weight: they add to a match and bring in their own.
          ...ranking.expansion.map((t) => ({
            multi_match: {
              query: t.term,
              fields: TEXT_FIELDS,
              type: 'most_fields' as const,
              boost: t.weight,
            },
          })),
          // Proximity: the query's words within the slop of each other add a bounded score. Not a
          // rescore of the best 100 as on Postgres: a rescore refuses the sort a cursor pages by.
          ...(ranking.proximity && rankedText(query.text).split(' ').length >= 2
            ? [
                {
                  multi_match: {
                    query: rankedText(query.text),
                    fields: TEXT_FIELDS,
                    type: 'phrase' as const,
                    slop: ES_PROXIMITY.slop,
                    boost: ES_PROXIMITY.weight,
                  },
                },
              ]
            : []),
          // Misspellings match too, scored below exact matches: only the words chosen for it
          // (`fuzzyWordsOf`), as Postgres expands only towards far more frequent terms.
          ...(fuzzy.length > 0
            ? [
                {
                  multi_match: {
                    query: fuzzy.join(' '),
                    fields: TEXT_FIELDS,
                    fuzziness: 'AUTO',
                    prefix_length: 1,
                    max_expansions: QUERY_LIMITS.typoExpansionsPerTerm,
                    boost: 0.3,
                  },
                },
              ]
            : []),
          // A title or speaker equal to the whole query comes first: EXACT_BOOST added once, as
          // Postgres adds it (a constant, so that an explanation can tell it from the terms).
          {
            dis_max: {
              queries: [
                {
                  constant_score: {
                    filter: { term: { 'title.raw': whole } },
                    boost: EXACT_BOOST,
                    _name: EXACT,
                  },
                },
                {
                  constant_score: { filter: { term: { speakers: whole } }, boost: EXACT_BOOST, _name: EXACT },
                },
              ],
            },
          },
        ],
        minimum_should_match: 1,
      },
    });
  }
  for (const phrase of query.phrases) {
    must.push({ multi_match: { query: phrase, fields: TEXT_FIELDS, type: 'phrase' } });
  }
  const mustNot: estypes.QueryDslQueryContainer[] = query.exclusions.map((x) => ({
    multi_match: { query: x, fields: TEXT_FIELDS, type: 'phrase' },
  }));
  return {
    ...(pit ? { pit: { id: pit, keep_alive: PIT_KEEP_ALIVE } } : { index: alias }),
    size: request.limit + 1,
    // Counted exactly up to the bound (post_filter applied); past it, `relation: gte`.
    track_total_hits: request.total ? TOTAL_EXACT_UP_TO : false,
    query: withClickBoosts(
      { bool: { must, must_not: mustNot, filter: [{ term: { tenant_id: tenantId } }] } },
      tenantId,
      boundedClickBoosts({ ...request, sort: sortOf(request) }),
    ),
    // Filters apply after the aggregations, so that each facet can count with the other filters only.
    post_filter: { bool: { filter: filterClauses(filters) } },
    sort: sortFor(sortOf(request)),
    ...(after ? { search_after: after } : {}),
    ...(request.highlight === false ? {} : { highlight: HIGHLIGHT }),
    ...(request.facets ? { aggs: facetAggregations(filters) } : {}),
    ...(request.explain ? { explain: true } : {}),
  };
}

/**
 * A more-like-this lookup: Elasticsearch's `more_like_this` (Lucene's MoreLikeThis) on the stored
 * document, within the tenant, with `MORE_LIKE_THIS`'s term selection and each term boosted by its
 * tf·idf against the best (`boost_terms`), as the Postgres adapter weights them. It reads the text
 * fields without their boosts (`more_like_this` takes none), and document frequencies are the
 * shard's, over every tenant: a term's rarity there is not the tenant's. `alsoLike` documents join
 * the `like` list (Lucene adds up their terms). The asset itself is left out by id, the liked
 * documents stay; a document the index does not hold makes a query that matches nothing.
 */
export function moreLikeThisRequest(
  alias: string,
  tenantId: string,
  assetId: string,
  query: MoreLikeThisQuery,
): estypes.SearchRequest {
  return {
    index: alias,
    size: query.limit,
    track_total_hits: false,
    _source: ['asset_id'],
    query: {
      bool: {
        must: [
          {
            more_like_this: {
              fields: TEXT_FIELDS.map((f) => f.split('^')[0]!),
              like: [assetId, ...(query.alsoLike ?? []).filter((id) => id !== assetId)].map((id) => ({
                _index: alias,
                _id: documentId(tenantId, id),
              })),
              max_query_terms: MORE_LIKE_THIS.maxQueryTerms,
              min_term_freq: MORE_LIKE_THIS.minTermFreq,
              min_doc_freq: MORE_LIKE_THIS.minDocFreq,
              min_word_length: MORE_LIKE_THIS.minWordLength,
              boost_terms: 1,
              // `include: false` would leave out every liked document; only the asset itself goes.
              include: true,
            },
          },
        ],
        must_not: [{ ids: { values: [documentId(tenantId, assetId)] } }],
        filter: [{ term: { tenant_id: tenantId } }],
      },
    },
    ...(query.explain ? { explain: true } : {}),
  };
}

/** The hits of a more-like-this answer, explained as a search's when asked. */
export function readMoreLikeThis(res: estypes.SearchResponse<EsDoc>, query: MoreLikeThisQuery): SearchHit[] {
  return res.hits.hits.flatMap((h) =>
    h._source
      ? [
          {
            assetId: h._source.asset_id,
            score: h._score ?? 0,
            highlights: {},
            ...(query.explain && h._explanation
              ? { explanation: explanationOf(h._explanation, h._score ?? 0) }
              : {}),
          },
        ]
      : [],
  );
}

/**
 * The query with each boosted asset's score multiplied by (1 + boost), as Postgres multiplies it:
 * a function_score whose functions each match one id; an asset no function matches keeps its score
 * (and without boosts the query is the plain one).
 */
export function withClickBoosts(
  query: estypes.QueryDslQueryContainer,
  tenantId: string,
  boosts: Map<string, number>,
): estypes.QueryDslQueryContainer {
  if (boosts.size === 0) return query;
  return {
    function_score: {
      query,
      functions: [...boosts].map(([id, boost]) => ({
        filter: { ids: { values: [documentId(tenantId, id)] } },
        weight: 1 + boost,
      })),
      score_mode: 'first',
      boost_mode: 'multiply',
    },
  };
}

/**
 * The page a search answer makes: one more hit than the limit says there is a next page. The
 * cursor carries the point in time, at the id the answer gave (it may change between requests).
 */
export function readSearchPage(
  res: estypes.SearchResponse<EsDoc>,
  request: SearchQuery,
  pit?: string,
  ranking?: EsRanking,
): SearchPage {
  const page = res.hits.hits.slice(0, request.limit);
  const last = page[page.length - 1];
  const total = res.hits.total;
  return {
    // Past the bound Elasticsearch stops counting: the bound, flagged as not exact (at least that many).
    ...(request.total && total !== undefined
      ? {
          total:
            typeof total === 'number'
              ? { value: total, exact: true }
              : { value: total.value, exact: total.relation === 'eq' },
        }
      : {}),
    hits: page.map((h) => {
      const highlights = highlightsOf(h);
      const matched = h.matched_queries;
      const exact = Array.isArray(matched)
        ? matched.includes(EXACT)
        : matched !== undefined && EXACT in matched;
      return {
        assetId: h._source!.asset_id,
        score: h._score ?? 0,
        highlights,
        ...(exact ? { exact } : {}),
        ...(request.explain && h._explanation
          ? { explanation: explanationOf(h._explanation, h._score ?? 0) }
          : {}),
      };
    }),
    nextCursor:
      res.hits.hits.length > request.limit && last?.sort
        ? encodeCursor({
            after: last.sort,
            ...(pit ? { pit: res.pit_id ?? pit } : {}),
            ...(ranking?.proximity ? { px: true } : {}),
            ...(ranking?.expansion.length
              ? { fb: { t: ranking.expansion.map((e) => e.term), w: ranking.expansion.map((e) => e.weight) } }
              : {}),
          })
        : null,
    ...(request.facets && res.aggregations ? { facets: readFacets(res.aggregations) } : {}),
  };
}

/** The request that highlights given assets for a query's words; null when there is nothing to mark. */
export function highlightRequest(
  alias: string,
  tenantId: string,
  query: ParsedQuery,
  assetIds: string[],
): estypes.SearchRequest | null {
  if (assetIds.length === 0 || !query.text.trim()) return null;
  return {
    index: alias,
    size: assetIds.length,
    track_total_hits: false,
    _source: ['asset_id'],
    query: {
      bool: {
        filter: [
          { term: { tenant_id: tenantId } },
          { ids: { values: assetIds.map((id) => documentId(tenantId, id)) } },
        ],
        should: [
          {
            multi_match: { query: rankedText(rankedWords(query)), fields: TEXT_FIELDS, type: 'most_fields' },
          },
        ],
      },
    },
    highlight: HIGHLIGHT,
  };
}

export function readHighlights(res: estypes.SearchResponse<EsDoc>): Map<string, HitHighlights> {
  return new Map(res.hits.hits.map((h) => [h._source!.asset_id, { highlights: highlightsOf(h) }]));
}

function highlightsOf(hit: estypes.SearchHit<EsDoc>): Record<string, string> {
  const highlights: Record<string, string> = {};
  for (const [field, fragments] of Object.entries(hit.highlight ?? {})) {
    if (fragments[0]) highlights[field] = fragments.join(' … ');
  }
  return highlights;
}

/** Filter clauses; `except` leaves out one facet dimension's own filter. */
function filterClauses(f: SearchFilters, except?: FacetDimension): estypes.QueryDslQueryContainer[] {
  const out: estypes.QueryDslQueryContainer[] = [];
  const lower = (xs: string[]) => xs.map((x) => x.toLowerCase());
  if (f.type?.length && except !== 'type') out.push({ terms: { type: f.type } });
  if (f.sourceSystem?.length && except !== 'sourceSystem')
    out.push({ terms: { source_system: lower(f.sourceSystem) } });
  if (f.status?.length) out.push({ terms: { status: f.status } });
  if (f.tags?.length && except !== 'tags') out.push({ terms: { tags: lower(f.tags) } });
  if (f.topics?.length && except !== 'topics') out.push({ terms: { topics: lower(f.topics) } });
  if (f.speakers?.length && except !== 'speakers') out.push({ terms: { speakers: lower(f.speakers) } });
  if (f.brands?.length) out.push({ terms: { brands: lower(f.brands) } });
  if (f.createdFrom || f.createdTo) {
    out.push({
      range: {
        created_at: {
          ...(f.createdFrom ? { gte: f.createdFrom.toISOString() } : {}),
          ...(f.createdTo ? { lt: f.createdTo.toISOString() } : {}),
        },
      },
    });
  }
  if (f.durationMin !== undefined || f.durationMax !== undefined) {
    out.push({
      range: {
        duration_seconds: {
          ...(f.durationMin !== undefined ? { gte: f.durationMin } : {}),
          ...(f.durationMax !== undefined ? { lte: f.durationMax } : {}),
        },
      },
    });
  }
  if (f.resolution)
    out.push({ term: { width: f.resolution.width } }, { term: { height: f.resolution.height } });
  if (f.openIssues) out.push({ range: { open_issues: { gt: 0 } } });
  // An empty list passes nothing.
  if (f.assetIds) out.push({ terms: { asset_id: f.assetIds } });
  return out;
}

/** One aggregation per facet dimension over the query's matches, with every filter but its own. */
function facetAggregations(f: SearchFilters): Record<string, estypes.AggregationsAggregationContainer> {
  return Object.fromEntries(
    FACET_DIMENSIONS.map((dim) => [
      dim,
      {
        filter: { bool: { filter: filterClauses(f, dim) } },
        // Most frequent first, then by value, as Postgres orders them.
        aggs: {
          values: {
            terms: {
              field: FACET_FIELDS[dim].folded,
              size: 20,
              order: [{ _count: 'desc' }, { _key: 'asc' }],
            },
            ...(FACET_FIELDS[dim].raw
              ? { aggs: { spellings: { terms: { field: FACET_FIELDS[dim].raw, size: SPELLINGS } } } }
              : {}),
          },
        },
      },
    ]),
  );
}

function readFacets(aggs: Record<string, estypes.AggregationsAggregate>): Facets {
  const out = {} as Facets;
  for (const dim of FACET_DIMENSIONS) {
    const scoped = aggs[dim] as estypes.AggregationsFilterAggregate | undefined;
    const values = scoped?.values as estypes.AggregationsStringTermsAggregate | undefined;
    const buckets = Array.isArray(values?.buckets) ? values.buckets : [];
    out[dim] = buckets.map((b) => ({ value: spellingOf(b), count: b.doc_count }));
  }
  return out;
}

/** A facet bucket's value as most often written: its first spelling that folds to its key. */
function spellingOf(bucket: estypes.AggregationsStringTermsBucket): string {
  const key = String(bucket.key);
  const spellings = (bucket.spellings as estypes.AggregationsStringTermsAggregate | undefined)?.buckets;
  const written = (Array.isArray(spellings) ? spellings : [])
    .map((s) => String(s.key))
    .find((s) => normalizeSuggestion(s) === normalizeSuggestion(key));
  return written ?? key;
}

function sortFor(sort: SearchSort): estypes.Sort {
  switch (sort) {
    case 'relevance':
      return [{ _score: { order: 'desc' } }, { asset_id: { order: 'asc' } }];
    case 'createdAt':
      return [{ created_at: { order: 'desc' } }, { asset_id: { order: 'desc' } }];
    // As on Postgres: learned popularity first (0 before any update), then the source's views.
    case 'popularity':
      return [
        { learned_popularity: { order: 'desc', missing: 0 } },
        { popularity: { order: 'desc' } },
        { asset_id: { order: 'desc' } },
      ];
    case 'trending':
      return [
        { trending: { order: 'desc', missing: 0 } },
        { learned_popularity: { order: 'desc', missing: 0 } },
        { popularity: { order: 'desc' } },
        { asset_id: { order: 'desc' } },
      ];
  }
}

/** Where each searched field counts in an explanation: the groups Postgres names (`FIELD_GROUPS`). */
const FIELD_GROUP_OF: Record<string, number> = {
  title: 0,
  'speakers.text': 0,
  'tags.text': 1,
  'topics.text': 1,
  description: 2,
  keywords: 2,
  people: 2,
  transcript: 3,
};

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;
const LEAF = /^weight\(([^:\s]+):(.+) in \d+\)/;

/**
 * A hit's `_explanation` (Lucene's tree) as the port explains a score: per matched term its field
 * groups, BM25 idf and tf, query weight and contribution; the exact-match constant apart. Sums add
 * every child; a `max of:` node (a dis_max, a best-fields multi_match) counts its best child only.
 */
export function explanationOf(root: estypes.ExplainExplanationDetail, score: number): Explanation {
  const terms = new Map<
    string,
    { groups: Set<number>; idf: number; tf: number; weight: number; contribution: number }
  >();
  let exactMatch = 0;
  const walk = (node: estypes.ExplainExplanationDetail) => {
    if (node.value === 0) return;
    const leaf = LEAF.exec(node.description);
    if (leaf) {
      const [, field, term] = leaf as unknown as [string, string, string];
      const factors = node.details?.[0]?.details ?? [];
      const factor = (name: string) => factors.find((d) => d.description.startsWith(name))?.value ?? 0;
      const t = terms.get(term) ?? { groups: new Set(), idf: 0, tf: 0, weight: 0, contribution: 0 };
      const group = FIELD_GROUP_OF[field];
      if (group !== undefined) t.groups.add(group);
      t.idf = Math.max(t.idf, factor('idf'));
      t.tf = Math.max(t.tf, factor('tf'));
      // The query's weight of the term, without the field's boost: 1 for a query word, less for a typo's expansion.
      const fieldBoost = Number(TEXT_FIELDS.find((f) => f.split('^')[0] === field)?.split('^')[1] ?? 1);
      t.weight = Math.max(t.weight, factor('boost') / fieldBoost);
      t.contribution += node.value;
      terms.set(term, t);
      return;
    }
    if (node.description.startsWith('ConstantScore(')) {
      exactMatch += node.value;
      return;
    }
    const children = node.details ?? [];
    if (node.description.startsWith('max of:')) {
      const best = children.reduce<estypes.ExplainExplanationDetail | undefined>(
        (b, c) => (b === undefined || c.value > b.value ? c : b),
        undefined,
      );
      if (best) walk(best);
      return;
    }
    for (const child of children) walk(child);
  };
  walk(root);
  return {
    terms: [...terms.entries()]
      .map(([term, t]) => ({
        term,
        fields: [...t.groups].sort((a, b) => a - b).map((g) => FIELD_GROUPS[g]!),
        idf: round4(t.idf),
        tf: round4(t.tf),
        weight: round4(t.weight),
        contribution: round4(t.contribution),
      }))
      .sort((a, b) => b.contribution - a.contribution),
    exactMatch: round4(exactMatch),
    // The hit's own score, unrounded: the one the order follows.
    score,
  };
}

/**
 * The words a query ranks by: its first `QUERY_LIMITS.maxRankedWords`. Elasticsearch has not the
 * document frequencies by which the Postgres adapter keeps the rarest terms.
 */
export function rankedText(text: string): string {
  return text.trim().split(/\s+/).slice(0, QUERY_LIMITS.maxRankedWords).join(' ');
}

/** The searched fields without their boosts: the term suggester looks at each. */
const SUGGESTER_FIELDS = TEXT_FIELDS.map((f) => f.split('^')[0]!);
/**
 * The request that decides which words of a query to fuzz: a term suggester per searched field in
 * `popular` mode, which offers a spelling only where one occurs in more documents than the word.
 * A stored typo (rarer than the right spelling) then stays unmatched by a correct query, where
 * `AUTO` fuzziness on short stems let it in. Statistics are the index's, across tenants.
 */
export function fuzzyWordsRequest(alias: string, text: string): estypes.SearchRequest {
  return {
    index: alias,
    size: 0,
    track_total_hits: false,
    _source: false,
    suggest: Object.fromEntries(
      SUGGESTER_FIELDS.map((field): [string, estypes.SearchFieldSuggester] => [
        field,
        { text, term: { field, suggest_mode: 'popular', prefix_length: 1, size: 1 } },
      ]),
    ),
  };
}

/** The words of `text` some field's suggester offered a more frequent spelling for, in order. */
export function fuzzyWordsOf(res: estypes.SearchResponse, text: string): string[] {
  const chosen = new Map<number, string>();
  for (const entries of Object.values(res.suggest ?? {})) {
    for (const entry of entries) {
      const options = Array.isArray(entry.options) ? entry.options : [entry.options];
      const word = text.slice(entry.offset, entry.offset + entry.length);
      if (options.length > 0 && word.trim()) chosen.set(entry.offset, word);
    }
  }
  return [...chosen.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, word]) => word)
    .slice(0, QUERY_LIMITS.maxTypoTerms);
}
