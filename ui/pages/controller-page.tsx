import { Fragment, type ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../api';
import { useApp } from '../app-context';
import {
  configurationRows,
  directionLabel,
  formatInterval,
  kindLabel,
  runCounts,
  type Controller,
  type ControllerRun,
} from '../controller-kinds';
import { ConfirmDialog } from '../components/confirm-dialog';
import { ControllerEnabled, ControllerHealth, pollDelay } from '../components/controller-health';
import { ControllerRuns } from '../components/controller-runs';
import { ControllerSettingsForm } from '../components/controller-settings-form';
import { ErrorMessage } from '../components/error-message';
import { Loading } from '../components/loading';
import { PageHeading } from '../components/page-heading';
import { PendingButton } from '../components/pending-button';
import { RelativeTime } from '../components/relative-time';
import { SecretReveal } from '../components/secret-reveal';
import { formatDate } from '../format';
import { href } from '../router';
import { useLoad } from '../use-load';
import { useCan } from '../use-permission';
import { NoControllersPermission } from './controllers-page';

/**
 * One controller: what it is and how it fares, its settings, "Sync now", enabling and disabling,
 * deleting (asked first), and its runs. Polled while it syncs or waits for its first run.
 */
export function ControllerPage({ id }: { id: string }) {
  const can = useCan('workflows:manage');
  const { api } = useApp();
  const loaded = useLoad((signal) => api.get<Controller>(`/v1/controllers/${id}`, { signal }), [id]);
  const c = loaded.data;

  useEffect(() => {
    if (!c && !loaded.error) return;
    const timer = setTimeout(loaded.reload, c ? pollDelay([c]) : 15_000);
    return () => clearTimeout(timer);
  }, [c, loaded.error]);

  const back = (
    <p class="back">
      <a href={href.controllers}>← Controllers</a>
    </p>
  );
  if (can === false || loaded.error?.status === 403) {
    return (
      <>
        {back}
        <PageHeading>Controller</PageHeading>
        <NoControllersPermission />
      </>
    );
  }
  if (loaded.error?.status === 404) {
    return (
      <>
        {back}
        <PageHeading>No such controller</PageHeading>
        <p>It may have been deleted.</p>
      </>
    );
  }
  if (!c) {
    return (
      <>
        {back}
        <PageHeading>Controller</PageHeading>
        <ErrorMessage error={loaded.error} />
        {!loaded.error && <Loading />}
      </>
    );
  }
  return (
    <>
      {back}
      <PageHeading>{c.name}</PageHeading>
      {/* A failed poll says so; the last state stays, marked as possibly out of date. */}
      {loaded.error && (
        <p role="alert" class="error">
          Could not refresh: {loaded.error.problem.detail ?? loaded.error.problem.title}. What shows may be
          out of date.
        </p>
      )}
      <ControllerSummary c={c} />
      <ControllerActions c={c} onChanged={loaded.setData} onSynced={loaded.reload} />
      <ControllerSettingsForm controller={c} onSaved={loaded.setData} />
      <ControllerRuns
        id={c.id}
        signature={`${c.lastRunAt}|${c.lastSyncAt}|${c.health}|${c.syncing}`}
        counts={runCounts(c)}
      />
    </>
  );
}

function ControllerSummary({ c }: { c: Controller }) {
  const rows: [string, ComponentChildren][] = [
    ['Kind', kindLabel(c.kind)],
    ['Direction', directionLabel(c.direction)],
    ['State', <ControllerEnabled c={c} />],
    ['Health', <ControllerHealth c={c} />],
    ['Last sync', c.lastSyncAt ? <RelativeTime iso={c.lastSyncAt} /> : 'never'],
    ['Last run started', c.lastRunAt ? <RelativeTime iso={c.lastRunAt} /> : 'never'],
    ['Interval', formatInterval(c.syncIntervalMinutes)],
    ['Logging level', c.loggingLevel],
    ...configurationRows(c).map(([term, value]): [string, ComponentChildren] => [
      term,
      <span class="url">{value}</span>,
    ]),
    ['Source system', c.sourceSystem],
    ['Added', `${formatDate(c.createdAt)} by ${c.createdBy}`],
  ];
  return (
    <dl class="metadata controller-summary">
      {rows.map(([term, value]) => (
        <Fragment key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </Fragment>
      ))}
    </dl>
  );
}

type Busy = 'sync' | 'toggle' | 'delete' | 'rotate' | null;

/**
 * "Sync now", Enable/Disable, a partner push's "New signing secret" (shown once, until stored) and
 * Delete: one write at a time, each button saying its wait.
 */
function ControllerActions(props: {
  c: Controller;
  onChanged: (c: Controller) => void;
  onSynced: () => void;
}) {
  const { api, announce } = useApp();
  const { c } = props;
  const [busy, setBusy] = useState<Busy>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [deleteError, setDeleteError] = useState<ApiError | null>(null);
  const [secret, setSecret] = useState<string | null>(null);

  const run = async (what: Exclude<Busy, null>, write: () => Promise<void>, onError = setError) => {
    if (busy) return;
    setBusy(what);
    setError(null);
    try {
      await write();
    } catch (err) {
      onError(toApiError(err));
    } finally {
      setBusy(null);
    }
  };

  const syncNow = () =>
    run('sync', async () => {
      const res = await api.request<ControllerRun>('POST', `/v1/controllers/${c.id}/sync`);
      const r = res.body;
      const counts = runCounts(c)
        .map((k) => `${r.counts[k] ?? 0} ${k}`)
        .join(', ');
      announce(
        r.status === 'SUCCEEDED'
          ? `Synced “${c.name}”: ${counts}.`
          : `The sync of “${c.name}” failed: ${(r.error ?? r.status.toLowerCase()).replace(/\.$/, '')}.`,
      );
      props.onSynced();
    });

  const toggle = () =>
    run('toggle', async () => {
      const res = await api.request<Controller>('PATCH', `/v1/controllers/${c.id}`, {
        body: { enabled: !c.enabled },
      });
      announce(`“${c.name}” ${res.body.enabled ? 'enabled: it syncs on schedule' : 'disabled'}.`);
      props.onChanged(res.body);
    });

  const rotate = () =>
    run('rotate', async () => {
      const res = await api.request<Controller & { secret: string; previousSecretExpiresAt: string | null }>(
        'POST',
        `/v1/controllers/${c.id}/rotate-secret`,
      );
      const { secret: fresh, previousSecretExpiresAt: until, ...controller } = res.body;
      setSecret(fresh);
      announce(
        until
          ? `“${c.name}” has a new signing secret: the old one signs beside it until ${new Date(until).toLocaleString()}.`
          : `“${c.name}” has a new signing secret: the old one no longer signs.`,
      );
      props.onChanged(controller);
    });

  const remove = () =>
    run(
      'delete',
      async () => {
        await api.request('DELETE', `/v1/controllers/${c.id}`);
        announce(`Controller “${c.name}” deleted; the assets it brought in stay.`);
        setConfirming(false);
        location.hash = href.controllers;
      },
      setDeleteError,
    );

  return (
    <div class="controller-actions">
      <div class="toolbar">
        <PendingButton
          pending={busy === 'sync'}
          blocked={busy !== null}
          pendingLabel="Syncing…"
          onClick={() => void syncNow()}
        >
          Sync now
        </PendingButton>
        <PendingButton
          pending={busy === 'toggle'}
          blocked={busy !== null}
          pendingLabel={c.enabled ? 'Disabling…' : 'Enabling…'}
          onClick={() => void toggle()}
        >
          {c.enabled ? 'Disable' : 'Enable'}
        </PendingButton>
        {c.kind === 'partner-push' && (
          <PendingButton
            pending={busy === 'rotate'}
            blocked={busy !== null || secret !== null}
            pendingLabel="Making a new secret…"
            onClick={() => void rotate()}
          >
            New signing secret
          </PendingButton>
        )}
        <PendingButton
          pending={false}
          blocked={busy !== null}
          pendingLabel="Delete"
          onClick={() => {
            setDeleteError(null);
            setConfirming(true);
          }}
        >
          Delete
        </PendingButton>
      </div>
      <ErrorMessage error={error} />
      {secret && (
        <SecretReveal
          label={`The new signing secret of “${c.name}”`}
          secret={secret}
          warning="Give it to the partner now: batches are signed with it alone from the next sync, and it is shown this once."
          onDone={() => setSecret(null)}
        />
      )}
      <ConfirmDialog
        open={confirming}
        title="Delete this controller?"
        confirmLabel="Delete controller"
        busy={busy === 'delete'}
        error={deleteError}
        onConfirm={() => void remove()}
        onCancel={() => setConfirming(false)}
      >
        <p>
          “{c.name}” is synced no more and its run history is deleted with it. The assets it brought in stay.
        </p>
      </ConfirmDialog>
    </div>
  );
}
