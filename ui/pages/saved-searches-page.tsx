import { useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../api';
import { useApp } from '../app-context';
import type { SavedSearch } from '../admin-types';
import { ConfirmDialog } from '../components/confirm-dialog';
import { ErrorMessage } from '../components/error-message';
import { PageHeading } from '../components/page-heading';
import { formatDate } from '../format';
import { href } from '../router';
import { useLoad } from '../use-load';
import { RowAction } from '../components/row-action';

/** The search a saved query string stands for, in words: q and each filter. */
function describeQuery(query: string): string {
  const params = new URLSearchParams(query);
  const parts = [...params.entries()]
    .filter(([, v]) => v)
    .map(([k, v]) => (k === 'q' ? `“${v}”` : `${k}: ${v}`));
  return parts.length > 0 ? parts.join(', ') : 'all assets';
}

/**
 * The tenant's saved searches, stored by the API so they follow the user to every device: open one
 * (the search page with its query and filters), or delete it. "Save search" on the search page adds.
 */
export function SavedSearchesPage() {
  const { api, announce } = useApp();
  const saved = useLoad((signal) => api.get<{ items: SavedSearch[] }>('/v1/saved-searches', { signal }), []);
  const [deleting, setDeleting] = useState<SavedSearch | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const remove = async () => {
    if (!deleting || busy) return;
    setBusy(true);
    try {
      await api.request('DELETE', `/v1/saved-searches/${deleting.id}`);
      announce(`Saved search “${deleting.name}” deleted.`);
      if (saved.data) saved.setData({ items: saved.data.items.filter((s) => s.id !== deleting.id) });
      setDeleting(null);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const items = saved.data?.items ?? [];
  return (
    <>
      <PageHeading>Saved searches</PageHeading>
      <p class="hint">
        Shared by every key of your organisation. To add one, search, then choose “Save search”. Only the key
        that saved a search, or an administrator’s, can delete it.
      </p>
      <ErrorMessage error={saved.error} />
      {saved.data && items.length === 0 && (
        <p>
          No saved searches yet. <a href={href.search()}>Search</a>, then save it.
        </p>
      )}
      <ul class="saved-searches" aria-busy={saved.loading}>
        {items.map((s) => (
          <li key={s.id}>
            <a href={href.search(new URLSearchParams(s.query))}>{s.name}</a>
            <span class="meta">
              {' '}
              {describeQuery(s.query)} · saved {formatDate(s.createdAt)}
            </span>{' '}
            <RowAction
              label="Delete"
              name={s.name}
              onClick={() => {
                setError(null);
                setDeleting(s);
              }}
            />
          </li>
        ))}
      </ul>
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete “${deleting?.name ?? ''}”?`}
        confirmLabel="Delete saved search"
        busy={busy}
        error={error}
        onConfirm={() => void remove()}
        onCancel={() => setDeleting(null)}
      >
        <p>It is deleted for every key of your organisation.</p>
      </ConfirmDialog>
    </>
  );
}
