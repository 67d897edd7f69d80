import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../domain/cursor.js';
import type { EntityType } from '../domain/entities.js';
import type { Database, ProjectionTables, Sql } from '../store/database.js';
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
  type SearchHit,
  type SearchIndex,
  type SearchPage,
  type SearchQuery,
  type SearchSort,
  type Suggestion,
  type Explanation,
} from './search-index.js';

// Relevance cursor: the last hit's score and id; browse cursor: its creation time and id.
const CursorSchema = z.union([
  z.object({
    m: z.literal('r'),
    s: z.number(),
    id: z.uuid(),
    // The statistics page one was scored with, so that later pages score the same way while
    // assets keep arriving: terms, their query weights and document frequencies, N, avgdl.
    q: z.object({
      t: z.array(z.string()).max(1024),
      w: z.array(z.number()).max(1024),
      df: z.array(z.number()).max(1024),
      n: z.number(),
      avgdl: z.number(),
    }),
  }),
  z.object({ m: z.literal('c'), t: z.iso.datetime({ offset: true }), id: z.uuid() }),
  z.object({ m: z.literal('p'), p: z.number(), id: z.uuid() }),
]);
type Cursor = z.infer<typeof CursorSchema>;

const FACET_LIMIT = 20;
/** Facets count every match up to this many expected matches, and a uniform sample of this size past it. */
const FACET_SAMPLE_SIZE = 5_000;
/**
 * Below this share of the sample size passing every filter, the sample is too thin to estimate from:
 * a larger one is read, up to every match.
 */
const FACET_SAMPLE_MIN_SHARE = 0.1;
/**
 * A thin sample grows to at most this many times the sample size in documents read (100,000: about
 * 0.7 s at 1M assets); counting every one of 690,000 took 5 s. Counts from it stay estimates.
 */
const FACET_SAMPLE_MAX_GROWTH = 20;
const FACET_COLUMNS: Record<FacetDimension, { expr: string; array: boolean }> = {
  tags: { expr: 'd.tags', array: true },
  topics: { expr: 'd.topics', array: true },
  speakers: { expr: 'd.speakers', array: true },
  type: { expr: 'd.type', array: false },
  sourceSystem: { expr: 'd.source_system', array: false },
};

/** An entity filter held by few assets (at most `BM25.selectiveFilterMax`): those are read directly. */
interface SelectiveFilter {
  dim: EntityFilterDimension;
  /** Lower-cased; an asset with any of them passes. */
  values: string[];
  /** At most this many assets hold one. */
  assets: number;
}
type EntityFilterDimension = 'tags' | 'topics' | 'speakers' | 'brands';
/** Where a document holds each entity filter's values (speakers match the people a text names too). */
const ENTITY_COLUMNS: Record<EntityFilterDimension, string> = {
  tags: 'd.tags',
  topics: 'd.topics',
  speakers: 'd.speakers || d.people',
  brands: 'd.brands',
};

/**
 * Reading one posting through the (tenant, asset) index and the heap costs about this many postings
 * read in a term's index order: the factor by which per-asset reading must read fewer to be chosen.
 * Measured at 1M assets (2026-12-01): 1.9 to 2.6 (for a tag on 4,965 assets, per asset 178 ms against
 * 272 ms with three frequent terms, 138 against 92 ms with one).
 */
const BY_ASSET_COST = 2.5;

/** The assets of a selective filter (an asset holding several of its values, once per value). */
function selectiveAssetsSql(selective: SelectiveFilter, params: unknown[]): string {
  return `SELECT f.asset_id FROM search_filter_values f
          WHERE f.tenant_id = $1 AND f.dim = ${pushed(params, selective.dim)}
            AND f.value = ANY(${pushed(params, selective.values)}::text[])`;
}

/** Appends a parameter; its placeholder. */
function pushed(params: unknown[], value: unknown): string {
  params.push(value);
  return `$${params.length}`;
}

/**
 * SQL conditions on `d` (search_documents) for the filters, parameters appended to `params`.
 * `except` leaves one dimension out: a facet counts its values with the other filters only.
 */
function filterSql(
  filters: SearchFilters,
  params: unknown[],
  except?: FacetDimension,
  { entitiesFromTable = false } = {},
): string {
  const parts: string[] = [];
  const p = (v: unknown) => pushed(params, v);
  const lower = (xs: string[]) => xs.map((x) => x.toLowerCase());
  /**
   * Entity values: on rows already read, from their arrays; where the filter should find the rows
   * (`entitiesFromTable`), from search_filter_values (migration 0026), whose btree the tenant policy
   * lets the planner use, so a rare tag's assets are found directly rather than by reading the tenant.
   */
  const anyOf = (dim: EntityFilterDimension, values: string[] | undefined) => {
    if (!values?.length || dim === except) return;
    parts.push(
      entitiesFromTable
        ? `EXISTS (SELECT 1 FROM search_filter_values f WHERE f.tenant_id = d.tenant_id AND f.dim = '${dim}'
             AND f.value = ANY(${p(lower(values))}::text[]) AND f.asset_id = d.asset_id)`
        : `EXISTS (SELECT 1 FROM unnest(${ENTITY_COLUMNS[dim]}) x WHERE lower(x) = ANY(${p(lower(values))}::text[]))`,
    );
  };
  if (filters.type?.length && except !== 'type') parts.push(`d.type = ANY(${p(filters.type)}::text[])`);
  if (filters.sourceSystem?.length && except !== 'sourceSystem') {
    parts.push(`lower(d.source_system) = ANY(${p(lower(filters.sourceSystem))}::text[])`);
  }
  if (filters.status?.length) parts.push(`d.status = ANY(${p(filters.status)}::text[])`);
  anyOf('tags', filters.tags);
  anyOf('topics', filters.topics);
  anyOf('speakers', filters.speakers);
  anyOf('brands', filters.brands);
  if (filters.createdFrom) parts.push(`d.created_at >= ${p(filters.createdFrom.toISOString())}::timestamptz`);
  if (filters.createdTo) parts.push(`d.created_at < ${p(filters.createdTo.toISOString())}::timestamptz`);
  if (filters.durationMin !== undefined) parts.push(`d.duration_seconds >= ${p(filters.durationMin)}::real`);
  if (filters.durationMax !== undefined) parts.push(`d.duration_seconds <= ${p(filters.durationMax)}::real`);
  if (filters.resolution) {
    parts.push(
      `d.width = ${p(filters.resolution.width)}::int AND d.height = ${p(filters.resolution.height)}::int`,
    );
  }
  return parts.length ? parts.map((x) => `AND ${x}`).join(' ') : '';
}

/**
 * The least string above every string that starts with `prefix`, in code point order (which is
 * collation "C"'s byte order in UTF-8): the last code point incremented, past the surrogates.
 */
export function prefixUpperBound(prefix: string): string | null {
  const points = [...prefix];
  while (points.length > 0) {
    const last = points.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) {
      const next = last + 1 === 0xd800 ? 0xe000 : last + 1;
      return points.join('') + String.fromCodePoint(next);
    }
  }
  // Only U+10FFFF code points: no string is above them all, so no upper bound.
  return null;
}

/** The uuid below which a `fraction` of uniformly random uuids fall. */
export function uuidAtFraction(fraction: number): string {
  const scaled = BigInt(Math.floor(Math.min(Math.max(fraction, 0), 1) * 2 ** 52)) << 76n;
  const hex = (scaled >= 1n << 128n ? (1n << 128n) - 1n : scaled).toString(16).padStart(32, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Lower-cased, accents folded, whitespace collapsed: how prefixes compare. */
export function normalizeSuggestion(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

type SuggestionFields = Pick<SearchDocument, 'title' | 'tags' | 'speakers' | 'topics'>;
type SuggestionDelta = Suggestion & { delta: number };

function suggestionsOf(d: SuggestionFields): Suggestion[] {
  const out = new Map<string, Suggestion>();
  const add = (kind: Suggestion['kind'], value: string) => {
    const normalized = normalizeSuggestion(value).slice(0, 200);
    if (normalized)
      out.set(`${kind}\u0000${normalized}`, { kind, value: value.trim().slice(0, 200), normalized });
  };
  add('title', d.title);
  for (const t of d.tags) add('tag', t);
  for (const s of d.speakers) add('speaker', s);
  for (const t of d.topics) add('topic', t);
  return [...out.values()];
}

/** Adds `sign` per suggestion to the running deltas of a batch. */
function countSuggestions(into: Map<string, SuggestionDelta>, suggestions: Suggestion[], sign: 1 | -1): void {
  for (const x of suggestions) {
    const key = `${x.kind}\u0000${x.normalized}`;
    const seen = into.get(key);
    if (seen) seen.delta += sign;
    else into.set(key, { ...x, delta: sign });
  }
}

/** A new asset was projected by two transactions at once; the later one retries. */
export class ConcurrentProjectionError extends Error {
  constructor(assetId: string) {
    super(`asset ${assetId} was projected concurrently; retry`);
  }
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

/** Request filters and query field:value filters together; within a dimension, values are alternatives. */
function mergeFilters(a: SearchFilters, b: SearchFilters): SearchFilters {
  const merged: SearchFilters = { ...a };
  for (const key of ['type', 'sourceSystem', 'status', 'tags', 'topics', 'speakers', 'brands'] as const) {
    const values = [...(a[key] ?? []), ...(b[key] ?? [])];
    if (values.length) (merged as Record<string, unknown>)[key] = values;
  }
  return merged;
}

/** Keyset ordering and cursor condition for a sort, on the columns of `r`. */
function ordering(sort: SearchSort): {
  order: string;
  after: (c: Cursor, params: unknown[]) => string | null;
} {
  switch (sort) {
    case 'relevance':
      return {
        order: 'r.score DESC, r.asset_id',
        after: (c, params) => {
          if (c.m !== 'r') return null;
          params.push(c.s, c.id);
          return `AND (r.score < $${params.length - 1} OR (r.score = $${params.length - 1} AND r.asset_id > $${params.length}::uuid))`;
        },
      };
    case 'createdAt':
      return {
        order: 'r.created_at DESC, r.asset_id DESC',
        after: (c, params) => {
          if (c.m !== 'c') return null;
          params.push(c.t, c.id);
          return `AND (r.created_at, r.asset_id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
        },
      };
    case 'popularity':
      return {
        order: 'r.popularity DESC, r.asset_id DESC',
        after: (c, params) => {
          if (c.m !== 'p') return null;
          params.push(c.p, c.id);
          return `AND (r.popularity, r.asset_id) < ($${params.length - 1}::real, $${params.length}::uuid)`;
        },
      };
  }
}

type RankSnapshot = Extract<Cursor, { m: 'r' }>['q'];

function cursorOf(
  sort: SearchSort,
  r: { asset_id: string; score: number; created_at: Date; popularity: number },
  snapshot?: RankSnapshot,
): string {
  switch (sort) {
    case 'relevance':
      return encodeCursor({ m: 'r', s: r.score, id: r.asset_id, q: snapshot });
    case 'createdAt':
      return encodeCursor({ m: 'c', t: new Date(r.created_at).toISOString(), id: r.asset_id });
    case 'popularity':
      return encodeCursor({ m: 'p', p: r.popularity, id: r.asset_id });
  }
}

/**
 * BM25 parameters. Field weights apply to the tsvector labels set in `upsert` (BM25F-style: a term's
 * frequency and a document's length are sums of field-weighted counts).
 */
export const BM25 = {
  k1: 1.2,
  b: 0.75,
  /** A: title and speakers; B: tags and topics; C: description, keywords, people named; D: transcript. */
  weights: { A: 2.0, B: 1.5, C: 1.0, D: 0.5 },
  /**
   * Impact-ordered early termination: per query term, only the postings with the highest index-time
   * BM25 weight are read. Exact for terms in fewer documents than this; an approximation beyond.
   */
  postingsPerTerm: 5_000,
  /**
   * An entity filter (tag, topic, speaker, brand) held by at most this many assets ranks those assets
   * alone, every one scored, instead of the best postings: a rare tag's matches are rarely among a
   * frequent term's best 5,000, and within the filter the ranking is then exact.
   */
  selectiveFilterMax: 5_000,
  /** Added to the score of a title or speaker equal to the whole query, so it ranks first. */
  exactMatchBoost: 1_000,
} as const;

/**
 * Typo tolerance: a query term that is in no document is replaced by up to `expansions` indexed terms
 * whose trigram similarity reaches `minSimilarity`, each weighted by `weight` × similarity so that
 * exact matches rank first. Terms shorter than `minLength` are too short to correct reliably.
 */
export const TYPOS = {
  minLength: 4,
  minSimilarity: 0.25,
  expansions: 2,
  weight: 0.5,
  /**
   * A term some documents do have can still be a typo (corpora contain misspellings too): it also
   * expands, but only to a much closer and far more common spelling.
   */
  knownMinSimilarity: 0.5,
  knownFrequencyRatio: 5,
  /** Only a rare spelling is suspected: a term in more documents than this is taken as written. */
  knownMaxDf: 3,
} as const;
const HEADLINE_OPTIONS = 'StartSel=<mark>, StopSel=</mark>, MaxWords=35, MinWords=10, MaxFragments=2';
/** Transcript highlighting reads at most this much of a transcript: bounded cost per hit. */
const TRANSCRIPT_HIGHLIGHT_CHARS = 200_000;
const TIMESTAMP = /\[?\(?\b(?:(\d{1,2}):)?(\d{1,2}):(\d{2})(?:[.,]\d+)?\b\)?\]?/g;

/**
 * The start time (seconds) of the transcript moment holding the highlighted fragment: the last
 * timestamp before the first marked word. Null for untimed transcripts.
 */
export function momentOf(transcript: string, fragment: string): number | null {
  const marked = /<mark>(.*?)<\/mark>/.exec(fragment)?.[1];
  if (!marked) return null;
  const context = fragment.replace(/<\/?mark>/g, '');
  let at = transcript.indexOf(context);
  if (at < 0) at = transcript.toLowerCase().indexOf(marked.toLowerCase());
  if (at < 0) return null;
  const offset = at + Math.max(0, context.indexOf(marked));
  let start: number | null = null;
  for (const m of transcript.slice(0, offset + 1).matchAll(TIMESTAMP)) {
    start = Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]);
  }
  return start;
}

/** A document as the projection writes it: one row of the JSON that INSERT_DOCUMENTS reads. */
export function documentRow(d: SearchDocument) {
  return {
    asset_id: d.assetId,
    version: d.version,
    type: d.type,
    source_system: d.sourceSystem,
    status: d.status,
    title: d.title,
    description: d.description,
    transcript: d.transcript,
    tags: d.tags,
    speakers: d.speakers,
    topics: d.topics,
    keywords: d.keywords,
    people: d.people,
    brands: d.brands,
    created_at: d.createdAt.toISOString(),
    duration_seconds: d.technical.durationSeconds ?? null,
    width: d.technical.width ?? null,
    height: d.technical.height ?? null,
    technical: d.technical,
  };
}

/**
 * Inserts the documents of $2 (JSON rows from `documentRow`) for tenant $1, with their weighted tsvector
 * and field-weighted length; $3 to $6 are the field weights A to D.
 */
const INSERT_DOCUMENTS = `INSERT INTO search_documents (tenant_id, asset_id, version, type, source_system, status, title, description,
         transcript, tags, speakers, topics, keywords, created_at, duration_seconds, width, height, technical, people,
         brands, exact_keys, document, doc_length, projected_at)
       SELECT $1, x.asset_id, x.version, x.type, x.source_system, x.status, x.title, x.description, x.transcript,
         a.tags, a.speakers, a.topics, a.keywords, x.created_at, x.duration_seconds, x.width, x.height, x.technical,
         a.people, a.brands,
         ARRAY[lower(btrim(x.title))] || ARRAY(SELECT lower(btrim(s)) FROM unnest(a.speakers) s),
         v.document, len.l, now()
       FROM jsonb_to_recordset($2::jsonb) AS x(asset_id uuid, version int, type text, source_system text,
         status text, title text, description text, transcript text, tags jsonb, speakers jsonb, topics jsonb,
         keywords jsonb, people jsonb, brands jsonb, created_at timestamptz, duration_seconds real, width int,
         height int, technical jsonb)
       CROSS JOIN LATERAL (
         SELECT ARRAY(SELECT jsonb_array_elements_text(x.tags)) AS tags,
                ARRAY(SELECT jsonb_array_elements_text(x.speakers)) AS speakers,
                ARRAY(SELECT jsonb_array_elements_text(x.topics)) AS topics,
                ARRAY(SELECT jsonb_array_elements_text(x.keywords)) AS keywords,
                ARRAY(SELECT jsonb_array_elements_text(x.people)) AS people,
                ARRAY(SELECT jsonb_array_elements_text(x.brands)) AS brands
       ) a
       CROSS JOIN LATERAL (
         SELECT setweight(to_tsvector('english', x.title), 'A')
                || setweight(to_tsvector('english', array_to_string(a.speakers, ' ')), 'A')
                || setweight(to_tsvector('english', array_to_string(a.tags || a.topics, ' ')), 'B')
                || setweight(to_tsvector('english', x.description), 'C')
                || setweight(to_tsvector('english', array_to_string(a.people, ' ')), 'C')
                || setweight(to_tsvector('english', array_to_string(a.keywords, ' ')), 'C')
                || setweight(to_tsvector('english', x.transcript), 'D') AS document
         OFFSET 0 -- computed once, not inlined into each use
       ) v
       -- The field-weighted length (BM25F): the sum of every position's field weight.
       CROSS JOIN LATERAL (
         SELECT coalesce(sum(CASE w WHEN 'A' THEN $3::real WHEN 'B' THEN $4::real WHEN 'C' THEN $5::real ELSE $6::real END), 0)::real AS l
         FROM unnest(v.document) AS u, unnest(u.weights) AS w
       ) len
       ORDER BY x.asset_id`;

/**
 * Full-text search on Postgres: a weighted tsvector per asset behind a GIN index.
 * The embedded default; the same SQL runs on PGlite and on a Postgres server.
 */
export class PostgresSearchIndex implements SearchIndex {
  readonly kind = 'postgres';
  private readonly db: Database;
  /** A write transaction: on the live tables, and during a rebuild on its table set as well. */
  private readonly write: <T>(fn: (tx: Sql) => Promise<T>) => Promise<T>;
  private readonly facetSampleSize: number;

  /**
   * `tables`: the live table set, or an online rebuild's (`projectionAccess` in store/).
   * `facetSampleSize`: past this many expected matches, facets are estimated from a sample.
   */
  constructor(tables: ProjectionTables, options: { facetSampleSize?: number } = {}) {
    this.db = tables.db;
    this.write = (fn) => tables.write(fn);
    this.facetSampleSize = options.facetSampleSize ?? FACET_SAMPLE_SIZE;
  }

  async upsert(tenantId: string, doc: SearchDocument): Promise<ProjectionOutcome> {
    const [outcome] = await this.upsertMany(tenantId, [doc]);
    return outcome!;
  }

  /**
   * Projects a batch in one transaction and a fixed number of statements, whatever its size: the
   * documents, their postings, and the statistics and suggestions moved by the difference.
   */
  async upsertMany(tenantId: string, docs: SearchDocument[]): Promise<ProjectionOutcome[]> {
    if (docs.length === 0) return [];
    // Within a batch the newest version of an asset wins; the others are stale already.
    const newest = new Map<string, SearchDocument>();
    for (const d of docs) {
      const seen = newest.get(d.assetId);
      if (!seen || seen.version < d.version) newest.set(d.assetId, d);
    }
    const ids = [...newest.keys()].sort();
    const outcomes = await this.write(async (tx) => {
      // Sorted locks: concurrent batches over the same assets queue instead of deadlocking.
      const current = await tx.query<SuggestionFields & { asset_id: string; version: number }>(
        `SELECT asset_id, version, title, tags, speakers, topics FROM search_documents
         WHERE tenant_id = $1 AND asset_id = ANY($2::uuid[]) ORDER BY asset_id FOR UPDATE`,
        [tenantId, ids],
      );
      const held = new Map(current.map((r) => [r.asset_id, r]));
      const result = new Map<string, ProjectionOutcome>();
      const apply: SearchDocument[] = [];
      for (const id of ids) {
        const doc = newest.get(id)!;
        const version = held.get(id)?.version;
        if (version !== undefined && version > doc.version) result.set(id, 'stale');
        else if (version === doc.version) result.set(id, 'unchanged');
        else apply.push(doc);
      }
      if (apply.length === 0) return result;

      const written = await this.writeDocuments(tx, tenantId, apply);
      for (const w of written) {
        // A row that appeared after the locking read was written by a concurrent projection, whose
        // statistics this one cannot see: roll back and let the job retry.
        if (!w.inserted && !held.has(w.asset_id)) throw new ConcurrentProjectionError(w.asset_id);
        result.set(w.asset_id, 'applied');
      }
      const applied = written.map((w) => w.asset_id);
      const { termDeltas, lengthDelta } = await this.rewritePostings(
        tx,
        tenantId,
        applied,
        applied.filter((id) => held.has(id)),
      );
      await this.applyStats(tx, tenantId, termDeltas, written.filter((w) => w.inserted).length, lengthDelta);
      const suggestions = new Map<string, SuggestionDelta>();
      for (const doc of apply) {
        const before = held.get(doc.assetId);
        countSuggestions(suggestions, before ? suggestionsOf(before) : [], -1);
        countSuggestions(suggestions, suggestionsOf(doc), +1);
      }
      await this.applySuggestions(tx, tenantId, suggestions);
      return result;
    });
    return docs.map((d) => (newest.get(d.assetId) === d ? outcomes.get(d.assetId)! : 'stale'));
  }

  /**
   * An initial load: projects documents the tenant does not have yet (one already there fails the
   * batch), writing the same rows as `upsertMany` given the same batches, except document
   * frequencies, which `finishBulkLoad` counts once for the whole tenant. Upserting the frequencies
   * of thousands of terms per batch is what slowed a large load most. The tenant's document count and
   * length stay per batch: each batch's impacts are computed against them. It writes one table set
   * only (no dual write): not for use while `npm run reindex` rebuilds the index.
   */
  async bulkInsert(tenantId: string, docs: SearchDocument[]): Promise<void> {
    if (docs.length === 0) return;
    const { A, B, C, D } = BM25.weights;
    await this.db.transaction(async (tx) => {
      await tx.query(INSERT_DOCUMENTS, [tenantId, JSON.stringify(docs.map(documentRow)), A, B, C, D]);
      const length = await this.insertPostings(
        tx,
        tenantId,
        docs.map((d) => d.assetId),
      );
      await this.applyStats(tx, tenantId, [], docs.length, length);
      const suggestions = new Map<string, SuggestionDelta>();
      for (const doc of [...docs].sort((a, b) => (a.assetId < b.assetId ? -1 : 1))) {
        countSuggestions(suggestions, suggestionsOf(doc), +1);
      }
      await this.applySuggestions(tx, tenantId, suggestions);
    });
  }

  /** After `bulkInsert`: every term's document frequency, counted from the tenant's postings. */
  async finishBulkLoad(tenantId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      // Statistics from before the load make every posting look absent: the planner then counted
      // them through the impact index, one heap fetch per posting (millions).
      await tx.query('ANALYZE search_postings');
      await tx.query('DELETE FROM search_term_stats WHERE tenant_id = $1', [tenantId]);
      await tx.query(
        `INSERT INTO search_term_stats (tenant_id, term, df)
         SELECT $1, term, count(*)::int FROM search_postings WHERE tenant_id = $1 GROUP BY term ORDER BY term`,
        [tenantId],
      );
    });
  }

  /** Inserts or replaces the documents (never with an older version); reports which were new. */
  private async writeDocuments(
    tx: Sql,
    tenantId: string,
    docs: SearchDocument[],
  ): Promise<{ asset_id: string; inserted: boolean }[]> {
    const { A, B, C, D } = BM25.weights;
    return tx.query<{ asset_id: string; inserted: boolean }>(
      `${INSERT_DOCUMENTS}
       ON CONFLICT (tenant_id, asset_id) DO UPDATE SET
         version = EXCLUDED.version, type = EXCLUDED.type, source_system = EXCLUDED.source_system,
         status = EXCLUDED.status, title = EXCLUDED.title, description = EXCLUDED.description,
         transcript = EXCLUDED.transcript, tags = EXCLUDED.tags, speakers = EXCLUDED.speakers,
         topics = EXCLUDED.topics, keywords = EXCLUDED.keywords, created_at = EXCLUDED.created_at,
         duration_seconds = EXCLUDED.duration_seconds, width = EXCLUDED.width, height = EXCLUDED.height,
         technical = EXCLUDED.technical, people = EXCLUDED.people, brands = EXCLUDED.brands,
         exact_keys = EXCLUDED.exact_keys, document = EXCLUDED.document, doc_length = EXCLUDED.doc_length,
         projected_at = now()
       WHERE search_documents.version < EXCLUDED.version
       RETURNING asset_id, (xmax = 0) AS inserted`,
      [tenantId, JSON.stringify(docs.map(documentRow)), A, B, C, D],
    );
  }

  /**
   * Replaces the postings of the (already written) documents with ones from their tsvectors, and
   * returns how each term's document frequency and the tenant's total length moved.
   */
  private async rewritePostings(
    tx: Sql,
    tenantId: string,
    assetIds: string[],
    /** Those of `assetIds` that had postings before: only theirs are read and deleted. */
    previous: string[],
  ): Promise<{ termDeltas: { term: string; delta: number }[]; lengthDelta: number }> {
    // A new document's terms are all gained; only re-projected ones need their old postings compared.
    const termDeltas =
      previous.length === 0
        ? await tx.query<{ term: string; delta: number }>(
            `SELECT u.lexeme AS term, count(*)::int AS delta FROM search_documents d, unnest(d.document) AS u
             WHERE d.tenant_id = $1 AND d.asset_id = ANY($2::uuid[]) GROUP BY 1`,
            [tenantId, assetIds],
          )
        : await tx.query<{ term: string; delta: number }>(
            `WITH fresh AS (
               SELECT d.asset_id, u.lexeme AS term FROM search_documents d, unnest(d.document) AS u
               WHERE d.tenant_id = $1 AND d.asset_id = ANY($2::uuid[])
             ),
             old AS (SELECT asset_id, term FROM search_postings WHERE tenant_id = $1 AND asset_id = ANY($3::uuid[]))
             SELECT coalesce(f.term, o.term) AS term,
                    sum(CASE WHEN o.term IS NULL THEN 1 WHEN f.term IS NULL THEN -1 ELSE 0 END)::int AS delta
             FROM fresh f FULL JOIN old o ON o.asset_id = f.asset_id AND o.term = f.term
             GROUP BY 1 HAVING sum(CASE WHEN o.term IS NULL THEN 1 WHEN f.term IS NULL THEN -1 ELSE 0 END) <> 0`,
            [tenantId, assetIds, previous],
          );
    const [removed] =
      previous.length === 0
        ? []
        : await tx.query<{ length: number }>(
            `WITH gone AS (
         DELETE FROM search_postings WHERE tenant_id = $1 AND asset_id = ANY($2::uuid[]) RETURNING asset_id, doc_length
       )
       SELECT coalesce(sum(l), 0)::float8 AS length FROM (SELECT DISTINCT asset_id, doc_length AS l FROM gone) x`,
            [tenantId, previous],
          );
    const added = await this.insertPostings(tx, tenantId, assetIds);
    return { termDeltas, lengthDelta: added - (removed?.length ?? 0) };
  }

  /**
   * Writes the postings of (already written) documents that have none, and returns the sum of their
   * lengths. Impacts are computed against the tenant's average length as of before these documents.
   */
  private async insertPostings(tx: Sql, tenantId: string, assetIds: string[]): Promise<number> {
    const { A, B, C, D } = BM25.weights;
    // A term's field-weighted frequency is the sum of its positions' field weights (BM25F); the
    // document's length is the sum over its terms. Impact is the term's BM25 weight at index time.
    // The documents are looked up by key, one per id: as a join, a plan made while the statistics
    // did not know the tenant yet read all of its documents into a hash table, for every batch.
    // tf is computed once per posting (lateral), not once per use.
    const [added] = await tx.query<{ length: number }>(
      `WITH lex AS (
         SELECT d.asset_id, d.doc_length, u.lexeme AS term, f.tf
         FROM unnest($2::uuid[]) AS ids(asset_id)
         CROSS JOIN LATERAL (
           SELECT d.asset_id, d.doc_length, d.document FROM search_documents d
           WHERE d.tenant_id = $1 AND d.asset_id = ids.asset_id
           LIMIT 1 -- one key lookup per id: never flattened into a join the planner could turn around
         ) d
         CROSS JOIN LATERAL unnest(d.document) AS u
         CROSS JOIN LATERAL (
           SELECT sum(CASE w WHEN 'A' THEN $3::real WHEN 'B' THEN $4::real WHEN 'C' THEN $5::real ELSE $6::real END)::real AS tf
           FROM unnest(u.weights) AS w
         ) f
       ),
       cs AS (
         SELECT coalesce((SELECT total_length / GREATEST(doc_count, 1) FROM search_corpus_stats WHERE tenant_id = $1), 0) AS avgdl
       ),
       postings AS (
         INSERT INTO search_postings (tenant_id, term, asset_id, tf, doc_length, impact)
         SELECT $1, lex.term, lex.asset_id, lex.tf, lex.doc_length,
                lex.tf * ($7::real + 1)
                / (lex.tf + $7::real * (1 - $8::real + $8::real * lex.doc_length / GREATEST(cs.avgdl, lex.doc_length, 1)))
         FROM lex CROSS JOIN cs
       )
       -- A data-modifying CTE runs whether or not it is read.
       SELECT coalesce(sum(d.doc_length), 0)::float8 AS length
       FROM unnest($2::uuid[]) AS ids(asset_id)
       CROSS JOIN LATERAL (
         SELECT d.doc_length FROM search_documents d WHERE d.tenant_id = $1 AND d.asset_id = ids.asset_id LIMIT 1
       ) d`,
      [tenantId, assetIds, A, B, C, D, BM25.k1, BM25.b],
    );
    return added?.length ?? 0;
  }

  /** Moves document frequencies and the tenant's document count and total length. */
  private async applyStats(
    tx: Sql,
    tenantId: string,
    termDeltas: { term: string; delta: number }[],
    docDelta: number,
    lengthDelta: number,
  ): Promise<void> {
    // Sorted, single statements lock term rows in one order, so concurrent projections queue.
    const sorted = [...termDeltas].sort((a, b) => (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
    const gained = sorted.filter((d) => d.delta > 0);
    const lost = sorted.filter((d) => d.delta < 0);
    if (gained.length > 0) {
      await tx.query(
        `INSERT INTO search_term_stats (tenant_id, term, df)
         SELECT $1, t, d FROM unnest($2::text[], $3::int[]) AS x(t, d) ORDER BY t
         ON CONFLICT (tenant_id, term) DO UPDATE SET df = search_term_stats.df + EXCLUDED.df`,
        [tenantId, gained.map((d) => d.term), gained.map((d) => d.delta)],
      );
    }
    if (lost.length > 0) {
      await tx.query(
        `UPDATE search_term_stats s SET df = GREATEST(s.df + x.d, 0)
         FROM unnest($2::text[], $3::int[]) AS x(t, d) WHERE s.tenant_id = $1 AND s.term = x.t`,
        [tenantId, lost.map((d) => d.term), lost.map((d) => d.delta)],
      );
    }
    if (docDelta !== 0 || lengthDelta !== 0) {
      await tx.query(
        `INSERT INTO search_corpus_stats (tenant_id, doc_count, total_length)
         VALUES ($1, GREATEST($2::int, 0), GREATEST($3::float8, 0))
         ON CONFLICT (tenant_id) DO UPDATE SET doc_count = GREATEST(search_corpus_stats.doc_count + $2::int, 0),
           total_length = GREATEST(search_corpus_stats.total_length + $3::float8, 0)`,
        [tenantId, docDelta, lengthDelta],
      );
    }
  }

  /** Moves suggestion counts by the summed differences of the batch. */
  private async applySuggestions(
    tx: Sql,
    tenantId: string,
    deltas: Map<string, SuggestionDelta>,
  ): Promise<void> {
    const sorted = [...deltas.entries()]
      .filter(([, d]) => d.delta !== 0)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, d]) => d);
    const gained = sorted.filter((d) => d.delta > 0);
    const lost = sorted.filter((d) => d.delta < 0);
    if (gained.length > 0) {
      await tx.query(
        `INSERT INTO search_suggestions (tenant_id, kind, normalized, value, assets)
         SELECT $1, x.kind, x.normalized, x.value, x.delta
         FROM jsonb_to_recordset($2::jsonb) AS x(kind text, normalized text, value text, delta int)
         ON CONFLICT (tenant_id, kind, normalized) DO UPDATE SET assets = search_suggestions.assets + EXCLUDED.assets`,
        [tenantId, JSON.stringify(gained)],
      );
    }
    if (lost.length > 0) {
      await tx.query(
        `UPDATE search_suggestions s SET assets = GREATEST(s.assets + x.delta, 0)
         FROM jsonb_to_recordset($2::jsonb) AS x(kind text, normalized text, delta int)
         WHERE s.tenant_id = $1 AND s.kind = x.kind AND s.normalized = x.normalized`,
        [tenantId, JSON.stringify(lost)],
      );
    }
  }

  /**
   * Tags, speakers and topics first, most carried first; then titles, alphabetically. Titles are
   * nearly all carried by one asset each, and reading them in index order keeps a short prefix cheap.
   */
  async suggest(tenantId: string, prefix: string, limit: number): Promise<Suggestion[]> {
    const normalized = normalizeSuggestion(prefix);
    if (normalized.length === 0) return [];
    const pattern = `${normalized.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    // A range on the text as well as LIKE: under row-level security LIKE is not leakproof, so only
    // the range (leakproof comparisons) may be answered from the index.
    const upper = prefixUpperBound(normalized);
    type Row = { kind: Suggestion['kind']; value: string; normalized: string; assets: number };
    const entities = await this.db.query<Row>(
      `SELECT kind, value, normalized, assets FROM search_suggestions
       WHERE tenant_id = $1 AND kind = ANY('{tag,speaker,topic}'::text[]) AND normalized COLLATE "C" LIKE $2
         AND normalized COLLATE "C" >= $4 AND ($5::text IS NULL OR normalized COLLATE "C" < $5) AND assets > 0
       ORDER BY assets DESC, length(normalized), normalized
       LIMIT $3`,
      [tenantId, pattern, limit, normalized, upper],
    );
    const titles =
      entities.length < limit
        ? await this.db.query<Row>(
            `SELECT kind, value, normalized, assets FROM search_suggestions
             WHERE tenant_id = $1 AND kind = 'title' AND normalized COLLATE "C" LIKE $2
               AND normalized COLLATE "C" >= $4 AND ($5::text IS NULL OR normalized COLLATE "C" < $5) AND assets > 0
             ORDER BY normalized COLLATE "C"
             LIMIT $3`,
            [tenantId, pattern, limit - entities.length, normalized, upper],
          )
        : [];
    return [...entities, ...titles].map((r) => ({
      kind: r.kind,
      value: r.value,
      normalized: r.normalized,
      assets: r.assets,
    }));
  }

  /** Removes the document, its postings and its share of the statistics and suggestions. */
  async remove(tenantId: string, assetId: string): Promise<void> {
    await this.write(async (tx) => {
      const gone = await tx.query<SuggestionFields>(
        'DELETE FROM search_documents WHERE tenant_id = $1 AND asset_id = $2 RETURNING title, tags, speakers, topics',
        [tenantId, assetId],
      );
      const old = await tx.query<{ term: string; doc_length: number }>(
        'DELETE FROM search_postings WHERE tenant_id = $1 AND asset_id = $2 RETURNING term, doc_length',
        [tenantId, assetId],
      );
      if (!gone[0]) return;
      const suggestions = new Map<string, SuggestionDelta>();
      countSuggestions(suggestions, suggestionsOf(gone[0]), -1);
      await this.applySuggestions(tx, tenantId, suggestions);
      await this.applyStats(
        tx,
        tenantId,
        old.map((r) => ({ term: r.term, delta: -1 })),
        -1,
        -(old[0]?.doc_length ?? 0),
      );
    });
  }

  async search(tenantId: string, query: SearchQuery): Promise<SearchPage> {
    const cursor = query.cursor ? decodeCursor(query.cursor, CursorSchema) : undefined;
    const parsed = parseQuery(query.text.trim(), query.syntax);
    // Filters from field:value clauses and from the request add up (within a dimension: either).
    const filters = mergeFilters(query.filters ?? {}, parsed.filters);
    const hasText = parsed.text.trim() !== '' || parsed.exclusions.length > 0;
    const sort = query.sort ?? (hasText ? 'relevance' : 'createdAt');
    // The query's terms and statistics, looked up once for the ranking and the facets (a relevance
    // cursor carries those of its first page).
    const snapshot = hasText
      ? cursor?.m === 'r'
        ? cursor.q
        : await this.snapshot(tenantId, parsed.text)
      : null;
    // A ranking and facets read a selective filter's assets directly; browsing finds them by itself.
    const selective = snapshot || query.facets ? await this.selectiveFilter(tenantId, filters) : null;
    const page = snapshot
      ? await this.rank(tenantId, parsed, snapshot, filters, selective, sort, query.limit, cursor, {
          explain: query.explain ?? false,
          highlight: query.highlight ?? true,
        })
      : await this.browse(tenantId, filters, sort === 'relevance' ? 'createdAt' : sort, query.limit, cursor);
    if (query.facets) {
      const { facets, estimated } = await this.facets(
        tenantId,
        parsed.text.trim() ? snapshot : null,
        filters,
        selective,
      );
      page.facets = facets;
      if (estimated) page.facetsEstimated = true;
    }
    return page;
  }

  /**
   * Value counts per dimension over the matching, filtered assets; each dimension ignores its own
   * filter. One statement reads the matches once. Matches come from the postings (btree equality,
   * leakproof, so usable under row-level security, where the GIN index on the tsvector is not).
   * Past `facetSampleSize` expected matches, counts are estimated from a uniform sample: the
   * assets whose (random) ids fall below a bound, as Elasticsearch's random sampler does.
   * With a selective filter (a rare tag), every dimension but the filter's own counts that filter's
   * matching assets, all of them, exactly; only the filter's own dimension needs the sample.
   */
  private async facets(
    tenantId: string,
    snapshot: RankSnapshot | null,
    filters: SearchFilters,
    selective: SelectiveFilter | null,
  ): Promise<{ facets: Facets; estimated: boolean }> {
    // The dimension counted over the sample when a selective filter serves the others (none for
    // brands, which have no facet).
    const sampledDim = selective
      ? (FACET_DIMENSIONS.find((dim) => dim === selective.dim) ?? null)
      : undefined;
    const expected = snapshot
      ? Math.min(
          snapshot.df.reduce((a, b) => a + b, 0),
          snapshot.n,
        )
      : await this.documentCount(tenantId);
    // No sample at all when the selective filter serves every dimension (brands).
    let fraction =
      sampledDim !== null && expected > this.facetSampleSize ? this.facetSampleSize / expected : null;
    // Filters can leave too few of the sample to estimate from (a rare tag): the sample grows, within
    // a budget of documents read (to all of them when the budget covers them).
    const budget = (this.facetSampleSize * FACET_SAMPLE_MAX_GROWTH) / expected;
    for (;;) {
      const { rows, kept } = await this.countFacets(
        tenantId,
        snapshot,
        filters,
        fraction,
        selective,
        sampledDim,
      );
      if (fraction !== null && fraction < budget && kept < this.facetSampleSize * FACET_SAMPLE_MIN_SHARE) {
        const wanted = (fraction * this.facetSampleSize) / Math.max(kept, 1);
        const next = Math.min(Math.max(wanted, fraction * 2), budget);
        fraction = next >= 1 ? null : next;
        continue;
      }
      const facets = Object.fromEntries(FACET_DIMENSIONS.map((dim) => [dim, []])) as unknown as Facets;
      for (const r of rows) {
        const scale = fraction && (!selective || r.dim === sampledDim) ? fraction : null;
        facets[r.dim].push({
          value: r.value,
          count: scale ? Math.max(1, Math.round(r.count / scale)) : r.count,
        });
      }
      return { facets, estimated: fraction !== null && (!selective || sampledDim !== null) };
    }
  }

  /**
   * One statement: the top values of every dimension over the matches (all of them, or those whose
   * id falls below `fraction` of the uuid space), and how many of those pass the filters that the
   * sampled counts apply (`kept`). With a selective filter, its own matching assets are read too,
   * each at most once, and every dimension but `sampledDim` counts over them.
   */
  private async countFacets(
    tenantId: string,
    snapshot: RankSnapshot | null,
    filters: SearchFilters,
    fraction: number | null,
    selective: SelectiveFilter | null,
    sampledDim: FacetDimension | null | undefined,
  ): Promise<{ rows: { dim: FacetDimension; value: string; count: number }[]; kept: number }> {
    const params: unknown[] = [tenantId, FACET_LIMIT];
    const p = (v: unknown) => pushed(params, v);
    const below = (column: string) =>
      fraction ? `AND ${column} < ${p(uuidAtFraction(fraction))}::uuid` : '';
    const terms = snapshot ? p(snapshot.t) : null;
    // One primary-key lookup per match (OFFSET 0 keeps it so): a hash join read the whole tenant.
    const documents = (ids: string) => `SELECT d.* FROM (${ids}) m CROSS JOIN LATERAL (
           SELECT * FROM search_documents d WHERE d.tenant_id = $1 AND d.asset_id = m.asset_id OFFSET 0
         ) d`;
    const sampled =
      sampledDim === null
        ? null
        : terms
          ? documents(`SELECT DISTINCT p.asset_id FROM search_postings p
               WHERE p.tenant_id = $1 AND p.term = ANY(${terms}::text[]) ${below('p.asset_id')}`)
          : `SELECT d.* FROM search_documents d WHERE d.tenant_id = $1 ${below('d.asset_id')}`;
    const exact = selective
      ? documents(`SELECT DISTINCT f.asset_id FROM (${selectiveAssetsSql(selective, params)}) f
           ${terms ? `WHERE EXISTS (SELECT 1 FROM search_postings q WHERE q.tenant_id = $1 AND q.asset_id = f.asset_id AND q.term = ANY(${terms}::text[]))` : ''}`)
      : null;
    // Which matches a dimension counts: the selective filter's (exact), or the sample.
    const rowsFor = (dim: FacetDimension | null) =>
      selective ? (dim !== null && dim === sampledDim ? 'NOT d.exact' : 'd.exact') : 'true';
    const counts = FACET_DIMENSIONS.map((dim) => {
      const col = FACET_COLUMNS[dim];
      const value = col.array ? 'v' : col.expr;
      const from = col.array ? `, unnest(${col.expr}) AS v` : '';
      return `(SELECT '${dim}' AS dim, ${value} AS value, count(*)::int AS count
               FROM matches d ${from} WHERE ${rowsFor(dim)} ${filterSql(filters, params, dim)}
               GROUP BY 2 ORDER BY count DESC, value LIMIT $2)`;
    });
    // The sample must keep enough: of all matches, or, with a selective filter, of what its own
    // dimension counts.
    const kept = `(SELECT '' AS dim, '' AS value, count(*)::int AS count FROM matches d
                   WHERE ${selective ? 'NOT d.exact' : 'true'} ${filterSql(filters, params, sampledDim ?? undefined)})`;
    const sources = [
      ...(sampled ? [`SELECT false AS exact, s.* FROM (${sampled}) s`] : []),
      ...(exact ? [`SELECT true AS exact, s.* FROM (${exact}) s`] : []),
    ];
    const rows = await this.db.query<{ dim: FacetDimension | ''; value: string; count: number }>(
      `WITH matches AS MATERIALIZED (
         SELECT d.exact, d.type, d.source_system, d.status, d.tags, d.topics, d.speakers, d.people, d.brands,
                d.created_at, d.duration_seconds, d.width, d.height
         FROM (${sources.join(' UNION ALL ')}) d
       )
       ${[...counts, kept].join(' UNION ALL ')}`,
      params,
    );
    return {
      rows: rows.filter((r): r is { dim: FacetDimension; value: string; count: number } => r.dim !== ''),
      kept: rows.find((r) => r.dim === '')?.count ?? 0,
    };
  }

  /**
   * The entity filter with the fewest assets, when it has at most `BM25.selectiveFilterMax` (counted
   * from search_filter_values, up to that bound).
   */
  private async selectiveFilter(tenantId: string, filters: SearchFilters): Promise<SelectiveFilter | null> {
    const given = (['tags', 'topics', 'speakers', 'brands'] as const)
      .map((dim) => ({ dim, values: (filters[dim] ?? []).map((v) => v.toLowerCase()) }))
      .filter((f) => f.values.length > 0);
    let best: SelectiveFilter | null = null;
    for (const f of given) {
      // Counted up to the bound only: a frequent tag costs no more than a rare one.
      const [row] = await this.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM (
           SELECT 1 FROM search_filter_values
           WHERE tenant_id = $1 AND dim = $2 AND value = ANY($3::text[]) LIMIT $4) x`,
        [tenantId, f.dim, f.values, BM25.selectiveFilterMax + 1],
      );
      const n = row?.n ?? 0;
      if (n <= BM25.selectiveFilterMax && (!best || n < best.assets)) best = { ...f, assets: n };
    }
    return best;
  }

  /**
   * About how many postings a document has (terms it holds), from the planner's row counts: what
   * reading an asset's postings costs. 100 until the tables have been analyzed.
   */
  private async postingsPerDocument(): Promise<number> {
    const [row] = await this.db.query<{ per: number | null }>(
      `SELECT (SELECT reltuples FROM pg_class WHERE oid = 'search_postings'::regclass)
              / nullif((SELECT reltuples FROM pg_class WHERE oid = 'search_documents'::regclass), 0) AS per`,
    );
    const per = row?.per ?? null;
    return per !== null && per > 0 ? per : 100;
  }

  private async documentCount(tenantId: string): Promise<number> {
    const [row] = await this.db.query<{ n: number }>(
      'SELECT coalesce(max(doc_count), 0)::float8 AS n FROM search_corpus_stats WHERE tenant_id = $1',
      [tenantId],
    );
    return row?.n ?? 0;
  }

  private async rank(
    tenantId: string,
    query: ReturnType<typeof parseQuery>,
    snapshot: RankSnapshot,
    filters: SearchFilters,
    selective: SelectiveFilter | null,
    sort: SearchSort,
    limit: number,
    cursor: Cursor | undefined,
    { explain, highlight }: { explain: boolean; highlight: boolean },
  ): Promise<SearchPage> {
    const terms = snapshot.t.map((term, i) => ({ term, weight: snapshot.w[i] ?? 1 }));
    const params: unknown[] = [
      tenantId,
      terms.map((t) => t.term),
      limit + 1,
      BM25.k1,
      BM25.b,
      BM25.postingsPerTerm,
      query.phrases,
      query.exclusions,
      query.text.trim().toLowerCase(),
      BM25.exactMatchBoost,
      terms.map((t) => t.weight),
      snapshot.df,
      snapshot.n,
      snapshot.avgdl,
      null, // $15: how many of the best candidates to check against the documents
    ];
    const { order, after: afterCursor } = ordering(sort);
    const after = cursor ? afterCursor(cursor, params) : '';
    if (after === null) return { hits: [], nextCursor: null };
    const where = filterSql(filters, params);
    const restricted = where !== '' || query.phrases.length > 0 || query.exclusions.length > 0;
    // The candidates: every posting of the query's terms within a selective filter, or else each
    // term's best postings by impact. Within the filter, the postings are read per asset (its few
    // postings, by the (tenant, asset) index) when that reads fewer than the terms' postings would.
    const filtered = selective ? selectiveAssetsSql(selective, params) : '';
    const byAsset =
      selective !== null &&
      selective.assets * (await this.postingsPerDocument()) * BY_ASSET_COST <
        snapshot.df.reduce((a, b) => a + b, 0);
    const filteredPostings = byAsset
      ? `fp AS MATERIALIZED (
           SELECT q.term, q.asset_id, q.tf, q.doc_length FROM (SELECT DISTINCT asset_id FROM (${filtered}) x) fa
           CROSS JOIN LATERAL (
             SELECT * FROM search_postings q
             WHERE q.tenant_id = $1 AND q.asset_id = fa.asset_id AND q.term = ANY($2::text[]) OFFSET 0
           ) q
         ),`
      : '';
    // (The LIMIT of the filtered candidates is a bound, not a cut: the filter holds at most that many.)
    const candidates = byAsset
      ? `SELECT fp.asset_id, fp.tf, fp.doc_length FROM fp WHERE fp.term = t.term LIMIT $6`
      : selective
        ? `SELECT p.asset_id, p.tf, p.doc_length FROM search_postings p
           WHERE p.tenant_id = $1 AND p.term = t.term AND p.asset_id IN (${filtered})
           LIMIT $6`
        : `SELECT asset_id, tf, doc_length FROM search_postings p
           WHERE p.tenant_id = $1 AND p.term = t.term
           ORDER BY p.impact DESC, p.asset_id
           LIMIT $6`;
    // BM25 over the postings: idf from document frequencies, tf saturation with k1, length
    // normalization with b against the tenant's average length. Only the best-scored candidates
    // are looked up in search_documents (a window, widened while filters reject too many), so a
    // frequent term costs its top postings, not a read of every matching document.
    const sql = `WITH cs AS (SELECT $13::float8 AS n, $14::float8 AS avgdl),
       t AS (
         SELECT x.term, x.qtf, ln(1 + (cs.n - x.df + 0.5) / (x.df + 0.5)) AS idf
         FROM unnest($2::text[], $11::float8[], $12::float8[]) AS x(term, qtf, df) CROSS JOIN cs
         WHERE x.df > 0
       ),
       ${filteredPostings}
       m AS MATERIALIZED (
         SELECT p.asset_id,
                sum(t.idf * t.qtf * p.tf * ($4::float8 + 1)
                    / (p.tf + $4::float8 * (1 - $5::float8 + $5::float8 * p.doc_length / cs.avgdl))) AS score
         FROM t CROSS JOIN cs
         CROSS JOIN LATERAL (${candidates}) p
         GROUP BY p.asset_id
       ),
       -- Titles and speakers equal to the whole query, from their index: they rank first even when
       -- a frequent term's cut left them out of the candidates.
       exact AS MATERIALIZED (
         SELECT k.asset_id FROM search_exact_keys k
         WHERE k.tenant_id = $1 AND k.key = lower(btrim($9::text)) LIMIT 100
       ),
       missed AS (
         SELECT p.asset_id,
                sum(t.idf * t.qtf * p.tf * ($4::float8 + 1)
                    / (p.tf + $4::float8 * (1 - $5::float8 + $5::float8 * p.doc_length / cs.avgdl))) AS score
         FROM exact e
         -- Per document, from its own postings: never from the (huge) postings of the query's terms.
         CROSS JOIN LATERAL (
           SELECT q.asset_id, q.term, q.tf, q.doc_length FROM search_postings q
           WHERE q.tenant_id = $1 AND q.asset_id = e.asset_id OFFSET 0
         ) p
         JOIN t ON t.term = p.term CROSS JOIN cs
         WHERE NOT EXISTS (SELECT 1 FROM m WHERE m.asset_id = e.asset_id)
         GROUP BY p.asset_id
       ),
       scored AS (
         SELECT c.asset_id, (c.score + CASE WHEN c.exact THEN $10::float8 ELSE 0 END)::float8 AS score, c.exact
         FROM (SELECT u.asset_id, u.score, EXISTS (SELECT 1 FROM exact e WHERE e.asset_id = u.asset_id) AS exact
               FROM (SELECT * FROM m UNION ALL SELECT * FROM missed) u) c
       ),
       best AS MATERIALIZED (
         SELECT r.asset_id, r.score, r.exact FROM scored r WHERE true ${sort === 'relevance' ? after : ''}
         ORDER BY r.score DESC, r.asset_id LIMIT $15
       ),
       r AS (
         SELECT d.asset_id, d.created_at, d.popularity, best.score, best.exact
         FROM best JOIN search_documents d ON d.tenant_id = $1 AND d.asset_id = best.asset_id
         WHERE NOT EXISTS (SELECT 1 FROM unnest($7::text[]) ph WHERE NOT d.document @@ phraseto_tsquery('english', ph))
           AND NOT EXISTS (SELECT 1 FROM unnest($8::text[]) ex WHERE d.document @@ phraseto_tsquery('english', ex))
           ${where}
       )
       SELECT r.asset_id, r.score, r.exact, r.created_at, r.popularity, (SELECT count(*) FROM best)::int AS window
       FROM r
       WHERE true ${after}
       ORDER BY ${order}
       LIMIT $3`;
    type Row = {
      asset_id: string;
      score: number;
      exact: boolean;
      created_at: Date;
      popularity: number;
      window: number;
    };
    // Other orders need every candidate; relevance needs only enough of the best to fill the page.
    let window = sort !== 'relevance' ? null : restricted ? (limit + 1) * 8 : limit + 1;
    // Within a selective filter there are few candidates, each one in the filter.
    if (selective) window = null;
    // There are never more candidates than this: a window this wide checks them all.
    const allCandidates = BM25.postingsPerTerm * terms.length + 100;
    let rows: Row[];
    for (;;) {
      params[14] = window;
      // JIT is off for every connection (store/db.ts): it cost about 40 ms a ranking at 1M assets.
      rows = await this.db.query<Row>(sql, params);
      if (window === null || !restricted || rows.length > limit) break;
      const checked = rows[0]?.window;
      if ((checked !== undefined && checked < window) || window >= allCandidates) break;
      // Too many of the best were filtered out: look further down the ranking.
      window *= 8;
    }
    const page = rows.slice(0, limit);
    const highlights = !highlight
      ? new Map<string, HitHighlights>()
      : await this.highlightRows(
          tenantId,
          terms.map((t) => t.term),
          page.map((r) => r.asset_id),
        );
    const explanations = explain ? await this.explain(tenantId, terms, page) : new Map<string, Explanation>();
    const hits: SearchHit[] = page.map((r) => {
      const h = highlights.get(r.asset_id);
      const explanation = explanations.get(r.asset_id);
      return {
        assetId: r.asset_id,
        score: r.score,
        highlights: h?.highlights ?? {},
        ...(h?.moment ? { moment: h.moment } : {}),
        ...(r.exact ? { exact: true } : {}),
        ...(explanation ? { explanation } : {}),
      };
    });
    const last = page[page.length - 1];
    return { hits, nextCursor: rows.length > limit && last ? cursorOf(sort, last, snapshot) : null };
  }

  /** The query's weighted terms and the statistics to score them with, as of now. */
  private async snapshot(tenantId: string, text: string): Promise<RankSnapshot> {
    const terms = await this.queryTerms(tenantId, text);
    const [stats] = await this.db.query<{ n: number; avgdl: number; df: number[] }>(
      `SELECT coalesce(cs.doc_count, 0)::float8 AS n,
              GREATEST(coalesce(cs.total_length / GREATEST(cs.doc_count, 1), 1), 1)::float8 AS avgdl,
              ARRAY(SELECT coalesce((SELECT s.df FROM search_term_stats s WHERE s.tenant_id = $1 AND s.term = x.term), 0)::float8
                    FROM unnest($2::text[]) WITH ORDINALITY AS x(term, i) ORDER BY x.i) AS df
       FROM (SELECT 1) one LEFT JOIN search_corpus_stats cs ON cs.tenant_id = $1`,
      [tenantId, terms.map((t) => t.term)],
    );
    return {
      t: terms.map((t) => t.term),
      w: terms.map((t) => t.weight),
      df: stats?.df ?? terms.map(() => 0),
      n: stats?.n ?? 0,
      avgdl: stats?.avgdl ?? 1,
    };
  }

  /**
   * The weighted terms a query ranks by: the stemmed lexemes of its positive words (a word repeated
   * counts once per occurrence, as in Lucene), and for a lexeme no document has, its closest indexed
   * spellings at a lower weight.
   */
  private async queryTerms(tenantId: string, text: string): Promise<{ term: string; weight: number }[]> {
    const lexemes = await this.db.query<{ term: string; qtf: number; df: number }>(
      `SELECT u.lexeme AS term, coalesce(array_length(u.positions, 1), 1)::float8 AS qtf,
              coalesce((SELECT s.df FROM search_term_stats s WHERE s.tenant_id = $1 AND s.term = u.lexeme), 0) AS df
       FROM unnest(to_tsvector('english', $2)) AS u`,
      [tenantId, text],
    );
    const terms = lexemes.filter((l) => l.df > 0).map((l) => ({ term: l.term, weight: l.qtf }));
    const unknown = lexemes.filter((l) => l.term.length >= TYPOS.minLength && l.df <= TYPOS.knownMaxDf);
    if (unknown.length === 0) return terms;
    const corrections = await this.db.transaction(async (tx) => {
      // The trigram index answers `%` at the session's threshold; set it for this transaction only.
      await tx.query(`SELECT set_config('pg_trgm.similarity_threshold', $1, true)`, [
        String(TYPOS.minSimilarity),
      ]);
      return tx.query<{ typo: string; term: string; similarity: number }>(
        `SELECT u.typo, c.term, c.similarity
         FROM unnest($2::text[], $3::int[]) AS u(typo, df)
         CROSS JOIN LATERAL (
           SELECT s.term, similarity(s.term, u.typo)::float8 AS similarity FROM search_term_stats s
           WHERE s.tenant_id = $1 AND s.term % u.typo AND s.term <> u.typo AND s.df > 0
             AND (u.df = 0 OR (similarity(s.term, u.typo) >= $5 AND s.df >= u.df * $6))
           ORDER BY similarity(s.term, u.typo) DESC, s.df DESC, s.term
           LIMIT $4
         ) c`,
        [
          tenantId,
          unknown.map((u) => u.term),
          unknown.map((u) => u.df),
          TYPOS.expansions,
          TYPOS.knownMinSimilarity,
          TYPOS.knownFrequencyRatio,
        ],
      );
    });
    const qtf = new Map(unknown.map((u) => [u.term, u.qtf]));
    for (const c of corrections) {
      terms.push({ term: c.term, weight: (qtf.get(c.typo) ?? 1) * TYPOS.weight * c.similarity });
    }
    return terms;
  }

  /**
   * The score parts of each hit on the page, recomputed with the ranking's formula: per matched
   * term its fields, idf, field-weighted tf, query weight and contribution, plus any exact-match boost.
   */
  private async explain(
    tenantId: string,
    terms: { term: string; weight: number }[],
    page: { asset_id: string; score: number }[],
  ): Promise<Map<string, Explanation>> {
    const rows = await this.db.query<{
      asset_id: string;
      term: string;
      tf: number;
      doc_length: number;
      df: number;
      n: number;
      avgdl: number;
      labels: string[];
    }>(
      `SELECT p.asset_id, p.term, p.tf, p.doc_length, ts.df, cs.doc_count::float8 AS n,
              GREATEST(cs.total_length / GREATEST(cs.doc_count, 1), 1)::float8 AS avgdl,
              (SELECT array_agg(DISTINCT w::text) FROM search_documents d, unnest(d.document) u, unnest(u.weights) w
               WHERE d.tenant_id = $1 AND d.asset_id = p.asset_id AND u.lexeme = p.term) AS labels
       FROM search_postings p
       JOIN search_term_stats ts ON ts.tenant_id = p.tenant_id AND ts.term = p.term
       JOIN search_corpus_stats cs ON cs.tenant_id = p.tenant_id
       WHERE p.tenant_id = $1 AND p.asset_id = ANY($2::uuid[]) AND p.term = ANY($3::text[])`,
      [tenantId, page.map((p) => p.asset_id), terms.map((t) => t.term)],
    );
    const weight = new Map(terms.map((t) => [t.term, t.weight]));
    const fields: Record<string, string> = {
      A: 'title/speakers',
      B: 'tags/topics',
      C: 'description',
      D: 'transcript',
    };
    const result = new Map<string, Explanation>();
    for (const hit of page) {
      const parts = rows
        .filter((r) => r.asset_id === hit.asset_id)
        .map((r) => {
          const idf = Math.log(1 + (r.n - r.df + 0.5) / (r.df + 0.5));
          const w = weight.get(r.term) ?? 1;
          const contribution =
            (idf * w * r.tf * (BM25.k1 + 1)) /
            (r.tf + BM25.k1 * (1 - BM25.b + (BM25.b * r.doc_length) / r.avgdl));
          return {
            term: r.term,
            fields: (r.labels ?? []).sort().map((l) => fields[l] ?? l),
            idf: round4(idf),
            tf: round4(r.tf),
            weight: round4(w),
            contribution: round4(contribution),
          };
        })
        .sort((a, b) => b.contribution - a.contribution);
      const sum = parts.reduce((s, p) => s + p.contribution, 0);
      result.set(hit.asset_id, {
        terms: parts,
        exactMatch: hit.score - sum > BM25.exactMatchBoost / 2 ? BM25.exactMatchBoost : 0,
        score: round4(hit.score),
      });
    }
    return result;
  }

  async highlight(
    tenantId: string,
    query: Pick<SearchQuery, 'text' | 'syntax'>,
    assetIds: string[],
  ): Promise<Map<string, HitHighlights>> {
    if (assetIds.length === 0) return new Map();
    const terms = await this.queryTerms(tenantId, parseQuery(query.text.trim(), query.syntax).text);
    return this.highlightRows(
      tenantId,
      terms.map((t) => t.term),
      assetIds,
    );
  }

  /** Highlights only for the page being returned: ts_headline is too costly to run on every match. */
  private async highlightRows(
    tenantId: string,
    terms: string[],
    assetIds: string[],
  ): Promise<Map<string, HitHighlights>> {
    if (assetIds.length === 0) return new Map();
    const rows = await this.db.query<{
      asset_id: string;
      title: string;
      description: string;
      transcript: string;
      excerpt: string;
    }>(
      `SELECT d.asset_id,
         ts_headline('english', d.title, q.q, 'HighlightAll=true, StartSel=<mark>, StopSel=</mark>') AS title,
         ts_headline('english', d.description, q.q, '${HEADLINE_OPTIONS}') AS description,
         ts_headline('english', left(d.transcript, ${TRANSCRIPT_HIGHLIGHT_CHARS}), q.q,
                     'StartSel=<mark>, StopSel=</mark>, MaxWords=25, MinWords=8, MaxFragments=1') AS transcript,
         left(d.transcript, ${TRANSCRIPT_HIGHLIGHT_CHARS}) AS excerpt
       FROM search_documents d,
         -- Any query word marks, as any of them may have matched.
         (SELECT coalesce(to_tsquery('simple', string_agg(quote_literal(t), ' | ')), ''::tsquery) AS q
          FROM unnest($2::text[]) AS t) q
       WHERE d.tenant_id = $1 AND d.asset_id = ANY($3::uuid[])`,
      [tenantId, terms, assetIds],
    );
    const result = new Map<string, HitHighlights>();
    for (const r of rows) {
      const h: Record<string, string> = {};
      if (r.title.includes('<mark>')) h.title = r.title;
      if (r.description.includes('<mark>')) h.description = r.description;
      let moment: { start: number } | undefined;
      if (r.transcript.includes('<mark>')) {
        h.transcript = r.transcript;
        const start = momentOf(r.excerpt, r.transcript);
        if (start !== null) moment = { start };
      }
      result.set(r.asset_id, moment ? { highlights: h, moment } : { highlights: h });
    }
    return result;
  }

  /** No text: every asset passing the filters, newest (or most popular) first. */
  private async browse(
    tenantId: string,
    filters: SearchFilters,
    sort: Exclude<SearchSort, 'relevance'>,
    limit: number,
    cursor: Cursor | undefined,
  ): Promise<SearchPage> {
    const params: unknown[] = [tenantId, limit + 1];
    const { order, after: afterCursor } = ordering(sort);
    const after = cursor ? afterCursor(cursor, params) : '';
    if (after === null) return { hits: [], nextCursor: null };
    // Here the filters find the rows: a rare tag's assets come from its index, a frequent one's
    // are checked in date order (the planner chooses, from the statistics).
    const where = filterSql(filters, params, undefined, { entitiesFromTable: true });
    const rows = await this.db.query<{
      asset_id: string;
      score: number;
      created_at: Date;
      popularity: number;
    }>(
      `SELECT r.* FROM (
         SELECT d.asset_id, 0::float8 AS score, d.created_at, d.popularity
         FROM search_documents d WHERE d.tenant_id = $1 ${where}
       ) r
       WHERE true ${after}
       ORDER BY ${order} LIMIT $2`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      hits: page.map((r) => ({ assetId: r.asset_id, score: 0, highlights: {} })),
      nextCursor: rows.length > limit && last ? cursorOf(sort, last) : null,
    };
  }

  async respell(tenantId: string, names: { type: EntityType; name: string }[]): Promise<void> {
    const kinds: Partial<Record<EntityType, Suggestion['kind']>> = {
      TAG: 'tag',
      SPEAKER: 'speaker',
      TOPIC: 'topic',
    };
    const rows = names.flatMap((n) => {
      const kind = kinds[n.type];
      const value = n.name.trim().slice(0, 200);
      return kind ? [{ kind, value, normalized: normalizeSuggestion(value).slice(0, 200) }] : [];
    });
    if (rows.length === 0) return;
    await this.write((tx) =>
      tx.query(
        `UPDATE search_suggestions s SET value = x.value
       FROM jsonb_to_recordset($2::jsonb) AS x(kind text, value text, normalized text)
       WHERE s.tenant_id = $1 AND s.kind = x.kind AND s.normalized = x.normalized AND s.value <> x.value`,
        [tenantId, JSON.stringify(rows)],
      ),
    );
  }

  async projectedVersions(tenantId: string, assetIds: string[]): Promise<Map<string, number>> {
    if (assetIds.length === 0) return new Map();
    const rows = await this.db.query<{ asset_id: string; version: number }>(
      'SELECT asset_id, version FROM search_documents WHERE tenant_id = $1 AND asset_id = ANY($2::uuid[])',
      [tenantId, assetIds],
    );
    return new Map(rows.map((r) => [r.asset_id, r.version]));
  }

  async projectedIdsAfter(
    tenantId: string,
    afterId: string | null,
    limit: number,
  ): Promise<ProjectedAsset[]> {
    const rows = await this.db.query<{ asset_id: string; version: number }>(
      `SELECT asset_id, version FROM search_documents
       WHERE tenant_id = $1 AND ($2::uuid IS NULL OR asset_id > $2::uuid)
       ORDER BY asset_id LIMIT $3`,
      [tenantId, afterId, limit],
    );
    return rows.map((r) => ({ assetId: r.asset_id, version: r.version }));
  }
}
