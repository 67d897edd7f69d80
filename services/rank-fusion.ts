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
}

/**
 * The fused ranking, best first, with each asset's fused score: the text ranking weighs 1, each
 * entity's assets `BLEND.entityWeight`, each neighbour list `BLEND.neighbourWeight`, rank r adding
 * weight / (k + r + 1). Exact title and speaker matches rank first in the text ranking and stay on
 * top. Every text hit stays (the text ranking resumes after them), with at most `BLEND.depth`
 * assets the graph alone brought in. Ties go to the smaller id, so a page is stable.
 */
export function fuseRanks(lists: RankedLists): [string, number][] {
  const fused = new Map<string, number>();
  const add = (ids: string[], weight: number) =>
    ids.forEach((id, rank) => fused.set(id, (fused.get(id) ?? 0) + weight / (BLEND.k + rank + 1)));
  const textIds = lists.text.map((h) => h.assetId);
  add(textIds, 1);
  for (const list of lists.entities) add(list, BLEND.entityWeight);
  for (const list of lists.neighbours) add(list, BLEND.neighbourWeight);
  const exact = lists.text
    .slice(0, BLEND.pinnedAtMost)
    .filter((h) => h.exact)
    .map((h) => h.assetId);
  const pinned = new Set(exact);
  const inText = new Set(textIds);
  let graphOnly = 0;
  return [
    ...exact.map((id): [string, number] => [id, fused.get(id)!]),
    ...[...fused]
      .filter(([id]) => !pinned.has(id))
      .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
      .filter(([id]) => inText.has(id) || graphOnly++ < BLEND.depth),
  ];
}
