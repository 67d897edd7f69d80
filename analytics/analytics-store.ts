import type { CoViewPair } from '../domain/co-views.js';
import type { SearchInteraction } from '../domain/click-model.js';
import type { StoredEvent } from '../domain/interaction-events.js';

/**
 * The analytics store: raw interaction events and their rollups, queried as metric series. One
 * port, a Postgres adapter (the embedded default) and a ClickHouse adapter (`CLICKHOUSE_URL`), held
 * to one contract suite (test/contract/analytics-store.contract.ts).
 */

/** Metrics computed from interaction events. */
export const EVENT_METRICS = [
  /** `play` events. */
  'views',
  /** Distinct user tokens among `play` events (approximate: see the adapter's docs). */
  'uniqueViewers',
  /** Seconds watched, from `progress`/`pause`/`complete` positions per session and asset. */
  'watchTime',
  /** `complete` / `play`. */
  'completionRate',
  /** `error` events. */
  'errors',
  /** `search` events. */
  'searches',
  /** `search` events with `totalHits` 0 (grouped by `query`: the zero-result queries). */
  'zeroResultSearches',
  /** Share of `search` events with `totalHits` 0. */
  'zeroResultRate',
  /** `click` events with a `clickedRank` / `search` events; grouped by `rank`, per rank. */
  'clickThroughRate',
] as const;
export type EventMetric = (typeof EVENT_METRICS)[number];

/**
 * What a series can be split by. Asset dimensions are the asset's at the time of the event;
 * `type` is the asset's type; `query` is the search text (for the search metrics); `rank` the
 * clicked rank (for `clickThroughRate`).
 */
export const METRIC_GROUP_BYS = [
  'asset',
  'tag',
  'topic',
  'speaker',
  'sourceSystem',
  'type',
  'device',
  'country',
  'query',
  'rank',
] as const;
export type MetricGroupBy = (typeof METRIC_GROUP_BYS)[number];

export const METRIC_INTERVALS = ['minute', 'hour', 'day'] as const;
export type MetricInterval = (typeof METRIC_INTERVALS)[number];

/** Values within a filter are alternatives; filters combine with AND. */
export interface MetricFilters {
  assetId?: string[];
  tag?: string[];
  topic?: string[];
  speaker?: string[];
  sourceSystem?: string[];
  type?: string[];
  device?: string[];
  country?: string[];
}

export interface MetricQuery {
  tenantId: string;
  metric: EventMetric;
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
  interval: MetricInterval;
  groupBy?: MetricGroupBy;
  filters: MetricFilters;
  /** With `groupBy`: the groups with the largest totals, at most this many. */
  limit: number;
}

export interface MetricPoint {
  /** Start of the bucket (UTC). Buckets without events are present, with value 0. */
  t: Date;
  value: number;
}

export interface MetricSeries {
  /** The group's key (asset id, tag, country…); null without `groupBy`. */
  group: string | null;
  /** Over the whole range (a rate is the rate over the range, not a sum of rates). */
  total: number;
  points: MetricPoint[];
}

/** Series ordered by total, largest first. */
export interface MetricResult {
  series: MetricSeries[];
}

/** Trending: assets whose recent rate of views is high against their own baseline. */
export interface TrendingQuery {
  tenantId: string;
  /** The recent window ends here. */
  at: Date;
  recentHours: number;
  baselineDays: number;
  limit: number;
}
export interface TrendingAsset {
  assetId: string;
  recentViews: number;
  baselineViewsPerHour: number;
  score: number;
}

export interface RecordResult {
  /** Ids of the events this call added. */
  recorded: string[];
  /** Events of the batch it already had (same tenant and id). */
  duplicates: number;
}

/** Where a page of search interactions ends: the next page starts after it. */
export interface InteractionCursor {
  occurredAt: Date;
  id: string;
}

/** A window of search and click events, for the click learning (domain/click-model.ts). */
export interface SearchInteractionQuery {
  tenantId: string;
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
  /** Continue after this event (null: from the start). */
  after: InteractionCursor | null;
  /** At most this many (at most `SEARCH_INTERACTIONS_PAGE_MAX`). */
  limit: number;
}
export const SEARCH_INTERACTIONS_PAGE_MAX = 10_000;

export interface SearchInteractionPage {
  /** In time order (ties by id). */
  interactions: SearchInteraction[];
  /** Null on the last page. */
  next: InteractionCursor | null;
}

/**
 * "Viewers also watched" counts over a window, for one page of anchor assets (domain/co-views.ts).
 * A session is a session token; its assets are those of its `play` and `complete` events (each
 * asset once). Sessions with more than `maxAssetsPerSession` distinct assets are skipped entirely.
 */
export interface CoViewQuery {
  tenantId: string;
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
  /** The page's anchors are the counted assets with ids after this one (from the first when null), in id order. */
  afterAssetId: string | null;
  /** At most this many anchors. */
  assetLimit: number;
  maxAssetsPerSession: number;
  /** Pairs played together in fewer sessions are left out. */
  minSessions: number;
  /** Per anchor, the pairs with the most sessions, at most this many (then by partner id). */
  pairsPerAsset: number;
}

export interface CoViewCounts {
  /** The page's anchors, in id order; fewer than `assetLimit` on the last page. */
  anchors: string[];
  /** (anchor, partner, sessions that played both), for the page's anchors. */
  pairs: CoViewPair[];
  /** The sessions of each anchor and each partner in `pairs`. */
  sessionsPerAsset: Map<string, number>;
}

/**
 * A page of per-asset, per-UTC-day activity (popularity and trending, services/popularity-service.ts):
 * the assets with activity in [from, to) whose ids come after `afterAssetId`, at most `assets` of
 * them, in id order, so that a tenant of a million assets is read in bounded pages.
 */
export interface AssetActivityQuery {
  tenantId: string;
  /** A UTC midnight; inclusive. */
  from: Date;
  /** A UTC midnight; exclusive. */
  to: Date;
  /** Null: from the first asset. */
  afterAssetId: string | null;
  /** At most this many assets (not rows) per page. */
  assets: number;
}
export interface AssetDayActivity {
  assetId: string;
  /** The UTC midnight starting the day. */
  day: Date;
  /** `play` events that day. */
  views: number;
  /** Seconds watched that day (as the `watchTime` metric). */
  watchSeconds: number;
}

/**
 * How person erasure (services/person-erasure-service.ts) picks the dimension values to take out:
 * `PersonMatcher` of domain/person-erasure.ts is one.
 */
export interface DimensionValueMatcher {
  /**
   * A POSIX regular expression (Postgres `~`) that every value the matcher takes also matches: a
   * pre-filter, which may find more. An adapter without POSIX regular expressions may ignore it.
   */
  readonly sqlPattern: string;
  /** Whether a tag, topic or speaker value is the person. */
  isPerson(value: string): boolean;
}

export interface AnalyticsStore {
  /** Creates its tables, idempotently. */
  ensureSchema(): Promise<void>;
  /**
   * Adds the events and updates the rollups. An event whose tenant and id it already holds is
   * skipped, so a retried batch or a redelivered stream entry is counted once. Calls holding the
   * same event are never concurrent (the stream consumes a partition with one consumer at a time).
   */
  record(events: StoredEvent[]): Promise<RecordResult>;
  series(query: MetricQuery): Promise<MetricResult>;
  trending(query: TrendingQuery): Promise<TrendingAsset[]>;
  /** Deletes one person's raw events (erasure); the rollups keep their counts. Returns how many. */
  eraseUser(tenantId: string, userToken: string): Promise<number>;
  /**
   * Erasure of a person by name: the tag, topic and speaker values `matcher` takes are removed from
   * the asset dimensions of the raw events and the rollups, and the rollups per such value are
   * dropped, so no series (grouped or filtered by those dimensions, at any interval) names them
   * again; the counts of the assets, the tenant and the other values stay. Returns how many
   * distinct values were taken out (never the values: they are the name).
   */
  eraseDimensionValues(tenantId: string, matcher: DimensionValueMatcher): Promise<{ values: number }>;
  /** Deletes a tenant's raw events that occurred before `before` (retention). Returns how many. */
  expireRaw(tenantId: string, before: Date): Promise<number>;
  /**
   * The `search` and `click` events of a window that carry a search text and a person (consent and a
   * user or session token): a page in time order, with the cursor of the next. The raw text is
   * given as sent; the learning normalizes it. Clicks without a rank and an asset are left out.
   */
  searchInteractions(query: SearchInteractionQuery): Promise<SearchInteractionPage>;
  /** Throws when the store cannot answer (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** Co-view counts for one page of anchor assets (`CoViewQuery`); reads raw events only. */
  coViewCounts(query: CoViewQuery): Promise<CoViewCounts>;
  /**
   * Popularity: per asset and day, the views and watch time of the page's assets (see
   * `AssetActivityQuery`); ordered by asset id, then day. Days without activity are left out.
   */
  assetActivity(query: AssetActivityQuery): Promise<AssetDayActivity[]>;
}
