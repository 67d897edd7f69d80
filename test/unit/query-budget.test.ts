import { describe, expect, it } from 'vitest';
import { QUERY_LIMITS } from '../../domain/query-limits.js';
import { withinBudget } from '../../search/postgres/query-terms.js';
import { BM25 } from '../../search/postgres/ranking.js';

const term = (name: string, df: number) => ({ term: name, df });

describe("a query's ranked terms within its budget", () => {
  it('keeps every term of a query within the limits, in its order', () => {
    const terms = [term('kelp', 40), term('forest', 900), term('otter', 3)];
    expect(withinBudget(terms)).toEqual(terms);
  });

  it('keeps the rarest maxRankedTerms distinct terms, leaving out the most frequent', () => {
    const max = QUERY_LIMITS.maxRankedTerms;
    // Frequencies 1 to max + 6 in an order that is not theirs (11 is prime to 70); a term listed
    // twice counts once.
    const terms = Array.from({ length: max + 6 }, (_, i) => term(`t${i}`, ((i * 11) % (max + 6)) + 1));
    const kept = withinBudget([...terms, term('t0', 1)]);
    expect(new Set(kept.map((t) => t.term)).size).toBe(max);
    expect(Math.max(...kept.map((t) => t.df))).toBe(max);
    expect(kept.filter((t) => t.term === 't0')).toHaveLength(2);
    // The order is the query's.
    expect(kept.map((t) => t.term)).toEqual(
      [...terms, term('t0', 1)].filter((t) => t.df <= max).map((t) => t.term),
    );
  });

  it('reads at most maxPostings postings, counting a term up to the postings read per term', () => {
    const perTerm = BM25.postingsPerTerm;
    const fit = Math.floor(QUERY_LIMITS.maxPostings / perTerm);
    // Frequent terms each cost postingsPerTerm, however frequent; a rare one costs its frequency.
    const terms = [
      term('rare', 2),
      ...Array.from({ length: fit + 3 }, (_, i) => term(`common${i}`, perTerm * 10 + i)),
    ];
    const kept = withinBudget(terms).map((t) => t.term);
    // The rarest first: the rare term always stays.
    expect(kept[0]).toBe('rare');
    expect(kept).toHaveLength(fit);
    expect(kept).not.toContain(`common${fit + 2}`);
  });
});
