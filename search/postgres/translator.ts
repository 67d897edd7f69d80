import { statement, type NamedStatement } from '../../store/database.js';
import {
  FACET_DIMENSIONS,
  type FacetDimension,
  type ParsedQuery,
  type SearchFilters,
  type SearchSort,
} from '../search-index.js';
import type { Cursor, RankSnapshot } from './cursor.js';
import { PROXIMITY } from '../ranking-features.js';
import { BM25, bm25Sql, idfSql } from './ranking.js';

/*
 * The pure translator from a parsed query and its filters to the statements that must be assembled
 * per query: ranking, browsing and facet counts. Values travel as named parameters; those added per
 * query are named by code (`:p1`, `:p2`…), never numbered by hand. Nothing here talks to a database;
 * test/unit/search-statements.test.ts runs EXPLAIN on a sample of what it builds.
 */

/** A statement assembled for one query, and its parameters' values. */
export interface Assembled {
  statement: NamedStatement;
  params: Record<string, unknown>;
}

/** The parameters of a statement being assembled: fixed names given, values added by code named `p<n>`. */
class Parameters {
  readonly values: Record<string, unknown>;
  private count = 0;

  constructor(fixed: Record<string, unknown>) {
    this.values = { ...fixed };
  }

  /** A value under a fresh name; its placeholder. */
  add(value: unknown): string {
    const name = `p${++this.count}`;
    this.values[name] = value;
    return `:${name}`;
  }

  assembled(text: string): Assembled {
    return { statement: statement(text), params: this.values };
  }
}

export type EntityFilterDimension = 'tags' | 'topics' | 'speakers' | 'brands';
export const ENTITY_FILTER_DIMENSIONS = ['tags', 'topics', 'speakers', 'brands'] as const;

/** An entity filter held by few assets (at most `BM25.selectiveFilterMax`): those are read directly. */
export interface SelectiveFilter {
  dim: EntityFilterDimension;
  /** Lower-cased; an asset with any of them passes. */
  values: string[];
  /** At most this many assets hold one. */
  assets: number;
}

/** Where a document holds each entity filter's values (speakers match the people a text names too). */
const ENTITY_COLUMNS: Record<EntityFilterDimension, string> = {
  tags: 'd.tags',
  topics: 'd.topics',
  speakers: 'd.speakers || d.people',
  brands: 'd.brands',
};

const FACET_COLUMNS: Record<FacetDimension, { expr: string; array: boolean }> = {
  tags: { expr: 'd.tags', array: true },
  topics: { expr: 'd.topics', array: true },
  speakers: { expr: 'd.speakers', array: true },
  type: { expr: 'd.type', array: false },
  sourceSystem: { expr: 'd.source_system', array: false },
};

const FACET_LIMIT = 20;

/** The assets of a selective filter (an asset holding several of its values, once per value). */
function selectiveAssets(selective: SelectiveFilter, params: Parameters): string {
  return `SELECT f.asset_id FROM search_filter_values f
          WHERE f.tenant_id = :tenantId AND f.dim = ${params.add(selective.dim)}
            AND f.value = ANY(${params.add(selective.values)}::text[])`;
}

/**
 * SQL conditions on `d` (search_documents) for the filters. `except` leaves one dimension out: a
 * facet counts its values with the other filters only.
 */
function filterConditions(
  filters: SearchFilters,
  params: Parameters,
  except?: FacetDimension,
  { entitiesFromTable = false } = {},
): string {
  const parts: string[] = [];
  const p = (v: unknown) => params.add(v);
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
  for (const dim of ENTITY_FILTER_DIMENSIONS) anyOf(dim, filters[dim]);
  if (filters.createdFrom) parts.push(`d.created_at >= ${p(filters.createdFrom.toISOString())}::timestamptz`);
  if (filters.createdTo) parts.push(`d.created_at < ${p(filters.createdTo.toISOString())}::timestamptz`);
  if (filters.durationMin !== undefined) parts.push(`d.duration_seconds >= ${p(filters.durationMin)}::real`);
  if (filters.durationMax !== undefined) parts.push(`d.duration_seconds <= ${p(filters.durationMax)}::real`);
  if (filters.resolution) {
    parts.push(
      `d.width = ${p(filters.resolution.width)}::int AND d.height = ${p(filters.resolution.height)}::int`,
    );
  }
  if (filters.openIssues) parts.push('d.open_issues > 0');
  // An empty list passes nothing.
  if (filters.assetIds) parts.push(`d.asset_id = ANY(${p(filters.assetIds)}::uuid[])`);
  return parts.length ? parts.map((x) => `AND ${x}`).join(' ') : '';
}

/** Keyset ordering of a sort on the columns of `r`, and the condition that continues after a cursor. */
function ordering(
  sort: SearchSort,
  cursor: Cursor | undefined,
  params: Parameters,
): { order: string; after: string } {
  switch (sort) {
    case 'relevance': {
      if (cursor?.m !== 'r') return { order: 'r.score DESC, r.asset_id', after: '' };
      const [s, id] = [params.add(cursor.s), params.add(cursor.id)];
      return {
        order: 'r.score DESC, r.asset_id',
        after: `AND (r.score < ${s} OR (r.score = ${s} AND r.asset_id > ${id}::uuid))`,
      };
    }
    case 'createdAt': {
      if (cursor?.m !== 'c') return { order: 'r.created_at DESC, r.asset_id DESC', after: '' };
      const after = `AND (r.created_at, r.asset_id) < (${params.add(cursor.t)}::timestamptz, ${params.add(cursor.id)}::uuid)`;
      return { order: 'r.created_at DESC, r.asset_id DESC', after };
    }
    case 'popularity': {
      // Learned popularity first; the source's view count orders what it leaves tied (every asset
      // of a tenant without events), so such a tenant keeps the source's order.
      const order = 'r.learned_popularity DESC, r.popularity DESC, r.asset_id DESC';
      if (cursor?.m !== 'p') return { order, after: '' };
      const after = `AND (r.learned_popularity, r.popularity, r.asset_id) < (${params.add(cursor.l ?? 0)}::float8, ${params.add(cursor.p)}::real, ${params.add(cursor.id)}::uuid)`;
      return { order, after };
    }
    case 'trending': {
      const order = 'r.trending DESC, r.learned_popularity DESC, r.popularity DESC, r.asset_id DESC';
      if (cursor?.m !== 't') return { order, after: '' };
      const after = `AND (r.trending, r.learned_popularity, r.popularity, r.asset_id) < (${params.add(cursor.t)}::float8, ${params.add(cursor.l)}::float8, ${params.add(cursor.p)}::real, ${params.add(cursor.id)}::uuid)`;
      return { order, after };
    }
  }
}

/** The ranking's score of a candidate posting `p` for a query term `t` (see `bm25Sql`). */
const SCORE = bm25Sql({
  weight: 't.idf * t.qtf',
  tf: 'p.tf',
  docLength: 'p.doc_length',
  avgdl: 'cs.avgdl',
  k1: ':k1::float8',
  b: ':b::float8',
});

/**
 * Within a budget, the best candidates by the postings read (`partial`) scored again from their own
 * postings, by the (tenant, asset) index: a candidate that a term's cut left out is then scored
 * for that term too.
 */
const RESCORED = `m AS MATERIALIZED (
       SELECT p.asset_id, sum(${SCORE}) AS score
       FROM (SELECT asset_id FROM partial ORDER BY score DESC, asset_id LIMIT :rescore) c
       CROSS JOIN LATERAL (
         SELECT q.asset_id, q.term, q.tf, q.doc_length FROM search_postings q
         WHERE q.tenant_id = :tenantId AND q.asset_id = c.asset_id OFFSET 0
       ) p
       JOIN t ON t.term = p.term CROSS JOIN cs
       GROUP BY p.asset_id
     ),`;

export interface RankInput {
  tenantId: string;
  query: ParsedQuery;
  snapshot: RankSnapshot;
  filters: SearchFilters;
  selective: SelectiveFilter | null;
  /** Within the selective filter, read each asset's postings rather than the terms'. */
  byAsset: boolean;
  sort: SearchSort;
  limit: number;
  /** A cursor made for `sort` (`cursorFits`). */
  cursor: Cursor | undefined;
  /** Asset → boost learnt from clicks: its score is multiplied by (1 + boost). Empty: none. */
  clickBoosts?: Map<string, number>;
  /**
   * A more-like-this lookup's budget (`LIKE_POSTINGS`): per term (in the snapshot's order) how many
   * of its best postings are read, in place of `BM25.postingsPerTerm` for every term; then the
   * `rescore` best candidates by what those postings gave are scored again from their own postings,
   * every term counted, and ranked by that.
   */
  budget?: { perTerm: number[]; rescore: number };
  /**
   * Term proximity (`PROXIMITY`): the best `PROXIMITY.depth` candidates gain a bounded boost for
   * pairs of these terms near each other (the query's own terms, not feedback's). Empty or absent: none.
   */
  proximityTerms?: string[];
}

/**
 * BM25TP on the best candidates (`PROXIMITY`): their positions of the query's terms, read from their
 * documents' tsvectors; each position paired with the next few (at most `window` apart: never more
 * than `window` positions follow within it); 1/distance² summed per pair of distinct terms,
 * saturated with k1 and b, weighted by the lesser term weight. Positions run on across a document's
 * fields (a tsvector's concatenation shifts them), so a pair across a field's end counts as near.
 */
function proximityCtes(params: Parameters, terms: string[]): string {
  const [depth, window, weight] = [
    params.add(PROXIMITY.depth),
    params.add(PROXIMITY.window),
    params.add(PROXIMITY.weight),
  ];
  const leads = Array.from({ length: PROXIMITY.window }, (_, i) => i + 1);
  return `pt AS (
       SELECT x.term, max(t.idf * t.qtf) AS w
       FROM unnest(${params.add(terms.slice(0, PROXIMITY.maxTerms))}::text[]) AS x(term) JOIN t ON t.term = x.term
       GROUP BY x.term
     ),
     top AS MATERIALIZED (
       SELECT s.asset_id FROM scored s ORDER BY s.score DESC, s.asset_id LIMIT ${depth}::int
     ),
     pos AS MATERIALIZED (
       SELECT top.asset_id, u.lexeme AS term, pt.w, q.pos::int AS pos, d.doc_length
       FROM top JOIN search_documents d ON d.tenant_id = :tenantId AND d.asset_id = top.asset_id
       CROSS JOIN LATERAL unnest(d.document) AS u
       JOIN pt ON pt.term = u.lexeme
       CROSS JOIN LATERAL unnest(u.positions) AS q(pos)
     ),
     pairs AS (
       SELECT n.asset_id, least(n.term, v.term) AS ta, greatest(n.term, v.term) AS tb,
              least(n.w, v.w) AS w, 1.0 / ((v.pos - n.pos)::float8 ^ 2) AS tpi, n.doc_length
       FROM (
         SELECT pos.*, ${leads.map((k) => `lead(term, ${k}) OVER o AS t${k}, lead(pos, ${k}) OVER o AS p${k}, lead(w, ${k}) OVER o AS w${k}`).join(', ')}
         FROM pos WINDOW o AS (PARTITION BY asset_id ORDER BY pos)
       ) n
       CROSS JOIN LATERAL (VALUES ${leads.map((k) => `(n.t${k}, n.p${k}, n.w${k})`).join(', ')}) AS v(term, pos, w)
       WHERE v.term IS NOT NULL AND v.term <> n.term AND v.pos > n.pos AND v.pos - n.pos <= ${window}::int
     ),
     prox AS (
       SELECT x.asset_id,
              ${weight}::float8 * sum(x.w * x.tpi * (:k1::float8 + 1)
                / (x.tpi + :k1::float8 * (1 - :b::float8 + :b::float8 * x.doc_length / cs.avgdl))) AS bonus
       FROM (SELECT asset_id, ta, tb, min(w) AS w, sum(tpi) AS tpi, max(doc_length) AS doc_length
             FROM pairs GROUP BY asset_id, ta, tb) x CROSS JOIN cs
       GROUP BY x.asset_id
     ),
     near AS (
       SELECT s.asset_id, (s.score + coalesce(px.bonus, 0))::float8 AS score, s.exact,
              coalesce(px.bonus, 0)::float8 AS proximity
       FROM scored s LEFT JOIN prox px ON px.asset_id = s.asset_id
     ),`;
}

/**
 * A page of the BM25 ranking. Its parameter `window` is how many of the best candidates are checked
 * against the documents (null: all of them), which the caller widens while filters reject too many.
 * Whether filters, phrases or exclusions restrict the candidates is `restricted`.
 */
export function rankStatement(x: RankInput): Assembled & { restricted: boolean } {
  const params = new Parameters({
    tenantId: x.tenantId,
    terms: x.snapshot.t,
    limit: x.limit + 1,
    k1: BM25.k1,
    b: BM25.b,
    phrases: x.query.phrases,
    exclusions: x.query.exclusions,
    wholeQuery: x.query.text.trim().toLowerCase(),
    exactMatchBoost: BM25.exactMatchBoost,
    weights: x.snapshot.t.map((_, i) => x.snapshot.w[i] ?? 1),
    dfs: x.snapshot.df,
    postingsPerTerm: BM25.postingsPerTerm,
    caps: x.budget?.perTerm ?? x.snapshot.t.map(() => BM25.postingsPerTerm),
    rescore: x.budget?.rescore ?? 0,
    n: x.snapshot.n,
    avgdl: x.snapshot.avgdl,
    window: null,
  });
  const { order, after } = ordering(x.sort, x.cursor, params);
  const where = filterConditions(x.filters, params);
  // Click boosts multiply the whole score (the exact-match constant too, as Elasticsearch's
  // function_score does); without any, the statement is the one it always was.
  const boosts = x.clickBoosts ?? new Map<string, number>();
  const unboosted = `(c.score + CASE WHEN c.exact THEN :exactMatchBoost::float8 ELSE 0 END)::float8`;
  const scoreOf = boosts.size > 0 ? `(${unboosted} * (1 + coalesce(b.boost, 0)))::float8` : unboosted;
  const boostJoin =
    boosts.size > 0
      ? `LEFT JOIN unnest(${params.add([...boosts.keys()])}::uuid[], ${params.add([...boosts.values()])}::float8[])
           AS b(asset_id, boost) ON b.asset_id = c.asset_id`
      : '';
  // Proximity needs two terms; it rescores a relevance ranking only (other orders show its score).
  const proximity = (x.proximityTerms?.length ?? 0) >= 2;
  const restricted = where !== '' || x.query.phrases.length > 0 || x.query.exclusions.length > 0;
  // The candidates: every posting of the query's terms within a selective filter, or else each
  // term's best postings by impact. Within the filter, the postings are read per asset (its few
  // postings, by the (tenant, asset) index) when that reads fewer than the terms' postings would.
  const filtered = x.selective ? selectiveAssets(x.selective, params) : '';
  const filteredPostings = x.byAsset
    ? `fp AS MATERIALIZED (
         SELECT q.term, q.asset_id, q.tf, q.doc_length FROM (SELECT DISTINCT asset_id FROM (${filtered}) x) fa
         CROSS JOIN LATERAL (
           SELECT * FROM search_postings q
           WHERE q.tenant_id = :tenantId AND q.asset_id = fa.asset_id AND q.term = ANY(:terms::text[]) OFFSET 0
         ) q
       ),`
    : '';
  // Each term's own cap when given; else one for all, which the planner can read as a constant.
  const perTerm = x.budget ? 't.cap' : ':postingsPerTerm';
  // (The LIMIT of the filtered candidates is a bound, not a cut: the filter holds at most that many.)
  const candidates = x.byAsset
    ? `SELECT fp.asset_id, fp.tf, fp.doc_length FROM fp WHERE fp.term = t.term LIMIT ${perTerm}`
    : x.selective
      ? `SELECT p.asset_id, p.tf, p.doc_length FROM search_postings p
         WHERE p.tenant_id = :tenantId AND p.term = t.term AND p.asset_id IN (${filtered})
         LIMIT ${perTerm}`
      : `SELECT asset_id, tf, doc_length FROM search_postings p
         WHERE p.tenant_id = :tenantId AND p.term = t.term
         ORDER BY p.impact DESC, p.asset_id
         LIMIT ${perTerm}`;
  // BM25 over the postings: idf from document frequencies, tf saturation with k1, length
  // normalization with b against the tenant's average length. Only the best-scored candidates
  // are looked up in search_documents (a window, widened while filters reject too many), so a
  // frequent term costs its top postings, not a read of every matching document.
  const text = `WITH cs AS (SELECT :n::float8 AS n, :avgdl::float8 AS avgdl),
     t AS (
       SELECT x.term, x.qtf, ${idfSql('cs.n', 'x.df')} AS idf, x.cap
       FROM unnest(:terms::text[], :weights::float8[], :dfs::float8[], :caps::int[]) AS x(term, qtf, df, cap) CROSS JOIN cs
       WHERE x.df > 0
     ),
     ${filteredPostings}
     ${x.budget ? 'partial' : 'm'} AS MATERIALIZED (
       SELECT p.asset_id, sum(${SCORE}) AS score
       FROM t CROSS JOIN cs
       CROSS JOIN LATERAL (${candidates}) p
       GROUP BY p.asset_id
     ),
     ${x.budget ? RESCORED : ''}
     -- Titles and speakers equal to the whole query, from their index; they rank first even when
     -- the cut of a frequent term left them out of the candidates.
     exact AS MATERIALIZED (
       SELECT k.asset_id FROM search_exact_keys k
       WHERE k.tenant_id = :tenantId AND k.key = lower(btrim(:wholeQuery::text)) LIMIT 100
     ),
     missed AS (
       SELECT p.asset_id, sum(${SCORE}) AS score
       FROM exact e
       -- Per document, from its own postings, never from the (huge) postings of the query terms.
       CROSS JOIN LATERAL (
         SELECT q.asset_id, q.term, q.tf, q.doc_length FROM search_postings q
         WHERE q.tenant_id = :tenantId AND q.asset_id = e.asset_id OFFSET 0
       ) p
       JOIN t ON t.term = p.term CROSS JOIN cs
       WHERE NOT EXISTS (SELECT 1 FROM m WHERE m.asset_id = e.asset_id)
       GROUP BY p.asset_id
     ),
     scored AS (
       SELECT c.asset_id, ${scoreOf} AS score, c.exact
       FROM (SELECT u.asset_id, u.score, EXISTS (SELECT 1 FROM exact e WHERE e.asset_id = u.asset_id) AS exact
             FROM (SELECT * FROM m UNION ALL SELECT * FROM missed) u) c
       ${boostJoin}
     ),
     ${proximity ? proximityCtes(params, x.proximityTerms ?? []) : ''}
     best AS MATERIALIZED (
       SELECT r.asset_id, r.score, r.exact, ${proximity ? 'r.proximity' : '0::float8 AS proximity'}
       FROM ${proximity ? 'near' : 'scored'} r WHERE true ${x.sort === 'relevance' ? after : ''}
       ORDER BY r.score DESC, r.asset_id LIMIT :window
     ),
     r AS (
       SELECT d.asset_id, d.created_at, d.popularity, d.learned_popularity, d.trending, best.score, best.exact,
              best.proximity
       FROM best JOIN search_documents d ON d.tenant_id = :tenantId AND d.asset_id = best.asset_id
       WHERE NOT EXISTS (SELECT 1 FROM unnest(:phrases::text[]) ph WHERE NOT d.document @@ phraseto_tsquery('english', ph))
         AND NOT EXISTS (SELECT 1 FROM unnest(:exclusions::text[]) ex WHERE d.document @@ phraseto_tsquery('english', ex))
         ${where}
     )
     SELECT r.asset_id, r.score, r.exact, r.proximity, r.created_at, r.popularity, r.learned_popularity, r.trending,
       (SELECT count(*) FROM best)::int AS window
     FROM r
     WHERE true ${after}
     ORDER BY ${order}
     LIMIT :limit`;
  return { ...params.assembled(text), restricted };
}

/** No text: every asset passing the filters, newest (or most popular) first. */
export function browseStatement(x: {
  tenantId: string;
  filters: SearchFilters;
  sort: Exclude<SearchSort, 'relevance'>;
  limit: number;
  cursor: Cursor | undefined;
}): Assembled {
  const params = new Parameters({ tenantId: x.tenantId, limit: x.limit + 1 });
  const { order, after } = ordering(x.sort, x.cursor, params);
  // Here the filters find the rows: a rare tag's assets come from its index, a frequent one's
  // are checked in date order (the planner chooses, from the statistics).
  const where = filterConditions(x.filters, params, undefined, { entitiesFromTable: true });
  return params.assembled(`SELECT r.* FROM (
       SELECT d.asset_id, 0::float8 AS score, d.created_at, d.popularity, d.learned_popularity, d.trending
       FROM search_documents d WHERE d.tenant_id = :tenantId ${where}
     ) r
     WHERE true ${after}
     ORDER BY ${order} LIMIT :limit`);
}

export interface FacetCountsInput {
  tenantId: string;
  /** The ranking's terms (null: every document matches). */
  terms: string[] | null;
  filters: SearchFilters;
  /** Matches are the assets whose id falls below this fraction of the uuid space (null: all). */
  fraction: number | null;
  selective: SelectiveFilter | null;
  /** The dimension counted over the sample when a selective filter serves the others (null: none). */
  sampledDim: FacetDimension | null | undefined;
}

/** The uuid below which a `fraction` of uniformly random uuids fall. */
export function uuidAtFraction(fraction: number): string {
  const scaled = BigInt(Math.floor(Math.min(Math.max(fraction, 0), 1) * 2 ** 52)) << 76n;
  const hex = (scaled >= 1n << 128n ? (1n << 128n) - 1n : scaled).toString(16).padStart(32, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * One statement: the top values of every dimension over the matches (all of them, or those whose
 * id falls below `fraction` of the uuid space), and how many of those pass the filters that the
 * sampled counts apply (a row of dim ''). With a selective filter, its own matching assets are read
 * too, each at most once, and every dimension but `sampledDim` counts over them.
 */
export function facetCountsStatement(x: FacetCountsInput): Assembled {
  const params = new Parameters({ tenantId: x.tenantId, facetLimit: FACET_LIMIT });
  const below = (column: string) =>
    x.fraction ? `AND ${column} < ${params.add(uuidAtFraction(x.fraction))}::uuid` : '';
  const terms = x.terms ? params.add(x.terms) : null;
  // One primary-key lookup per match (OFFSET 0 keeps it so): a hash join read the whole tenant.
  const documents = (ids: string) => `SELECT d.* FROM (${ids}) m CROSS JOIN LATERAL (
         SELECT * FROM search_documents d WHERE d.tenant_id = :tenantId AND d.asset_id = m.asset_id OFFSET 0
       ) d`;
  const sampled =
    x.sampledDim === null
      ? null
      : terms
        ? documents(`SELECT DISTINCT p.asset_id FROM search_postings p
             WHERE p.tenant_id = :tenantId AND p.term = ANY(${terms}::text[]) ${below('p.asset_id')}`)
        : `SELECT d.* FROM search_documents d WHERE d.tenant_id = :tenantId ${below('d.asset_id')}`;
  const exact = x.selective
    ? documents(`SELECT DISTINCT f.asset_id FROM (${selectiveAssets(x.selective, params)}) f
         ${terms ? `WHERE EXISTS (SELECT 1 FROM search_postings q WHERE q.tenant_id = :tenantId AND q.asset_id = f.asset_id AND q.term = ANY(${terms}::text[]))` : ''}`)
    : null;
  // Which matches a dimension counts: the selective filter's (exact), or the sample.
  const rowsFor = (dim: FacetDimension | null) =>
    x.selective ? (dim !== null && dim === x.sampledDim ? 'NOT d.exact' : 'd.exact') : 'true';
  // Values are counted as filters compare them, case-insensitively (`Education` and `education` are
  // one value, each asset counted once), and shown in their most common spelling. Ties go by byte
  // order ("C"), as Elasticsearch orders keywords, whatever the database's collation.
  const counts = FACET_DIMENSIONS.map((dim) => {
    const col = FACET_COLUMNS[dim];
    const from = col.array
      ? `CROSS JOIN LATERAL (SELECT DISTINCT ON (lower(x)) x AS v FROM unnest(${col.expr}) x ORDER BY lower(x), x) u`
      : `CROSS JOIN LATERAL (SELECT ${col.expr} AS v) u`;
    return `(SELECT '${dim}' AS dim, (array_agg(s.v ORDER BY s.n DESC, s.v COLLATE "C"))[1] AS value, sum(s.n)::int AS count
             FROM (SELECT u.v, count(*) AS n
                   FROM matches d ${from} WHERE ${rowsFor(dim)} ${filterConditions(x.filters, params, dim)}
                   GROUP BY u.v) s
             GROUP BY lower(s.v) ORDER BY count DESC, lower(s.v) COLLATE "C" LIMIT :facetLimit)`;
  });
  // The sample must keep enough: of all matches, or, with a selective filter, of what its own
  // dimension counts.
  const kept = `(SELECT '' AS dim, '' AS value, count(*)::int AS count FROM matches d
                 WHERE ${x.selective ? 'NOT d.exact' : 'true'} ${filterConditions(x.filters, params, x.sampledDim ?? undefined)})`;
  const sources = [
    ...(sampled ? [`SELECT false AS exact, s.* FROM (${sampled}) s`] : []),
    ...(exact ? [`SELECT true AS exact, s.* FROM (${exact}) s`] : []),
  ];
  return params.assembled(`WITH matches AS MATERIALIZED (
       SELECT d.exact, d.type, d.source_system, d.status, d.tags, d.topics, d.speakers, d.people, d.brands,
              d.created_at, d.duration_seconds, d.width, d.height
       FROM (${sources.join(' UNION ALL ')}) d
     )
     ${[...counts, kept].join(' UNION ALL ')}`);
}

export interface TotalCountInput {
  tenantId: string;
  /** The ranking's terms (null: every document matches). */
  terms: string[] | null;
  query: Pick<ParsedQuery, 'phrases' | 'exclusions'>;
  filters: SearchFilters;
  selective: SelectiveFilter | null;
  /** Count the matches whose id falls below this fraction of the uuid space (null: all). */
  fraction: number | null;
}

/**
 * How many assets match and pass the filters, phrases and exclusions (or, with `fraction`, how many
 * of a uniform sample of them). The matches are the assets holding a term (each once), read from
 * the postings' primary key, where a sample is a range; or a selective filter's assets holding a
 * term; or, without terms, the documents. A document is read only when something restricts.
 */
export function totalCountStatement(x: TotalCountInput): Assembled {
  const params = new Parameters({
    tenantId: x.tenantId,
    phrases: x.query.phrases,
    exclusions: x.query.exclusions,
  });
  const below = (column: string) =>
    x.fraction !== null ? `AND ${column} < ${params.add(uuidAtFraction(x.fraction))}::uuid` : '';
  const where = filterConditions(x.filters, params);
  const restrictions = `${where}
    AND NOT EXISTS (SELECT 1 FROM unnest(:phrases::text[]) ph WHERE NOT d.document @@ phraseto_tsquery('english', ph))
    AND NOT EXISTS (SELECT 1 FROM unnest(:exclusions::text[]) ex WHERE d.document @@ phraseto_tsquery('english', ex))`;
  if (x.terms === null && !x.selective) {
    return params.assembled(`SELECT count(*)::int AS n FROM search_documents d
       WHERE d.tenant_id = :tenantId ${below('d.asset_id')} ${restrictions}`);
  }
  const terms = x.terms ? params.add(x.terms) : null;
  const holdsTerm = (id: string) =>
    terms
      ? `EXISTS (SELECT 1 FROM search_postings q WHERE q.tenant_id = :tenantId AND q.asset_id = ${id} AND q.term = ANY(${terms}::text[]))`
      : 'true';
  const ids = x.selective
    ? `SELECT DISTINCT f.asset_id FROM (${selectiveAssets(x.selective, params)}) f
       WHERE ${holdsTerm('f.asset_id')} ${below('f.asset_id')}`
    : `SELECT DISTINCT p.asset_id FROM search_postings p
       WHERE p.tenant_id = :tenantId AND p.term = ANY(${terms}::text[]) ${below('p.asset_id')}`;
  const restricted = where !== '' || x.query.phrases.length > 0 || x.query.exclusions.length > 0;
  if (!restricted) return params.assembled(`SELECT count(*)::int AS n FROM (${ids}) m`);
  // One primary-key lookup per match (OFFSET 0 keeps it so), as the facet counts read them.
  return params.assembled(`SELECT count(*)::int AS n FROM (${ids}) m CROSS JOIN LATERAL (
       SELECT * FROM search_documents d WHERE d.tenant_id = :tenantId AND d.asset_id = m.asset_id OFFSET 0
     ) d WHERE true ${restrictions}`);
}
