import { Client, type estypes } from '@elastic/elasticsearch';
import { decodeCursor, encodeCursor } from '../domain/cursor.js';
import { z } from 'zod';
import { parseQuery } from './query-parser.js';
import {
  FACET_DIMENSIONS,
  type FacetDimension,
  type Facets,
  type HitHighlights,
  type ProjectedAsset,
  type ProjectionOutcome,
  type SearchDocument,
  type SearchFilters,
  type SearchIndex,
  type SearchPage,
  type SearchQuery,
  type SearchSort,
  type Suggestion,
} from './search-index.js';

/**
 * Bumped when the mapping changes: a rebuild writes the new index, then the alias moves to it.
 * v2: completion fields for suggestions (`suggest.*`).
 */
export const INDEX_VERSION = 2;

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

function highlightsOf(hit: estypes.SearchHit<EsDoc>): Record<string, string> {
  const highlights: Record<string, string> = {};
  for (const [field, fragments] of Object.entries(hit.highlight ?? {})) {
    if (fragments[0]) highlights[field] = fragments.join(' … ');
  }
  return highlights;
}

const FACET_FIELDS: Record<FacetDimension, string> = {
  tags: 'tags',
  topics: 'topics',
  speakers: 'speakers',
  type: 'type',
  sourceSystem: 'source_system',
};

const keywordWithText = {
  type: 'keyword',
  normalizer: 'folded',
  fields: { text: { type: 'text', analyzer: 'media_english' } },
} as const;

const SUGGEST_KINDS = ['tag', 'speaker', 'topic', 'title'] as const satisfies readonly Suggestion['kind'][];
type SuggestKind = (typeof SUGGEST_KINDS)[number];

/** The keyword field each kind counts its assets on; its `folded` normalizer also folds the values counted. */
const SUGGEST_COUNT_FIELDS: Record<SuggestKind, string> = {
  tag: 'tags',
  speaker: 'speakers',
  topic: 'topics',
  title: 'title.raw',
};

/**
 * One completion field per kind, so the suggester's name says the kind and `skip_duplicates` works
 * within one kind. The tenant is the only context: Elasticsearch ORs the values of several contexts
 * (elastic/elasticsearch#21291), so a second `kind` context would let other tenants' entries through.
 */
const completionField: estypes.MappingCompletionProperty = {
  type: 'completion',
  analyzer: 'suggest_folded',
  // Postgres keeps 200 characters of a suggestion; the default of 50 would cut longer prefixes off.
  max_input_length: 200,
  contexts: [{ name: 'tenant', type: 'category' }],
};

/** Index settings and mappings: the analyzer mirrors Postgres' `english` configuration (stopwords, Porter stemming). */
export const INDEX_BODY: Omit<estypes.IndicesCreateRequest, 'index'> = {
  settings: {
    analysis: {
      analyzer: {
        media_english: {
          type: 'custom',
          tokenizer: 'standard',
          filter: ['lowercase', 'asciifolding', 'english_possessive', 'english_stop', 'porter_stem'],
        },
        // The whole value as one token, compared like Postgres' normalized suggestions: lower-cased,
        // accents folded, whitespace collapsed. A prefix of punctuation then matches only values that
        // start with it, where a tokenizing analyzer would drop it and match everything.
        suggest_folded: {
          type: 'custom',
          tokenizer: 'keyword',
          char_filter: ['collapse_whitespace'],
          filter: ['lowercase', 'asciifolding', 'trim'],
        },
      },
      char_filter: {
        collapse_whitespace: { type: 'pattern_replace', pattern: '\\s+', replacement: ' ' },
      },
      filter: {
        english_possessive: { type: 'stemmer', language: 'possessive_english' },
        english_stop: { type: 'stop', stopwords: '_english_' },
      },
      normalizer: { folded: { type: 'custom', filter: ['lowercase', 'asciifolding'] } },
    },
  },
  mappings: {
    dynamic: 'strict',
    properties: {
      tenant_id: { type: 'keyword' },
      asset_id: { type: 'keyword' },
      version: { type: 'long' },
      type: { type: 'keyword' },
      source_system: { type: 'keyword', normalizer: 'folded' },
      status: { type: 'keyword' },
      title: {
        type: 'text',
        analyzer: 'media_english',
        fields: { raw: { type: 'keyword', normalizer: 'folded' } },
      },
      description: { type: 'text', analyzer: 'media_english' },
      transcript: { type: 'text', analyzer: 'media_english' },
      tags: keywordWithText,
      speakers: keywordWithText,
      topics: keywordWithText,
      brands: { type: 'keyword', normalizer: 'folded' },
      people: { type: 'text', analyzer: 'media_english' },
      keywords: { type: 'text', analyzer: 'media_english' },
      created_at: { type: 'date' },
      duration_seconds: { type: 'float' },
      width: { type: 'integer' },
      height: { type: 'integer' },
      popularity: { type: 'float' },
      suggest: {
        properties: Object.fromEntries(SUGGEST_KINDS.map((kind) => [kind, completionField])),
      },
    },
  },
};

interface CompletionInput {
  input: string[];
  contexts: { tenant: string[] };
}

interface EsDoc {
  tenant_id: string;
  asset_id: string;
  version: number;
  type: string;
  source_system: string;
  status: string;
  title: string;
  description: string;
  transcript: string;
  tags: string[];
  speakers: string[];
  topics: string[];
  brands: string[];
  people: string[];
  keywords: string[];
  created_at: string;
  duration_seconds: number | null;
  width: number | null;
  height: number | null;
  popularity: number;
  suggest: Partial<Record<SuggestKind, CompletionInput>>;
}

/** A value the completion suggester offered; `stored` is the input as indexed, which the count matches. */
type Candidate = Suggestion & { stored: string };

const SUGGEST_CANDIDATE_FACTOR = 2;
const MAX_SUGGEST_CANDIDATES = 100;

const BULK_RETRIES = 5;
const BULK_BACKOFF_MS = 200;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function toSource(tenantId: string, doc: SearchDocument): EsDoc {
  return {
    tenant_id: tenantId,
    asset_id: doc.assetId,
    version: doc.version,
    type: doc.type,
    source_system: doc.sourceSystem,
    status: doc.status,
    title: doc.title,
    description: doc.description,
    transcript: doc.transcript,
    tags: doc.tags,
    speakers: doc.speakers,
    topics: doc.topics,
    brands: doc.brands,
    people: doc.people,
    keywords: doc.keywords,
    created_at: doc.createdAt.toISOString(),
    duration_seconds: doc.technical.durationSeconds ?? null,
    width: doc.technical.width ?? null,
    height: doc.technical.height ?? null,
    popularity: 0,
    suggest: completionInputs(tenantId, doc),
  };
}

/** Lower-cased, accents folded, whitespace collapsed: how prefixes compare (as in the Postgres adapter). */
function normalizeSuggestion(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

// Lucene reserves these in completion inputs and refuses a document carrying them.
const RESERVED_IN_COMPLETION = ['\u0000', '\u001d', '\u001e', '\u001f'];

/**
 * Every input weighs the same (the default, 1): an asset does not know how many other assets carry
 * its tags, and `popularity` is not projected yet. So the suggester only picks candidates, and
 * `suggest` counts and orders them.
 */
function completionInputs(tenantId: string, doc: SearchDocument): EsDoc['suggest'] {
  const values: Record<SuggestKind, string[]> = {
    title: [doc.title],
    tag: doc.tags,
    speaker: doc.speakers,
    topic: doc.topics,
  };
  const out: EsDoc['suggest'] = {};
  for (const kind of SUGGEST_KINDS) {
    const input = [...new Set(values[kind])].filter(
      (v) => v.trim() !== '' && !RESERVED_IN_COMPLETION.some((c) => v.includes(c)),
    );
    if (input.length > 0) out[kind] = { input, contexts: { tenant: [tenantId] } };
  }
  return out;
}

const CursorSchema = z.object({ after: z.array(z.union([z.string(), z.number(), z.null()])) });

/**
 * The search port on Elasticsearch, for deployments that outgrow one Postgres. Documents are
 * versioned with external versions, so an older projection never overwrites a newer one.
 */
/** The name of the query clauses that match a title or speaker equal to the whole query. */
const EXACT = 'exact';

export class ElasticsearchSearchIndex implements SearchIndex {
  readonly kind = 'elasticsearch';
  private readonly alias: string;
  /** Indices being rebuilt: they receive every write until the alias moves to them. */
  private shadowIndices: string[] = [];

  constructor(
    private readonly client: Client,
    prefix = 'media',
  ) {
    this.alias = `${prefix}-assets`;
  }

  static connect(url: string, prefix?: string): ElasticsearchSearchIndex {
    return new ElasticsearchSearchIndex(new Client({ node: url, maxRetries: 5 }), prefix);
  }

  /**
   * Creates the versioned index and points the alias at it, when neither exists yet. An alias on an
   * index of an older mapping version fails start-up: every write would be refused by the strict
   * mapping, so it has to be rebuilt first (`rebuild`, with nothing else writing to it).
   */
  async ensureIndex(): Promise<void> {
    const live = await this.aliasedIndices();
    if (live.length > 0) {
      const outdated = live.filter((index) => this.mappingVersion(index) !== INDEX_VERSION);
      if (outdated.length > 0)
        throw new Error(
          `${this.alias} points at ${outdated.join(', ')}, not at mapping v${INDEX_VERSION}: rebuild the index before starting`,
        );
      return;
    }
    const index = `${this.alias}-v${INDEX_VERSION}`;
    if (!(await this.client.indices.exists({ index })))
      await this.client.indices.create({ index, ...INDEX_BODY });
    await this.client.indices.putAlias({ index, name: this.alias });
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /** The indices behind the alias; none when it does not exist (a 404 answer's body is not a list of indices). */
  private async aliasedIndices(): Promise<string[]> {
    if (!(await this.client.indices.existsAlias({ name: this.alias }))) return [];
    return Object.keys(await this.client.indices.getAlias({ name: this.alias }));
  }

  /** `<alias>-v2` or `<alias>-v2-<timestamp>` → 2. */
  private mappingVersion(index: string): number | undefined {
    const match = /^-v(\d+)(?:-\d+)?$/.exec(index.slice(this.alias.length));
    return index.startsWith(this.alias) && match ? Number(match[1]) : undefined;
  }

  private id(tenantId: string, assetId: string): string {
    return `${tenantId}:${assetId}`;
  }

  async upsert(tenantId: string, doc: SearchDocument): Promise<ProjectionOutcome> {
    const [outcome] = await this.upsertMany(tenantId, [doc]);
    return outcome!;
  }

  /**
   * One `_bulk` request per batch, with external versions so an older projection never overwrites
   * a newer one. Items refused with 429 (queue full) are sent again with backoff; during a rebuild
   * every write also goes to the index being built.
   */
  async upsertMany(tenantId: string, docs: SearchDocument[]): Promise<ProjectionOutcome[]> {
    if (docs.length === 0) return [];
    const outcomes = await this.bulkIndex(this.alias, tenantId, docs);
    for (const index of this.shadowIndices) await this.bulkIndex(index, tenantId, docs, false);
    const conflicted = docs.filter((_, i) => outcomes[i] === undefined);
    if (conflicted.length > 0) {
      const held = await this.projectedVersions(
        tenantId,
        conflicted.map((d) => d.assetId),
      );
      docs.forEach((d, i) => {
        if (outcomes[i] === undefined)
          outcomes[i] = held.get(d.assetId) === d.version ? 'unchanged' : 'stale';
      });
    }
    return outcomes as ProjectionOutcome[];
  }

  /** Bulk-indexes into one index; undefined where the held version was as new or newer (409). */
  private async bulkIndex(
    index: string,
    tenantId: string,
    docs: SearchDocument[],
    refresh = true,
  ): Promise<(ProjectionOutcome | undefined)[]> {
    const outcomes: (ProjectionOutcome | undefined)[] = docs.map(() => undefined);
    let pending = docs.map((_, i) => i);
    for (let attempt = 0; pending.length > 0; attempt++) {
      const operations: estypes.BulkRequest<EsDoc>['operations'] = pending.flatMap((i) => {
        const doc = docs[i]!;
        const action: estypes.BulkOperationContainer = {
          index: {
            _index: index,
            _id: this.id(tenantId, doc.assetId),
            version: doc.version,
            version_type: 'external',
          },
        };
        return [action, toSource(tenantId, doc)];
      });
      const res = await this.client.bulk<EsDoc>({ operations, ...(refresh ? { refresh: 'wait_for' } : {}) });
      const retry: number[] = [];
      res.items.forEach((item, k) => {
        const i = pending[k]!;
        const result = item.index;
        if (!result || result.status < 300) outcomes[i] = 'applied';
        else if (result.status === 409) outcomes[i] = undefined;
        else if (result.status === 429) retry.push(i);
        else
          throw new Error(
            `bulk index of ${result._id ?? '?'} failed with ${result.status}: ${result.error?.reason ?? ''}`,
          );
      });
      if (retry.length > 0 && attempt >= BULK_RETRIES) {
        throw new Error(`bulk index still rejected (429) after ${BULK_RETRIES} retries`);
      }
      if (retry.length > 0) await sleep(BULK_BACKOFF_MS * 2 ** attempt * (0.5 + Math.random()));
      pending = retry;
    }
    return outcomes;
  }

  /**
   * Rebuilds into a fresh versioned index beside the live one: writes made meanwhile go to both,
   * `load` fills it through `write`, then the alias moves in one atomic request and the old
   * indices are deleted.
   */
  async rebuild(
    load: (write: (tenantId: string, docs: SearchDocument[]) => Promise<void>) => Promise<void>,
  ): Promise<string> {
    const index = `${this.alias}-v${INDEX_VERSION}-${Date.now()}`;
    await this.client.indices.create({ index, ...INDEX_BODY });
    this.shadowIndices.push(index);
    try {
      await load(async (tenantId, docs) => {
        await this.bulkIndex(index, tenantId, docs, false);
      });
      await this.client.indices.refresh({ index });
      const previous = await this.aliasedIndices();
      await this.client.indices.updateAliases({
        actions: [
          ...previous.map((old) => ({ remove: { index: old, alias: this.alias } })),
          { add: { index, alias: this.alias } },
        ],
      });
      for (const old of previous) await this.client.indices.delete({ index: old }, { ignore: [404] });
      return index;
    } finally {
      this.shadowIndices = this.shadowIndices.filter((x) => x !== index);
    }
  }

  async remove(tenantId: string, assetId: string): Promise<void> {
    for (const index of [this.alias, ...this.shadowIndices]) {
      await this.client.delete(
        { index, id: this.id(tenantId, assetId), refresh: 'wait_for' },
        { ignore: [404] },
      );
    }
  }

  async search(tenantId: string, query: SearchQuery): Promise<SearchPage> {
    const parsed = parseQuery(query.text.trim(), query.syntax);
    const filters = { ...query.filters, ...mergeLists(query.filters ?? {}, parsed.filters) };
    const hasText = parsed.text.trim() !== '' || parsed.exclusions.length > 0;
    const sort: SearchSort = query.sort ?? (hasText ? 'relevance' : 'createdAt');
    const after = query.cursor ? decodeCursor(query.cursor, CursorSchema).after : undefined;

    const must: estypes.QueryDslQueryContainer[] = [];
    if (parsed.text.trim()) {
      must.push({
        bool: {
          should: [
            { multi_match: { query: parsed.text, fields: TEXT_FIELDS, type: 'most_fields' } },
            // Misspellings match too, scored below exact matches.
            {
              multi_match: {
                query: parsed.text,
                fields: TEXT_FIELDS,
                fuzziness: 'AUTO',
                prefix_length: 1,
                boost: 0.3,
              },
            },
            // A title or speaker equal to the whole query comes first.
            { term: { 'title.raw': { value: query.text.trim().toLowerCase(), boost: 1_000, _name: EXACT } } },
            { term: { speakers: { value: query.text.trim().toLowerCase(), boost: 1_000, _name: EXACT } } },
          ],
          minimum_should_match: 1,
        },
      });
    }
    for (const phrase of parsed.phrases) {
      must.push({ multi_match: { query: phrase, fields: TEXT_FIELDS, type: 'phrase' } });
    }
    const mustNot: estypes.QueryDslQueryContainer[] = parsed.exclusions.map((x) => ({
      multi_match: { query: x, fields: TEXT_FIELDS, type: 'phrase' },
    }));

    const request: estypes.SearchRequest = {
      index: this.alias,
      size: query.limit + 1,
      track_total_hits: false,
      query: {
        bool: { must, must_not: mustNot, filter: [{ term: { tenant_id: tenantId } }] },
      },
      // Filters apply after the aggregations, so that each facet can count with the other filters only.
      post_filter: { bool: { filter: filterClauses(filters) } },
      sort: sortFor(sort),
      ...(after ? { search_after: after } : {}),
      ...(query.highlight === false ? {} : { highlight: HIGHLIGHT }),
      ...(query.facets ? { aggs: facetAggregations(filters) } : {}),
      ...(query.explain ? { explain: true } : {}),
    };
    const res = await this.client.search<EsDoc>(request);
    const page = res.hits.hits.slice(0, query.limit);
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
        res.hits.hits.length > query.limit && last?.sort ? encodeCursor({ after: last.sort }) : null,
      ...(query.facets && res.aggregations ? { facets: readFacets(res.aggregations) } : {}),
    };
  }

  async highlight(
    tenantId: string,
    query: Pick<SearchQuery, 'text' | 'syntax'>,
    assetIds: string[],
  ): Promise<Map<string, HitHighlights>> {
    const words = parseQuery(query.text.trim(), query.syntax).text;
    if (assetIds.length === 0 || !words.trim()) return new Map();
    const request: estypes.SearchRequest = {
      index: this.alias,
      size: assetIds.length,
      track_total_hits: false,
      _source: ['asset_id'],
      query: {
        bool: {
          filter: [
            { term: { tenant_id: tenantId } },
            { ids: { values: assetIds.map((id) => this.id(tenantId, id)) } },
          ],
          should: [{ multi_match: { query: words, fields: TEXT_FIELDS, type: 'most_fields' } }],
        },
      },
      highlight: HIGHLIGHT,
    };
    const res = await this.client.search<EsDoc>(request);
    return new Map(res.hits.hits.map((h) => [h._source!.asset_id, { highlights: highlightsOf(h) }]));
  }

  /**
   * Candidates from the completion suggester, one per kind, within the tenant's context; then one
   * count request for how many of the tenant's assets carry each. Ordered as in Postgres: tags,
   * speakers and topics by count, then titles alphabetically. Two differences remain: the count
   * order applies to the candidates only (every input weighs the same, so which values become
   * candidates does not follow their counts), and the suggester returns one value per asset and
   * kind, so a second tag of one asset with the same prefix can be missed (elastic/elasticsearch#31738).
   */
  async suggest(tenantId: string, prefix: string, limit: number): Promise<Suggestion[]> {
    const normalized = normalizeSuggestion(prefix);
    if (!normalized) return [];
    // More candidates than asked for: case variants collapse below, and counts reorder them.
    const size = Math.min(limit * SUGGEST_CANDIDATE_FACTOR, MAX_SUGGEST_CANDIDATES);
    const request: estypes.SearchRequest = {
      index: this.alias,
      size: 0,
      track_total_hits: false,
      _source: false,
      suggest: Object.fromEntries(
        SUGGEST_KINDS.map((kind): [string, estypes.SearchFieldSuggester] => [
          kind,
          {
            prefix: normalized,
            completion: {
              field: `suggest.${kind}`,
              size,
              skip_duplicates: true,
              contexts: { tenant: [tenantId] },
            },
          },
        ]),
      ),
    };
    const res = await this.client.search(request);
    // Keyed by kind and normalized value: case variants from different assets are one suggestion.
    const candidates = new Map<string, Candidate>();
    for (const kind of SUGGEST_KINDS) {
      for (const entry of res.suggest?.[kind] ?? []) {
        const options = entry.options;
        for (const option of Array.isArray(options) ? options : [options]) {
          const folded = normalizeSuggestion(option.text);
          const key = `${kind}\u0000${folded}`;
          if (folded && !candidates.has(key))
            candidates.set(key, {
              kind,
              value: option.text.trim(),
              normalized: folded,
              stored: option.text,
            });
        }
      }
    }
    if (candidates.size === 0) return [];

    const counted = await this.countAssets(tenantId, [...candidates.values()]);
    const carried = counted.filter((s) => (s.assets ?? 0) > 0);
    const byBytes = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const entities = carried
      .filter((s) => s.kind !== 'title')
      .sort(
        (a, b) =>
          b.assets! - a.assets! ||
          a.normalized.length - b.normalized.length ||
          byBytes(a.normalized, b.normalized),
      );
    const titles = carried
      .filter((s) => s.kind === 'title')
      .sort((a, b) => byBytes(a.normalized, b.normalized));
    return [...entities, ...titles].slice(0, limit);
  }

  /** How many of the tenant's assets carry each candidate, in one request. */
  private async countAssets(tenantId: string, candidates: Candidate[]): Promise<Suggestion[]> {
    const request: estypes.SearchRequest = {
      index: this.alias,
      size: 0,
      track_total_hits: false,
      query: { term: { tenant_id: tenantId } },
      aggs: {
        assets: {
          filters: {
            filters: candidates.map((c) => ({ term: { [SUGGEST_COUNT_FIELDS[c.kind]]: c.stored } })),
          },
        },
      },
    };
    const res = await this.client.search(request);
    const agg = res.aggregations?.assets as estypes.AggregationsFiltersAggregate | undefined;
    const buckets = Array.isArray(agg?.buckets) ? agg.buckets : [];
    return candidates.map((c, i) => ({
      kind: c.kind,
      value: c.value,
      normalized: c.normalized,
      assets: buckets[i]?.doc_count ?? 0,
    }));
  }

  /** Suggestions come from the documents' completion fields, which re-projection has respelled. */
  respell(): Promise<void> {
    return Promise.resolve();
  }

  async projectedVersions(tenantId: string, assetIds: string[]): Promise<Map<string, number>> {
    if (assetIds.length === 0) return new Map();
    const res = await this.client.mget<EsDoc>({
      index: this.alias,
      ids: assetIds.map((id) => this.id(tenantId, id)),
      _source_includes: ['asset_id', 'version'],
    });
    const versions = new Map<string, number>();
    for (const d of res.docs) {
      if ('found' in d && d.found && d._source) versions.set(d._source.asset_id, d._source.version);
    }
    return versions;
  }

  async projectedIdsAfter(
    tenantId: string,
    afterId: string | null,
    limit: number,
  ): Promise<ProjectedAsset[]> {
    const filter: estypes.QueryDslQueryContainer[] = [{ term: { tenant_id: tenantId } }];
    if (afterId !== null) filter.push({ range: { asset_id: { gt: afterId } } });
    const res = await this.client.search<EsDoc>({
      index: this.alias,
      size: limit,
      track_total_hits: false,
      query: { bool: { filter } },
      sort: [{ asset_id: { order: 'asc' } }],
      _source: ['asset_id', 'version'],
    });
    return res.hits.hits.flatMap((h) =>
      h._source ? [{ assetId: h._source.asset_id, version: h._source.version }] : [],
    );
  }
}

function mergeLists(a: SearchFilters, b: SearchFilters): SearchFilters {
  const merged: SearchFilters = {};
  for (const key of ['type', 'sourceSystem', 'status', 'tags', 'topics', 'speakers', 'brands'] as const) {
    const values = [...(a[key] ?? []), ...(b[key] ?? [])];
    if (values.length) (merged as Record<string, unknown>)[key] = values;
  }
  return merged;
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
