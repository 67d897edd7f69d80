import { useApp } from '../app-context';
import { formatUtcMinute } from '../format';
import { formatValue, rowsCsv } from '../chart-data';
import { href } from '../router';
import { useLoad } from '../use-load';
import { ChartCard, CsvButton } from './chart-card';
import { RankingCard } from './ranking-card';

/** GET /v1/metrics/drift, as the page reads it. */
interface ProjectionDrift {
  checkedAt: string | null;
  repaired: boolean;
  projections: { projection: string; missing: number; stale: number; orphaned: number }[];
  stuck: number;
  unrepaired: number;
  unrepairedAssets: { assetId: string; projections: string[]; error: string }[];
}

/** GET /v1/metrics/connectors, as the page reads it. */
interface ConnectorHealth {
  healthy: number;
  unhealthy: number;
  unknown: number;
  disabled: number;
  unhealthyControllers: {
    id: string;
    name: string;
    kind: string;
    lastError: string | null;
    lastRunAt: string | null;
    lastSyncAt: string | null;
  }[];
}

const PROJECTION_NAMES: Record<string, string> = {
  search: 'Search',
  graph: 'Graph',
  coViews: 'Graph: watched together',
};
const when = formatUtcMinute;

/**
 * Projection drift as the tenant's part of the latest drift check found it: by projection and kind,
 * and the assets its repair could not put right, each linking to its page.
 */
export function DriftCards({ reloadKey }: { reloadKey: string }) {
  const { api } = useApp();
  const drift = useLoad((signal) => api.get<ProjectionDrift>('/v1/metrics/drift', { signal }), [reloadKey]);
  const d = drift.data;
  const found = (d?.projections ?? []).reduce((n, p) => n + p.missing + p.stale + p.orphaned, 0);
  const rows = (d?.projections ?? []).map((p) => [
    PROJECTION_NAMES[p.projection] ?? p.projection,
    p.missing,
    p.stale,
    p.orphaned,
  ]);
  const title = 'Projection drift';
  const note = (
    <p class="chart-note">
      {d?.checkedAt
        ? `Search and graph against the library, at the last drift check (${when(d.checkedAt)}${
            d.repaired ? ', which repaired what it could' : ', which did not repair'
          }). Not filtered.`
        : 'Search and graph against the library, at the last drift check. Not filtered.'}
    </p>
  );
  const unrepaired = d?.unrepairedAssets ?? [];
  return (
    <>
      <ChartCard
        title={title}
        id="projection-drift"
        loading={drift.loading}
        error={drift.error}
        ready={d !== undefined}
        empty={!d?.checkedAt || (found === 0 && d.stuck === 0 && d.unrepaired === 0)}
        emptyText={
          d?.checkedAt
            ? 'No drift: search and graph hold every asset of the library as it is.'
            : 'No drift check has covered this tenant yet.'
        }
        note={note}
      >
        {() => (
          <>
            <dl class="stat-tiles">
              <div>
                <dt>Drifted assets</dt>
                <dd>{formatValue(found, 'count')}</dd>
              </div>
              <div>
                <dt>Not repaired</dt>
                <dd>{formatValue(d!.unrepaired, 'count')}</dd>
              </div>
              <div>
                <dt>Stuck in enrichment</dt>
                <dd>{formatValue(d!.stuck, 'count')}</dd>
              </div>
            </dl>
            <table class="figures">
              <caption class="visually-hidden">{title} by projection</caption>
              <thead>
                <tr>
                  <th scope="col">Projection</th>
                  <th scope="col">Missing</th>
                  <th scope="col">Stale</th>
                  <th scope="col">Orphaned</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r[0]}>
                    <th scope="row">{r[0]}</th>
                    {r.slice(1).map((v, i) => (
                      <td key={i}>{formatValue(Number(v), 'count')}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
            <div class="chart-actions">
              <CsvButton
                title={title}
                csv={() =>
                  rowsCsv(
                    ['projection', 'missing', 'stale', 'orphaned'],
                    d!.projections.map((p) => [p.projection, p.missing, p.stale, p.orphaned]),
                  )
                }
              />
            </div>
          </>
        )}
      </ChartCard>
      <RankingCard
        title="Drift not repaired"
        id="drift-unrepaired"
        loaded={drift}
        numbered={false}
        empty={
          d?.repaired
            ? 'The last drift check repaired everything it found.'
            : 'Nothing left unrepaired: the last drift check was not asked to repair.'
        }
        note={
          d && d.unrepaired > unrepaired.length
            ? `The first ${unrepaired.length} of ${formatValue(d.unrepaired, 'count')}.`
            : 'Assets a projection refused to take again, with what it answered.'
        }
        header={['Asset', 'Projections', 'Error']}
        rows={unrepaired.map((u) => [u.assetId, u.projections.join(', '), u.error])}
        csvHeader={['assetId', 'projections', 'error']}
        csvRows={unrepaired.map((u) => [u.assetId, u.projections.join(' '), u.error])}
        cell={(row, c) => (c === 0 ? <a href={href.asset(String(row[0]))}>{row[0]}</a> : row[c])}
      />
    </>
  );
}

/** The tenant's controllers (ingress and egress) by health, and the failing ones with their last error. */
export function ConnectorHealthCards({ reloadKey }: { reloadKey: string }) {
  const { api } = useApp();
  const health = useLoad(
    (signal) => api.get<ConnectorHealth>('/v1/metrics/connectors', { signal }),
    [reloadKey],
  );
  const h = health.data;
  const total = h ? h.healthy + h.unhealthy + h.unknown + h.disabled : 0;
  const failing = h?.unhealthyControllers ?? [];
  const title = 'Connector health';
  return (
    <>
      <ChartCard
        title={title}
        id="connector-health"
        loading={health.loading}
        error={health.error}
        ready={h !== undefined}
        empty={total === 0}
        emptyText="No connectors: this tenant has no feeds synced on a schedule."
        note={<p class="chart-note">Each connector by its last run, now. Not filtered.</p>}
      >
        {() => (
          <>
            <dl class="stat-tiles">
              <div>
                <dt>Healthy</dt>
                <dd>{formatValue(h!.healthy, 'count')}</dd>
              </div>
              <div>
                <dt>Unhealthy</dt>
                <dd>{formatValue(h!.unhealthy, 'count')}</dd>
              </div>
              <div>
                <dt>Not run yet</dt>
                <dd>{formatValue(h!.unknown, 'count')}</dd>
              </div>
              <div>
                <dt>Disabled</dt>
                <dd>{formatValue(h!.disabled, 'count')}</dd>
              </div>
            </dl>
            <div class="chart-actions">
              <CsvButton
                title={title}
                csv={() =>
                  rowsCsv(
                    ['health', 'connectors'],
                    [
                      ['healthy', h!.healthy],
                      ['unhealthy', h!.unhealthy],
                      ['unknown', h!.unknown],
                      ['disabled', h!.disabled],
                    ],
                  )
                }
              />
            </div>
          </>
        )}
      </ChartCard>
      <RankingCard
        title="Unhealthy connectors"
        id="unhealthy-connectors"
        loaded={health}
        numbered={false}
        empty={total === 0 ? 'No connectors.' : 'Every connector’s last run succeeded or is still to come.'}
        note="Longest failing first: the last run's error, and the last sync that succeeded."
        header={['Connector', 'Last error', 'Last good sync']}
        rows={failing.map((c) => [c.name, c.lastError ?? '', when(c.lastSyncAt)])}
        csvHeader={['id', 'name', 'kind', 'last_error', 'last_run_at', 'last_sync_at']}
        csvRows={failing.map((c) => [
          c.id,
          c.name,
          c.kind,
          c.lastError ?? '',
          c.lastRunAt ?? '',
          c.lastSyncAt ?? '',
        ])}
        cell={(row, c, i) => (c === 0 ? <a href={href.controller(failing[i]!.id)}>{row[0]}</a> : row[c])}
      />
    </>
  );
}
