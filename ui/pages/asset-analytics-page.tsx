import { useMemo } from 'preact/hooks';
import { useApp } from '../app-context';
import { parseView, viewParams, type AnalyticsView } from '../analytics-view';
import '../analytics.css';
import { AnalyticsControls } from '../components/analytics-controls';
import { AssetTabs } from '../components/asset-tabs';
import { AudienceCharts, MetricChart, named } from '../components/metric-charts';
import { ErrorMessage } from '../components/error-message';
import { PageHeading } from '../components/page-heading';
import { href } from '../router';
import type { Asset } from '../types';
import { useLoad } from '../use-load';
import { useMetric } from '../use-metric';

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
  const viewers = useMetric(view, now, key, 'uniqueViewers', { assetId: id });
  return (
    <div class="analytics">
      <PageHeading>{asset.data ? `${asset.data.title}: analytics` : 'Asset analytics'}</PageHeading>
      <AssetTabs id={id} current="analytics" />
      <ErrorMessage error={asset.error} />
      <AnalyticsControls key={key} view={view} now={now} filters={false} onApply={apply} />
      <p class="chart-note">Times are UTC.</p>
      <AudienceCharts
        view={view}
        now={now}
        viewKey={key}
        of={{ assetId: id }}
        afterViews={
          <MetricChart
            loaded={viewers}
            title="Unique viewers"
            id="chart-viewers"
            unit="count"
            label={named('Unique viewers')}
            note="Estimated: people who consented to tracking, each counted once per bucket."
          />
        }
      />
    </div>
  );
}
