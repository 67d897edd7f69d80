import { describe, expect, it } from 'vitest';
import { BLEND, PINNED_BOOST, fuseRanks, phrasesOf, textOnlyScore } from '../../services/rank-fusion.js';

const rrf = (...ranks: [rank: number, weight: number][]) =>
  ranks.reduce((sum, [rank, weight]) => sum + weight / (BLEND.k + rank + 1), 0);
const ids = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(3, '0')}`);

describe('fuseRanks', () => {
  it("adds each list's reciprocal ranks, by its weight", () => {
    const fused = fuseRanks({
      text: [{ assetId: 'a' }, { assetId: 'b' }],
      entities: [['b', 'c']],
      neighbours: [['c']],
    });
    expect(fused.map(([id, score]) => [id, score])).toEqual([
      ['b', rrf([1, 1], [0, BLEND.entityWeight])],
      ['c', rrf([1, BLEND.entityWeight], [0, BLEND.neighbourWeight])],
      ['a', rrf([0, 1])],
    ]);
  });

  it('keeps exact matches among the first text hits on top, whatever the graph says', () => {
    const fused = fuseRanks({
      text: [{ assetId: 'x' }, { assetId: 'exact', exact: true }],
      entities: [['x'], ['x']],
      neighbours: [],
    });
    expect(fused.map(([id]) => id)).toEqual(['exact', 'x']);
  });

  it('pins no exact match ranked past the first few text hits', () => {
    const text = [
      ...ids('t', BLEND.pinnedAtMost).map((assetId) => ({ assetId })),
      { assetId: 'late', exact: true },
    ];
    const fused = fuseRanks({ text, entities: [], neighbours: [] });
    expect(fused.at(-1)![0]).toBe('late');
  });

  it('keeps every text hit, and at most BLEND.depth assets the graph alone brought in', () => {
    const graph = ids('g', BLEND.depth + 20);
    const fused = fuseRanks({ text: [{ assetId: 'zzz' }], entities: [graph, graph], neighbours: [] });
    expect(fused).toHaveLength(BLEND.depth + 1);
    expect(fused.map(([id]) => id)).toContain('zzz');
    expect(fused.map(([id]) => id)).not.toContain(graph.at(-1));
  });

  it('pins exact matches with a boost above any fused score, so the order follows the score', () => {
    const fused = fuseRanks({
      text: [{ assetId: 'x' }, { assetId: 'e2', exact: true }, { assetId: 'e1', exact: true }],
      entities: [['x', 'e1'], ['x']],
      neighbours: [['e1']],
    });
    expect(fused.map(([id]) => id)).toEqual(['e1', 'e2', 'x']);
    const scores = fused.map(([, score]) => score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(fused[0]![2]).toMatchObject({ pinned: PINNED_BOOST, textRank: 3 });
  });

  it('scores the text ranking past the fused top below every asset of the fused top', () => {
    const text = ids('t', BLEND.depth).map((assetId) => ({ assetId }));
    const entities = Array.from({ length: BLEND.maxEntities }, (_, i) => ids(`e${i}`, BLEND.depth));
    const neighbours = Array.from({ length: BLEND.expandHits }, (_, i) => ids(`n${i}`, BLEND.neighbours));
    const fused = fuseRanks({ text, entities, neighbours });
    expect(Math.min(...fused.map(([, score]) => score))).toBeGreaterThan(textOnlyScore(BLEND.depth));
    expect(textOnlyScore(BLEND.depth + 1)).toBeLessThan(textOnlyScore(BLEND.depth));
  });

  it('orders equal scores by id, so pages are stable', () => {
    const fused = fuseRanks({ text: [{ assetId: 'm' }], entities: [['b']], neighbours: [] });
    expect(fused.map(([id]) => id)).toEqual(['b', 'm']);
  });
});

describe('phrasesOf', () => {
  it('lists every run of up to max consecutive words', () => {
    expect(phrasesOf('ada  lovelace talk', 2)).toEqual([
      'ada',
      'ada lovelace',
      'lovelace',
      'lovelace talk',
      'talk',
    ]);
  });
});

describe('the vector ranking weight (SEMANTIC_WEIGHT)', () => {
  const lists = (semanticWeight?: number) => ({
    text: [{ assetId: 'a' }, { assetId: 'b' }],
    entities: [],
    neighbours: [],
    semantic: ['b', 'a'],
    ...(semanticWeight !== undefined ? { semanticWeight } : {}),
  });

  it('counts the vector ranking at its weight beside the text ranking', () => {
    const fused = fuseRanks(lists(0.25));
    expect(fused.map(([id, score]) => [id, score])).toEqual([
      ['a', rrf([0, 1], [1, 0.25])],
      ['b', rrf([1, 1], [0, 0.25])],
    ]);
    expect(fused[0]![2].semantic).toBeCloseTo(rrf([1, 0.25]), 12);
  });

  it('weighs 1 when no weight is given, so the vector ranking may reorder the text one', () => {
    const [first] = fuseRanks(lists());
    expect(first![0]).toBe('a');
    expect(fuseRanks(lists(2))[0]![0]).toBe('b');
  });
});
