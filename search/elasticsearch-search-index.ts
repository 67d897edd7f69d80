import { applyPopularity } from './elasticsearch/popularity.js';
import type { PopularityUpdate } from '../domain/popularity.js';
import { Client, type estypes } from '@elastic/elasticsearch';
import { batchOutcomes, newestOfEach } from '../domain/projection-batch.js';
import { ValidationError } from '../domain/errors.js';
import { momentOf, sortOf } from './adapter-rules.js';
import { narrowsFeedback } from './search-index.js';
import { suggest } from './elasticsearch/suggestions.js';
import { applyFeedback, feedbackMomentsRequest, readFeedbackMoments } from './elasticsearch/feedback.js';
import {
  PIT_KEEP_ALIVE,
  cursorPit,
  cursorRanking,
  feedbackDfRequest,
  feedbackFirstPassRequest,
  FEEDBACK_DF_CANDIDATES,
  readFeedbackDf,
  TEXT_FIELD_NAMES,
  type EsRanking,
  fuzzyWordsOf,
  fuzzyWordsRequest,
  highlightRequest,
  moreLikeThisRequest,
  rankedText,
  readMoreLikeThis,
  readHighlights,
  readSearchPage,
  searchRequest,
} from './elasticsearch/translator.js';
import {
  bulkIndex,
  createRebuildIndex,
  deleteIndices,
  documentId,
  ensureIndex,
  isError,
  settleConflicts,
  swapAlias,
  type EsDoc,
  type OnOutdated,
} from './elasticsearch/versioned-index.js';
import {
  DEFAULT_RANKING,
  FEEDBACK,
  feedbackApplies,
  rankingOf,
  rm3,
  type FeedbackDocument,
  type RankingOptions,
} from './ranking-features.js';
import type {
  FeedbackMatch,
  HitHighlights,
  MoreLikeThisQuery,
  ParsedQuery,
  ProjectedAsset,
  ProjectionOutcome,
  SearchDocument,
  SearchHit,
  SearchIndex,
  SearchPage,
  SearchQuery,
  Suggestion,
} from './search-index.js';

/**
 * The search port on Elasticsearch, for deployments that outgrow one Postgres. Documents are
 * versioned with external versions, so an older projection never overwrites a newer one. The
 * mapping, index lifecycle and bulk writes are in `elasticsearch/versioned-index.ts`, the query
 * translation in `elasticsearch/translator.ts`, suggestions in `elasticsearch/suggestions.ts`.
 */
export class ElasticsearchSearchIndex implements SearchIndex {
  readonly kind = 'elasticsearch';
  private readonly alias: string;
  /** Indices being rebuilt: they receive every write until the alias moves to them. */
  private shadowIndices: string[] = [];

  private readonly ranking: RankingOptions;
  private readonly expunge: {
    minIntervalMs: number;
    onError: (err: unknown) => void;
    running: Promise<void> | null;
    /** A call came while one ran, or within the interval: one more run is due. */
    again: Promise<void> | null;
    lastStartedAt: number;
  };

  /**
   * `ranking`: the ranking features a search uses unless it says otherwise (`DEFAULT_RANKING`).
   * `expunge`: the least time between two forced merges after purges and erasures (default a
   * minute), and where a failed one is reported.
   */
  constructor(
    private readonly client: Client,
    prefix = 'media',
    options: {
      ranking?: RankingOptions;
      expunge?: { minIntervalMs?: number; onError?: (err: unknown) => void };
    } = {},
  ) {
    this.alias = `${prefix}-assets`;
    this.ranking = options.ranking ?? DEFAULT_RANKING;
    this.expunge = {
      minIntervalMs: options.expunge?.minIntervalMs ?? 60_000,
      onError: options.expunge?.onError ?? (() => undefined),
      running: null,
      again: null,
      lastStartedAt: -Infinity,
    };
  }

  expungeDeleted(): Promise<void> {
    const e = this.expunge;
    if (e.again) return e.again;
    const wait = e.lastStartedAt + e.minIntervalMs - Date.now();
    if (!e.running && wait <= 0) {
      e.running = this.forceMerge().finally(() => (e.running = null));
      return e.running;
    }
    // One run more, after the one running and the interval: every call meanwhile shares it.
    e.again = (async () => {
      await e.running;
      const left = e.lastStartedAt + e.minIntervalMs - Date.now();
      if (left > 0) await new Promise((r) => setTimeout(r, left).unref());
      e.again = null;
      e.running = this.forceMerge().finally(() => (e.running = null));
      await e.running;
    })();
    return e.again;
  }

  private async forceMerge(): Promise<void> {
    this.expunge.lastStartedAt = Date.now();
    try {
      await this.client.indices.forcemerge({
        index: [this.alias, ...this.shadowIndices],
        only_expunge_deletes: true,
      });
    } catch (err) {
      this.expunge.onError(err);
    }
  }

  static connect(
    url: string,
    prefix?: string,
    options: ConstructorParameters<typeof ElasticsearchSearchIndex>[2] = {},
  ): ElasticsearchSearchIndex {
    return new ElasticsearchSearchIndex(new Client({ node: url, maxRetries: 5 }), prefix, options);
  }

  /**
   * Creates the versioned index and points the alias at it, when neither exists yet; fails on an
   * alias at an older mapping version, which has to be rebuilt first (`rebuild`), unless told to
   * go on (`outdated: 'warn'`, the rebuild's own start-up): then it names the outdated indices.
   */
  ensureIndex(options: { outdated?: OnOutdated } = {}): Promise<{ outdated: string[] }> {
    return ensureIndex(this.client, this.alias, options.outdated);
  }

  /** Deletes this prefix's indices, by name (test clean-up, a deployment's removal). */
  deleteIndices(): Promise<void> {
    return deleteIndices(this.client, this.alias);
  }

  async close(): Promise<void> {
    await this.client.close();
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
  async upsertMany(tenantId: string, batch: SearchDocument[]): Promise<ProjectionOutcome[]> {
    if (batch.length === 0) return [];
    // Of an asset the batch holds twice only the newest is sent: under external versioning the
    // older one would be applied first and reported so.
    const newest = newestOfEach(batch);
    const docs = [...newest.values()];
    const outcomes = await bulkIndex(this.client, this.alias, tenantId, docs);
    for (const index of this.shadowIndices) await bulkIndex(this.client, index, tenantId, docs, false);
    // A conflict is settled on the projection version the source holds (see settleConflicts).
    const conflicted = docs.flatMap((d, i) => (outcomes[i] === undefined ? [i] : []));
    if (conflicted.length > 0) {
      const settled = await settleConflicts(
        this.client,
        this.alias,
        tenantId,
        conflicted.map((i) => docs[i]!),
      );
      conflicted.forEach((i, k) => (outcomes[i] = settled[k]));
    }
    const byAsset = new Map(docs.map((d, i) => [d.assetId, outcomes[i]!]));
    // A document written now carries its feedback; one held already takes it by a partial update
    // (over an older revision only, so an index being built takes every one's).
    await applyFeedback(
      this.client,
      [this.alias],
      tenantId,
      docs.filter((d) => byAsset.get(d.assetId) !== 'applied'),
    );
    await applyFeedback(this.client, this.shadowIndices, tenantId, docs);
    return batchOutcomes(batch, newest, (d) => byAsset.get(d.assetId)!);
  }

  /**
   * Rebuilds into a fresh versioned index beside the live one: writes made meanwhile go to both,
   * `load` fills it through `write`, then the alias moves in one atomic request and the old
   * indices are deleted.
   */
  async rebuild(
    load: (write: (tenantId: string, docs: SearchDocument[]) => Promise<void>) => Promise<void>,
  ): Promise<string> {
    const index = await createRebuildIndex(this.client, this.alias);
    this.shadowIndices.push(index);
    try {
      await load(async (tenantId, docs) => {
        await bulkIndex(this.client, index, tenantId, docs, false);
      });
      await swapAlias(this.client, this.alias, index);
      return index;
    } finally {
      this.shadowIndices = this.shadowIndices.filter((x) => x !== index);
    }
  }

  /** Partial updates of the live index and of one being built (elasticsearch/popularity.ts). */
  applyPopularity(tenantId: string, rows: PopularityUpdate[]): Promise<void> {
    return applyPopularity(this.client, [this.alias, ...this.shadowIndices], tenantId, rows);
  }

  async feedbackMoments(
    tenantId: string,
    query: ParsedQuery,
    options: { limit: number; openOnly?: boolean },
  ): Promise<FeedbackMatch[]> {
    if (!query.text.trim() || options.limit <= 0) return [];
    const res = await this.client.search<{ asset_id: string }>(
      feedbackMomentsRequest(this.alias, tenantId, query.text, options),
    );
    return readFeedbackMoments(res);
  }

  async remove(tenantId: string, assetId: string): Promise<void> {
    for (const index of [this.alias, ...this.shadowIndices]) {
      await this.client.delete(
        { index, id: documentId(tenantId, assetId), refresh: 'wait_for' },
        { ignore: [404] },
      );
    }
  }

  /**
   * A relevance search pages in a point in time, so that assets arriving meanwhile move neither the
   * hits nor their scores between pages: opened for the first page, carried by the cursor, closed
   * after the last page (or expired PIT_KEEP_ALIVE after the last use). A cursor of an expired one
   * is refused (400): the search starts again.
   */
  async search(tenantId: string, request: SearchQuery): Promise<SearchPage> {
    const ranked = sortOf(request) === 'relevance';
    let pit = cursorPit(request.cursor);
    if (ranked && !request.cursor)
      pit = (await this.client.openPointInTime({ index: this.alias, keep_alive: PIT_KEEP_ALIVE })).id;
    let res: estypes.SearchResponse<EsDoc>;
    let ranking: EsRanking = { proximity: false, expansion: [] };
    try {
      const fuzzy = await this.fuzzyWords(request.query.text);
      if (request.cursor) ranking = cursorRanking(request.cursor);
      else if (ranked) ranking = await this.rankingFor(tenantId, request, fuzzy);
      res = await this.client.search<EsDoc>(
        searchRequest(this.alias, tenantId, request, { pit, fuzzy, ranking }),
      );
    } catch (err) {
      // A point in time unused for longer than PIT_KEEP_ALIVE is gone.
      if (pit && isError(err, 'search_context_missing_exception'))
        throw new ValidationError('the cursor has expired: search again', { field: 'cursor' });
      throw err;
    }
    const page = readSearchPage(res, request, pit, ranking);
    if (pit && page.nextCursor === null)
      await this.client.closePointInTime({ id: res.pit_id ?? pit }, { ignore: [404] });
    const moments = await this.momentsOf(tenantId, page.hits);
    return { ...page, hits: page.hits.map((h) => withMoment(h, moments.get(h.assetId))) };
  }

  async highlight(
    tenantId: string,
    query: ParsedQuery,
    assetIds: string[],
  ): Promise<Map<string, HitHighlights>> {
    const request = highlightRequest(this.alias, tenantId, query, assetIds);
    if (!request) return new Map();
    const shown = readHighlights(await this.client.search<EsDoc>(request));
    const moments = await this.momentsOf(
      tenantId,
      [...shown].map(([assetId, h]) => ({ assetId, ...h })),
    );
    return new Map([...shown].map(([assetId, h]) => [assetId, withMoment(h, moments.get(assetId))]));
  }

  async moreLikeThis(tenantId: string, assetId: string, query: MoreLikeThisQuery): Promise<SearchHit[]> {
    const res = await this.client.search<EsDoc>(moreLikeThisRequest(this.alias, tenantId, assetId, query));
    return readMoreLikeThis(res, query);
  }

  /**
   * A first page's ranking features (ranking-features.ts). Feedback (RM3): a first pass for the
   * best \`FEEDBACK.docs\` ids within the request's filters, their term vectors (each term's frequency
   * summed over the text fields), the tenant's document frequencies of the likeliest terms (a
   * filtered aggregation: the term vectors' are the shard's, over every tenant), and the tenant's
   * document count for \`auto\` and the share of documents a term may be in.
   */
  private async rankingFor(tenantId: string, request: SearchQuery, fuzzy: string[]): Promise<EsRanking> {
    const options = rankingOf(this.ranking, request.ranking);
    const words = [...new Set(rankedText(request.query.text).toLowerCase().split(' ').filter(Boolean))];
    const ranking: EsRanking = { proximity: options.proximity, expansion: [] };
    // Counted only when the query is long enough for \`auto\` to ask.
    if (!feedbackApplies(options, words.length, Number.MAX_SAFE_INTEGER, narrowsFeedback(request)))
      return ranking;
    const documents = (
      await this.client.count({ index: this.alias, query: { term: { tenant_id: tenantId } } })
    ).count;
    if (!feedbackApplies(options, words.length, documents, narrowsFeedback(request))) return ranking;
    const first = await this.client.search(
      feedbackFirstPassRequest(this.alias, tenantId, request, fuzzy, FEEDBACK.docs),
    );
    const hits = first.hits.hits.filter((h) => h._id !== undefined);
    if (hits.length === 0) return ranking;
    const vectors = await this.client.mtermvectors({
      index: this.alias,
      docs: hits.map((h) => ({
        _id: h._id!,
        fields: TEXT_FIELD_NAMES(),
        term_statistics: false,
        field_statistics: false,
        positions: false,
        offsets: false,
      })),
    });
    const perDoc = hits.map((_, i) => {
      const terms = new Map<string, number>();
      for (const field of Object.values(vectors.docs[i]?.term_vectors ?? {}))
        for (const [term, v] of Object.entries(field.terms ?? {}))
          terms.set(term, (terms.get(term) ?? 0) + (v.term_freq ?? 0));
      return terms;
    });
    // The tenant's document frequencies (not the shard's, over every tenant) of the likeliest terms:
    // those in the most feedback documents, then the most frequent there. A term in fewer than
    // FEEDBACK.minDocs of them is never chosen, so it is not counted.
    const seen = new Map<string, { docs: number; tf: number }>();
    for (const terms of perDoc)
      for (const [term, tf] of terms) {
        const c = seen.get(term) ?? { docs: 0, tf: 0 };
        c.docs += 1;
        c.tf += tf;
        seen.set(term, c);
      }
    const candidates = [...seen]
      .filter(([, c]) => c.docs >= Math.min(FEEDBACK.minDocs, hits.length))
      .sort((a, b) => b[1].docs - a[1].docs || b[1].tf - a[1].tf || (a[0] < b[0] ? -1 : 1))
      .slice(0, FEEDBACK_DF_CANDIDATES)
      .map(([term]) => term);
    if (candidates.length === 0) return ranking;
    const dfs = readFeedbackDf(await this.client.search(feedbackDfRequest(this.alias, tenantId, candidates)));
    const docs: FeedbackDocument[] = hits.map((h, i) => {
      const terms = [...perDoc[i]!]
        .filter(([term]) => dfs.has(term))
        .map(([term, tf]) => ({ term, tf, df: dfs.get(term)! }));
      const length = [...perDoc[i]!.values()].reduce((a, b) => a + b, 0);
      return { score: h._score ?? 0, length, terms };
    });
    const own = new Set(words);
    const expanded = rm3(
      words.map((term) => ({ term, weight: 1 })),
      docs,
      documents,
    );
    ranking.expansion = expanded
      .filter((t) => t.df !== undefined && !own.has(t.term))
      .map((t) => ({ term: t.term, weight: t.weight }));
    return ranking;
  }

  /** The words of a query to fuzz: those a term suggester finds more frequent spellings for. */
  private async fuzzyWords(text: string): Promise<string[]> {
    const ranked = rankedText(text);
    if (!ranked) return [];
    return fuzzyWordsOf(await this.client.search(fuzzyWordsRequest(this.alias, ranked)), ranked);
  }

  /**
   * The moment of each transcript highlight: the transcripts of those hits only are read (a
   * highlight fragment holds no timestamp), then the same rule as on Postgres (`momentOf`).
   */
  private async momentsOf(
    tenantId: string,
    hits: { assetId: string; highlights: Record<string, string> }[],
  ): Promise<Map<string, number>> {
    const timed = hits.filter((h) => h.highlights.transcript);
    if (timed.length === 0) return new Map();
    const res = await this.client.mget<Pick<EsDoc, 'asset_id' | 'transcript'>>({
      index: this.alias,
      ids: timed.map((h) => documentId(tenantId, h.assetId)),
      _source_includes: ['asset_id', 'transcript'],
    });
    const transcripts = new Map<string, string>();
    for (const d of res.docs) {
      if ('found' in d && d.found && d._source) transcripts.set(d._source.asset_id, d._source.transcript);
    }
    const moments = new Map<string, number>();
    for (const h of timed) {
      const start = momentOf(transcripts.get(h.assetId) ?? '', h.highlights.transcript!);
      if (start !== null) moments.set(h.assetId, start);
    }
    return moments;
  }

  suggest(tenantId: string, prefix: string, limit: number): Promise<Suggestion[]> {
    return suggest(this.client, this.alias, tenantId, prefix, limit);
  }

  /** Suggestions come from the documents' completion fields: a document projected again has forgotten them. */
  forgetSuggestions(): Promise<number> {
    return Promise.resolve(0);
  }

  /** Suggestions come from the documents' completion fields, which re-projection has respelled. */
  respell(): Promise<void> {
    return Promise.resolve();
  }

  async projectedVersions(tenantId: string, assetIds: string[]): Promise<Map<string, number>> {
    if (assetIds.length === 0) return new Map();
    const res = await this.client.mget<EsDoc>({
      index: this.alias,
      ids: assetIds.map((id) => documentId(tenantId, id)),
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

/** The hit with its transcript moment, when it has one. */
function withMoment<T extends HitHighlights>(hit: T, start: number | undefined): T {
  return start === undefined ? hit : { ...hit, moment: { start } };
}
