import { useMemo } from 'preact/hooks';
import { useApp } from '../app-context';
import { parseView, viewParams, type AnalyticsView } from '../analytics-view';
import '../analytics.css';
import { AnalyticsControls } from '../components/analytics-controls';
import { AssetTabs } from '../components/asset-tabs';
import { ErrorMessage } from '../components/error-message';
import { PageHeading } from '../components/page-heading';
import { href } from '../router';
import type { Asset } from '../types';
import { useLoad } from '../use-load';
import { useMetric } from '../use-metric';
import { MetricChart } from './analytics-page';

const one = (name: string) => (group: string | null) => group ?? name;

/**
 * One asset's analytics (#/assets/<id>/analytics): its views, viewers, watch time, completion and
 * playback errors over a range, with the range and interval in the URL like the tenant's page.
 */
export function AssetAnalyticsPage({ id, params }: { id: string; params: URLSearchParams }) {
  const { api } = useApp();
  const key = params.toString();
  // The asset is the filter: the tenant-wide filters do not apply here.
  const view = useMemo(() => ({ ...parseView(params), filters: {} }), [key]);
  const now = useMemo(() => new Date(), [key]);
  const asset = useLoad((signal) => api.get<Asset>(`/v1/assets/${id}`, { signal }), [id]);
  const apply = (next: AnalyticsView) => {
    location.hash = href.assetAnalytics(id, viewParams(next));
  };
  const f = { assetId: id };
  const views = useMetric(view, now, key, 'views', f);
  const viewers = useMetric(view, now, key, 'uniqueViewers', f);
  const watch = useMetric(view, now, key, 'watchTime', f);
  const completion = useMetric(view, now, key, 'completionRate', f);
  const errors = useMetric(view, now, key, 'errors', f);
  return (
    <div class="analytics">
      <PageHeading>{asset.data ? `${asset.data.title}: analytics` : 'Asset analytics'}</PageHeading>
      <AssetTabs id={id} current="analytics" />
      <ErrorMessage error={asset.error} />
      <AnalyticsControls key={key} view={view} now={now} filters={false} onApply={apply} />
      <p class="chart-note">Times are UTC.</p>
      <div class="chart-grid">
        <MetricChart loaded={views} title="Views" id="chart-views" unit="count" label={one('Views')} />
        <MetricChart
          loaded={viewers}
          title="Unique viewers"
          id="chart-viewers"
          unit="count"
          label={one('Unique viewers')}
          note="Estimated: people who consented to tracking, each counted once per bucket."
        />
        <MetricChart
          loaded={watch}
          title="Watch time"
          id="chart-watch-time"
          unit="seconds"
          label={one('Watch time (s)')}
        />
        <MetricChart
          loaded={completion}
          title="Completion rate"
          id="chart-completion"
          unit="ratio"
          label={one('Completion rate')}
          note="Plays watched to the end, of all plays."
        />
        <MetricChart
          loaded={errors}
          title="Playback errors"
          id="chart-errors"
          unit="count"
          label={one('Errors')}
          empty="No playback errors in this range."
        />
      </div>
    </div>
  );
}
