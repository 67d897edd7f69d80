import { useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../api';
import { useApp } from '../app-context';
import type { LifecycleRule } from '../admin-types';
import { ConfirmDialog } from '../components/confirm-dialog';
import { ErrorMessage } from '../components/error-message';
import { LifecyclePreview } from '../components/lifecycle-preview';
import { LifecycleRuleForm } from '../components/lifecycle-rule-form';
import { PageHeading } from '../components/page-heading';
import { PendingButton } from '../components/pending-button';
import { typeLabel } from '../format';
import { href } from '../router';
import type { Job } from '../types';
import { useLoad } from '../use-load';
import { RowAction } from '../components/row-action';

const after = (d: number | null) => (d === null ? 'never' : `${d} days`);
const appliesTo = (r: LifecycleRule) =>
  [r.type ? typeLabel(r.type) : 'Any type', r.sourceSystem ? `from ${r.sourceSystem}` : 'any source'].join(
    ', ',
  );

/**
 * The tenant's lifecycle rules (docs/lifecycle.md): list, add, edit and delete them, preview what
 * they would do, and run them now as a background job, linked on the Jobs page.
 */
export function LifecycleRulesPage() {
  const { api, announce } = useApp();
  const rules = useLoad(
    (signal) => api.get<{ items: LifecycleRule[] }>('/v1/lifecycle-rules', { signal }),
    [],
  );
  const [editing, setEditing] = useState<LifecycleRule | null>(null);
  const [deleting, setDeleting] = useState<LifecycleRule | null>(null);
  const [deleteError, setDeleteError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [run, setRun] = useState<{ pending: boolean; job?: Job; error?: ApiError }>({ pending: false });

  if (rules.error?.status === 403) {
    return (
      <>
        <PageHeading>Lifecycle rules</PageHeading>
        <p role="alert" class="error">
          This API key may not manage lifecycle rules: that needs the workflows:manage permission (ADMIN).
        </p>
      </>
    );
  }

  const remove = async () => {
    if (!deleting || busy) return;
    setBusy(true);
    try {
      await api.request('DELETE', `/v1/lifecycle-rules/${deleting.id}`);
      announce(`Lifecycle rule “${deleting.name}” deleted.`);
      if (rules.data) rules.setData({ items: rules.data.items.filter((r) => r.id !== deleting.id) });
      setDeleting(null);
    } catch (err) {
      setDeleteError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const runNow = async () => {
    setRun({ pending: true });
    try {
      const res = await api.request<Job>('POST', '/v1/lifecycle-rules/run');
      setRun({ pending: false, job: res.body });
      announce('Lifecycle run started.');
    } catch (err) {
      setRun({ pending: false, error: toApiError(err) });
    }
  };

  const items = rules.data?.items ?? [];
  return (
    <>
      <PageHeading>Lifecycle rules</PageHeading>
      <p class="hint">
        For each asset not under legal hold, the highest-priority active rule matching its type and source
        decides: past its delete age the asset is deleted, else past its archive age it is archived. Ages
        count from the asset’s creation date. Runs go daily, or now.
      </p>
      <ErrorMessage error={rules.error} />
      {editing ? (
        <>
          <LifecycleRuleForm
            key={editing.id}
            rule={editing}
            onSaved={(saved) => {
              setEditing(null);
              if (rules.data)
                rules.setData({ items: rules.data.items.map((r) => (r.id === saved.id ? saved : r)) });
              rules.reload();
            }}
          />
          <button type="button" onClick={() => setEditing(null)}>
            Cancel editing
          </button>
        </>
      ) : (
        <LifecycleRuleForm key="new" rule={null} onSaved={rules.reload} />
      )}

      <h2>Rules</h2>
      {rules.data && items.length === 0 && <p>No lifecycle rules yet.</p>}
      {items.length > 0 && (
        <table class="stack lifecycle-rules" aria-busy={rules.loading}>
          <caption class="visually-hidden">Lifecycle rules, highest priority first</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Applies to</th>
              <th scope="col">Archive after</th>
              <th scope="col">Delete after</th>
              <th scope="col">Priority</th>
              <th scope="col">Active</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((r) => (
              <tr key={r.id}>
                <th scope="row" data-label="Name">
                  {r.name}
                </th>
                <td data-label="Applies to">{appliesTo(r)}</td>
                <td data-label="Archive after">{after(r.archiveAfterDays)}</td>
                <td data-label="Delete after">{after(r.deleteAfterDays)}</td>
                <td data-label="Priority">{r.priority}</td>
                <td data-label="Active">{r.active ? 'yes' : 'no'}</td>
                <td class="toolbar">
                  <RowAction label="Edit" name={r.name} onClick={() => setEditing(r)} />
                  <RowAction
                    label="Delete"
                    name={r.name}
                    onClick={() => {
                      setDeleteError(null);
                      setDeleting(r);
                    }}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <LifecyclePreview />

      <section aria-labelledby="run-title">
        <h2 id="run-title">Run now</h2>
        <PendingButton pending={run.pending} pendingLabel="Starting…" onClick={() => void runNow()}>
          Run rules now
        </PendingButton>
        {run.job && (
          <p>
            Run started:{' '}
            <a href={href.jobsOf('lifecycle-rules')}>job {run.job.id.slice(0, 8)} on the Jobs page</a>.
          </p>
        )}
        <ErrorMessage error={run.error ?? null} />
      </section>

      <ConfirmDialog
        open={deleting !== null}
        title={`Delete “${deleting?.name ?? ''}”?`}
        confirmLabel="Delete rule"
        busy={busy}
        error={deleteError}
        onConfirm={() => void remove()}
        onCancel={() => setDeleting(null)}
      >
        <p>What it archived or deleted stays so; it decides nothing more.</p>
      </ConfirmDialog>
    </>
  );
}
