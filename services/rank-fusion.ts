/**
 * Reciprocal rank fusion for blended search: pure functions over ranked lists of asset ids, with the
 * settings they use. The discovery service fetches the lists (text ranking, entity assets,
 * neighbours) and pages through what this returns.
 */
import type { EntityType } from '../domain/entities.js';
import type { SearchHit } from '../search/search-index.js';

/** Reciprocal rank fusion settings of blended search. */
export const BLEND = {
  /**
   * `auto` blends queries of at most this many words. Long, descriptive queries lose by blending
   * (CISI nDCG@10 0.392 → 0.206), short naming ones gain (docs/blended-search.md).
   */
  autoMaxWords: 4,
  /** Exact title or speaker matches kept above the fusion, at most. */
  pinnedAtMost: 5,
  /** The RRF constant: ranks beyond the first few count progressively less. */
  k: 60,
  /** How deep each list goes, and how many graph-only assets the fused top holds at most. */
  depth: 100,
  /** Query word sequences up to this long are looked up as entity names. */
  maxNameWords: 4,
  maxEntities: 5,
  entityWeight: 1,
  /** The best text hits whose related assets join the fusion, and how many of each. */
  expandHits: 3,
  neighbours: 20,
  /**
   * What relates the neighbours: every entity but keywords, which repeat what the text ranking
   * matched. TED tag queries score the same without them (`npm run eval:blend`: nDCG@10 0.930 either
   * way), and a lookup skips the keyword supernodes (3.1 against 3.5 ms at 1M assets).
   */
  neighboursVia: ['SPEAKER', 'CONTRIBUTOR', 'TOPIC', 'TAG', 'BRAND'] as EntityType[],
  neighbourWeight: 0.5,
} as const;

/** Every run of up to `max` consecutive words of the query: the names it may contain. */
export function phrasesOf(q: string, max: number): string[] {
  const words = q.split(/\s+/).filter(Boolean).slice(0, 32);
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    for (let n = 1; n <= max && i + n <= words.length; n++) out.push(words.slice(i, i + n).join(' '));
  }
  return out;
}

/** The ranked lists a blended search fuses, best first in each. */
export interface RankedLists {
  /** The text ranking; its first `BLEND.pinnedAtMost` exact matches are pinned on top. */
  text: Pick<SearchHit, 'assetId' | 'exact'>[];
  /** For each entity the query names, its assets. */
  entities: string[][];
  /** For each of the best text hits, its related assets. */
  neighbours: string[][];
  /** The vector ranking: the assets nearest the query by meaning (hybrid and semantic search). */
  semantic?: string[];
  /**
   * The vector ranking's weight beside the text ranking's 1: `SEMANTIC_WEIGHT`, swept in
   * docs/semantic-search.md. Absent: 1.
   */
  semanticWeight?: number;
}

/** Added to the fused score of an exact title or speaker match: above any fused score (at most 0.13). */
export const PINNED_BOOST = 1;

/** What a fused score is made of: each list's reciprocal-rank share, and the pin of an exact match. */
export interface FusionParts {
  /** 1-based rank in the text ranking (null: the graph alone brought it in). */
  textRank: number | null;
  text: number;
  entities: number;
  neighbours: number;
  /** The vector ranking's share, and its 1-based rank there (null: not among its hits). */
  semantic: number;
  semanticRank: number | null;
  pinned: number;
}

/**
 * The score of the text ranking's hit at 0-based `rank` past the fused top, where the text ranking
 * continues alone: its own reciprocal-rank share. Every asset of the fused top scores at least
 * 1 / (k + depth) (a text hit in the top `depth`, an entity's asset in its first `depth`, a neighbour
 * in its first `neighbours` at half weight), so the score keeps falling across that seam.
 */
export function textOnlyScore(rank: number): number {
  return 1 / (BLEND.k + rank + 1);
}

/**
 * The fused ranking, best first, with each asset's fused score and its parts: the text ranking
 * weighs 1, each entity's assets `BLEND.entityWeight`, each neighbour list `BLEND.neighbourWeight`,
 * rank r adding weight / (k + r + 1). Exact title and speaker matches among the first
 * `BLEND.pinnedAtMost` text hits stay on top, `PINNED_BOOST` added to their score, so the order
 * follows the score throughout. Every text hit stays (the text ranking resumes after them), with at
 * most `BLEND.depth` assets the graph alone brought in. Ties go to the smaller id, so a page is stable.
 */
export function fuseRanks(lists: RankedLists): [string, number, FusionParts][] {
  const parts = new Map<string, FusionParts>();
  // The fused score is summed in list order, as each list adds to it: equal ranks in different lists
  // then tie exactly, and the tie goes by id.
  const fused = new Map<string, number>();
  const add = (id: string, share: number, part: 'text' | 'entities' | 'neighbours' | 'semantic') => {
    let p = parts.get(id);
    if (!p)
      parts.set(
        id,
        (p = {
          textRank: null,
          text: 0,
          entities: 0,
          neighbours: 0,
          semantic: 0,
          semanticRank: null,
          pinned: 0,
        }),
      );
    p[part] += share;
    fused.set(id, (fused.get(id) ?? 0) + share);
    return p;
  };
  lists.text.forEach((h, rank) => (add(h.assetId, 1 / (BLEND.k + rank + 1), 'text').textRank = rank + 1));
  for (const list of lists.entities)
    list.forEach((id, rank) => add(id, BLEND.entityWeight / (BLEND.k + rank + 1), 'entities'));
  for (const list of lists.neighbours)
    list.forEach((id, rank) => add(id, BLEND.neighbourWeight / (BLEND.k + rank + 1), 'neighbours'));
  const semanticWeight = lists.semanticWeight ?? 1;
  (lists.semantic ?? []).forEach(
    (id, rank) => (add(id, semanticWeight / (BLEND.k + rank + 1), 'semantic').semanticRank = rank + 1),
  );
  for (const h of lists.text.slice(0, BLEND.pinnedAtMost)) {
    if (h.exact) parts.get(h.assetId)!.pinned = PINNED_BOOST;
  }
  let graphOnly = 0;
  return [...parts]
    .map(([id, p]): [string, number, FusionParts] => [id, fused.get(id)! + p.pinned, p])
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
    .filter(([, , p]) => p.textRank !== null || graphOnly++ < BLEND.depth);
}
