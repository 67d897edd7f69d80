import { describe, expect, it } from 'vitest';
import { likeTerms } from '../../search/postgres/query-terms.js';
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
