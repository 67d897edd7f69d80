import { useApp } from './app-context';
import { metricsQuery, type AnalyticsView } from './analytics-view';
import type { MetricsAnswer } from './chart-data';
import { useLoad, type Loaded } from './use-load';

/**
 * One metric of a view from GET /v1/metrics, loaded again when the view changes (the previous
 * request aborted). `key` is the view as a string, so a re-render with an equal view asks nothing.
 */
export function useMetric(
  view: AnalyticsView,
  now: Date,
  key: string,
  metric: string,
  extra: Parameters<typeof metricsQuery>[3] = {},
): Loaded<MetricsAnswer> {
  const { api } = useApp();
  return useLoad(
    (signal) =>
      api.get<MetricsAnswer>('/v1/metrics', { query: metricsQuery(view, now, metric, extra), signal }),
    [key, metric, extra.groupBy, extra.limit, extra.filtered, extra.assetId],
  );
}
