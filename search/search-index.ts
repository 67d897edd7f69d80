import { ASSET_STATUSES, type AssetStatus, type AssetType, type TechnicalMetadata } from '../domain/asset.js';
import type { EntityType } from '../domain/entities.js';
import type { PopularityUpdate } from '../domain/popularity.js';
import type { RankingOptions } from './ranking-features.js';

/** The searchable projection of one asset version. */
export interface SearchDocument {
  assetId: string;
  version: number;
  type: AssetType;
  sourceSystem: string;
  status: AssetStatus;
  title: string;
  description: string;
  transcript: string;
  tags: string[];
  /** Who speaks in the media: given or diarized. */
  speakers: string[];
  /** People the text only names; they match, but below the speakers. */
  people: string[];
  topics: string[];
  keywords: string[];
  brands: string[];
  /** Codec, duration, resolution, platform: filterable and shown, not ranked. */
  technical: TechnicalMetadata;
  createdAt: Date;
  /**
   * The asset's learned popularity when it was projected (asset_popularity, the canonical copy;
   * absent: none computed). Every adapter writes it with the document, so that a document written
   * fresh (a new asset, a drift repair, a rebuild) ranks by it before the next popularity run, and a
   * re-projection does not lose it (Postgres keeps a newer computation it already holds).
   */
  learned?: Omit<PopularityUpdate, 'assetId'>;
  /**
   * The asset's time-coded feedback (docs/comments.md, "Discovery"), read from Postgres with the
   * asset on every projection (absent: none). Beside the document's text, never part of it: it
   * ranks, relates and describes nothing of the asset; `feedbackMoments` finds it, and the
   * `openIssues` filter reads its count.
   */
  feedback?: AssetFeedback;
}

/**
 * An asset's feedback as search holds it. A comment changes no asset version, so an adapter writes
 * it into the document held whatever the upsert's outcome, and only over an older `revision`: a projection that read the comments earlier never overwrites a later one.
 */
export interface AssetFeedback {
  /** The asset's latest comment change (asset_comment_events.seq); 0: none. */
  revision: number;
  /** Threads of type issue that are open or in progress, all of them (not only those in `moments`). */
  openIssues: number;
  /** At most `FEEDBACK_MOMENTS.maxPerAsset`, each text cut to `maxTextLength` (toSearchDocument). */
  moments: FeedbackMoment[];
}

/** One live top-level comment with a timestamp. */
export interface FeedbackMoment {
  commentId: string;
  startMs: number;
  text: string;
  /** note, issue, question or approval. */
  type: string;
  /** open, in_progress, resolved or wont_fix. */
  status: string;
}

/** A match of a query in an asset's feedback: its best moment. */
export interface FeedbackMatch {
  assetId: string;
  commentId: string;
  /** Seconds into the media, for a `t=` deep link. */
  start: number;
  /** The comment's text with each matched word in <mark></mark>. */
  fragment: string;
}

/** Bounds of what search keeps of feedback, and of a moments lookup. */
export const FEEDBACK_MOMENTS = { maxPerAsset: 50, maxTextLength: 1_000, maxMatches: 50 } as const;

export const FACET_DIMENSIONS = ['tags', 'topics', 'speakers', 'type', 'sourceSystem'] as const;
export type FacetDimension = (typeof FACET_DIMENSIONS)[number];

/** Values within a dimension are alternatives (OR); dimensions combine with AND. Text values match case-insensitively. */
export interface SearchFilters {
  type?: AssetType[];
  sourceSystem?: string[];
  status?: AssetStatus[];
  tags?: string[];
  topics?: string[];
  speakers?: string[];
  brands?: string[];
  createdFrom?: Date;
  createdTo?: Date;
  durationMin?: number;
  durationMax?: number;
  /** "1920x1080": width and height exactly. */
  resolution?: { width: number; height: number };
  /** Only these assets: a blended search checks the ones its fused ranking holds. */
  assetIds?: string[];
  /** true: only assets with an open issue (`AssetFeedback.openIssues` > 0). */
  openIssues?: boolean;
}

/**
 * popularity: learned popularity (domain/popularity.ts), then the source system's view count, so a
 * tenant without events keeps the source's order; trending: trending, then the same.
 */
export type SearchSort = 'relevance' | 'createdAt' | 'popularity' | 'trending';

/**
 * A search's text, parsed once by the caller (`parseQuery` in `query-parser.ts`): adapters never
 * read raw text. What to rank by, what must appear together, what must not appear, and filters.
 */
export interface ParsedQuery {
  /** All positive words (plain and inside phrases), for ranking. */
  text: string;
  /** Each must match as a phrase. */
  phrases: string[];
  /** Words or phrases a hit must not contain. */
  exclusions: string[];
  /** From field:value clauses; they add to the request's filters. */
  filters: SearchFilters;
  /** Names written as `name:value` that are no field: their clauses were searched as words. */
  unknownFields?: string[];
  /**
   * The joined form of each hyphenated word ("timesharing" for "time-sharing"): every adapter ranks
   * them beside the words (`rankedWords`), so that a document writing the word either way matches.
   */
  joinedWords?: string[];
  /** Where the text was read other than as written (an unclosed quote read as a word, ...). */
  notes?: QueryNote[];
}

/** How a part of a query's text was read other than as written; the API returns them as `queryNotes`. */
export interface QueryNote {
  code: QueryNoteCode;
  /** The part of the query it is about, as written. */
  text: string;
  message: string;
}

/**
 * `unclosed-quote`: a quote without its pair, searched as a word. `prose-quotes`: quotation marks in
 * prose, searched as words. `literal-minus`: a minus before no word (a dash), read as written.
 * `empty-field-value` / `invalid-field-value`: a field's `name:` with no value right after it, or a
 * value that is none of the field's; searched as words. `unknown-field`: a `name:value` whose name
 * is no field; searched as words.
 */
export const QUERY_NOTE_CODES = [
  'unclosed-quote',
  'prose-quotes',
  'literal-minus',
  'empty-field-value',
  'invalid-field-value',
  'unknown-field',
] as const;
export type QueryNoteCode = (typeof QUERY_NOTE_CODES)[number];

/** Whether any filter of these is set (an empty list sets none). */
const anySet = (filters: SearchFilters) =>
  Object.values(filters).some((v) => v !== undefined && (!Array.isArray(v) || v.length > 0));

/**
 * Whether a search is narrowed by any filter, the request's or the query's field:value: read alike
 * by both adapters (feedback's \`auto\`) and by the discovery service (a blended search's count).
 */
export function isFiltered(request: Pick<SearchQuery, 'query' | 'filters'>): boolean {
  return anySet(request.filters ?? {}) || anySet(request.query.filters);
}

/** What a search that names no status shows once a tenant has archived assets: all the rest. */
export const VISIBLE_STATUSES: AssetStatus[] = ASSET_STATUSES.filter((s) => s !== 'ARCHIVED');

const onlyHidesArchived = (status: AssetStatus[] | undefined) =>
  status?.length === VISIBLE_STATUSES.length && VISIBLE_STATUSES.every((s) => status.includes(s));

/**
 * Whether a filter narrows the search for feedback's \`auto\`: as \`isFiltered\`, except that leaving
 * archived assets out (discovery does it for every tenant that has some) narrows nothing here.
 */
export function narrowsFeedback(request: Pick<SearchQuery, 'query' | 'filters'>): boolean {
  const { status, ...rest } = request.filters ?? {};
  return isFiltered({
    query: request.query,
    filters: onlyHidesArchived(status) ? rest : { ...rest, status },
  });
}

export interface SearchQuery {
  /** Empty text and no exclusions browse (newest first unless sorted otherwise). */
  query: ParsedQuery;
  limit: number;
  /** Opaque cursor from a previous page. */
  cursor?: string | undefined;
  filters?: SearchFilters;
  sort?: SearchSort;
  /** Count values per facet dimension over the filtered result set. */
  facets?: boolean;
  /** Explain each hit's score. */
  explain?: boolean;
  /** False: hits without highlights (a caller that highlights only some of them, later). */
  highlight?: boolean;
  /** Count the matches (`SearchPage.total`). */
  total?: boolean;
  /**
   * Learnt from clicks for this query (docs/clicks.md): each listed asset's relevance score is
   * multiplied by (1 + boost). Applied with sort=relevance only; bounded by the adapters
   * (`boundedClickBoosts`). Absent or empty: the ranking is exactly the one without.
   */
  clickBoosts?: { assetId: string; boost: number }[];
  /**
   * Ranking features over BM25 (`ranking-features.ts`): pseudo-relevance feedback and term proximity.
   * Absent fields take the adapter's defaults (runtime config). Read on a first page only: later
   * pages rank as their cursor's first page did.
   */
  ranking?: Partial<RankingOptions>;
}

/** Bounds of `SearchQuery.clickBoosts`: how many, and each boost's range. */
export const CLICK_BOOSTS = { max: 50, min: -0.5, maxBoost: 1 } as const;

/**
 * How many assets match a search, filters applied: exact up to `TOTAL_EXACT_UP_TO`, past it an
 * estimate (`exact: false`; each adapter documents how it estimates).
 */
export interface SearchTotal {
  value: number;
  exact: boolean;
}

/**
 * Matches are counted exactly up to this many. Counting reads every match, so an exact count of
 * hundreds of thousands would cost more than the ranking itself; nobody pages that far, and "more
 * than 10,000" is what such a number tells. Elasticsearch's default `track_total_hits` is the same.
 */
export const TOTAL_EXACT_UP_TO = 10_000;

export type Facets = Record<FacetDimension, { value: string; count: number }[]>;

/** What a hit shows of where the query matched. */
export type HitHighlights = Pick<SearchHit, 'highlights' | 'moment'>;

export interface SearchHit {
  assetId: string;
  /**
   * The relevance the hits are ordered by (sort=relevance): never higher than the previous hit's,
   * on this page or an earlier one. 0 when browsing.
   */
  score: number;
  /** Field → fragment with matched terms wrapped in <mark></mark>. */
  highlights: Record<string, string>;
  /** For a transcript match: where in the media it is (seconds), for a `t=` deep link. */
  moment?: { start: number };
  /** A title or speaker equal to the whole query: it ranks first (set by adapters that boost it). */
  exact?: boolean;
  /** With `explain`: how the score came about. */
  explanation?: Explanation;
}

export interface Explanation {
  /** Each matched query term: where it matched and what it added. */
  terms: { term: string; fields: string[]; idf: number; tf: number; weight: number; contribution: number }[];
  /** Added for a title or speaker equal to the whole query. */
  exactMatch: number;
  /** Added by term proximity (`ranking-features.ts`), for query terms near each other; absent: none. */
  proximity?: number;
  /** The hit's score, as `SearchHit.score`: the one the order follows. */
  score: number;
  /**
   * Blended search: the fused score's parts (score = text + entities + neighbours + pinned); `terms`
   * and `exactMatch` then explain `textScore`, the text ranking's BM25 score.
   */
  fusion?: FusionExplanation;
}

export interface FusionExplanation {
  /** 1-based rank in the text ranking; null for an asset the graph alone brought in. */
  textRank: number | null;
  textScore: number | null;
  text: number;
  entities: number;
  neighbours: number;
  /** Hybrid and semantic search: the vector ranking's share, its rank there and the cosine similarity. */
  semantic?: number;
  semanticRank?: number | null;
  similarity?: number | null;
  pinned: number;
}

export interface SearchPage {
  hits: SearchHit[];
  nextCursor: string | null;
  /** With `total` asked for. */
  total?: SearchTotal;
  facets?: Facets;
  /** True when the facet counts were estimated from a sample of a large result set. */
  facetsEstimated?: boolean;
}

export interface Suggestion {
  /** `query`: a search people ran (from the click learning's query statistics, not the index). */
  kind: 'title' | 'tag' | 'speaker' | 'topic' | 'query';
  value: string;
  normalized: string;
  /** How many assets carry it. */
  assets?: number;
  /** A title's asset, when exactly one asset carries the title. */
  assetId?: string;
}

export type ProjectionOutcome = 'applied' | 'unchanged' | 'stale';

/** An asset the index holds, with the version it holds. */
export interface ProjectedAsset {
  assetId: string;
  version: number;
}

/**
 * The search port, split by who uses it: indexers write (`SearchIndexWriter`), services read
 * (`SearchIndexReader`), drift checks and rebuilds compare (`SearchProjectionAudit`). An adapter
 * implements all three (`SearchIndex`); each caller is given only the part it uses.
 */
export interface SearchIndexWriter {
  readonly kind: string;
  /**
   * Stores the document unless this version ('unchanged') or a newer one ('stale') is already held.
   * Its `feedback` is written into the document held, whatever the outcome, over an older revision only.
   */
  upsert(tenantId: string, doc: SearchDocument): Promise<ProjectionOutcome>;
  /** The same for many documents in one round trip; outcomes in the order given. */
  upsertMany(tenantId: string, docs: SearchDocument[]): Promise<ProjectionOutcome[]>;
  remove(tenantId: string, assetId: string): Promise<void>;
  /**
   * Suggests these tags, speakers and topics as spelled here (after a tenant renames `ml` to `ML`,
   * say). The documents already carry the new spelling; this is for what an index keeps beside them.
   */
  respell(tenantId: string, names: { type: EntityType; name: string }[]): Promise<void>;
  /**
   * A person's erasure (docs/lifecycle.md, "Erasure"): removes what the index keeps beside its
   * documents of suggestions that hold `key` (a normalized name, domain/entities.ts) as whole words,
   * or are made of its words only, and that no document carries any more. Returns how many it removed (none where suggestions
   * come from the documents alone).
   */
  forgetSuggestions(tenantId: string, key: string): Promise<number>;
  /**
   * After a purge or a person's erasure (docs/lifecycle.md, "Term statistics"): makes the index drop
   * what it still keeps of removed or rewritten documents. Elasticsearch keeps a deleted document's
   * terms (and an updated one's old text) in its segments until a merge expunges them: this asks for
   * `_forcemerge?only_expunge_deletes=true`, coalesced (calls while one runs share one more run) and
   * at most once per interval (a call within it is run when it ends), never per asset. Postgres keeps
   * nothing of a removed row that a read can find: nothing to do. Never throws: a failed merge is
   * logged and left to the next call or to Elasticsearch's own merges.
   */
  expungeDeleted(): Promise<void>;
  /**
   * Sets the learned popularity and trending (domain/popularity.ts) of the documents it holds,
   * without a new version; an update computed before the one a document holds changes nothing.
   * Documents it does not hold are left out.
   */
  applyPopularity(tenantId: string, rows: PopularityUpdate[]): Promise<void>;
}

/** Full-text retrieval over projected assets. */
export interface SearchIndexReader {
  readonly kind: string;
  search(tenantId: string, query: SearchQuery): Promise<SearchPage>;
  /**
   * The highlights `search` would give these assets for this query (assets it does not hold are
   * left out). Blended search ranks deeper than it shows, and highlights only the page it returns.
   */
  highlight(tenantId: string, query: ParsedQuery, assetIds: string[]): Promise<Map<string, HitHighlights>>;
  /** Titles, tags, speakers and topics starting with the prefix, most common first. */
  suggest(tenantId: string, prefix: string, limit: number): Promise<Suggestion[]>;
  /**
   * The tenant's assets whose text is most like this asset's, best first, the asset itself left
   * out; none when the index does not hold it. As Lucene's MoreLikeThis (Elasticsearch's
   * `more_like_this`): the asset's terms with the highest tf·idf within `MORE_LIKE_THIS`, each
   * weighted by its tf·idf against the best one, ranked by BM25.
   */
  moreLikeThis(tenantId: string, assetId: string, query: MoreLikeThisQuery): Promise<SearchHit[]>;
  /**
   * The assets whose feedback moments hold every word of the query's text (stemmed as the documents
   * are), each with its best moment (then the earliest), best first, then by asset id; at most
   * `limit` (bounded by FEEDBACK_MOMENTS.maxMatches). Only the documents the index holds, and with
   * `openOnly` only moments of open issues. Empty text: none.
   */
  feedbackMoments(
    tenantId: string,
    query: ParsedQuery,
    options: { limit: number; openOnly?: boolean },
  ): Promise<FeedbackMatch[]>;
}

export interface MoreLikeThisQuery {
  limit: number;
  /** Explain each hit's score (its matched terms). */
  explain?: boolean;
  /**
   * Further assets of the tenant whose terms join the asset's before the best are picked, as Lucene's
   * MoreLikeThis over several documents (Elasticsearch's `like` with several documents): their term
   * frequencies add up. Pseudo-relevance feedback: the asset's best matches describe its subject
   * beyond its own words. They stay among the hits; only the asset itself is left out.
   */
  alsoLike?: string[];
}

/**
 * The terms a more-like-this lookup keeps of an asset, the same on every backend (the names are
 * Lucene's). Lucene's defaults, but a term in only 1 document: it can relate the asset to nothing;
 * and in more than half the documents it says little, however often the asset has it.
 */
export const MORE_LIKE_THIS = {
  maxQueryTerms: 25,
  minTermFreq: 1,
  minDocFreq: 2,
  maxDocShare: 0.5,
  minWordLength: 2,
} as const;

/** What the index holds, for drift checks and rebuilds to compare with the canonical assets. */
export interface SearchProjectionAudit {
  readonly kind: string;
  projectedVersions(tenantId: string, assetIds: string[]): Promise<Map<string, number>>;
  /**
   * The indexed assets with ids after `afterId` (all when null), in id order, at most `limit`:
   * a drift check walks the index with these pages, so it never holds a tenant in memory.
   */
  projectedIdsAfter(tenantId: string, afterId: string | null, limit: number): Promise<ProjectedAsset[]>;
}

/** The whole port, as an adapter implements it and the composition root holds it. */
export interface SearchIndex extends SearchIndexWriter, SearchIndexReader, SearchProjectionAudit {}
