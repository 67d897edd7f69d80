import { describe, expect, it } from 'vitest';
import { FEEDBACK, feedbackApplies, rankingOf, rm3 } from '../../search/ranking-features.js';

describe('ranking features', () => {
  it('rm3: interpolates the query with the terms its best documents share, keeping its total weight', () => {
    const docs = [
      {
        score: 3,
        length: 10,
        terms: [
          { term: 'solar', tf: 2, df: 5 },
          { term: 'cell', tf: 2, df: 4 },
          { term: 'roof', tf: 1, df: 3 },
        ],
      },
      {
        score: 1,
        length: 10,
        terms: [
          { term: 'solar', tf: 1, df: 5 },
          { term: 'cell', tf: 1, df: 4 },
          { term: 'desert', tf: 1, df: 3 },
        ],
      },
    ];
    const out = rm3(
      [
        { term: 'solar', weight: 1 },
        { term: 'energi', weight: 1 },
      ],
      docs,
      100,
    );
    // The query's terms first; 'cell' (in both documents) joins; 'roof' and 'desert' (in one) do not.
    expect(out.map((t) => t.term)).toEqual(['solar', 'energi', 'cell']);
    const total = out.reduce((s, t) => s + t.weight, 0);
    expect(total).toBeCloseTo(2, 10);
    expect(out[1]!.weight).toBeCloseTo(FEEDBACK.originalWeight, 10);
    // solar's own 0.6 plus its share of the feedback mass: (0.2 + 0.1 weighted 3:1) against cell's.
    const pSolar = (2 / 10) * 0.75 + (1 / 10) * 0.25;
    const pCell = pSolar;
    expect(out[0]!.weight).toBeCloseTo(0.6 + 0.4 * 2 * (pSolar / (pSolar + pCell)), 10);
    expect(out[2]).toMatchObject({ term: 'cell', df: 4 });
  });

  it('rm3: leaves out terms in too few or too many documents, and changes nothing without feedback documents', () => {
    const docs = [1, 2].map(() => ({
      score: 1,
      length: 4,
      terms: [
        { term: 'common', tf: 1, df: 90 },
        { term: 'unique', tf: 1, df: 1 },
        { term: 'x', tf: 1, df: 10 },
      ],
    }));
    expect(rm3([{ term: 'q', weight: 1 }], docs, 100)).toEqual([{ term: 'q', weight: 1 }]);
    expect(rm3([{ term: 'q', weight: 1 }], [], 100)).toEqual([{ term: 'q', weight: 1 }]);
  });

  it('feedbackApplies: on, off, and auto by the tenant size; a request overrides the defaults', () => {
    const auto = rankingOf({ feedback: 'auto', proximity: false }, {});
    expect(feedbackApplies(auto, 3, FEEDBACK.autoMinDocuments)).toBe(true);
    expect(feedbackApplies(auto, 3, FEEDBACK.autoMinDocuments - 1)).toBe(false);
    expect(feedbackApplies(auto, 0, 1e6)).toBe(false);
    expect(feedbackApplies(rankingOf(auto, { feedback: 'on' }), 1, 10)).toBe(true);
    expect(feedbackApplies(rankingOf(auto, { feedback: 'off' }), 10, 1e6)).toBe(false);
    expect(rankingOf(auto, { proximity: true })).toEqual({ feedback: 'auto', proximity: true });
  });
});
