import type { EntityType } from '../domain/entities.js';
import { batchOutcomes, newestOfEach } from '../domain/projection-batch.js';
import type { Database, ProjectionTables, Sql } from '../store/database.js';
import { filtersOf, ranks, sortOf } from './adapter-rules.js';
import { readCursor } from './postgres/cursor.js';
import { countFacets, FACET_SAMPLE_SIZE } from './postgres/facets.js';
import { queryTerms, rankSnapshot } from './postgres/query-terms.js';
import { highlightDocuments } from './postgres/highlights.js';
import { browse, rank, selectiveFilter } from './postgres/retrieval.js';
import { respellSuggestions, suggest } from './postgres/suggestions.js';
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
  HitHighlights,
  ParsedQuery,
  ProjectedAsset,
  ProjectionOutcome,
  SearchDocument,
  SearchIndex,
  SearchPage,
  SearchQuery,
  Suggestion,
} from './search-index.js';

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
    const newest = newestOfEach(docs);
    const outcomes = await this.write(async (tx) => {
      const result = await upsertDocuments(tx, tenantId, newest);
      // Thrown inside the transaction, so that its writes roll back.
      if ('concurrent' in result) throw new ConcurrentProjectionError(result.concurrent);
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
    await this.db.transaction((tx) => insertDocuments(tx, tenantId, docs));
  }

  /** After `bulkInsert`: every term's document frequency, counted from the tenant's postings. */
  async finishBulkLoad(tenantId: string): Promise<void> {
    await this.db.transaction((tx) => countDocumentFrequencies(tx, tenantId));
  }

  /** Removes the document, its postings and its share of the statistics and suggestions. */
  async remove(tenantId: string, assetId: string): Promise<void> {
    await this.write((tx) => removeDocument(tx, tenantId, assetId));
  }

  async respell(tenantId: string, names: { type: EntityType; name: string }[]): Promise<void> {
    const suggested = suggestedNames(names);
    if (suggested.length === 0) return;
    await this.write((tx) => respellSuggestions(tx, tenantId, suggested));
  }

  async search(tenantId: string, request: SearchQuery): Promise<SearchPage> {
    const cursor = request.cursor ? readCursor(request.cursor) : undefined;
    const { query } = request;
    const filters = filtersOf(request);
    const sort = sortOf(request);
    // The query's terms and statistics, looked up once for the ranking and the facets (a relevance
    // cursor carries those of its first page).
    const snapshot = ranks(query)
      ? cursor?.m === 'r'
        ? cursor.q
        : await rankSnapshot(this.db, tenantId, query.text)
      : null;
    // A ranking and facets read a selective filter's assets directly; browsing finds them by itself.
    const selective = snapshot || request.facets ? await selectiveFilter(this.db, tenantId, filters) : null;
    const page = snapshot
      ? await rank(this.db, {
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
        })
      : await browse(this.db, {
          tenantId,
          filters,
          sort: sort === 'relevance' ? 'createdAt' : sort,
          limit: request.limit,
          cursor,
        });
    if (request.facets) {
      const { facets, estimated } = await countFacets(this.db, {
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

  async highlight(
    tenantId: string,
    query: ParsedQuery,
    assetIds: string[],
  ): Promise<Map<string, HitHighlights>> {
    if (assetIds.length === 0) return new Map();
    const terms = await queryTerms(this.db, tenantId, query.text);
    return highlightDocuments(
      this.db,
      tenantId,
      terms.map((t) => t.term),
      assetIds,
    );
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
