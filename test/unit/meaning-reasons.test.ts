import { describe, expect, it } from 'vitest';
import { MEANING_SIMILARITY, meaningReasons } from '../../services/discovery-service.js';

const hit = (assetId: string, score: number, passage = 0, start: number | null = null) => ({
  assetId,
  score,
  passage,
  start,
  end: start === null ? null : start + 30,
});

describe('meaningReasons (related content: SIMILAR_MEANING)', () => {
  it('gives the nearest asset the whole weight and the others their share above the floor', () => {
    const { weight, floor } = MEANING_SIMILARITY;
    const best = floor + 0.4;
    const half = floor + 0.2;
    const reasons = meaningReasons([hit('a', best), hit('b', half), hit('c', floor - 0.05)]);
    expect(reasons.map((r) => r.assetId)).toEqual(['a', 'b']);
    expect(reasons[0]!.reason.contribution).toBeCloseTo(weight, 4);
    expect(reasons[1]!.reason.contribution).toBeCloseTo(weight / 2, 4);
    expect(reasons[0]!.reason.name).toBe(`close in meaning (cosine ${best.toFixed(2)})`);
  });

  it("names the related asset's moment when a moment is what is near", () => {
    const [r] = meaningReasons([hit('a', 0.8, 3, 75)]);
    expect(r!.reason).toEqual({
      type: 'SIMILAR_MEANING',
      name: 'close in meaning to a moment at 00:01:15 (cosine 0.80)',
      contribution: MEANING_SIMILARITY.weight,
      moment: { start: 75, end: 105 },
    });
  });

  it('gives nothing when no neighbour is above the floor', () => {
    expect(meaningReasons([hit('a', MEANING_SIMILARITY.floor)])).toEqual([]);
    expect(meaningReasons([])).toEqual([]);
  });
});
