import { useEffect, useRef, useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../api';
import { useApp } from '../app-context';
import { formatDate } from '../format';
import type { AssetDiff, Page, VersionEntry } from '../types';
import { useLoad } from '../use-load';
import { DiffTable } from './diff-table';
import { ErrorMessage } from './error-message';
import { PendingButton } from './pending-button';

/** Reasons the API writes for every edit of a kind; the summary says more than they do. */
const GENERIC_REASONS = new Set(['tag edit', 'edit', 'link', 'unlink']);

/** A rollback's description as a versioned write: the Roll back button knows its write by it. */
export const rollbackDescription = (target: number): string => `roll back to version ${target}`;

/** The asset's versions, newest first: who made each, what it changed, and a rollback to any earlier one. */
export function VersionHistory(props: {
  assetId: string;
  currentVersion: number;
  onRollback: (version: number) => void;
  /** The asset's write being saved, by its description, or null: see `rollbackDescription`. */
  pending: string | null;
}) {
  const { api } = useApp();
  const base = `/v1/assets/${props.assetId}`;
  const versions = useLoad(
    (signal) => api.get<Page<VersionEntry>>(`${base}/versions`, { query: { limit: 20 }, signal }),
    [props.assetId, props.currentVersion],
  );
  const [shown, setShown] = useState<number | null>(null);
  const diff = useLoad(
    (signal) =>
      shown === null
        ? Promise.resolve(null)
        : api.get<AssetDiff>(`${base}/versions/${shown}/diff`, { signal }),
    [props.assetId, shown],
  );
  const [moreError, setMoreError] = useState<ApiError | null>(null);
  const [confirming, setConfirming] = useState<{ target: number; trigger: HTMLElement } | null>(null);
  const returnFocus = useRef<HTMLElement | null>(null);
  // Once the dialog is gone (a modal one keeps focus inside it), back to the button that opened it.
  useEffect(() => {
    if (confirming || !returnFocus.current) return;
    returnFocus.current.focus();
    returnFocus.current = null;
  }, [confirming]);

  const older = async (page: Page<VersionEntry>) => {
    if (!page.nextCursor) return;
    try {
      const next = await api.get<Page<VersionEntry>>(`${base}/versions`, {
        query: { limit: 20, cursor: page.nextCursor },
      });
      versions.setData({ items: [...page.items, ...next.items], nextCursor: next.nextCursor });
    } catch (err) {
      setMoreError(toApiError(err));
    }
  };

  const closeConfirm = () => {
    returnFocus.current = confirming?.trigger ?? null;
    setConfirming(null);
  };

  const page = versions.data;
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">Version history</h2>
      <ErrorMessage error={versions.error} />
      {page && (
        <table class="versions">
          <caption class="visually-hidden">Versions, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Change</th>
              <th scope="col">By</th>
              <th scope="col">When</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((v) => (
              <tr key={v.version} class={v.version === props.currentVersion ? 'current' : undefined}>
                <th scope="row">
                  {v.version}
                  {v.version === props.currentVersion && ' (current)'}
                </th>
                <td>
                  <span class="change-kind">{v.changeKind.toLowerCase()}</span>
                  {v.summary && `: ${v.summary}`}
                  {v.reason && !GENERIC_REASONS.has(v.reason) && <span class="reason"> ({v.reason})</span>}
                </td>
                <td title={v.changedBy}>{v.changedByName}</td>
                <td>{formatDate(v.createdAt)}</td>
                <td class="actions">
                  <button
                    type="button"
                    aria-pressed={shown === v.version}
                    onClick={() => setShown(shown === v.version ? null : v.version)}
                  >
                    Changes<span class="visually-hidden"> in version {v.version}</span>
                  </button>
                  {v.version !== props.currentVersion && (
                    <PendingButton
                      pending={props.pending === rollbackDescription(v.version)}
                      blocked={props.pending !== null}
                      pendingLabel={
                        <>
                          Rolling back…<span class="visually-hidden"> to version {v.version}</span>
                        </>
                      }
                      onClick={(e) =>
                        setConfirming({ target: v.version, trigger: e.currentTarget as HTMLElement })
                      }
                    >
                      Roll back<span class="visually-hidden"> to version {v.version}</span>
                    </PendingButton>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page?.nextCursor && (
        <button type="button" onClick={() => void older(page)}>
          Older versions
        </button>
      )}
      <ErrorMessage error={moreError ?? diff.error} />
      {diff.data && (
        <>
          <DiffTable
            caption={`Changes in version ${diff.data.to} (from version ${diff.data.from})`}
            changes={diff.data.changes}
          />
        </>
      )}
      {confirming && (
        <RollbackDialog
          assetId={props.assetId}
          target={confirming.target}
          currentVersion={props.currentVersion}
          later={page?.items.filter((v) => v.version > confirming.target) ?? []}
          onConfirm={() => {
            const target = confirming.target;
            closeConfirm();
            props.onRollback(target);
          }}
          onCancel={closeConfirm}
        />
      )}
    </section>
  );
}

/**
 * Asks before a rollback: how many later versions it undoes and what it changes. A modal dialog, so
 * focus stays inside it; Escape and Cancel write nothing, and Cancel has the focus first.
 */
function RollbackDialog(props: {
  assetId: string;
  target: number;
  currentVersion: number;
  /** The later versions the history has loaded (all of them unless it is paged). */
  later: VersionEntry[];
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { api } = useApp();
  const ref = useRef<HTMLDialogElement>(null);
  const { target, currentVersion } = props;
  // What the rollback changes: from the current state to the target's.
  const changes = useLoad(
    (signal) =>
      api.get<AssetDiff>(`/v1/assets/${props.assetId}/versions/${target}/diff`, {
        query: { against: currentVersion },
        signal,
      }),
    [props.assetId, target, currentVersion],
  );

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  const count = currentVersion - target;
  const edits = props.later.filter((v) => v.changeKind !== 'ENRICHMENT').length;
  const runs = props.later.length - edits;
  const kinds =
    props.later.length === count && runs > 0
      ? ` (${plural(edits, 'edit')} and ${plural(runs, 'enrichment run')})`
      : '';

  return (
    <dialog
      ref={ref}
      class="confirm-rollback"
      aria-labelledby="rollback-title"
      aria-describedby="rollback-summary"
      onCancel={(e) => {
        e.preventDefault();
        props.onCancel();
      }}
      onKeyDown={trapFocus}
    >
      <h2 id="rollback-title">Roll back to version {target}?</h2>
      <p id="rollback-summary">
        This discards the {plural(count, 'later version')}
        {kinds}, {target + 1} to {currentVersion}, by saving version {target}&apos;s state as a new version{' '}
        {currentVersion + 1}. The history keeps them.
      </p>
      <ErrorMessage error={changes.error} />
      {changes.data ? (
        <>
          <p class="rollback-changes">
            <strong>What changes:</strong> {changes.data.summary || 'nothing: the states are the same.'}
          </p>
          <DiffTable
            caption={`From version ${currentVersion} to version ${target}`}
            changes={changes.data.changes}
          />
        </>
      ) : (
        !changes.error && <p>Loading what changes…</p>
      )}
      <div class="actions">
        <button type="button" class="danger" onClick={props.onConfirm}>
          Roll back to version {target}
        </button>
        <button type="button" autoFocus onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}

/** Keeps Tab and Shift+Tab inside the dialog: past the last button, back to the first. */
function trapFocus(e: KeyboardEvent) {
  if (e.key !== 'Tab') return;
  const dialog = e.currentTarget as HTMLElement;
  const focusable = [
    ...dialog.querySelectorAll<HTMLElement>('button, [href], input, select, textarea'),
  ].filter((el) => !el.hasAttribute('disabled'));
  const first = focusable[0];
  const last = focusable.at(-1);
  if (!first || !last) return;
  if (e.shiftKey && document.activeElement === first) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && document.activeElement === last) {
    e.preventDefault();
    first.focus();
  }
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
