import type { ComponentChildren } from 'preact';
import { useMemo } from 'preact/hooks';
import type { AnalyticsView } from '../analytics-view';
import { seriesTable, type MetricsAnswer } from '../chart-data';
import type { Loaded } from '../use-load';
import { useMetric } from '../use-metric';
import { Chart } from './chart';

/** What a series' group means to a reader: the one series without groupBy is the metric itself. */
export const named = (fallback: string) => (group: string | null) => group ?? fallback;

/** A chart of one metric as time series. */
export function MetricChart({
  loaded,
  title,
  id,
  unit,
  label,
  empty,
  note,
}: {
  loaded: Loaded<MetricsAnswer>;
  title: string;
  id: string;
  unit: 'count' | 'seconds' | 'ratio';
  label: (group: string | null) => string;
  empty?: string;
  note?: string;
}) {
  const table = useMemo(() => loaded.data && seriesTable(loaded.data, label), [loaded.data]);
  return (
    <Chart
      title={title}
      id={id}
      unit={unit}
      table={table}
      loading={loaded.loading}
      error={loaded.error}
      {...(empty ? { empty } : {})}
    >
      {note && <p class="chart-note">{note}</p>}
    </Chart>
  );
}

/**
 * The audience charts of a view, the tenant's (filtered as the view says) or one asset's: views,
 * watch time, completion rate and playback errors; `afterViews` goes between the first two.
 */
export function AudienceCharts({
  view,
  now,
  viewKey,
  of,
  afterViews,
}: {
  view: AnalyticsView;
  now: Date;
  viewKey: string;
  /** The view's filters (the tenant's page) or one asset. */
  of: { filtered: true } | { assetId: string };
  afterViews?: ComponentChildren;
}) {
  const views = useMetric(view, now, viewKey, 'views', of);
  const watch = useMetric(view, now, viewKey, 'watchTime', of);
  const completion = useMetric(view, now, viewKey, 'completionRate', of);
  const errors = useMetric(view, now, viewKey, 'errors', of);
  return (
    <div class="chart-grid">
      <MetricChart loaded={views} title="Views" id="chart-views" unit="count" label={named('Views')} />
      {afterViews}
      <MetricChart
        loaded={watch}
        title="Watch time"
        id="chart-watch-time"
        unit="seconds"
        label={named('Watch time (s)')}
      />
      <MetricChart
        loaded={completion}
        title="Completion rate"
        id="chart-completion"
        unit="ratio"
        label={named('Completion rate')}
        note="Plays watched to the end, of all plays."
      />
      <MetricChart
        loaded={errors}
        title="Playback errors"
        id="chart-errors"
        unit="count"
        label={named('Errors')}
        empty="No playback errors in this range."
      />
    </div>
  );
}
