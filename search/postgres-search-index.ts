import type { EntityType } from '../domain/entities.js';
import { isStatementTimeout, QueryTimeoutError } from '../domain/errors.js';
import { batchOutcomes, newestOfEach } from '../domain/projection-batch.js';
import { QUERY_LIMITS } from '../domain/query-limits.js';
import { run, type Database, type ProjectionTables, type Sql } from '../store/database.js';
import { boundedClickBoosts, filtersOf, rankedWords, ranks, sortOf } from './adapter-rules.js';
import { readCursor } from './postgres/cursor.js';
import { countFacets, FACET_SAMPLE_SIZE } from './postgres/facets.js';
import {
  feedbackSnapshot,
  likeBudget,
  likeSnapshot,
  queryTerms,
  rankSnapshot,
} from './postgres/query-terms.js';
import type { RankSnapshot } from './postgres/cursor.js';
import {
  DEFAULT_RANKING,
  FEEDBACK,
  feedbackApplies,
  rankingOf,
  type RankingOptions,
} from './ranking-features.js';
import { highlightDocuments } from './postgres/highlights.js';
import { countTotal } from './postgres/totals.js';
import { browse, rank, rankLike, selectiveFilter } from './postgres/retrieval.js';
import type { SelectiveFilter } from './postgres/translator.js';
import { SQL } from './postgres/statements.js';
import { forgetSuggestions, respellSuggestions, suggest } from './postgres/suggestions.js';
import { applyPopularity } from './postgres/popularity.js';
import { feedbackMatches, setFeedback } from './postgres/feedback.js';
import type { PopularityUpdate } from '../domain/popularity.js';
import {
  countDocumentFrequencies,
  insertDocuments,
  projectedIdsAfter,
  projectedVersions,
  removeDocument,
  suggestedNames,
  upsertDocuments,
} from './postgres/writer.js';
import type {
  FeedbackMatch,
  HitHighlights,
  ParsedQuery,
  ProjectedAsset,
  ProjectionOutcome,
  MoreLikeThisQuery,
  SearchDocument,
  SearchFilters,
  SearchHit,
  SearchIndex,
  SearchPage,
  SearchQuery,
  Suggestion,
} from './search-index.js';
import { narrowsFeedback, TOTAL_EXACT_UP_TO } from './search-index.js';

/** A new asset was projected by two transactions at once; the later one retries. */
export class ConcurrentProjectionError extends Error {
  constructor(assetId: string) {
    super(`asset ${assetId} was projected concurrently; retry`);
  }
}

/**
 * Full-text search on Postgres: BM25 over postings kept beside each asset's weighted tsvector,
 * with statistics moved on every write. The embedded default; the same SQL runs on PGlite and on a
 * Postgres server. This class holds the port's methods; `postgres/` holds the parts (README.md).
 */
export class PostgresSearchIndex implements SearchIndex {
  readonly kind = 'postgres';
  private readonly db: Database;
  /** A write transaction: on the live tables, and during a rebuild on its table set as well. */
  private readonly write: <T>(fn: (tx: Sql) => Promise<T>) => Promise<T>;
  private readonly facetSampleSize: number;
  private readonly totalExactUpTo: number;
  private readonly statementTimeoutMs: number;
  private readonly ranking: RankingOptions;

  /**
   * `tables`: the live table set, or an online rebuild's (`projectionAccess` in store/).
   * `facetSampleSize`: past this many expected matches, facets are estimated from a sample.
   * `statementTimeoutMs`: the time limit of each search statement (`QUERY_LIMITS`).
   * `totalExactUpTo`: past this many candidates, the hit count is estimated (`TOTAL_EXACT_UP_TO`).
   * `ranking`: the ranking features a search uses unless it says otherwise (`DEFAULT_RANKING`).
   */
  constructor(
    tables: ProjectionTables,
    options: {
      facetSampleSize?: number;
      statementTimeoutMs?: number;
      totalExactUpTo?: number;
      ranking?: RankingOptions;
    } = {},
  ) {
    this.db = tables.db;
    this.write = (fn) => tables.write(fn);
    this.facetSampleSize = options.facetSampleSize ?? FACET_SAMPLE_SIZE;
    this.totalExactUpTo = options.totalExactUpTo ?? TOTAL_EXACT_UP_TO;
    this.statementTimeoutMs = options.statementTimeoutMs ?? QUERY_LIMITS.statementTimeoutMs;
    this.ranking = options.ranking ?? DEFAULT_RANKING;
  }

  /**
   * A search's reads, in one transaction whose every statement Postgres cancels past
   * `statementTimeoutMs`, which then throws a QueryTimeoutError (503). PGlite has no timer: there
   * the query limits alone bound a search.
   */
  private async read<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    try {
      return await this.db.transaction(async (tx) => {
        await run(tx, SQL.statementTimeout, { milliseconds: String(this.statementTimeoutMs) });
        return fn(tx);
      });
    } catch (err) {
      if (isStatementTimeout(err)) throw new QueryTimeoutError(this.statementTimeoutMs);
      throw err;
    }
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
    const newest = newestOfEach(docs);
    const outcomes = await this.write(async (tx) => {
      const result = await upsertDocuments(tx, tenantId, newest);
      // Thrown inside the transaction, so that its writes roll back.
      if ('concurrent' in result) throw new ConcurrentProjectionError(result.concurrent);
      // Feedback changes no version: written into the document held, whatever the outcome.
      await setFeedback(tx, tenantId, [...newest.values()]);
      return result.outcomes;
    });
    return batchOutcomes(docs, newest, (d) => outcomes.get(d.assetId)!);
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
    await this.db.transaction(async (tx) => {
      await insertDocuments(tx, tenantId, docs);
      await setFeedback(tx, tenantId, docs);
    });
  }

  /** After `bulkInsert`: every term's document frequency, counted from the tenant's postings. */
  async finishBulkLoad(tenantId: string): Promise<void> {
    await this.db.transaction((tx) => countDocumentFrequencies(tx, tenantId));
  }

  /** Removes the document, its postings and its share of the statistics and suggestions. */
  async remove(tenantId: string, assetId: string): Promise<void> {
    await this.write((tx) => removeDocument(tx, tenantId, assetId));
  }

  feedbackMoments(
    tenantId: string,
    query: ParsedQuery,
    options: { limit: number; openOnly?: boolean },
  ): Promise<FeedbackMatch[]> {
    if (!query.text.trim()) return Promise.resolve([]);
    return this.read((tx) => feedbackMatches(tx, tenantId, query.text, options));
  }

  async respell(tenantId: string, names: { type: EntityType; name: string }[]): Promise<void> {
    const suggested = suggestedNames(names);
    if (suggested.length === 0) return;
    await this.write((tx) => respellSuggestions(tx, tenantId, suggested));
  }
  /** Removed rows leave nothing a read finds, and their statistics left with them: nothing to expunge. */
  expungeDeleted(): Promise<void> {
    return Promise.resolve();
  }

  forgetSuggestions(tenantId: string, key: string): Promise<number> {
    return this.write((tx) => forgetSuggestions(tx, tenantId, key));
  }

  applyPopularity(tenantId: string, rows: PopularityUpdate[]): Promise<void> {
    return applyPopularity({ write: this.write }, tenantId, rows);
  }

  search(tenantId: string, request: SearchQuery): Promise<SearchPage> {
    return this.read((tx) => this.searchIn(tx, tenantId, request));
  }

  private async searchIn(db: Sql, tenantId: string, request: SearchQuery): Promise<SearchPage> {
    const cursor = request.cursor ? readCursor(request.cursor) : undefined;
    const { query } = request;
    const filters = filtersOf(request);
    const sort = sortOf(request);
    // The query's terms and statistics, looked up once for the ranking and the facets (a relevance
    // cursor carries those of its first page).
    // A ranking and facets read a selective filter's assets directly; browsing finds them by itself.
    const selective =
      ranks(query) || request.facets || request.total ? await selectiveFilter(db, tenantId, filters) : null;
    const snapshot = ranks(query)
      ? cursor?.m === 'r'
        ? cursor.q
        : await this.firstPageSnapshot(db, tenantId, request, sort, { filters, selective })
      : null;
    const page = snapshot
      ? await rank(db, {
          tenantId,
          query,
          snapshot,
          filters,
          selective,
          sort,
          limit: request.limit,
          cursor,
          explain: request.explain ?? false,
          highlight: request.highlight ?? true,
          clickBoosts: boundedClickBoosts({ ...request, sort }),
        })
      : await browse(db, {
          tenantId,
          filters,
          sort: sort === 'relevance' ? 'createdAt' : sort,
          limit: request.limit,
          cursor,
        });
    if (request.total) {
      const total = await countTotal(db, {
        tenantId,
        snapshot,
        query,
        filters,
        selective,
        exactUpTo: this.totalExactUpTo,
      });
      // An estimate never says fewer than the hits a first page holds.
      page.total = cursor ? total : { ...total, value: Math.max(total.value, page.hits.length) };
    }
    if (request.facets) {
      const { facets, estimated } = await countFacets(db, {
        tenantId,
        // Exclusions alone have no terms: facets count over every document.
        snapshot: query.text.trim() ? snapshot : null,
        filters,
        selective,
        sampleSize: this.facetSampleSize,
      });
      page.facets = facets;
      if (estimated) page.facetsEstimated = true;
    }
    return page;
  }

  /**
   * A first page's terms and statistics, with the ranking features it applies (a relevance ranking
   * only): feedback expands the terms from the first pass's best assets, those the request's filters,
   * phrases and exclusions let through (as Elasticsearch's first pass); proximity is marked, for
   * every page to apply it alike.
   */
  private async firstPageSnapshot(
    db: Sql,
    tenantId: string,
    request: SearchQuery,
    sort: string,
    narrowing: { filters: SearchFilters; selective: SelectiveFilter | null },
  ): Promise<RankSnapshot> {
    const snapshot = await rankSnapshot(db, tenantId, rankedWords(request.query));
    if (sort !== 'relevance') return snapshot;
    const options = rankingOf(this.ranking, request.ranking);
    let ranked = snapshot;
    if (feedbackApplies(options, new Set(snapshot.t).size, snapshot.n, narrowsFeedback(request))) {
      // No exact-match boost here (no words): its constant would take the first pass's score shares.
      const { phrases, exclusions } = request.query;
      const first = await rank(db, {
        tenantId,
        query: { text: '', phrases, exclusions, filters: {} },
        snapshot,
        filters: narrowing.filters,
        selective: narrowing.selective,
        sort: 'relevance',
        limit: FEEDBACK.docs,
        cursor: undefined,
        explain: false,
        highlight: false,
        clickBoosts: new Map(),
      });
      ranked = await feedbackSnapshot(
        db,
        tenantId,
        snapshot,
        first.hits.map((h) => ({ assetId: h.assetId, score: h.score })),
      );
    }
    return options.proximity ? { ...ranked, x: true } : ranked;
  }

  async highlight(
    tenantId: string,
    query: ParsedQuery,
    assetIds: string[],
  ): Promise<Map<string, HitHighlights>> {
    if (assetIds.length === 0) return new Map();
    return this.read(async (tx) => {
      const terms = await queryTerms(tx, tenantId, rankedWords(query));
      return highlightDocuments(
        tx,
        tenantId,
        terms.map((t) => t.term),
        assetIds,
      );
    });
  }

  /**
   * The postings of the asset (and of `alsoLike`) give its terms (`likeTerms`); the ranking is the
   * search's BM25.
   */
  moreLikeThis(tenantId: string, assetId: string, query: MoreLikeThisQuery): Promise<SearchHit[]> {
    return this.read(async (tx) => {
      const snapshot = await likeSnapshot(tx, tenantId, assetId, query.alsoLike);
      if (!snapshot || snapshot.t.length === 0) return [];
      // The asset itself is among the best; one more keeps the page full without it.
      const limit = query.limit + 1;
      const page = await rankLike(tx, {
        tenantId,
        snapshot,
        limit,
        explain: query.explain ?? false,
        budget: likeBudget(snapshot, limit),
      });
      return page.hits.filter((h) => h.assetId !== assetId).slice(0, query.limit);
    });
  }

  suggest(tenantId: string, prefix: string, limit: number): Promise<Suggestion[]> {
    return suggest(this.db, tenantId, prefix, limit);
  }

  projectedVersions(tenantId: string, assetIds: string[]): Promise<Map<string, number>> {
    return projectedVersions(this.db, tenantId, assetIds);
  }

  projectedIdsAfter(tenantId: string, afterId: string | null, limit: number): Promise<ProjectedAsset[]> {
    return projectedIdsAfter(this.db, tenantId, afterId, limit);
  }
}
