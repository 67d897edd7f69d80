import { run, type Sql } from '../../store/database.js';
import type {
  Explanation,
  HitHighlights,
  ParsedQuery,
  SearchFilters,
  SearchHit,
  SearchPage,
  SearchSort,
} from '../search-index.js';
import { cursorFits, cursorOf, type Cursor, type RankSnapshot } from './cursor.js';
import { highlightDocuments } from './highlights.js';
import type { QueryTerm } from './query-terms.js';
import { BM25, BY_ASSET_COST, FIELD_LABELS } from './ranking.js';
import { BM25_PARAMS, SQL } from './statements.js';
import {
  browseStatement,
  ENTITY_FILTER_DIMENSIONS,
  rankStatement,
  type SelectiveFilter,
} from './translator.js';

/*
 * A page of hits on Postgres: ranked by BM25 (the statement from `translator.ts`, run with a window
 * widened while filters reject too many), with highlights and explanations; or, without text, browsed.
 */

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

/**
 * The entity filter with the fewest assets, when it has at most `BM25.selectiveFilterMax` (counted
 * from search_filter_values, up to that bound).
 */
export async function selectiveFilter(
  db: Sql,
  tenantId: string,
  filters: SearchFilters,
): Promise<SelectiveFilter | null> {
  const given = ENTITY_FILTER_DIMENSIONS.map((dim) => ({
    dim,
    values: (filters[dim] ?? []).map((v) => v.toLowerCase()),
  })).filter((f) => f.values.length > 0);
  let best: SelectiveFilter | null = null;
  for (const f of given) {
    // Counted up to the bound only: a frequent tag costs no more than a rare one.
    const [row] = await run<{ n: number }>(db, SQL.filterAssetCount, {
      tenantId,
      dim: f.dim,
      values: f.values,
      bound: BM25.selectiveFilterMax + 1,
    });
    const n = row?.n ?? 0;
    if (n <= BM25.selectiveFilterMax && (!best || n < best.assets)) best = { ...f, assets: n };
  }
  return best;
}

/**
 * About how many postings a document has (terms it holds), from the planner's row counts: what
 * reading an asset's postings costs. 100 until the tables have been analyzed.
 */
async function postingsPerDocument(db: Sql): Promise<number> {
  const [row] = await run<{ per: number | null }>(db, SQL.postingsPerDocument, {});
  const per = row?.per ?? null;
  return per !== null && per > 0 ? per : 100;
}

export interface RankRequest {
  tenantId: string;
  query: ParsedQuery;
  snapshot: RankSnapshot;
  filters: SearchFilters;
  selective: SelectiveFilter | null;
  sort: SearchSort;
  limit: number;
  cursor: Cursor | undefined;
  explain: boolean;
  highlight: boolean;
  /** Asset → boost learnt from clicks (bounded: `boundedClickBoosts`); empty: none. */
  clickBoosts: Map<string, number>;
  /** A more-like-this lookup's budget of postings (`RankInput.budget`); absent: the full read. */
  budget?: { perTerm: number[]; rescore: number };
}

/** A page of the BM25 ranking of the snapshot's terms. */
export async function rank(db: Sql, x: RankRequest): Promise<SearchPage> {
  if (x.cursor && !cursorFits(x.sort, x.cursor)) return { hits: [], nextCursor: null };
  const terms: QueryTerm[] = x.snapshot.t.map((term, i) => ({ term, weight: x.snapshot.w[i] ?? 1 }));
  const byAsset =
    x.selective !== null &&
    x.selective.assets * (await postingsPerDocument(db)) * BY_ASSET_COST <
      x.snapshot.df.reduce((a, b) => a + b, 0);
  // Proximity as page one chose it (its cursor says so), over the query's own terms.
  const proximityTerms = x.snapshot.x ? x.snapshot.t.slice(0, x.snapshot.o ?? x.snapshot.t.length) : [];
  const { statement, params, restricted } = rankStatement({ ...x, byAsset, proximityTerms });
  type Row = {
    asset_id: string;
    score: number;
    exact: boolean;
    proximity: number;
    created_at: Date;
    popularity: number;
    learned_popularity: number;
    trending: number;
    window: number;
  };
  // Other orders need every candidate; relevance needs only enough of the best to fill the page.
  let window = x.sort !== 'relevance' ? null : restricted ? (x.limit + 1) * 8 : x.limit + 1;
  // Within a selective filter there are few candidates, each one in the filter.
  if (x.selective) window = null;
  // There are never more candidates than this: a window this wide checks them all.
  const allCandidates = BM25.postingsPerTerm * terms.length + 100;
  let rows: Row[];
  for (;;) {
    // JIT is off for every connection (store/db.ts): it cost about 40 ms a ranking at 1M assets.
    rows = await run<Row>(db, statement, { ...params, window });
    if (window === null || !restricted || rows.length > x.limit) break;
    const checked = rows[0]?.window;
    if ((checked !== undefined && checked < window) || window >= allCandidates) break;
    // Too many of the best were filtered out: look further down the ranking.
    window *= 8;
  }
  const page = rows.slice(0, x.limit);
  const highlights = !x.highlight
    ? new Map<string, HitHighlights>()
    : await highlightDocuments(
        db,
        x.tenantId,
        // The query's own terms: feedback's rank, but a hit shows where the query matched.
        terms.slice(0, x.snapshot.o ?? terms.length).map((t) => t.term),
        page.map((r) => r.asset_id),
      );
  const explanations = x.explain
    ? await explain(db, x.tenantId, terms, page, x.clickBoosts)
    : new Map<string, Explanation>();
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
  return { hits, nextCursor: rows.length > x.limit && last ? cursorOf(x.sort, last, x.snapshot) : null };
}

/**
 * A page of a more-like-this lookup's ranking: the BM25 ranking of its terms, with no words (nothing
 * is an exact title match, nothing a phrase), no filters, no click boosts (they belong to a search
 * text) and no highlights; its many terms read within `budget` when given (`likeBudget`).
 */
export function rankLike(
  db: Sql,
  x: {
    tenantId: string;
    snapshot: RankSnapshot;
    limit: number;
    explain: boolean;
    budget: { perTerm: number[]; rescore: number } | undefined;
  },
): Promise<SearchPage> {
  return rank(db, {
    tenantId: x.tenantId,
    query: { text: '', phrases: [], exclusions: [], filters: {} },
    snapshot: x.snapshot,
    filters: {},
    selective: null,
    sort: 'relevance',
    limit: x.limit,
    cursor: undefined,
    explain: x.explain,
    highlight: false,
    clickBoosts: new Map(),
    ...(x.budget ? { budget: x.budget } : {}),
  });
}

/**
 * The score parts of each hit on the page, from the ranking's formula (`bm25Sql`) on today's
 * statistics: per matched term its fields, idf, field-weighted tf, query weight and contribution,
 * plus any exact-match boost.
 */
async function explain(
  db: Sql,
  tenantId: string,
  terms: QueryTerm[],
  page: { asset_id: string; score: number; proximity: number }[],
  clickBoosts: Map<string, number>,
): Promise<Map<string, Explanation>> {
  // A term listed twice (a typo's correction that is also a query word) is explained at its last weight.
  const weights = new Map(terms.map((t) => [t.term, t.weight]));
  const rows = await run<{
    asset_id: string;
    term: string;
    tf: number;
    weight: number;
    idf: number;
    contribution: number;
    labels: string[] | null;
  }>(db, SQL.explain, {
    tenantId,
    assetIds: page.map((p) => p.asset_id),
    terms: [...weights.keys()],
    weights: [...weights.values()],
    ...BM25_PARAMS,
  });
  const fields: Record<string, string> = FIELD_LABELS;
  const result = new Map<string, Explanation>();
  for (const hit of page) {
    const parts = rows
      .filter((r) => r.asset_id === hit.asset_id)
      .map((r) => ({
        term: r.term,
        fields: (r.labels ?? []).sort().map((l) => fields[l] ?? l),
        idf: round4(r.idf),
        tf: round4(r.tf),
        weight: round4(r.weight),
        contribution: round4(r.contribution),
      }))
      .sort((a, b) => b.contribution - a.contribution);
    const sum = parts.reduce((s, p) => s + p.contribution, 0);
    // A click boost multiplied the whole score: undone before telling the exact-match constant apart.
    // Proximity is added after the click boost (it rescores the boosted ranking's best).
    const unboosted = (hit.score - hit.proximity) / (1 + (clickBoosts.get(hit.asset_id) ?? 0));
    result.set(hit.asset_id, {
      terms: parts,
      exactMatch: unboosted - sum > BM25.exactMatchBoost / 2 ? BM25.exactMatchBoost : 0,
      ...(hit.proximity > 0 ? { proximity: hit.proximity } : {}),
      // The hit's own score, unrounded: the one the order follows.
      score: hit.score,
    });
  }
  return result;
}

/** No text: every asset passing the filters, newest (or most popular) first. */
export async function browse(
  db: Sql,
  x: {
    tenantId: string;
    filters: SearchFilters;
    sort: Exclude<SearchSort, 'relevance'>;
    limit: number;
    cursor: Cursor | undefined;
  },
): Promise<SearchPage> {
  if (x.cursor && !cursorFits(x.sort, x.cursor)) return { hits: [], nextCursor: null };
  const { statement, params } = browseStatement(x);
  const rows = await run<{
    asset_id: string;
    score: number;
    created_at: Date;
    popularity: number;
    learned_popularity: number;
    trending: number;
  }>(db, statement, params);
  const page = rows.slice(0, x.limit);
  const last = page[page.length - 1];
  return {
    hits: page.map((r) => ({ assetId: r.asset_id, score: 0, highlights: {} })),
    nextCursor: rows.length > x.limit && last ? cursorOf(x.sort, last) : null,
  };
}
