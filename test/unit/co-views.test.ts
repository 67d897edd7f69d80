import { describe, expect, it } from 'vitest';
import {
  CO_VIEW,
  coViewPartners,
  coViewReasonName,
  coViewScore,
  countCoViews,
} from '../../domain/co-views.js';
import { CO_VIEWED_WEIGHT, rankRelated } from '../../graph/related-ranking.js';

const options = { minSessions: 3, partnersPerAsset: 2, shrinkage: 5 };

describe('co-view normalisation', () => {
  it('is the cosine of the two session sets, shrunk by n / (n + λ)', () => {
    expect(coViewScore(10, 10, 10, 0)).toBe(1);
    expect(coViewScore(10, 10, 40, 0)).toBe(0.5);
    expect(coViewScore(10, 10, 40, 5)).toBeCloseTo(0.5 * (10 / 15), 6);
    expect(coViewScore(0, 10, 10, 5)).toBe(0);
    expect(coViewScore(3, 0, 10, 5)).toBe(0);
  });

  it('shrinks little support: three sessions only together rank below fifty mostly together', () => {
    const rare = coViewScore(3, 3, 3, CO_VIEW.shrinkage);
    const common = coViewScore(50, 60, 60, CO_VIEW.shrinkage);
    expect(rare).toBeLessThan(common);
    expect(rare).toBeCloseTo(3 / 8, 6);
  });

  it('keeps a blockbuster played in every session from topping every list', () => {
    // 100 sessions: the hit in all of them; a and b together in 20, each in 25.
    const sessions = [
      ...Array.from({ length: 20 }, () => ['a', 'b', 'hit']),
      ...Array.from({ length: 5 }, () => ['a', 'hit']),
      ...Array.from({ length: 5 }, () => ['b', 'hit']),
      ...Array.from({ length: 70 }, () => ['hit']),
    ];
    const { pairs, sessionsPerAsset } = countCoViews(sessions, 50);
    const partners = coViewPartners(['a', 'hit'], pairs, sessionsPerAsset, options);
    expect(partners.get('a')!.map((p) => p.relatedId)).toEqual(['b', 'hit']);
    expect(partners.get('a')![0]!.sessions).toBe(20);
    // The hit shares more sessions with a (25) than b does (20), and still ranks below it.
    expect(partners.get('a')![1]!.sessions).toBe(25);
    expect(partners.get('a')![0]!.score).toBeGreaterThan(1.5 * partners.get('a')![1]!.score);
  });

  it('drops pairs under the minimum support and keeps the best K per asset', () => {
    const pairs = [
      { assetId: 'a', relatedId: 'b', sessions: 2 },
      { assetId: 'a', relatedId: 'c', sessions: 3 },
      { assetId: 'a', relatedId: 'd', sessions: 9 },
      { assetId: 'a', relatedId: 'e', sessions: 4 },
      { assetId: 'z', relatedId: 'a', sessions: 9 },
    ];
    const counts = new Map(['a', 'b', 'c', 'd', 'e', 'z'].map((id) => [id, 10]));
    const partners = coViewPartners(['a', 'q'], pairs, counts, options);
    expect(partners.get('a')!.map((p) => p.relatedId)).toEqual(['d', 'e']);
    // An anchor without pairs maps to none; pairs of assets not on the page are ignored.
    expect(partners.get('q')).toEqual([]);
    expect(partners.has('z')).toBe(false);
  });

  it('skips sessions over the per-session cap and counts each asset once per session', () => {
    const { pairs, sessionsPerAsset } = countCoViews(
      [
        ['a', 'b', 'a', 'b'],
        ['a', 'b', 'c', 'd', 'e'],
      ],
      4,
    );
    expect(pairs).toEqual([
      { assetId: 'a', relatedId: 'b', sessions: 1 },
      { assetId: 'b', relatedId: 'a', sessions: 1 },
    ]);
    expect(Object.fromEntries(sessionsPerAsset)).toEqual({ a: 1, b: 1 });
  });

  it('says the count in words', () => {
    expect(coViewReasonName(12)).toBe('12 sessions watched both');
    expect(coViewReasonName(1)).toBe('1 session watched both');
  });
});

describe('CO_VIEWED in the related ranking', () => {
  const byEntity = [
    {
      assetId: 'x',
      score: 3,
      createdAt: null,
      reasons: [{ type: 'TAG' as const, name: 'jazz', contribution: 3 }],
    },
  ];

  it('adds the weighted score as a reason with the count, and is the same ranking without co-views', () => {
    const without = rankRelated(null, byEntity, [], { limit: 10 });
    expect(rankRelated(null, byEntity, [], { limit: 10 }, [])).toEqual(without);
    const ranked = rankRelated(null, byEntity, [], { limit: 10 }, [
      { assetId: 'y', sessions: 12, score: 0.8, createdAt: null },
      { assetId: 'x', sessions: 4, score: 0.1, createdAt: null },
    ]);
    expect(ranked).toEqual([
      {
        assetId: 'y',
        score: 0.8 * CO_VIEWED_WEIGHT,
        reasons: [
          {
            type: 'CO_VIEWED',
            name: '12 sessions watched both',
            contribution: 0.8 * CO_VIEWED_WEIGHT,
            count: 12,
          },
        ],
      },
      {
        assetId: 'x',
        score: 3 + 0.1 * CO_VIEWED_WEIGHT,
        reasons: [
          { type: 'TAG', name: 'jazz', contribution: 3 },
          {
            type: 'CO_VIEWED',
            name: '4 sessions watched both',
            contribution: 0.1 * CO_VIEWED_WEIGHT,
            count: 4,
          },
        ],
      },
    ]);
  });

  it('leaves co-views out when via does not name CO_VIEWED', () => {
    const co = [{ assetId: 'y', sessions: 12, score: 0.8, createdAt: null }];
    expect(rankRelated(null, byEntity, [], { limit: 10, via: ['TAG'] }, co).map((r) => r.assetId)).toEqual([
      'x',
    ]);
    expect(rankRelated(null, [], [], { limit: 10, via: ['CO_VIEWED'] }, co).map((r) => r.assetId)).toEqual([
      'y',
    ]);
  });
});
