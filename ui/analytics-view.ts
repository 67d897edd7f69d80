/**
 * What an analytics page shows, as it lives in the URL (`#/analytics?range=30d&interval=day&tag=x`),
 * so a view can be shared: a range (a preset, or days from and to), an interval, and the filters the
 * metrics API takes. Pure: the page and the unit tests use the same functions.
 */

export const RANGE_PRESETS = {
  '24h': { label: 'Last 24 hours', days: 1 },
  '7d': { label: 'Last 7 days', days: 7 },
  '30d': { label: 'Last 30 days', days: 30 },
  '90d': { label: 'Last 90 days', days: 90 },
} as const;
export type RangePreset = keyof typeof RANGE_PRESETS;
export const DEFAULT_RANGE: RangePreset = '30d';

export const INTERVALS = ['auto', 'minute', 'hour', 'day'] as const;
export type IntervalChoice = (typeof INTERVALS)[number];

/** The filters of GET /v1/metrics that a person picks; values within one are alternatives. */
export const FILTER_NAMES = ['tag', 'topic', 'speaker', 'sourceSystem', 'type'] as const;
export type FilterName = (typeof FILTER_NAMES)[number];
export const ASSET_TYPES = ['VIDEO', 'AUDIO', 'IMAGE', 'TEXT'] as const;

export interface AnalyticsView {
  /** A preset, or `custom` with `from` and `to` as calendar days (UTC, `to` included). */
  range: RangePreset | 'custom';
  from?: string;
  to?: string;
  interval: IntervalChoice;
  filters: Partial<Record<FilterName, string[]>>;
}

const DAY_MS = 86_400_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

const isPreset = (v: string | null): v is RangePreset => v !== null && Object.hasOwn(RANGE_PRESETS, v);
const validDay = (v: string | null): v is string => v !== null && DAY.test(v) && !Number.isNaN(Date.parse(v));

/** The view a URL's parameters describe; anything unknown or malformed falls back to the default. */
export function parseView(params: URLSearchParams): AnalyticsView {
  const rangeParam = params.get('range');
  const from = params.get('from');
  const to = params.get('to');
  const custom = rangeParam === 'custom' && validDay(from) && validDay(to) && from <= to;
  const intervalParam = params.get('interval');
  const interval = (INTERVALS as readonly string[]).includes(intervalParam ?? '')
    ? (intervalParam as IntervalChoice)
    : 'auto';
  const filters: AnalyticsView['filters'] = {};
  for (const name of FILTER_NAMES) {
    const values = params
      .getAll(name)
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter((v) => v !== '');
    if (values.length > 0)
      filters[name] = name === 'type' ? values.map((v) => v.toUpperCase()) : [...new Set(values)];
  }
  return {
    range: custom ? 'custom' : isPreset(rangeParam) ? rangeParam : DEFAULT_RANGE,
    ...(custom ? { from, to } : {}),
    interval,
    filters,
  };
}

/** The URL parameters of a view: only what differs from the defaults, so shared links stay short. */
export function viewParams(view: AnalyticsView): URLSearchParams {
  const params = new URLSearchParams();
  if (view.range === 'custom' && view.from && view.to) {
    params.set('range', 'custom');
    params.set('from', view.from);
    params.set('to', view.to);
  } else if (view.range !== DEFAULT_RANGE && view.range !== 'custom') params.set('range', view.range);
  if (view.interval !== 'auto') params.set('interval', view.interval);
  for (const name of FILTER_NAMES) {
    const values = view.filters[name];
    if (values && values.length > 0) params.set(name, values.join(','));
  }
  return params;
}

/**
 * The instants a view covers. A preset ends at the next full hour after `now`, so two loads a few
 * seconds apart ask the same question (and the last bucket is not cut mid-hour); a custom range
 * runs from the start of its first day to the end of its last (UTC).
 */
export function viewWindow(view: AnalyticsView, now: Date): { from: string; to: string } {
  if (view.range === 'custom' && view.from && view.to) {
    return {
      from: new Date(`${view.from}T00:00:00Z`).toISOString(),
      to: new Date(Date.parse(`${view.to}T00:00:00Z`) + DAY_MS).toISOString(),
    };
  }
  const preset = RANGE_PRESETS[view.range === 'custom' ? DEFAULT_RANGE : view.range];
  const to = Math.ceil((now.getTime() + 1) / 3_600_000) * 3_600_000;
  return { from: new Date(to - preset.days * DAY_MS).toISOString(), to: new Date(to).toISOString() };
}

/** from, to and interval of a view, as GET /v1/metrics and /v1/metrics/queue-depth take them. */
export function windowQuery(view: AnalyticsView, now: Date): Record<string, string> {
  return { ...viewWindow(view, now), ...(view.interval === 'auto' ? {} : { interval: view.interval }) };
}

/** The query of GET /v1/metrics for one metric of this view (filters only where the metric takes them). */
export function metricsQuery(
  view: AnalyticsView,
  now: Date,
  metric: string,
  extra: { groupBy?: string; limit?: number; filtered?: boolean; assetId?: string } = {},
): Record<string, string | string[]> {
  const q: Record<string, string | string[]> = { metric, ...windowQuery(view, now) };
  if (extra.groupBy) q.groupBy = extra.groupBy;
  if (extra.limit) q.limit = String(extra.limit);
  if (extra.assetId) q.assetId = extra.assetId;
  if (extra.filtered) {
    for (const name of FILTER_NAMES) {
      const values = view.filters[name];
      if (values && values.length > 0) q[name] = values;
    }
  }
  return q;
}

/** "tag: news, sport · type: VIDEO": the filters in force, for a heading or an empty state. */
export function describeFilters(filters: AnalyticsView['filters']): string {
  return FILTER_NAMES.filter((n) => filters[n]?.length)
    .map((n) => `${FILTER_LABELS[n].toLowerCase()}: ${filters[n]!.join(', ')}`)
    .join(' · ');
}

export const FILTER_LABELS: Record<FilterName, string> = {
  tag: 'Tag',
  topic: 'Topic',
  speaker: 'Speaker',
  sourceSystem: 'Source system',
  type: 'Type',
};
