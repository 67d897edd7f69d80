import {
  EVENT_METRICS,
  METRIC_GROUP_BYS,
  type AnalyticsStore,
  type EventMetric,
  type MetricFilters,
  type MetricGroupBy,
  type MetricInterval,
  type MetricSeries,
} from '../analytics/analytics-store.js';
import type { Controller, ControllersRepository } from '../store/controllers-repository.js';
import type { Database } from '../store/database.js';
import type { DriftRepository, TenantDriftRun } from '../store/drift-repository.js';
import type { OperationalMetricsRepository, PercentileRow } from '../store/operational-metrics-repository.js';

export { EVENT_METRICS, METRIC_INTERVALS } from '../analytics/analytics-store.js';
export type { MetricFilters, MetricInterval } from '../analytics/analytics-store.js';

/** Rankings over the range, computed from the events (one series per asset or query). */
export const RANKING_METRICS = ['topAssets', 'trendingAssets', 'topQueries', 'zeroResultQueries'] as const;
/** Metrics of the tenant's own pipeline, read from the canonical store. */
export const OPERATIONAL_METRICS = [
  'jobs',
  'jobSuccessRate',
  'jobLatency',
  'ingestLag',
  'projectionLag',
] as const;
export const METRICS = [...EVENT_METRICS, ...RANKING_METRICS, ...OPERATIONAL_METRICS] as const;
export type Metric = (typeof METRICS)[number];
type RankingMetric = (typeof RANKING_METRICS)[number];
type OperationalMetric = (typeof OPERATIONAL_METRICS)[number];
const isEventMetric = (m: Metric): m is EventMetric => (EVENT_METRICS as readonly string[]).includes(m);
const isRankingMetric = (m: Metric): m is RankingMetric => (RANKING_METRICS as readonly string[]).includes(m);

/** The event store's dimensions, and the enrichment runs' `status` and `workflow`. */
export const GROUP_BYS = [...METRIC_GROUP_BYS, 'status', 'workflow'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

const ASSET_DIMENSIONS = [
  'asset',
  'tag',
  'topic',
  'speaker',
  'sourceSystem',
  'type',
  'device',
  'country',
] as const;
const SEARCH_DIMENSIONS = ['query', 'device', 'country'] as const;

/**
 * What each metric may be split by. Rankings are already one series per asset or query, and the
 * lag and latency metrics one series per percentile: they take no groupBy.
 */
export const METRIC_GROUP_BYS_ALLOWED: Record<Metric, readonly GroupBy[]> = {
  views: ASSET_DIMENSIONS,
  uniqueViewers: ASSET_DIMENSIONS,
  watchTime: ASSET_DIMENSIONS,
  completionRate: ASSET_DIMENSIONS,
  errors: ASSET_DIMENSIONS,
  searches: SEARCH_DIMENSIONS,
  zeroResultSearches: SEARCH_DIMENSIONS,
  zeroResultRate: SEARCH_DIMENSIONS,
  clickThroughRate: ['rank', 'device', 'country'],
  topAssets: [],
  trendingAssets: [],
  topQueries: [],
  zeroResultQueries: [],
  jobs: ['status', 'workflow'],
  jobSuccessRate: ['workflow'],
  jobLatency: [],
  ingestLag: [],
  projectionLag: [],
};

/** Metrics that take the event filters (assetId, tag, country…). */
export const FILTERABLE_METRICS: ReadonlySet<Metric> = new Set<Metric>([
  ...EVENT_METRICS,
  'topAssets',
  'topQueries',
  'zeroResultQueries',
]);

/** Points per series at most: a chart has no use for more, and the query stays bounded. */
export const MAX_BUCKETS = 1_500;
/** Series per answer at most (groups, or ranked assets and queries). */
export const MAX_SERIES = 100;
export const DEFAULT_SERIES = 10;
/** `from` when only `to` is given (or neither). */
export const DEFAULT_RANGE_MS = 7 * 86_400_000;
/** trendingAssets: the recent window, and the baseline it is compared against. */
export const TRENDING_RECENT_HOURS = 24;
export const TRENDING_BASELINE_DAYS = 7;

export const INTERVAL_MS: Record<MetricInterval, number> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
};

/** The start of the UTC bucket holding `t`. */
export const bucketStart = (t: Date, interval: MetricInterval) =>
  new Date(Math.floor(t.getTime() / INTERVAL_MS[interval]) * INTERVAL_MS[interval]);

/** How many buckets [from, to) spans: from the bucket holding `from` to the one holding `to - 1 ms`. */
export function bucketCount(from: Date, to: Date, interval: MetricInterval): number {
  const first = bucketStart(from, interval).getTime();
  return Math.ceil((to.getTime() - first) / INTERVAL_MS[interval]);
}

/** The interval when none is asked for: the finest that keeps a range to a few hundred points. */
export function defaultInterval(from: Date, to: Date): MetricInterval {
  const span = to.getTime() - from.getTime();
  if (span <= 6 * INTERVAL_MS.hour) return 'minute';
  if (span <= 14 * INTERVAL_MS.day) return 'hour';
  return 'day';
}

export interface MetricsQuery {
  tenantId: string;
  metric: Metric;
  from: Date;
  to: Date;
  interval: MetricInterval;
  groupBy?: GroupBy | undefined;
  filters: MetricFilters;
  limit: number;
}

export interface MetricsAnswer {
  metric: Metric;
  interval: MetricInterval;
  from: Date;
  to: Date;
  series: MetricSeries[];
  /** Unique viewers are estimated by the store (HyperLogLog or ClickHouse `uniq`). */
  approximate?: true;
}

export interface QueueDepthAnswer {
  interval: MetricInterval;
  from: Date;
  to: Date;
  /** The depth at the end of the range. */
  total: number;
  points: { t: Date; value: number }[];
}

/** Unhealthy controllers listed at most (GET /v1/metrics/connectors); the counts cover them all. */
export const MAX_UNHEALTHY_CONNECTORS = 50;

/** GET /v1/metrics/connectors: the tenant's ingress controllers by health. */
export interface ConnectorHealthAnswer {
  /** Enabled controllers by their last run (unknown: not run yet), and the disabled ones apart. */
  counts: { healthy: number; unhealthy: number; unknown: number; disabled: number };
  /** The unhealthy ones, longest failing first, at most MAX_UNHEALTHY_CONNECTORS. */
  unhealthy: Pick<Controller, 'id' | 'name' | 'kind' | 'lastError' | 'lastRunAt' | 'lastSyncAt'>[];
}

/**
 * GET /v1/metrics: interaction metrics from the analytics store, and the tenant's pipeline metrics
 * from the canonical store, as time series. The query is validated (api/schemas/metrics.ts) before
 * it gets here; this only reads.
 */
export class MetricsService {
  constructor(
    private readonly deps: {
      db: Database;
      analytics: Pick<AnalyticsStore, 'series' | 'trending'>;
      operational: Omit<OperationalMetricsRepository, 'recordProjectionLags'>;
      drift: Pick<DriftRepository, 'latestForTenant'>;
      controllers: Pick<ControllersRepository, 'tenantHealth'>;
    },
  ) {}

  /**
   * GET /v1/metrics/drift: the tenant's part of the latest drift check that covered it (the drift
   * gauges of /metrics count every tenant together); null before the first.
   */
  drift(tenantId: string): Promise<TenantDriftRun | null> {
    return this.deps.drift.latestForTenant(this.deps.db, tenantId);
  }

  /** GET /v1/metrics/connectors: the tenant's controllers by health, and the unhealthy ones. */
  async connectors(tenantId: string): Promise<ConnectorHealthAnswer> {
    const { counts, unhealthy } = await this.deps.controllers.tenantHealth(
      this.deps.db,
      tenantId,
      MAX_UNHEALTHY_CONNECTORS,
    );
    return {
      counts,
      unhealthy: unhealthy.map((c) => ({
        id: c.id,
        name: c.name,
        kind: c.kind,
        lastError: c.lastError,
        lastRunAt: c.lastRunAt,
        lastSyncAt: c.lastSyncAt,
      })),
    };
  }

  async query(q: MetricsQuery): Promise<MetricsAnswer> {
    const series = await this.series(q);
    return {
      metric: q.metric,
      interval: q.interval,
      from: q.from,
      to: q.to,
      series,
      ...(q.metric === 'uniqueViewers' ? { approximate: true as const } : {}),
    };
  }

  /**
   * GET /v1/metrics/queue-depth: the tenant's enrichment runs not yet ended, at the close of each
   * bucket. An operation of its own, beside GET /v1/metrics: a new value of that answer's `metric`
   * would break the released contract's clients.
   */
  async queueDepth(
    q: Pick<MetricsQuery, 'tenantId' | 'from' | 'to' | 'interval'>,
  ): Promise<QueueDepthAnswer> {
    const w = { tenantId: q.tenantId, from: q.from, to: q.to, interval: q.interval };
    const series = depthSeries(buckets(q), await this.deps.operational.queueDepth(this.deps.db, w));
    return { interval: q.interval, from: q.from, to: q.to, total: series.total, points: series.points };
  }

  private async series(q: MetricsQuery): Promise<MetricSeries[]> {
    const { analytics } = this.deps;
    const base = { tenantId: q.tenantId, from: q.from, to: q.to, interval: q.interval, limit: q.limit };
    const events = async (metric: EventMetric, groupBy: MetricGroupBy | undefined, filters = q.filters) =>
      (await analytics.series({ ...base, metric, filters, ...(groupBy ? { groupBy } : {}) })).series;
    const { metric } = q;
    if (isEventMetric(metric)) return events(metric, q.groupBy as MetricGroupBy | undefined);
    if (!isRankingMetric(metric)) return this.operational(q, metric);
    switch (metric) {
      case 'topAssets':
        return events('views', 'asset');
      case 'topQueries':
        return events('searches', 'query');
      case 'zeroResultQueries':
        return events('zeroResultSearches', 'query');
      case 'trendingAssets':
        return this.trending(q, events);
    }
  }

  /** Trending assets by score, each with its views over the range (total: the score). */
  private async trending(
    q: MetricsQuery,
    events: (m: EventMetric, g: MetricGroupBy, f: MetricFilters) => Promise<MetricSeries[]>,
  ): Promise<MetricSeries[]> {
    const trending = await this.deps.analytics.trending({
      tenantId: q.tenantId,
      at: q.to,
      recentHours: TRENDING_RECENT_HOURS,
      baselineDays: TRENDING_BASELINE_DAYS,
      limit: q.limit,
    });
    if (trending.length === 0) return [];
    const views = await events('views', 'asset', { assetId: trending.map((a) => a.assetId) });
    const byAsset = new Map(views.map((s) => [s.group, s.points]));
    const empty = buckets(q).map((t) => ({ t, value: 0 }));
    return trending.map((a) => ({
      group: a.assetId,
      total: a.score,
      points: byAsset.get(a.assetId) ?? empty,
    }));
  }

  private async operational(q: MetricsQuery, metric: OperationalMetric): Promise<MetricSeries[]> {
    const { db, operational } = this.deps;
    const w = { tenantId: q.tenantId, from: q.from, to: q.to, interval: q.interval };
    const times = buckets(q);
    switch (metric) {
      case 'jobs': {
        const groupBy = q.groupBy === 'status' || q.groupBy === 'workflow' ? q.groupBy : null;
        const rows = await operational.jobs(db, w, groupBy);
        return ranked(
          dense(
            times,
            rows.map((r) => ({ group: r.group, t: r.t, value: r.n })),
            (values) => values.reduce((a, b) => a + b, 0),
          ),
          q.limit,
        );
      }
      case 'jobSuccessRate': {
        const rows = await operational.endedJobs(db, w, q.groupBy === 'workflow' ? 'workflow' : null);
        const groups = new Map<string | null, Map<number, { completed: number; ended: number }>>();
        for (const r of rows) {
          const g = groups.get(r.group) ?? new Map<number, { completed: number; ended: number }>();
          g.set(r.t.getTime(), r);
          groups.set(r.group, g);
        }
        if (groups.size === 0 && !q.groupBy) groups.set(null, new Map());
        const rate = (c: number, e: number) => (e === 0 ? 0 : c / e);
        return ranked(
          [...groups].map(([group, byTime]) => {
            const all = [...byTime.values()];
            return {
              group,
              total: rate(
                all.reduce((n, r) => n + r.completed, 0),
                all.reduce((n, r) => n + r.ended, 0),
              ),
              points: times.map((t) => {
                const r = byTime.get(t.getTime());
                return { t, value: r ? rate(r.completed, r.ended) : 0 };
              }),
            };
          }),
          q.limit,
        );
      }
      case 'jobLatency':
        return percentileSeries(times, await operational.jobLatency(db, w));
      case 'ingestLag':
        return percentileSeries(times, await operational.ingestLag(db, w));
      case 'projectionLag':
        return percentileSeries(times, histogramPercentiles(await operational.projectionLag(db, w)));
    }
  }
}

/** Every bucket start of the query's range, in order. */
function buckets(q: Pick<MetricsQuery, 'from' | 'to' | 'interval'>): Date[] {
  const first = bucketStart(q.from, q.interval).getTime();
  return Array.from(
    { length: bucketCount(q.from, q.to, q.interval) },
    (_, i) => new Date(first + i * INTERVAL_MS[q.interval]),
  );
}

/** Sparse rows as one series per group over every bucket (zeros where none), totals by `total`. */
function dense(
  times: Date[],
  rows: { group: string | null; t: Date; value: number }[],
  total: (values: number[]) => number,
): MetricSeries[] {
  const groups = new Map<string | null, Map<number, number>>();
  for (const r of rows) {
    const g = groups.get(r.group) ?? new Map<number, number>();
    g.set(r.t.getTime(), (g.get(r.t.getTime()) ?? 0) + r.value);
    groups.set(r.group, g);
  }
  if (groups.size === 0) groups.set(null, new Map());
  return [...groups].map(([group, byTime]) => ({
    group,
    total: total([...byTime.values()]),
    points: times.map((t) => ({ t, value: byTime.get(t.getTime()) ?? 0 })),
  }));
}

/** Largest total first, at most `limit` series. */
const ranked = (series: MetricSeries[], limit: number) =>
  series.sort((a, b) => b.total - a.total || String(a.group).localeCompare(String(b.group))).slice(0, limit);

/** Three series, p50, p95 and p99 (seconds); a bucket without samples is 0. */
function percentileSeries(times: Date[], rows: PercentileRow[]): MetricSeries[] {
  const overall = rows.find((r) => r.t === null);
  const byTime = new Map(rows.filter((r) => r.t !== null).map((r) => [r.t!.getTime(), r]));
  return (['p50', 'p95', 'p99'] as const).map((p) => ({
    group: p,
    total: overall && overall.n > 0 ? overall[p] : 0,
    points: times.map((t) => ({ t, value: byTime.get(t.getTime())?.[p] ?? 0 })),
  }));
}

/**
 * The queue's depth at the close of each bucket: the runs open at `from`, plus those opened, less
 * those ended, up to the bucket's end. `total` is the depth at the end of the range, as a gauge reads.
 */
export function depthSeries(
  times: Date[],
  q: { openAtFrom: number; changes: { t: Date; opened: number; ended: number }[] },
): MetricSeries {
  const byTime = new Map(q.changes.map((c) => [c.t.getTime(), c.opened - c.ended]));
  let depth = q.openAtFrom;
  const points = times.map((t) => {
    depth += byTime.get(t.getTime()) ?? 0;
    return { t, value: depth };
  });
  return { group: null, total: depth, points };
}

/**
 * Percentiles from a histogram: for each, the upper bound (seconds) of the bucket that holds it,
 * as Prometheus's histogram_quantile would without interpolation. Over the last finite bound
 * (an hour) it reads as that bound.
 */
export function histogramPercentiles(rows: { t: Date; leMs: number; n: number }[]): PercentileRow[] {
  const LAST_FINITE_MS = 3_600_000;
  const quantile = (counts: Map<number, number>, q: number) => {
    const sorted = [...counts].sort((a, b) => a[0] - b[0]);
    const n = sorted.reduce((s, [, c]) => s + c, 0);
    let seen = 0;
    for (const [le, c] of sorted) {
      seen += c;
      if (seen >= q * n) return Math.min(le, LAST_FINITE_MS) / 1000;
    }
    return 0;
  };
  const groups = new Map<number | null, Map<number, number>>();
  const add = (key: number | null, le: number, n: number) => {
    const g = groups.get(key) ?? new Map<number, number>();
    g.set(le, (g.get(le) ?? 0) + n);
    groups.set(key, g);
  };
  for (const r of rows) {
    add(r.t.getTime(), r.leMs, r.n);
    add(null, r.leMs, r.n);
  }
  return [...groups].map(([t, counts]) => ({
    t: t === null ? null : new Date(t),
    p50: quantile(counts, 0.5),
    p95: quantile(counts, 0.95),
    p99: quantile(counts, 0.99),
    n: [...counts.values()].reduce((a, b) => a + b, 0),
  }));
}
