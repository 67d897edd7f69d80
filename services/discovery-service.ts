import { z } from 'zod';
import type { Asset } from '../domain/asset.js';
import { decodeCursor, encodeCursor } from '../domain/cursor.js';
import { NotFoundError } from '../domain/errors.js';
import { formatTimeCode } from '../domain/time-code.js';
import { ENTITY_TYPES, normalizeEntityName, type EntityType } from '../domain/entities.js';
import { isStopword } from '../enrichment/keyword-quality.js';
import { stem } from '../enrichment/nlp.js';
import type { QuerySyntax } from '../domain/query-syntax.js';
import {
  RELATION_SIGNALS,
  type CooccurringEntity,
  type EntityAsset,
  type EntitySummary,
  type GraphReader,
  type NodeRef,
  type RelatedReason,
  type Subgraph,
} from '../graph/graph-store.js';
import type {
  Explanation,
  Facets,
  ParsedQuery,
  QueryNote,
  FeedbackMatch,
  SearchFilters,
  SearchHit,
  SearchIndexReader,
  SearchPage,
  SearchQuery,
  SearchSort,
  SearchTotal,
  Suggestion,
} from '../search/search-index.js';
import { isFiltered, VISIBLE_STATUSES } from '../search/search-index.js';
import { parseQuery, QUERY_FIELDS } from '../search/query-parser.js';
import type { AssetsRepository } from '../store/assets-repository.js';
import type { Database } from '../store/db.js';
import type { TextNeighbour } from '../store/related-text-repository.js';
import type { VectorHit, VectorIndex } from '../search/vector-index.js';
import { BLEND, fuseRanks, phrasesOf, textOnlyScore, type FusionParts } from './rank-fusion.js';

export interface SearchResult {
  hits: (Omit<SearchHit, 'assetId'> & { asset: Asset })[];
  nextCursor: string | null;
  total: SearchTotal;
  facets?: Facets;
  facetsEstimated?: boolean;
  /** What the search did with the request that the caller may not expect. */
  notices?: SearchNotice[];
  /** Where q was read other than as written (`ParsedQuery.notes`). */
  queryNotes?: QueryNote[];
  /**
   * A first page of a text search: the assets whose time-coded feedback holds every word of the
   * query, each with its best moment, filters applied (absent: none matched).
   */
  moments?: (Omit<FeedbackMatch, 'assetId'> & { kind: 'feedback'; asset: Asset })[];
}

/** Feedback moments a first page returns at most. */
export const FEEDBACK_MOMENTS_SHOWN = 10;

export interface SearchNotice {
  /** `unknown-field`: a `name:value` in q whose name is no field; it was searched as words. */
  code: 'unknown-field';
  message: string;
}

export interface SearchRequest {
  q: string;
  syntax?: QuerySyntax | undefined;
  limit: number;
  cursor?: string | undefined;
  filters?: SearchFilters;
  sort?: SearchSort | undefined;
  facets?: boolean;
  explain?: boolean;
  /**
   * `graph`: fuse text relevance with graph proximity (see `blendedSearch`); `auto`: only for short
   * queries (at most `BLEND.autoMaxWords` words) that name a speaker, topic, tag, brand or contributor.
   */
  blend?: BlendMode | undefined;
  /**
   * Ranking features over BM25 for this search, over the index's defaults (runtime config): not a
   * request parameter; evaluations compare them (\`npm run eval:relevance\`).
   */
  ranking?: SearchQuery['ranking'];
  /**
   * `lexical`: the text ranking (BM25) alone; `semantic`: the vector ranking (nearest by meaning),
   * exact title and speaker matches first; `hybrid`: both fused by reciprocal rank fusion
   * (docs/semantic-search.md). A tenant with semantic search off searches lexically whatever is asked.
   */
  mode?: SearchMode | undefined;
  /** Look up feedback moments too: only for a caller that may read comments. */
  feedbackMoments?: boolean;
  /**
   * The vector ranking's weight in hybrid search for this search, over the deployment's
   * (`SemanticSource.weight`): not a request parameter; evaluations sweep it.
   */
  semanticWeight?: number | undefined;
}

export const SEARCH_MODES = ['lexical', 'semantic', 'hybrid'] as const;
export type SearchMode = (typeof SEARCH_MODES)[number];

/** What semantic and hybrid search read: the query's vector, and the vector index. */
export interface SemanticSource {
  /** The query's vector; null when the tenant has semantic search off. */
  queryVector(tenantId: string, text: string): Promise<Float32Array | null>;
  vectors: Pick<VectorIndex, 'search'>;
  /** The vector ranking's weight in hybrid search, beside the text ranking's 1 (`SEMANTIC_WEIGHT`). */
  weight: number;
  /**
   * The assets nearest one by meaning, best first, itself left out (related content's
   * SIMILAR_MEANING); none when the tenant has semantic search off or the asset has no vectors.
   */
  similarAssets(tenantId: string, assetId: string, limit: number): Promise<VectorHit[]>;
}

export const BLEND_MODES = ['none', 'graph', 'auto'] as const;
export type BlendMode = (typeof BLEND_MODES)[number];

/**
 * An offset into the fused top, or past it: the text ranking's cursor, the ids already shown, the
 * text rank the next hit has (for its score) and the first page's total.
 */
const BlendCursor = z.union([
  z.object({
    o: z
      .number()
      .int()
      .min(0)
      .max(BLEND.depth * 2),
  }),
  z.object({
    t: z.string().max(16_000),
    x: z.array(z.uuid()).max(BLEND.depth * 2),
    r: z.number().int().min(0).max(1_000_000).optional(),
    n: z.object({ value: z.number().int().min(0), exact: z.boolean() }).optional(),
  }),
]);

/**
 * `graph` always blends. `auto` blends a query that names a speaker, topic, tag, brand or
 * contributor: a keyword only repeats what the text ranking already matched, and pulling its
 * assets in costs descriptive queries dearly. A later page follows the first page's choice.
 */
async function namesWhatToBlend(
  query: SearchRequest,
  named: Promise<EntitySummary[]> | null,
): Promise<boolean> {
  if (query.blend === 'graph') return true;
  if (query.cursor) return isBlendCursor(query.cursor);
  return (await (named ?? [])).some((e) => e.type !== 'KEYWORD');
}

function isBlendCursor(cursor: string): boolean {
  try {
    decodeCursor(cursor, BlendCursor);
    return true;
  } catch {
    return false;
  }
}

/**
 * Blending applies to relevance queries without phrases or exclusions (what the graph brings in is
 * not checked for those). Filters, given as parameters or in q, narrow the fused ranking: the
 * order is the one without them, restricted to the assets that pass (`blendedSearch`).
 */
function blends(query: SearchRequest, parsed: ParsedQuery): boolean {
  if (!query.blend || query.blend === 'none') return false;
  return fusible(query, parsed) && (query.blend === 'graph' || wordsOfQuery(parsed) <= BLEND.autoMaxWords);
}

const wordsOfQuery = (parsed: ParsedQuery) => parsed.text.split(/\s+/).filter(Boolean).length;

/**
 * Whether a ranking may be fused with another (graph or vector): relevance order, words to rank by,
 * and no phrases or exclusions, which what the other ranking brings in is not checked for.
 */
function fusible(query: SearchRequest, parsed: ParsedQuery): boolean {
  if (query.sort && query.sort !== 'relevance') return false;
  return wordsOfQuery(parsed) > 0 && parsed.phrases.length === 0 && parsed.exclusions.length === 0;
}

/** What the caller may not expect of how the query was read: names that are no fields. */
function noticesOf(parsed: ParsedQuery): SearchNotice[] {
  return (parsed.unknownFields ?? []).map((name) => ({
    code: 'unknown-field',
    message: `${name}: is not a field; searched as words. Fields: ${QUERY_FIELDS.join(', ')}.`,
  }));
}

/** A query without words, phrases or exclusions: it browses. */
const BROWSE: ParsedQuery = { text: '', phrases: [], exclusions: [], filters: {} };

/**
 * A shared entity, (type TEXT) the wording the two assets have in common, or (type SIMILAR_MEANING)
 * how close in meaning they are, with the related asset's moment when that is what is close.
 */
export type RelatedItemReason =
  | RelatedReason
  | { type: 'TEXT'; name: string; contribution: number }
  | { type: 'SIMILAR_MEANING'; name: string; contribution: number; moment?: { start: number; end: number } };
/**
 * What a related lookup may go through: entity types, editors' links, creation time, wording,
 * meaning (semantic search on).
 */
export const RELATED_VIA = [...ENTITY_TYPES, ...RELATION_SIGNALS, 'TEXT', 'SIMILAR_MEANING'] as const;
export type RelatedVia = (typeof RELATED_VIA)[number];
/** Signals of related content that are not the graph's. */
const NOT_GRAPH: readonly RelatedVia[] = ['TEXT', 'SIMILAR_MEANING'];

/**
 * The meaning signal of related content (SIMILAR_MEANING, docs/semantic-search.md): a cosine
 * similarity of the two assets' vectors above `floor` counts, the nearest asset adding `weight`
 * (as the best text match adds `TEXT_SIMILARITY_WEIGHT`), others in proportion to how far above
 * the floor they are.
 */
export const MEANING_SIMILARITY = { weight: 2, floor: 0.3 } as const;

/** The meaning signal's reasons: each neighbour's share (`MEANING_SIMILARITY`) and its explanation. */
export function meaningReasons(
  hits: Pick<VectorHit, 'assetId' | 'score' | 'passage' | 'start' | 'end'>[],
): { assetId: string; reason: Extract<RelatedItemReason, { type: 'SIMILAR_MEANING' }> }[] {
  const { weight, floor } = MEANING_SIMILARITY;
  const best = hits.reduce((m, h) => Math.max(m, h.score), -1);
  if (best <= floor) return [];
  return hits
    .filter((h) => h.score > floor)
    .map((h) => {
      const cos = h.score.toFixed(2);
      const moment = h.passage > 0 && h.start !== null ? { start: h.start, end: h.end ?? h.start } : null;
      return {
        assetId: h.assetId,
        reason: {
          type: 'SIMILAR_MEANING' as const,
          name: moment
            ? `close in meaning to a moment at ${formatTimeCode(moment.start)} (cosine ${cos})`
            : `close in meaning (cosine ${cos})`,
          contribution: round4((weight * (h.score - floor)) / (best - floor)),
          ...(moment ? { moment } : {}),
        },
      };
    });
}

/**
 * The text signal as kept per asset version (services/related-text-service.ts): the same neighbours
 * `similarText` gives, without its two lookups on every request.
 */
export interface TextNeighbourSource {
  /**
   * The first `limit` text neighbours of the asset; `asset` is its canonical row as it is being read
   * (what is kept is looked up meanwhile), none when the asset does not exist.
   */
  neighbours(
    tenantId: string,
    assetId: string,
    asset: Promise<Asset | null>,
    limit: number,
  ): Promise<TextNeighbour[]>;
}

export interface RelatedResult {
  items: { asset: Asset; score: number; reasons: RelatedItemReason[] }[];
}

/**
 * The text-similarity signal of related content: the best textual match adds this much, others in
 * proportion to their score. About what sharing a moderately rare tag adds.
 */
export const TEXT_SIMILARITY_WEIGHT = 2;

/**
 * How the graph's evidence joins the text signal. The graph's score grows without bound (a shared
 * author of two documents adds 2 × ln(1 + N / 2), about 13 at 1,460 documents), the text signal's
 * is at most `TEXT_SIMILARITY_WEIGHT` per seed; summed as they are, any shared name outranks the
 * closest text. So the graph's score g counts `max` × g / (g + `half`): rarer or more evidence still
 * counts more, but with diminishing returns, as BM25 saturates term frequency, and all of it
 * together at most what the best text match adds. Each of those
 * reasons keeps its share of that (the reasons still add up to the score). Editors' links and
 * co-views are not saturated: people said them of the pair. Chosen on one half of CISI's
 * seeds and one half of TED's related lists, reported on the other halves (docs/graph.md).
 */
export const GRAPH_EVIDENCE = { max: TEXT_SIMILARITY_WEIGHT, half: 10 } as const;

/** The graph's score `g` as it joins the text signal (`GRAPH_EVIDENCE`): below `max`, rising with g. */
export const graphEvidence = (g: number): number =>
  g > 0 ? (GRAPH_EVIDENCE.max * g) / (g + GRAPH_EVIDENCE.half) : 0;

/**
 * Pseudo-relevance feedback for the text signal: the asset's `documents` best more-like-this
 * matches join its own terms in a second lookup (`MoreLikeThisQuery.alsoLike`), whose scores count
 * `weight` against the first lookup's (each divided by its best). The asset's few words describe
 * its subject partly; its closest matches describe it further, so documents on the same subject
 * in other words are found too. The weight is RM3's usual default (Anserini: the original query at
 * 0.5). The documents were 10, that default, until a TED evaluation of related lists let a choice
 * made on one half of CISI's seeds be checked elsewhere: 20 scored +2.6% nDCG@10 on that half
 * (0.502 → 0.515, the text signal alone) and the same on TED's (0.245 → 0.246; docs/graph.md).
 */
export const TEXT_FEEDBACK = { documents: 20, weight: 0.5 } as const;

/**
 * Entity types that enrichment extracts from an asset's own text. With the text signal in play,
 * related content leaves them out: sharing a keyword, a topic or a brand found in the text is that
 * text again, counted a second time (on CISI, where they outweighed the text signal, they cost
 * related content 18% nDCG@10). Asked for by `via`, they count as before.
 */
export const TEXT_DERIVED_TYPES: readonly EntityType[] = ['KEYWORD', 'TOPIC', 'BRAND'];
/** Characters of an asset's text read for the words a text reason shows (a transcript can be long). */
const REASON_TEXT_CHARS = 50_000;

/**
 * The asset's own words that a text reason may show, most telling first: the title's, its
 * keywords', then its text's. No stop-words or honorifics: "sir" or "rather" is no wording two
 * assets share.
 */
function wordsOf(asset: Asset): string[] {
  const keywords = asset.enrichment?.keywords.map((k) => k.term) ?? [];
  const text = [asset.title, ...keywords, asset.description, asset.transcript]
    .join(' ')
    .slice(0, REASON_TEXT_CHARS);
  return [
    ...new Set(
      text
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u)
        .filter((w) => w.length > 1 && !isStopword(w)),
    ),
  ];
}

/**
 * The engine explains a match by its index terms, which are stems ("creativ"); a reason shows the
 * asset's own words they stand for ("creativity"). A term none of the words stands for (a typo
 * expansion, say) is left out rather than shown as a stem. Each word is stemmed once: a related
 * lookup explains up to 100 hits with the same words (stemming them per hit cost about 150 ms).
 */
export function wordSurfacer(words: string[]): (terms: string[]) => string[] {
  const byStem = new Map<string, string>();
  for (const w of words) if (!byStem.has(stem(w))) byStem.set(stem(w), w);
  const exact = new Set(words);
  return (terms) => {
    const out: string[] = [];
    for (const term of terms) {
      const t = term.toLowerCase();
      const word =
        (exact.has(t) ? t : undefined) ??
        byStem.get(stem(t)) ??
        // Engines stem differently (Snowball, Porter, Lucene's English): a stem starts its word.
        words.filter((w) => w.startsWith(t)).sort((a, b) => a.length - b.length)[0];
      if (word && !out.includes(word)) out.push(word);
    }
    return out;
  };
}

/** `wordSurfacer(words)` for one list of terms. */
export const surfaceWords = (terms: string[], words: string[]): string[] => wordSurfacer(words)(terms);

/**
 * Assets whose text is like this asset's (the index's more-like-this on its title, description,
 * transcript and keywords, then again with its best matches' terms added, `TEXT_FEEDBACK`), with
 * what each adds and the asset's own words the match rests on: the text signal, computed now.
 */
export async function similarText(
  search: Pick<SearchIndexReader, 'moreLikeThis'>,
  tenantId: string,
  asset: Asset,
  limit: number,
): Promise<TextNeighbour[]> {
  const first = await search.moreLikeThis(tenantId, asset.id, {
    limit: Math.max(limit, TEXT_FEEDBACK.documents),
    explain: true,
  });
  if (!((first[0]?.score ?? 0) > 0)) return [];
  const second = await search.moreLikeThis(tenantId, asset.id, {
    limit,
    explain: true,
    alsoLike: first.slice(0, TEXT_FEEDBACK.documents).map((h) => h.assetId),
  });
  const fused = new Map<string, { score: number; hit: SearchHit }>();
  const add = (hits: SearchHit[], weight: number) => {
    const top = hits[0]?.score ?? 0;
    if (!(top > 0)) return;
    for (const h of hits) {
      const item = fused.get(h.assetId) ?? { score: 0, hit: h };
      item.score += (weight * h.score) / top;
      fused.set(h.assetId, item);
    }
  };
  add(first.slice(0, limit), 1 - TEXT_FEEDBACK.weight);
  add(second, TEXT_FEEDBACK.weight);
  const ranked = [...fused.values()]
    .sort((x, y) => y.score - x.score || (x.hit.assetId < y.hit.assetId ? -1 : 1))
    .slice(0, limit);
  const best = ranked[0]!.score;
  const surface = wordSurfacer(wordsOf(asset));
  return ranked.map(({ score, hit }) => ({
    assetId: hit.assetId,
    contribution: Math.round(((TEXT_SIMILARITY_WEIGHT * score) / best) * 10_000) / 10_000,
    // The first lookup's explanation where it has one: the asset's own terms, not its matches'.
    terms: surface((hit.explanation?.terms ?? []).map((t) => t.term)).slice(0, 5),
  }));
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

/** Queries over the projections, answered with canonical assets. */
export class DiscoveryService {
  private readonly graph: GraphReader;
  private readonly search: SearchIndexReader;

  constructor(
    private readonly deps: {
      db: Database;
      assets: Pick<AssetsRepository, 'findById' | 'findByIds'>;
      search: SearchIndexReader;
      graph: GraphReader;
      /** Boosts learnt from clicks and popular queries (services/click-learning-service.ts); absent: none. */
      clicks?: {
        boostsFor(tenantId: string, q: string): Promise<{ assetId: string; boost: number }[]>;
        popularQueries(
          tenantId: string,
          prefix: string,
          limit: number,
        ): Promise<{ query: string; display: string }[]>;
      };
      /** The text signal kept per asset version; absent: computed on every request (`similarText`). */
      relatedText?: TextNeighbourSource;
      /** Whether the tenant has archived assets, which a search leaves out unless it asks for a status; absent: none. */
      archived?: Pick<AssetsRepository, 'hasArchived'>;
      /** The query's vector and the vector index (absent: every search is lexical). */
      semantic?: SemanticSource;
    },
  ) {
    this.graph = deps.graph;
    this.search = deps.search;
  }

  async searchAssets(tenantId: string, query: SearchRequest): Promise<SearchResult> {
    // Parsed once here: the index and the blend read the same parsed query.
    const parsed = parseQuery(query.q, query.syntax);
    const notices = noticesOf(parsed);
    const request = await this.withoutArchived(tenantId, query, parsed);
    const [result, moments] = await Promise.all([
      this.searchParsed(tenantId, request, parsed),
      query.feedbackMoments ? this.feedbackMomentsFor(tenantId, request, parsed) : [],
    ]);
    return {
      ...result,
      ...(moments.length ? { moments } : {}),
      ...(notices.length ? { notices } : {}),
      ...(parsed.notes?.length ? { queryNotes: parsed.notes } : {}),
    };
  }

  private async searchParsed(
    tenantId: string,
    query: SearchRequest,
    parsed: ParsedQuery,
  ): Promise<SearchResult> {
    const vector = await this.queryVectorFor(tenantId, query, parsed);
    if (vector) {
      // With meaning in play the graph's part is decided on every page alike (no cursor says it):
      // `graph` always, `auto` when a short query names something.
      const graph =
        blends(query, parsed) &&
        (query.blend === 'graph' ||
          (await this.graph.entitiesNamed(tenantId, phrasesOf(parsed.text, BLEND.maxNameWords))).some(
            (e) => e.type !== 'KEYWORD',
          ));
      return this.blendedSearch(tenantId, query, parsed, null, {
        graph,
        vector,
        only: query.mode === 'semantic',
      });
    }
    if (blends(query, parsed)) {
      // A first page looks up the names the query holds once: to decide, and to blend. The names
      // are the query's words (a field:value filter in q names nothing).
      const named = query.cursor
        ? null
        : this.graph.entitiesNamed(tenantId, phrasesOf(parsed.text, BLEND.maxNameWords));
      if (await namesWhatToBlend(query, named))
        return this.blendedSearch(tenantId, query, parsed, named, { graph: true, vector: null, only: false });
    }
    const clickBoosts = await this.clickBoostsFor(tenantId, query, parsed);
    const page = await this.search.search(tenantId, {
      query: parsed,
      limit: query.limit,
      cursor: query.cursor,
      total: true,
      ...(clickBoosts.length ? { clickBoosts } : {}),
      ...(query.filters ? { filters: query.filters } : {}),
      ...(query.sort ? { sort: query.sort } : {}),
      ...(query.facets ? { facets: true } : {}),
      ...(query.explain ? { explain: true } : {}),
      ...(query.ranking ? { ranking: query.ranking } : {}),
    });
    return this.withAssets(tenantId, page);
  }

  /**
   * A first page's feedback moments: those the index finds for the words (only open issues' with
   * the openIssues filter), of the assets that pass the request's filters and are live.
   */
  private async feedbackMomentsFor(
    tenantId: string,
    query: SearchRequest,
    parsed: ParsedQuery,
  ): Promise<NonNullable<SearchResult['moments']>> {
    if (query.cursor || !parsed.text.trim()) return [];
    const found = await this.search.feedbackMoments(tenantId, parsed, {
      limit: FEEDBACK_MOMENTS_SHOWN,
      openOnly: query.filters?.openIssues === true,
    });
    if (found.length === 0) return [];
    const ids = found.map((m) => m.assetId);
    const passing = isFiltered({ query: parsed, filters: query.filters })
      ? new Set(
          (
            await this.search.search(tenantId, {
              query: { ...BROWSE, filters: parsed.filters },
              filters: { ...query.filters, assetIds: ids },
              limit: ids.length,
              highlight: false,
            })
          ).hits.map((h) => h.assetId),
        )
      : new Set(ids);
    const assets = await this.hydrate(
      tenantId,
      ids.filter((id) => passing.has(id)),
    );
    return found.flatMap(({ assetId, ...m }) => {
      const asset = assets.get(assetId);
      return asset ? [{ kind: 'feedback' as const, ...m, asset }] : [];
    });
  }

  /**
   * The query's vector when the search ranks by meaning: mode semantic or hybrid, a relevance query
   * that may be fused, and a tenant with semantic search on. Null otherwise: the search is lexical.
   */
  private async queryVectorFor(
    tenantId: string,
    query: SearchRequest,
    parsed: ParsedQuery,
  ): Promise<Float32Array | null> {
    if (!this.deps.semantic || !query.mode || query.mode === 'lexical' || !fusible(query, parsed))
      return null;
    return this.deps.semantic.queryVector(tenantId, parsed.text);
  }

  /**
   * Archived assets are left out of a search that names no status (`status=ARCHIVED` finds them).
   * Only a tenant that has archived assets gets the filter, so the others' searches run as before.
   */
  private async withoutArchived(
    tenantId: string,
    query: SearchRequest,
    parsed: ParsedQuery,
  ): Promise<SearchRequest> {
    if (query.filters?.status?.length || parsed.filters.status?.length) return query;
    if (!(await this.deps.archived?.hasArchived(this.deps.db, tenantId))) return query;
    return {
      ...query,
      filters: { ...query.filters, status: VISIBLE_STATUSES },
    };
  }

  /**
   * The boosts learnt from clicks on this query's text (docs/clicks.md), for a relevance ranking;
   * none for browsing or another order. Every page of a search looks them up alike.
   */
  private async clickBoostsFor(
    tenantId: string,
    query: SearchRequest,
    parsed: ParsedQuery,
  ): Promise<{ assetId: string; boost: number }[]> {
    if (!this.deps.clicks || (query.sort ?? 'relevance') !== 'relevance' || !parsed.text.trim()) return [];
    return this.deps.clicks.boostsFor(tenantId, query.q);
  }

  /** The page's hits with their canonical assets. */
  private async withAssets(tenantId: string, page: SearchPage): Promise<SearchResult> {
    const assets = await this.hydrate(
      tenantId,
      page.hits.map((h) => h.assetId),
    );
    return {
      // A hit whose asset is gone from the truth (deleted, not yet unprojected) is dropped.
      hits: page.hits.flatMap((h) => {
        const asset = assets.get(h.assetId);
        if (!asset) return [];
        const { assetId: _assetId, ...rest } = h;
        return [{ ...rest, asset }];
      }),
      nextCursor: page.nextCursor,
      // Every adapter counts when asked to; a hit count of the page is the floor otherwise.
      total: page.total ?? { value: page.hits.length, exact: page.nextCursor === null },
      ...(page.facets ? { facets: page.facets } : {}),
      ...(page.facetsEstimated ? { facetsEstimated: true } : {}),
    };
  }

  /**
   * Text relevance fused with graph proximity by reciprocal rank fusion over ranked lists: the text
   * ranking; for each entity the query names (a speaker, topic, tag), its assets; and for each of
   * the best text hits, its related assets. Pages through the fused top `BLEND.depth` by offset,
   * then through the rest of the text ranking. Filters narrow and never re-rank: the lists are
   * those of the query without filters, and the fused top keeps the assets that pass them, so a
   * filtered order is the unfiltered one restricted to what passes. The score is the fused one
   * (`fuseRanks`), and past the fused top the text rank's share (`textOnlyScore`): it falls with
   * the order across every page.
   */
  private async blendedSearch(
    tenantId: string,
    query: SearchRequest,
    parsed: ParsedQuery,
    namedLookup: Promise<EntitySummary[]> | null,
    fuse: { graph: boolean; vector: Float32Array | null; only: boolean },
  ): Promise<SearchResult> {
    const cursor = query.cursor ? decodeCursor(query.cursor, BlendCursor) : { o: 0 };
    if ('t' in cursor)
      return this.continueText(
        tenantId,
        query,
        parsed,
        { ...cursor, r: cursor.r ?? BLEND.depth },
        query.limit,
      );
    const offset = cursor.o;
    // Filters given as parameters or in q (the index merges the two).
    const filtered = isFiltered({ query: parsed, filters: query.filters });
    const unfiltered: ParsedQuery = { ...parsed, filters: {} };
    const clickBoosts = await this.clickBoostsFor(tenantId, query, parsed);
    const [text, named, nearest] = await Promise.all([
      this.search.search(tenantId, {
        query: unfiltered,
        limit: BLEND.depth,
        ...(clickBoosts.length ? { clickBoosts } : {}),
        // Only the page shown is highlighted, below: highlighting all 100 cost more than the ranking.
        highlight: false,
        // Without filters the text ranking counts for the page; with them, `narrowed` below does.
        ...(!filtered ? { total: true } : {}),
        ...(query.facets && !filtered ? { facets: true } : {}),
        ...(query.explain ? { explain: true } : {}),
        ...(query.ranking ? { ranking: query.ranking } : {}),
      }),
      fuse.graph
        ? (namedLookup ?? this.graph.entitiesNamed(tenantId, phrasesOf(parsed.text, BLEND.maxNameWords)))
        : [],
      fuse.vector && this.deps.semantic
        ? this.deps.semantic.vectors.search(tenantId, { vector: fuse.vector, limit: BLEND.depth })
        : [],
    ]);
    const entityLists = await Promise.all(
      named.slice(0, BLEND.maxEntities).map(async (e) => {
        const found = await this.graph.entityAssets(tenantId, e, { limit: BLEND.depth, offset: 0 });
        return (found?.assets ?? []).map((a) => a.assetId);
      }),
    );
    const neighbourLists = await Promise.all(
      (fuse.graph ? text.hits.slice(0, BLEND.expandHits) : []).map(async (h) =>
        (
          await this.graph.related(tenantId, h.assetId, {
            limit: BLEND.neighbours,
            via: BLEND.neighboursVia,
          })
        ).map((r) => r.assetId),
      ),
    );
    // Semantic search keeps of the text ranking only its exact title and speaker matches, on top.
    const textList = fuse.only ? text.hits.slice(0, BLEND.pinnedAtMost).filter((h) => h.exact) : text.hits;
    let ranked = fuseRanks({
      text: textList,
      entities: entityLists,
      neighbours: neighbourLists,
      semantic: nearest.map((h) => h.assetId),
      semanticWeight: query.semanticWeight ?? this.deps.semantic?.weight ?? 1,
    });
    const similarity = new Map(nearest.map((h) => [h.assetId, h]));
    // With filters: which fused assets pass them, and the filtered text ranking's count and facets.
    let counted: SearchPage = text;
    if (filtered) {
      const [passing, narrowed] = await Promise.all([
        this.search.search(tenantId, {
          query: { ...BROWSE, filters: parsed.filters },
          filters: { ...query.filters, assetIds: ranked.map(([id]) => id) },
          limit: ranked.length,
          sort: 'createdAt',
          highlight: false,
        }),
        this.search.search(tenantId, {
          query: parsed,
          // No hits, so no cursor (and no point in time left open on Elasticsearch): counts only.
          limit: 0,
          highlight: false,
          total: true,
          ...(query.filters ? { filters: query.filters } : {}),
          ...(query.facets ? { facets: true } : {}),
        }),
      ]);
      const passes = new Set(passing.hits.map((h) => h.assetId));
      ranked = ranked.filter(([id]) => passes.has(id));
      counted = narrowed;
    }
    const byId = new Map(textList.map((h) => [h.assetId, h]));
    const graphOnly = ranked.map(([id]) => id).filter((id) => !byId.has(id));
    // Semantic search ends with its fused top: the text ranking does not go on after it.
    const textGoesOn = !fuse.only && text.nextCursor !== null;
    const total = fuse.only
      ? { value: ranked.length, exact: true }
      : blendedTotal(counted.total, graphOnly.length, textGoesOn);
    const pageIds = ranked.slice(offset, offset + query.limit);
    const [assets, highlighted] = await Promise.all([
      this.hydrate(
        tenantId,
        pageIds.map(([id]) => id),
      ),
      this.search.highlight(
        tenantId,
        parsed,
        pageIds.map(([id]) => id).filter((id) => byId.has(id)),
      ),
    ]);
    const hits: SearchResult['hits'] = pageIds.flatMap(([id, fused, parts]) => {
      const asset = assets.get(id);
      if (!asset) return [];
      const shown = highlighted.get(id);
      const score = roundScore(fused);
      return [
        {
          score,
          highlights: shown?.highlights ?? {},
          ...(shown?.moment ? { moment: shown.moment } : {}),
          ...(parts.pinned ? { exact: true } : {}),
          ...(query.explain
            ? { explanation: fusedExplanation(score, parts, byId.get(id), similarity.get(id)?.score) }
            : {}),
          asset,
        },
      ];
    });
    const result = {
      total,
      ...(counted.facets ? { facets: counted.facets } : {}),
      ...(counted.facetsEstimated ? { facetsEstimated: true } : {}),
    };
    if (offset + query.limit < ranked.length)
      return { ...result, hits, nextCursor: encodeCursor({ o: offset + query.limit }) };
    if (!textGoesOn || !text.nextCursor) return { ...result, hits, nextCursor: null };
    // Past the fused top the text ranking goes on (filtered), without what the fusion has shown;
    // a page the fused top leaves short is filled from it.
    const rest = { t: text.nextCursor, x: graphOnly, r: BLEND.depth, n: total };
    if (hits.length >= query.limit) return { ...result, hits, nextCursor: encodeCursor(rest) };
    const more = await this.continueText(tenantId, query, parsed, rest, query.limit - hits.length);
    return { ...result, hits: [...hits, ...more.hits], nextCursor: more.nextCursor };
  }

  /**
   * Pages of the text ranking after the fused top, filtered, skipping the assets the fusion already
   * showed. Each hit scores its text rank's share (`textOnlyScore`), ranks counted on from `r`.
   */
  private async continueText(
    tenantId: string,
    query: SearchRequest,
    parsed: ParsedQuery,
    cursor: { t: string; x: string[]; r: number; n?: SearchTotal | undefined },
    limit: number,
  ): Promise<SearchResult> {
    // The text ranking's later pages are ranked as its first was: with the same boosts.
    const clickBoosts = await this.clickBoostsFor(tenantId, query, parsed);
    const page = await this.search.search(tenantId, {
      query: parsed,
      limit,
      cursor: cursor.t,
      ...(clickBoosts.length ? { clickBoosts } : {}),
      ...(query.filters ? { filters: query.filters } : {}),
      ...(query.explain ? { explain: true } : {}),
      ...(query.ranking ? { ranking: query.ranking } : {}),
      ...(cursor.n ? {} : { total: true }),
    });
    const shown = new Set(cursor.x);
    const hits = page.hits
      .filter((h) => !shown.has(h.assetId))
      .map((h, i): SearchHit => {
        const score = roundScore(textOnlyScore(cursor.r + i));
        const parts = {
          textRank: cursor.r + i + 1,
          text: score,
          entities: 0,
          neighbours: 0,
          semantic: 0,
          semanticRank: null,
          pinned: 0,
        };
        return { ...h, score, ...(h.explanation ? { explanation: fusedExplanation(score, parts, h) } : {}) };
      });
    const total = cursor.n ?? page.total;
    const next = {
      t: page.nextCursor,
      x: cursor.x,
      r: cursor.r + hits.length,
      ...(total ? { n: total } : {}),
    };
    return this.withAssets(tenantId, {
      hits,
      nextCursor: page.nextCursor ? encodeCursor(next) : null,
      total,
    });
  }

  /**
   * The index's suggestions (at most `limit`), after at most a third of `limit` (at least one)
   * popular queries completing the prefix (kind `query`): searches enough people ran (docs/clicks.md).
   */
  async suggest(tenantId: string, prefix: string, limit: number): Promise<Suggestion[]> {
    const [queries, indexed] = await Promise.all([
      this.deps.clicks?.popularQueries(tenantId, prefix, Math.max(1, Math.floor(limit / 3))) ?? [],
      this.search.suggest(tenantId, prefix, limit),
    ]);
    const fromQueries: Suggestion[] = queries.map((q) => ({
      kind: 'query',
      value: q.display,
      normalized: q.query,
    }));
    return [...fromQueries, ...indexed.slice(0, limit)];
  }

  /**
   * Related assets: the graph's shared entities, editors' links and creation times, plus a
   * more-like-this search on the asset's own words (TEXT); `via` narrows them. Each item says what
   * each signal added.
   */
  async related(
    tenantId: string,
    assetId: string,
    opts: { limit: number; via?: RelatedVia[] | undefined },
  ): Promise<RelatedResult> {
    const withText = !opts.via || opts.via.includes('TEXT');
    const withMeaning = !opts.via || opts.via.includes('SIMILAR_MEANING');
    const graphVia = ([...(opts.via ?? RELATED_VIA)] as RelatedVia[]).filter(
      (v): v is Exclude<RelatedVia, 'TEXT' | 'SIMILAR_MEANING'> =>
        !NOT_GRAPH.includes(v) &&
        // Asked for by name, a derived type counts; by default the text signal stands for it.
        !(withText && !opts.via && (TEXT_DERIVED_TYPES as string[]).includes(v)),
    );
    // The asset, the graph's reasons and what is kept of the text signal are looked up side by side:
    // one round trip before hydration when the kept text signal is current.
    const found = this.deps.assets.findById(this.deps.db, tenantId, assetId);
    const [asset, byGraph, byText, byMeaning] = await Promise.all([
      found,
      this.graph.related(tenantId, assetId, { limit: opts.limit, via: graphVia }),
      withText ? this.textNeighbours(tenantId, assetId, found, opts.limit) : [],
      withMeaning && this.deps.semantic
        ? this.deps.semantic.similarAssets(tenantId, assetId, opts.limit)
        : [],
    ]);
    if (!asset) throw new NotFoundError(`asset ${assetId} not found`);
    const merged = new Map<string, { score: number; reasons: RelatedItemReason[] }>();
    for (const r of byGraph) {
      // Shared names and creation times saturate; editors' links and co-views are said of the pair
      // by people, and count in full.
      const saturates = (x: RelatedReason) => x.type !== 'RELATED_TO' && x.type !== 'CO_VIEWED';
      const evidence = r.reasons.filter(saturates).reduce((sum, x) => sum + x.contribution, 0);
      const scale = evidence > 0 ? graphEvidence(evidence) / evidence : 1;
      merged.set(r.assetId, {
        score: round4(r.score - evidence + evidence * scale),
        reasons: r.reasons.map((x) =>
          saturates(x) ? { ...x, contribution: round4(x.contribution * scale) } : { ...x },
        ),
      });
    }
    for (const t of byText) {
      const item = merged.get(t.assetId) ?? { score: 0, reasons: [] };
      item.score = round4(item.score + t.contribution);
      item.reasons.push({ type: 'TEXT', name: t.terms.join(' '), contribution: t.contribution });
      item.reasons.sort((x, y) => y.contribution - x.contribution);
      merged.set(t.assetId, item);
    }
    for (const m of meaningReasons(byMeaning)) {
      const item = merged.get(m.assetId) ?? { score: 0, reasons: [] };
      item.score = round4(item.score + m.reason.contribution);
      item.reasons.push(m.reason);
      item.reasons.sort((x, y) => y.contribution - x.contribution);
      merged.set(m.assetId, item);
    }
    for (const item of merged.values()) item.reasons = foldNameParts(item.reasons);
    const ranked = [...merged].sort(([a, x], [b, y]) => y.score - x.score || (a < b ? -1 : 1));
    // An archived asset is no related content (a deleted one is not hydrated at all): the next
    // candidates take their places, read only when some of the first `limit` were left out.
    const items: RelatedResult['items'] = [];
    for (let at = 0; at < ranked.length && items.length < opts.limit;) {
      const next = ranked.slice(at, at + opts.limit - items.length);
      at += next.length;
      const assets = await this.hydrate(
        tenantId,
        next.map(([id]) => id),
      );
      for (const [id, r] of next) {
        const related = assets.get(id);
        if (related && related.status !== 'ARCHIVED')
          items.push({ asset: related, score: r.score, reasons: r.reasons });
      }
    }
    return { items };
  }

  private async textNeighbours(
    tenantId: string,
    assetId: string,
    asset: Promise<Asset | null>,
    limit: number,
  ): Promise<TextNeighbour[]> {
    if (this.deps.relatedText) return this.deps.relatedText.neighbours(tenantId, assetId, asset, limit);
    const found = await asset;
    return found ? similarText(this.search, tenantId, found, limit) : [];
  }

  async entities(
    tenantId: string,
    opts: { type?: EntityType | undefined; q?: string | undefined; limit: number; offset: number },
  ) {
    // Names are matched normalized, without punctuation: a prefix of punctuation only (`%`, `_`) is
    // no prefix of any name, not the empty prefix of every name.
    if (opts.q && normalizeEntityName(opts.q) === '') return [];
    return this.graph.entities(tenantId, {
      limit: opts.limit,
      offset: opts.offset,
      ...(opts.type ? { type: opts.type } : {}),
      ...(opts.q ? { prefix: opts.q } : {}),
    });
  }

  /** An entity and the assets linked to it, strongest link first. */
  async entityAssets(
    tenantId: string,
    entity: { type: EntityType; name: string },
    page: { limit: number; offset: number },
  ): Promise<{ entity: EntitySummary; items: (EntityAsset & { asset: Asset })[] }> {
    const found = await this.graph.entityAssets(tenantId, entity, page);
    if (!found) throw new NotFoundError(`${entity.type} ${entity.name} not found`);
    const assets = await this.hydrate(
      tenantId,
      found.assets.map((a) => a.assetId),
    );
    return {
      entity: found.entity,
      items: found.assets.flatMap((a) => {
        const asset = assets.get(a.assetId);
        return asset ? [{ ...a, asset }] : [];
      }),
    };
  }

  /** The entities sharing assets with one, most shared first (of one type when given). */
  async cooccurring(
    tenantId: string,
    entity: { type: EntityType; name: string },
    opts: { type?: EntityType | undefined; limit: number },
  ): Promise<{ entity: EntitySummary; items: CooccurringEntity[] }> {
    const found = await this.graph.cooccurring(tenantId, entity, {
      limit: opts.limit,
      ...(opts.type ? { type: opts.type } : {}),
    });
    if (!found) throw new NotFoundError(`${entity.type} ${entity.name} not found`);
    return found;
  }

  /** The shortest path between two nodes, labelled with asset titles; null when none is within reach. */
  async path(tenantId: string, from: NodeRef, to: NodeRef, maxEdges: number): Promise<Subgraph | null> {
    for (const ref of [from, to]) await this.mustExist(tenantId, ref);
    const path = await this.graph.path(tenantId, from, to, maxEdges);
    return path && this.withTitles(tenantId, path);
  }

  async neighbourhood(
    tenantId: string,
    assetId: string,
    opts: { depth: number; limit: number },
  ): Promise<Subgraph> {
    await this.mustExist(tenantId, { kind: 'asset', assetId });
    return this.withTitles(tenantId, await this.graph.neighbourhood(tenantId, assetId, opts));
  }

  private async mustExist(tenantId: string, ref: NodeRef): Promise<void> {
    if (ref.kind === 'asset') {
      if (!(await this.deps.assets.findById(this.deps.db, tenantId, ref.assetId)))
        throw new NotFoundError(`asset ${ref.assetId} not found`);
    } else if (!(await this.graph.entityAssets(tenantId, ref, { limit: 1, offset: 0 }))) {
      throw new NotFoundError(`${ref.type} ${ref.name} not found`);
    }
  }

  private async withTitles(tenantId: string, graph: Subgraph): Promise<Subgraph> {
    const assets = await this.hydrate(
      tenantId,
      graph.nodes.filter((n) => n.kind === 'ASSET').map((n) => n.id),
    );
    return {
      nodes: graph.nodes.map((n) =>
        n.kind === 'ASSET' ? { ...n, label: assets.get(n.id)?.title ?? n.label } : n,
      ),
      edges: graph.edges,
    };
  }

  private async hydrate(tenantId: string, ids: string[]): Promise<Map<string, Asset>> {
    const rows = await this.deps.assets.findByIds(this.deps.db, tenantId, ids);
    return new Map(rows.map((a) => [a.id, a]));
  }
}

/** Fused scores shown to six decimals: enough to tell ranks 1,000 apart. */
const roundScore = (x: number) => Math.round(x * 1_000_000) / 1_000_000;

/**
 * A blended page's total: the text matches (filtered) plus the assets the graph alone brought into
 * the fused top. One of those may also match the text below the fused top and count twice, so the
 * sum is exact only when the text ranking ended within the fused top.
 */
function blendedTotal(text: SearchTotal | undefined, graphOnly: number, textGoesOn: boolean): SearchTotal {
  const counted = text ?? { value: 0, exact: false };
  return { value: counted.value + graphOnly, exact: counted.exact && (graphOnly === 0 || !textGoesOn) };
}

/** A blended hit's explanation: the fused score's parts, and the text ranking's terms when it matched. */
function fusedExplanation(
  score: number,
  parts: FusionParts,
  hit: SearchHit | undefined,
  similarity?: number,
): Explanation {
  const text = hit?.explanation;
  return {
    terms: text?.terms ?? [],
    exactMatch: text?.exactMatch ?? 0,
    score,
    fusion: {
      textRank: parts.textRank,
      textScore: text ? text.score : (hit?.score ?? null),
      text: roundScore(parts.text),
      entities: roundScore(parts.entities),
      neighbours: roundScore(parts.neighbours),
      ...(parts.semanticRank !== null || similarity !== undefined
        ? {
            semantic: roundScore(parts.semantic),
            semanticRank: parts.semanticRank,
            similarity: similarity === undefined ? null : round4(similarity),
          }
        : {}),
      pinned: parts.pinned,
    },
  };
}

const nameWords = (name: string): string[] =>
  name
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

/**
 * A keyword or shared word that is part of a shared speaker's name ("robinson", "ken" beside the
 * speaker Ken Robinson, from a description that names him) is that speaker again: its contribution
 * goes to the speaker's reason instead of a reason of its own, so the reasons name the person once
 * and still add up to the score.
 */
export function foldNameParts(reasons: RelatedItemReason[]): RelatedItemReason[] {
  const speakers = reasons
    .filter((r) => r.type === 'SPEAKER')
    .map((r) => ({ reason: { ...r }, words: new Set(nameWords(r.name)) }));
  if (speakers.length === 0) return reasons;
  const speakerOf = (words: string[]) =>
    speakers.find((s) => words.length > 0 && words.every((w) => s.words.has(w)));
  const kept: RelatedItemReason[] = [];
  for (const r of reasons) {
    if (r.type === 'SPEAKER') continue;
    if (r.type === 'KEYWORD') {
      const speaker = speakerOf(nameWords(r.name));
      if (speaker) {
        speaker.reason.contribution += r.contribution;
        continue;
      }
    }
    if (r.type === 'TEXT') {
      const words = r.name.split(' ');
      const own = words.filter((w) => !speakerOf([w.toLowerCase()]));
      if (own.length === 0) {
        speakers[0]!.reason.contribution += r.contribution;
        continue;
      }
      if (own.length < words.length) {
        kept.push({ ...r, name: own.join(' ') });
        continue;
      }
    }
    kept.push(r);
  }
  const round = (n: number) => Math.round(n * 10_000) / 10_000;
  return [
    ...speakers.map((s) => ({ ...s.reason, contribution: round(s.reason.contribution) })),
    ...kept,
  ].sort((x, y) => y.contribution - x.contribution);
}
