import { useMemo } from 'preact/hooks';
import { useApp } from '../app-context';
import type { PipelineStatus } from '../admin-types';
import { describeFilters, parseView, viewParams, windowQuery, type AnalyticsView } from '../analytics-view';
import { categoryTable, formatValue, pointsTable, type MetricsAnswer } from '../chart-data';
import '../analytics.css';
import { AnalyticsControls } from '../components/analytics-controls';
import { Chart } from '../components/chart';
import { ChartCard } from '../components/chart-card';
import { AudienceCharts, MetricChart, named } from '../components/metric-charts';
import { ConnectorHealthCards, DriftCards } from '../components/operations-health';
import { PageHeading } from '../components/page-heading';
import { RankingCard } from '../components/ranking-card';
import { formatUtcMinute } from '../format';
import { href } from '../router';
import { useLoad, type Loaded } from '../use-load';
import { useMetric } from '../use-metric';

const STATUS_NAMES: Record<string, string> = {
  QUEUED: 'Queued',
  RUNNING: 'Running',
  RETRYING: 'Retrying',
  COMPLETED: 'Completed',
  FAILED: 'Failed',
};

/**
 * The tenant's analytics (#/analytics): audience, search and operations over a range, with the
 * filters the metrics API takes, all in the URL so a view can be shared.
 */
export function AnalyticsPage({ params }: { params: URLSearchParams }) {
  const key = params.toString();
  const view = useMemo(() => parseView(params), [key]);
  // A new "now" per view asked for: every chart of one view covers the same instants.
  const now = useMemo(() => new Date(), [key]);
  const filters = describeFilters(view.filters);
  const apply = (next: AnalyticsView) => {
    location.hash = href.analytics(viewParams(next));
  };
  return (
    <div class="analytics">
      <PageHeading>Analytics</PageHeading>
      <AnalyticsControls key={key} view={view} now={now} onApply={apply} />
      <p class="chart-note">
        Times are UTC.{' '}
        {filters
          ? `Filtered by ${filters}: the audience charts and the top assets and queries.`
          : 'The filters apply to the audience charts and the top assets and queries.'}
      </p>
      <Audience view={view} now={now} viewKey={key} />
      <Search view={view} now={now} viewKey={key} />
      <Operations view={view} now={now} viewKey={key} />
    </div>
  );
}

interface SectionProps {
  view: AnalyticsView;
  now: Date;
  viewKey: string;
}

function Audience({ view, now, viewKey }: SectionProps) {
  const top = useMetric(view, now, viewKey, 'topAssets', { filtered: true, limit: 10 });
  const trending = useMetric(view, now, viewKey, 'trendingAssets', { limit: 10 });
  return (
    <section class="analytics-section" aria-labelledby="audience-heading">
      <h2 id="audience-heading">Audience</h2>
      <AudienceCharts view={view} now={now} viewKey={viewKey} of={{ filtered: true }} />
      <div class="ranking-grid">
        <AssetRanking loaded={top} title="Top assets" id="top-assets" valueName="Views" unit="count" />
        <AssetRanking
          loaded={trending}
          title="Trending assets"
          id="trending-assets"
          valueName="Trend score"
          unit="score"
          note="Views in the last 24 hours of the range against each asset's own rate over the week before. Not filtered."
        />
      </div>
    </section>
  );
}

/** Asset titles for ids (one GET /v1/assets/{id} each, in parallel): an id shows until its title comes. */
function useAssetTitles(ids: string[]): Map<string, string> {
  const { api } = useApp();
  const loaded = useLoad(
    async (signal) =>
      new Map<string, string>(
        await Promise.all(
          ids.map(async (id) => {
            try {
              return [id, (await api.get<{ title: string }>(`/v1/assets/${id}`, { signal })).title] as const;
            } catch {
              return [id, id] as const;
            }
          }),
        ),
      ),
    [ids.join(',')],
  );
  return loaded.data ?? new Map<string, string>();
}

function AssetRanking({
  loaded,
  title,
  id,
  valueName,
  unit,
  note,
}: {
  loaded: Loaded<MetricsAnswer>;
  title: string;
  id: string;
  valueName: string;
  unit: 'count' | 'score';
  note?: string;
}) {
  const series = (loaded.data?.series ?? []).filter((s) => s.group !== null && s.total > 0);
  const titles = useAssetTitles(series.map((s) => s.group!));
  const value = (v: number) => (unit === 'score' ? v.toFixed(2) : formatValue(v, 'count'));
  return (
    <RankingCard
      title={title}
      id={id}
      loaded={loaded}
      empty="No views in this range."
      note={note}
      header={['Asset', valueName]}
      rows={series.map((s) => [titles.get(s.group!) ?? s.group!, s.total])}
      csvRows={series.map((s) => [s.group!, titles.get(s.group!) ?? '', s.total])}
      csvHeader={['assetId', 'title', valueName.toLowerCase().replace(/ /g, '_')]}
      cell={(row, c, i) =>
        c === 0 ? <a href={href.assetAnalytics(series[i]!.group!)}>{row[0]}</a> : value(Number(row[1]))
      }
    />
  );
}

interface CuratorQueries {
  kind: string;
  computedAt: string | null;
  queries: { query: string; searches: number; zeroResultSearches: number; clickedSearches: number }[];
}

const searchLink = (query: string) => href.search(new URLSearchParams({ q: query }));

function Search({ view, now, viewKey }: SectionProps) {
  const { api } = useApp();
  const searches = useMetric(view, now, viewKey, 'searches', { filtered: true });
  const zeroRate = useMetric(view, now, viewKey, 'zeroResultRate', { filtered: true });
  const ctr = useMetric(view, now, viewKey, 'clickThroughRate', { groupBy: 'rank', limit: 10 });
  const top = useMetric(view, now, viewKey, 'topQueries', { filtered: true, limit: 10 });
  const zero = useMetric(view, now, viewKey, 'zeroResultQueries', { filtered: true, limit: 10 });
  const lowClicks = useLoad(
    (signal) =>
      api.get<CuratorQueries>('/v1/metrics/queries', { query: { kind: 'low-clicks', limit: 10 }, signal }),
    [],
  );
  const ctrTable = useMemo(
    () => ctr.data && categoryTable(ctr.data, 'rank', 'Click-through rate'),
    [ctr.data],
  );
  const queryRows = (l: Loaded<MetricsAnswer>) =>
    (l.data?.series ?? []).filter((s) => s.group !== null && s.total > 0).map((s) => [s.group!, s.total]);
  const queryCell = (row: (string | number)[], c: number) =>
    c === 0 ? <a href={searchLink(String(row[0]))}>{row[0]}</a> : formatValue(Number(row[c]), 'count');
  const low = lowClicks.data?.queries ?? [];
  return (
    <section class="analytics-section" aria-labelledby="search-heading">
      <h2 id="search-heading">Search</h2>
      <div class="chart-grid">
        <MetricChart
          loaded={searches}
          title="Searches"
          id="chart-searches"
          unit="count"
          label={named('Searches')}
        />
        <MetricChart
          loaded={zeroRate}
          title="Zero-result rate"
          id="chart-zero-rate"
          unit="ratio"
          label={named('Zero-result rate')}
          note="Searches that found nothing, of all searches."
        />
        <Chart
          title="Click-through rate by rank"
          id="chart-ctr-rank"
          unit="ratio"
          kind="bars"
          table={ctrTable}
          loading={ctr.loading}
          error={ctr.error}
          empty="No clicks on search results in this range."
        >
          <p class="chart-note">Clicks at each rank of the results, of all searches. Not filtered.</p>
        </Chart>
      </div>
      <div class="ranking-grid">
        <RankingCard
          title="Top queries"
          id="top-queries"
          loaded={top}
          empty="No searches in this range."
          header={['Query', 'Searches']}
          rows={queryRows(top)}
          csvHeader={['query', 'searches']}
          csvRows={queryRows(top)}
          cell={queryCell}
        />
        <RankingCard
          title="Zero-result queries"
          id="zero-result-queries"
          loaded={zero}
          empty="Every search found something."
          header={['Query', 'Searches']}
          rows={queryRows(zero)}
          csvHeader={['query', 'searches']}
          csvRows={queryRows(zero)}
          cell={queryCell}
        />
        <RankingCard
          title="Queries with few clicks"
          id="low-click-queries"
          loaded={lowClicks}
          empty={
            lowClicks.data?.computedAt
              ? 'No query searched 5 times or more is short of clicks.'
              : 'Not computed yet: the click learning runs on a schedule.'
          }
          note={`Searched at least 5 times, results least often clicked; the last 30 days${
            lowClicks.data?.computedAt ? `, as of ${formatUtcMinute(lowClicks.data.computedAt)}` : ''
          }. Open a query to see what it finds.`}
          header={['Query', 'Searches', 'Clicked']}
          rows={low.map((q) => [q.query, q.searches, q.clickedSearches / Math.max(1, q.searches)])}
          csvHeader={['query', 'searches', 'clicked_searches']}
          csvRows={low.map((q) => [q.query, q.searches, q.clickedSearches])}
          cell={(row, c) =>
            c === 0 ? (
              <a href={searchLink(String(row[0]))}>{row[0]}</a>
            ) : c === 1 ? (
              formatValue(Number(row[1]), 'count')
            ) : (
              formatValue(Number(row[2]), 'ratio')
            )
          }
        />
      </div>
    </section>
  );
}

function Operations({ view, now, viewKey }: SectionProps) {
  const { api } = useApp();
  const jobs = useMetric(view, now, viewKey, 'jobs', { groupBy: 'status' });
  const success = useMetric(view, now, viewKey, 'jobSuccessRate');
  const latency = useMetric(view, now, viewKey, 'jobLatency');
  const ingestLag = useMetric(view, now, viewKey, 'ingestLag');
  const projectionLag = useMetric(view, now, viewKey, 'projectionLag');
  const pipeline = useLoad((signal) => api.get<PipelineStatus>('/v1/pipeline/status', { signal }), [viewKey]);
  const depth = useLoad(
    (signal) =>
      api.get<{ points: { t: string; value: number }[] }>('/v1/metrics/queue-depth', {
        query: windowQuery(view, now),
        signal,
      }),
    [viewKey],
  );
  const depthTable = useMemo(
    () => depth.data && pointsTable(depth.data.points, 'Runs waiting or running'),
    [depth.data],
  );
  const p = pipeline.data;
  const status = (g: string | null) => (g ? (STATUS_NAMES[g] ?? g) : 'Runs');
  return (
    <section class="analytics-section" aria-labelledby="operations-heading">
      <h2 id="operations-heading">Operations</h2>
      <p class="chart-note">
        This tenant's enrichment runs, projections and connectors, and how far search and graph drift from the
        library. Not filtered.
      </p>
      <ChartCard
        title="Queue now"
        id="queue-now"
        loading={pipeline.loading}
        error={pipeline.error}
        ready={p !== undefined}
        empty={false}
      >
        {() =>
          p && (
            <dl class="stat-tiles">
              <div>
                <dt>Waiting</dt>
                <dd>{formatValue(p.jobs.queued, 'count')}</dd>
              </div>
              <div>
                <dt>Running</dt>
                <dd>{formatValue(p.jobs.running, 'count')}</dd>
              </div>
              <div>
                <dt>Retrying</dt>
                <dd>{formatValue(p.jobs.retrying, 'count')}</dd>
              </div>
              <div>
                <dt>Events not yet relayed</dt>
                <dd>{formatValue(p.outboxPending, 'count')}</dd>
              </div>
            </dl>
          )
        }
      </ChartCard>
      <div class="ranking-grid">
        <ConnectorHealthCards reloadKey={viewKey} />
      </div>
      <div class="ranking-grid">
        <DriftCards reloadKey={viewKey} />
      </div>
      <div class="chart-grid">
        <Chart
          title="Enrichment in progress"
          id="chart-queue-depth"
          unit="count"
          table={depthTable}
          loading={depth.loading}
          error={depth.error}
          empty="No enrichment ran in this range."
        >
          <p class="chart-note">Enrichment runs not yet ended, at the close of each interval.</p>
        </Chart>
        <MetricChart
          loaded={jobs}
          title="Enrichment runs by status"
          id="chart-jobs"
          unit="count"
          label={status}
          empty="No enrichment runs in this range."
        />
        <MetricChart
          loaded={success}
          title="Run success rate"
          id="chart-success"
          unit="ratio"
          label={named('Success rate')}
          empty="No run ended in this range."
        />
        <MetricChart
          loaded={latency}
          title="Run latency"
          id="chart-latency"
          unit="seconds"
          label={named('Latency')}
          empty="No run ended in this range."
          note="From a run's record to its end, retries included: p50, p95 and p99."
        />
        <MetricChart
          loaded={ingestLag}
          title="Ingest lag"
          id="chart-ingest-lag"
          unit="seconds"
          label={named('Ingest lag')}
          empty="No ingested asset was enriched in this range."
          note="From ingest to the end of its enrichment: p50, p95 and p99."
        />
        <MetricChart
          loaded={projectionLag}
          title="Projection lag"
          id="chart-projection-lag"
          unit="seconds"
          label={named('Projection lag')}
          empty="Nothing was projected in this range."
          note="From a canonical change to its projection into search and graph: p50, p95 and p99."
        />
      </div>
    </section>
  );
}
