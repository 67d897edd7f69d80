import { describe, expect, it } from 'vitest';
import {
  activityWindow,
  computePopularity,
  DEFAULT_POPULARITY_SETTINGS as S,
  type DayActivity,
} from '../../domain/popularity.js';

const DAY = 86_400_000;
const midnight = Date.UTC(2026, 11, 6);
const day = (daysAgo: number, views: number, watchSeconds = 0): DayActivity => ({
  day: new Date(midnight - daysAgo * DAY),
  views,
  watchSeconds,
});

describe('popularity', () => {
  it('halves a view every half-life, and counts watch time as views per watchSecondsPerView', () => {
    const at = new Date(midnight);
    expect(computePopularity('a', [day(0, 10)], at).popularity).toBeCloseTo(10);
    expect(computePopularity('a', [day(7, 10)], at).popularity).toBeCloseTo(5);
    expect(computePopularity('a', [day(14, 10)], at).popularity).toBeCloseTo(2.5);
    expect(computePopularity('a', [day(0, 0, 600)], at).popularity).toBeCloseTo(600 / S.watchSecondsPerView);
    const slow = computePopularity('a', [day(7, 10)], at, { ...S, halfLifeDays: 14 });
    expect(slow.popularity).toBeCloseTo(10 * 2 ** -0.5);
  });

  it('leaves out days past the window, and days after the computation', () => {
    const at = new Date(midnight + 6 * 3_600_000);
    const p = computePopularity('a', [day(S.windowDays, 1000), day(-1, 1000), day(0, 1)], at);
    expect(p.views).toBe(1);
    expect(p.popularity).toBeCloseTo(2 ** (-0.25 / S.halfLifeDays));
  });

  it('reads a window covering both the decay and the trending baseline', () => {
    const { from, to } = activityWindow(new Date(midnight + 3_600_000), S);
    expect(to.getTime()).toBe(midnight + DAY);
    expect((to.getTime() - from.getTime()) / DAY).toBe(Math.max(S.windowDays, S.recentDays + S.baselineDays));
  });
});

describe('trending', () => {
  const at = new Date(midnight + 12 * 3_600_000);
  it('is 0 for a steady asset and without views, above 0 when rising, below when cooling', () => {
    expect(computePopularity('a', [], at).trending).toBe(0);
    // A view a day throughout: 1.5 recent days hold 1.5 views.
    const steady = [...Array.from({ length: 29 }, (_, i) => day(i + 1, 1))];
    const nearlySteady = computePopularity('a', [...steady.slice(1), day(0, 0.5), day(1, 1)], at).trending;
    expect(Math.abs(nearlySteady)).toBeLessThan(1e-9);
    expect(computePopularity('a', [...steady, day(0, 20)], at).trending).toBeGreaterThan(0.5);
    expect(
      computePopularity(
        'a',
        Array.from({ length: 20 }, (_, i) => day(i + 5, 10)),
        at,
      ).trending,
    ).toBeLessThan(0);
  });

  it('is smoothed: two views of a new asset trend far less than a jump of many', () => {
    const two = computePopularity('a', [day(0, 2)], at).trending;
    const many = computePopularity(
      'b',
      [day(0, 200), ...Array.from({ length: 28 }, (_, i) => day(i + 2, 20))],
      at,
    );
    expect(Number.isFinite(two)).toBe(true);
    expect(two).toBeCloseTo(Math.log((2 / 1.5 + S.smoothingViewsPerDay) / S.smoothingViewsPerDay));
    expect(many.trending).toBeGreaterThan(two);
  });

  it('does not read an early hour of the day as a whole day', () => {
    const justAfterMidnight = new Date(midnight + 60_000);
    const withRecentDays1 = { ...S, recentDays: 1 };
    const t = computePopularity('a', [day(0, 1)], justAfterMidnight, withRecentDays1).trending;
    expect(t).toBeCloseTo(Math.log((24 + S.smoothingViewsPerDay) / S.smoothingViewsPerDay));
  });
});
