import { describe, expect, it } from 'vitest';
import { likeBudget, likePostingCaps, likeTerms } from '../../search/postgres/query-terms.js';
import { BM25, LIKE_POSTINGS } from '../../search/postgres/ranking.js';
import { MORE_LIKE_THIS } from '../../search/search-index.js';

describe('likeTerms (Postgres more-like-this term selection)', () => {
  it('keeps the terms with the highest tf·idf, weighted against the best', () => {
    const n = 1000;
    const picked = likeTerms(
      [
        { term: 'kelp', tf: 3, df: 10 },
        { term: 'sea', tf: 3, df: 300 },
        { term: 'urchin', tf: 1, df: 10 },
      ],
      n,
    );
    const idf = (df: number) => 1 + Math.log((n + 1) / (df + 1));
    expect(picked.map((t) => t.term)).toEqual(['kelp', 'sea', 'urchin']);
    expect(picked[0]!.weight).toBe(1);
    expect(picked[1]!.weight).toBeCloseTo((3 * idf(300)) / (3 * idf(10)), 10);
    expect(picked[2]!.weight).toBeCloseTo(1 / 3, 10);
    expect(picked.map((t) => t.df)).toEqual([10, 300, 10]);
  });

  it('leaves out terms of one document, of more than half the documents, and too short', () => {
    const picked = likeTerms(
      [
        { term: 'only', tf: 9, df: 1 },
        { term: 'the', tf: 9, df: 600 },
        { term: 'x', tf: 9, df: 5 },
        { term: 'kelp', tf: 1, df: 5 },
      ],
      1000,
    );
    expect(picked.map((t) => t.term)).toEqual(['kelp']);
  });

  it(`keeps at most ${MORE_LIKE_THIS.maxQueryTerms} terms, and none of an asset without any`, () => {
    const many = Array.from({ length: 60 }, (_, i) => ({ term: `term${i}`, tf: 60 - i, df: 4 }));
    const picked = likeTerms(many, 100);
    expect(picked).toHaveLength(MORE_LIKE_THIS.maxQueryTerms);
    expect(picked.at(-1)!.term).toBe(`term${MORE_LIKE_THIS.maxQueryTerms - 1}`);
    expect(likeTerms([], 100)).toEqual([]);
  });
});

describe('likePostingCaps (the postings a Postgres more-like-this lookup reads per term)', () => {
  const n = 1_000_000;

  it('reads every term whole while their postings fit the budget', () => {
    const terms = [
      { weight: 1, df: 120 },
      { weight: 0.5, df: 900 },
      { weight: 0.2, df: 40 },
    ];
    expect(likePostingCaps(terms, n, 2_000)).toEqual([120, 900, 40]);
  });

  it('shares the budget by weight times idf, a term read whole leaving the rest to the others', () => {
    const terms = [
      { weight: 1, df: 30 }, // rare: read whole
      { weight: 1, df: 200_000 },
      { weight: 0.25, df: 200_000 },
    ];
    const [rare, strong, weak] = likePostingCaps(terms, n, 3_030);
    expect(rare).toBe(30);
    expect(strong! + weak!).toBeLessThanOrEqual(3_000);
    expect(strong! + weak!).toBeGreaterThan(2_990);
    expect(strong! / weak!).toBeCloseTo(4, 1);
  });

  it(`reads at least ${LIKE_POSTINGS.minPerTerm} postings of a term, and never more than BM25.postingsPerTerm`, () => {
    const caps = likePostingCaps(
      [
        { weight: 1, df: 500_000 },
        { weight: 0.001, df: 500_000 },
      ],
      n,
      1_000_000,
    );
    expect(caps[0]).toBe(BM25.postingsPerTerm);
    expect(
      likePostingCaps(
        [
          { weight: 1, df: 500_000 },
          { weight: 1e-9, df: 500_000 },
        ],
        n,
        1_000,
      )[1],
    ).toBe(LIKE_POSTINGS.minPerTerm);
    expect(caps[1]).toBeLessThanOrEqual(BM25.postingsPerTerm);
    expect(likePostingCaps([{ weight: 1, df: 3 }], n, 1)).toEqual([3]);
    expect(likePostingCaps([], n)).toEqual([]);
  });
});

describe('likeBudget (Postgres more-like-this within a postings budget)', () => {
  const snapshot = (df: number[]) => ({
    t: df.map((_, i) => `term${i}`),
    w: df.map(() => 1),
    df,
    n: 1_000_000,
    avgdl: 100,
  });

  it('has no budget when every term fits whole, and rescores at least a whole page when it cuts', () => {
    expect(likeBudget(snapshot([10, 20, 30]), 101)).toBeUndefined();
    const many = snapshot(Array.from({ length: 25 }, () => 50_000));
    expect(likeBudget(many, 11)!.rescore).toBe(LIKE_POSTINGS.rescore);
    // A page of 100 without the asset itself asks for 101: all of them are scored again.
    expect(likeBudget(many, 101)!.rescore).toBe(101);
  });
});
