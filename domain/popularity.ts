/**
 * Popularity and trending learned from use (issue 22, docs/popularity.md): pure functions of
 * an asset's per-day views and watch time (the analytics store's daily rollups), so that both
 * analytics adapters, the schedule and the tests compute exactly the same numbers.
 *
 * Definitions, for a computation at time `at` over UTC days d (a day's start):
 *
 * - popularity = Σ_d 2^(−(at − d) / halfLife) × (views_d + watchSeconds_d / watchSecondsPerView),
 *   over the days of the last `windowDays` (today included). A view today counts about 1, one
 *   `halfLifeDays` ago ½; watch time counts one view per `watchSecondsPerView` watched. Days older
 *   than the window would weigh below 2^(−windowDays / halfLife) and are left out.
 * - trending = ln((R / r + k) / (B / b + k)): R the views of the recent window (the last
 *   `recentDays` days, today's partial day included; r its elapsed length in days), B those of the
 *   `baselineDays` days before it (b = baselineDays), k = `smoothingViewsPerDay`. 0 is steady (and
 *   an asset without views), > 0 rising, < 0 cooling. The smoothing is a prior of k views a day on
 *   both sides: two views on a new asset give ln((2/r + k)/k), about 0.5, not infinity.
 */
export interface PopularitySettings {
  halfLifeDays: number;
  /** Seconds watched that count as one view. */
  watchSecondsPerView: number;
  /** Days of activity popularity reads. */
  windowDays: number;
  recentDays: number;
  baselineDays: number;
  smoothingViewsPerDay: number;
}

export const DEFAULT_POPULARITY_SETTINGS: PopularitySettings = {
  halfLifeDays: 7,
  watchSecondsPerView: 300,
  // Eight half-lives: what is left out weighs under 0.4 % of a view.
  windowDays: 56,
  recentDays: 2,
  baselineDays: 28,
  smoothingViewsPerDay: 2,
};

/** An asset's learned popularity and trending, as asset_popularity holds them. */
export interface AssetPopularity {
  assetId: string;
  popularity: number;
  trending: number;
  /** Views and seconds watched in the window, not decayed. */
  views: number;
  watchSeconds: number;
  computedAt: Date;
}

export interface DayActivity {
  day: Date;
  views: number;
  watchSeconds: number;
}

const DAY_MS = 86_400_000;

export const startOfUtcDay = (at: Date) => new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);

/**
 * The days a computation at `at` reads: [from, to), UTC midnights; to is the end of today. Covers
 * the popularity window and the trending baseline, whichever is longer.
 */
export function activityWindow(at: Date, s: PopularitySettings): { from: Date; to: Date } {
  const today = startOfUtcDay(at).getTime();
  const days = Math.max(s.windowDays, s.recentDays + s.baselineDays);
  return { from: new Date(today - (days - 1) * DAY_MS), to: new Date(today + DAY_MS) };
}

/** An asset's popularity and trending at `at` from its per-day activity (see the definitions above). */
export function computePopularity(
  assetId: string,
  days: readonly DayActivity[],
  at: Date,
  s: PopularitySettings = DEFAULT_POPULARITY_SETTINGS,
): AssetPopularity {
  const now = at.getTime();
  const today = startOfUtcDay(at).getTime();
  const windowFrom = today - (s.windowDays - 1) * DAY_MS;
  const recentFrom = today - (s.recentDays - 1) * DAY_MS;
  const baselineFrom = recentFrom - s.baselineDays * DAY_MS;
  let popularity = 0;
  let views = 0;
  let watchSeconds = 0;
  let recent = 0;
  let baseline = 0;
  for (const d of days) {
    const t = d.day.getTime();
    if (t > now) continue;
    if (t >= windowFrom) {
      const weight = 2 ** (-(now - t) / DAY_MS / s.halfLifeDays);
      popularity += weight * (d.views + d.watchSeconds / s.watchSecondsPerView);
      views += d.views;
      watchSeconds += d.watchSeconds;
    }
    if (t >= recentFrom) recent += d.views;
    else if (t >= baselineFrom) baseline += d.views;
  }
  // At least an hour: just after midnight, one early view must not read as a day's worth.
  const recentDays = Math.max((now - recentFrom) / DAY_MS, 1 / 24);
  const k = s.smoothingViewsPerDay;
  const trending = Math.log((recent / recentDays + k) / (baseline / s.baselineDays + k));
  return { assetId, popularity, trending, views, watchSeconds, computedAt: at };
}

/** An asset no activity was found for: nothing in the window any more. */
export function noPopularity(assetId: string, at: Date): AssetPopularity {
  return { assetId, popularity: 0, trending: 0, views: 0, watchSeconds: 0, computedAt: at };
}

/** What the projections carry of an asset's popularity. */
export type PopularityUpdate = Pick<AssetPopularity, 'assetId' | 'popularity' | 'trending' | 'computedAt'>;

/** The most a popularity prior may multiply a relevance score by, less one. */
export const POPULARITY_PRIOR_MAX_WEIGHT = 0.5;

/**
 * A bounded popularity prior on a relevance score: score × (1 + w × log1p(popularity) /
 * log1p(maxPopularity)), w capped at POPULARITY_PRIOR_MAX_WEIGHT, so the factor lies in [1, 1 + w]
 * whatever the numbers: popularity reorders close scores and never lifts a weak match over a clear
 * one by more than the factor. Without popularity in the tenant (maxPopularity 0) the score is
 * unchanged. Evaluated by scripts/eval-popularity-prior.ts; not applied by the adapters (see
 * docs/popularity.md, "A prior in relevance").
 */
export function popularityPrior(
  score: number,
  popularity: number,
  maxPopularity: number,
  weight: number,
): number {
  const w = Math.min(Math.max(weight, 0), POPULARITY_PRIOR_MAX_WEIGHT);
  if (w === 0 || maxPopularity <= 0 || popularity <= 0) return score;
  return score * (1 + (w * Math.log1p(Math.min(popularity, maxPopularity))) / Math.log1p(maxPopularity));
}
