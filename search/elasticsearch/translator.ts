import type { estypes } from '@elastic/elasticsearch';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../../domain/cursor.js';
import { QUERY_LIMITS } from '../../domain/query-limits.js';
import { filtersOf, sortOf } from '../adapter-rules.js';
import {
  FACET_DIMENSIONS,
  type FacetDimension,
  type Facets,
  type HitHighlights,
  type ParsedQuery,
  type SearchFilters,
  type SearchPage,
  type SearchQuery,
  type SearchSort,
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

const FACET_FIELDS: Record<FacetDimension, string> = {
  tags: 'tags',
  topics: 'topics',
  speakers: 'speakers',
  type: 'type',
  sourceSystem: 'source_system',
};

/** The name of the query clauses that match a title or speaker equal to the whole query. */
const EXACT = 'exact';

const CursorSchema = z.object({ after: z.array(z.union([z.string(), z.number(), z.null()])) });

/**
 * The first `n` words of a query's text. Within the query limits, Elasticsearch ranks the first
 * `RANKED_WORDS` words and corrects the first `maxTypoTerms`: it has not the document frequencies by
 * which the Postgres adapter keeps the rarest terms.
 */
const firstWords = (text: string, n: number) => text.split(/\s+/).filter(Boolean).slice(0, n).join(' ');

/**
 * Words ranked: at most `maxRankedTerms`, and few enough that the leaf clauses (64 words × 8 fields,
 * plus 8 corrected words × 8 fields × 2 expansions) stay under 1,024, the smallest clause limit
 * Elasticsearch 8 sets for a node.
 */
const RANKED_WORDS = Math.min(QUERY_LIMITS.maxRankedTerms, 64);

/** The search request for a page of the port's search. */
export function searchRequest(alias: string, tenantId: string, request: SearchQuery): estypes.SearchRequest {
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
              query: firstWords(query.text, RANKED_WORDS),
              fields: TEXT_FIELDS,
              type: 'most_fields',
            },
          },
          // Misspellings match too, scored below exact matches.
          {
            multi_match: {
              query: firstWords(query.text, QUERY_LIMITS.maxTypoTerms),
              fields: TEXT_FIELDS,
              fuzziness: 'AUTO',
              prefix_length: 1,
              max_expansions: QUERY_LIMITS.typoExpansionsPerTerm,
              boost: 0.3,
            },
          },
          // A title or speaker equal to the whole query comes first.
          { term: { 'title.raw': { value: whole, boost: 1_000, _name: EXACT } } },
          { term: { speakers: { value: whole, boost: 1_000, _name: EXACT } } },
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
    index: alias,
    size: request.limit + 1,
    track_total_hits: false,
    query: {
      bool: { must, must_not: mustNot, filter: [{ term: { tenant_id: tenantId } }] },
    },
    // Filters apply after the aggregations, so that each facet can count with the other filters only.
    post_filter: { bool: { filter: filterClauses(filters) } },
    sort: sortFor(sortOf(request)),
    ...(after ? { search_after: after } : {}),
    ...(request.highlight === false ? {} : { highlight: HIGHLIGHT }),
    ...(request.facets ? { aggs: facetAggregations(filters) } : {}),
    ...(request.explain ? { explain: true } : {}),
  };
}

/** The page a search answer makes: one more hit than the limit says there is a next page. */
export function readSearchPage(res: estypes.SearchResponse<EsDoc>, request: SearchQuery): SearchPage {
  const page = res.hits.hits.slice(0, request.limit);
  const last = page[page.length - 1];
  return {
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
      };
    }),
    nextCursor:
      res.hits.hits.length > request.limit && last?.sort ? encodeCursor({ after: last.sort }) : null,
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
            multi_match: {
              query: firstWords(query.text, RANKED_WORDS),
              fields: TEXT_FIELDS,
              type: 'most_fields',
            },
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
  return out;
}

/** One aggregation per facet dimension over the query's matches, with every filter but its own. */
function facetAggregations(f: SearchFilters): Record<string, estypes.AggregationsAggregationContainer> {
  return Object.fromEntries(
    FACET_DIMENSIONS.map((dim) => [
      dim,
      {
        filter: { bool: { filter: filterClauses(f, dim) } },
        aggs: { values: { terms: { field: FACET_FIELDS[dim], size: 20 } } },
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
    out[dim] = buckets.map((b) => ({ value: String(b.key), count: b.doc_count }));
  }
  return out;
}

function sortFor(sort: SearchSort): estypes.Sort {
  switch (sort) {
    case 'relevance':
      return [{ _score: { order: 'desc' } }, { asset_id: { order: 'asc' } }];
    case 'createdAt':
      return [{ created_at: { order: 'desc' } }, { asset_id: { order: 'desc' } }];
    case 'popularity':
      return [{ popularity: { order: 'desc' } }, { asset_id: { order: 'desc' } }];
  }
}
