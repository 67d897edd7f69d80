import { useApp } from '../app-context';
import { formatUtcMinute } from '../format';
import { ErrorMessage } from '../components/error-message';
import { PageHeading } from '../components/page-heading';
import { href } from '../router';
import { useLoad } from '../use-load';

interface Controller {
  id: string;
  name: string;
  kind: string;
  sourceSystem: string;
  enabled: boolean;
  health: string;
  lastError: string | null;
  lastRunAt: string | null;
  lastSyncAt: string | null;
  syncIntervalMinutes: number;
}

interface ControllerRun {
  id: string;
  trigger: string;
  status: string;
  startedAt: string;
  durationMs: number | null;
  error: string | null;
}

const when = formatUtcMinute;
const HEALTH: Record<string, string> = { healthy: 'Healthy', unhealthy: 'Unhealthy', unknown: 'Not run yet' };

/**
 * One ingress controller (#/controllers/<id>), as the analytics page's connector health links to
 * it: its health, last error and syncs, and its latest runs. Read-only; the API
 * (`/v1/controllers`, workflows:manage) is where controllers are configured.
 */
export function ControllerPage({ id }: { id: string }) {
  const { api } = useApp();
  const controller = useLoad((signal) => api.get<Controller>(`/v1/controllers/${id}`, { signal }), [id]);
  const runs = useLoad(
    (signal) =>
      api.get<{ items: ControllerRun[] }>(`/v1/controllers/${id}/runs`, { query: { limit: 10 }, signal }),
    [id],
  );
  const c = controller.data;
  return (
    <div class="analytics">
      <PageHeading>{c ? `Connector: ${c.name}` : 'Connector'}</PageHeading>
      <p>
        <a href={href.analytics()}>Back to analytics</a>
      </p>
      <ErrorMessage error={controller.error} />
      {c && (
        <dl class="stat-tiles">
          <div>
            <dt>Health</dt>
            <dd>{c.enabled ? (HEALTH[c.health] ?? c.health) : 'Disabled'}</dd>
          </div>
          <div>
            <dt>Kind</dt>
            <dd>{c.kind}</dd>
          </div>
          <div>
            <dt>Last good sync</dt>
            <dd>{when(c.lastSyncAt)}</dd>
          </div>
          <div>
            <dt>Last run</dt>
            <dd>{when(c.lastRunAt)}</dd>
          </div>
        </dl>
      )}
      {c?.lastError && (
        <p>
          <strong>Last error:</strong> {c.lastError}
        </p>
      )}
      <h2>Latest runs</h2>
      <ErrorMessage error={runs.error} />
      {runs.data && (
        <table class="figures stack">
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Trigger</th>
              <th scope="col">Status</th>
              <th scope="col">Error</th>
            </tr>
          </thead>
          <tbody>
            {runs.data.items.map((r) => (
              <tr key={r.id}>
                <td data-label="Started">{when(r.startedAt)}</td>
                <td data-label="Trigger">{r.trigger}</td>
                <td data-label="Status">{r.status}</td>
                <td data-label="Error">{r.error ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
