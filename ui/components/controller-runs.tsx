import { useEffect, useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../api';
import { useApp } from '../app-context';
import { formatDuration, type ControllerRun } from '../controller-kinds';
import type { Page } from '../types';
import { useLoad } from '../use-load';
import { ErrorMessage } from './error-message';
import { Loading } from './loading';
import { PendingButton } from './pending-button';
import { RelativeTime } from './relative-time';

const PAGE = 20;
const COUNTS = ['new', 'updated', 'unchanged', 'failed', 'archived', 'deleted'] as const;

/**
 * A controller's runs, newest first: when, how long, the outcome, the counts and the error. Loaded
 * again whenever `signature` (the controller's last run and health) changes; older runs on demand.
 */
export function ControllerRuns({ id, signature }: { id: string; signature: string }) {
  const { api } = useApp();
  const first = useLoad(
    (signal) =>
      api.get<Page<ControllerRun>>(`/v1/controllers/${id}/runs`, { query: { limit: PAGE }, signal }),
    [id, signature],
  );
  const [older, setOlder] = useState<Page<ControllerRun> | null>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [olderError, setOlderError] = useState<ApiError | null>(null);
  // A new first page starts the list afresh: older pages fetched before would repeat or skip runs.
  useEffect(() => setOlder(null), [first.data]);

  const cursor = older ? older.nextCursor : first.data?.nextCursor;
  const more = async () => {
    if (!cursor) return;
    setLoadingOlder(true);
    setOlderError(null);
    try {
      const page = await api.get<Page<ControllerRun>>(`/v1/controllers/${id}/runs`, {
        query: { limit: PAGE, cursor },
      });
      setOlder((o) => ({ items: [...(o?.items ?? []), ...page.items], nextCursor: page.nextCursor }));
    } catch (err) {
      setOlderError(toApiError(err));
    } finally {
      setLoadingOlder(false);
    }
  };

  const runs = [...(first.data?.items ?? []), ...(older?.items ?? [])];
  return (
    <section aria-labelledby="runs-title">
      <h2 id="runs-title">Run history</h2>
      <ErrorMessage error={first.error} />
      {!first.data && !first.error && <Loading what="Loading runs…" />}
      {first.data && runs.length === 0 && <p>No runs yet: it syncs at the schedule’s next tick, or now.</p>}
      {runs.length > 0 && (
        <table class="stack runs" aria-labelledby="runs-title" aria-busy={first.loading}>
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Duration</th>
              <th scope="col">Outcome</th>
              {COUNTS.map((c) => (
                <th key={c} scope="col">
                  {c[0]!.toUpperCase() + c.slice(1)}
                </th>
              ))}
              <th scope="col">Error</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <RunRow key={r.id} run={r} />
            ))}
          </tbody>
        </table>
      )}
      {cursor && (
        <PendingButton pending={loadingOlder} pendingLabel="Loading older runs…" onClick={() => void more()}>
          Older runs
        </PendingButton>
      )}
      <ErrorMessage error={olderError} />
    </section>
  );
}

const OUTCOMES: Record<ControllerRun['status'], [string, string]> = {
  RUNNING: ['running', 'status-pending'],
  SUCCEEDED: ['succeeded', 'status-completed'],
  FAILED: ['failed', 'status-failed'],
  INTERRUPTED: ['interrupted', 'status-failed'],
};

function RunRow({ run: r }: { run: ControllerRun }) {
  const [word, cls] = OUTCOMES[r.status];
  return (
    <tr>
      <th scope="row">
        <RelativeTime iso={r.startedAt} />{' '}
        <span class="kind">{r.trigger === 'manual' ? 'by hand' : 'scheduled'}</span>
      </th>
      <td data-label="Duration">{r.durationMs === null ? '—' : formatDuration(r.durationMs)}</td>
      <td data-label="Outcome">
        <span class={`status ${cls}`}>{word}</span>
        {r.notModified && <span class="kind"> (feed unchanged)</span>}
      </td>
      {COUNTS.map((c) => (
        <td key={c} data-label={c[0]!.toUpperCase() + c.slice(1)}>
          {r.counts[c].toLocaleString()}
        </td>
      ))}
      <td data-label="Error" class="run-error">
        {r.error ??
          (r.failures.length > 0 ? r.failures.map((f) => `${f.sourceId}: ${f.error}`).join('; ') : '—')}
      </td>
    </tr>
  );
}
