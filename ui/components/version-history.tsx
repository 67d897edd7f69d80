import { useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../api';
import { useApp } from '../app-context';
import { formatDate } from '../format';
import type { AssetDiff, Page, VersionEntry } from '../types';
import { useLoad } from '../use-load';
import { DiffTable } from './diff-table';
import { ErrorMessage } from './error-message';

/** The asset's versions, newest first: what each changed, and a rollback to any earlier one. */
export function VersionHistory(props: {
  assetId: string;
  currentVersion: number;
  onRollback: (version: number) => void;
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
                  {v.changeKind.toLowerCase()}
                  {v.reason && `: ${v.reason}`}
                </td>
                <td>{v.changedBy}</td>
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
                    <button type="button" onClick={() => props.onRollback(v.version)}>
                      Roll back<span class="visually-hidden"> to version {v.version}</span>
                    </button>
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
        <DiffTable
          caption={`Changes in version ${diff.data.to} (from version ${diff.data.from})`}
          changes={diff.data.changes}
        />
      )}
    </section>
  );
}
