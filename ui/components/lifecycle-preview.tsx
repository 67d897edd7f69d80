import { useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../api';
import { useApp } from '../app-context';
import type { LifecyclePreview as Preview, LifecyclePreviewItem } from '../admin-types';
import { formatDate } from '../format';
import { href } from '../router';
import { ErrorMessage } from './error-message';
import { PendingButton } from './pending-button';

const PAGE_SIZE = 50;
const SKIPPED = { 'legal-hold': 'skipped: legal hold', enriching: 'skipped: still being enriched' };

/**
 * The dry run: what the active rules would archive and delete now, asset by asset, with the rule,
 * the age and the threshold, a page at a time ("Show more" follows the API's cursor).
 */
export function LifecyclePreview() {
  const { api, announce } = useApp();
  const [preview, setPreview] = useState<Preview | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const load = async (more: boolean) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const cursor = more ? (preview?.nextCursor ?? undefined) : undefined;
      const page = await api.get<Preview>('/v1/lifecycle-rules/preview', {
        query: { limit: PAGE_SIZE, cursor },
      });
      const items = more && preview ? [...preview.items, ...page.items] : page.items;
      setPreview({ ...page, items });
      announce(
        `Preview: ${items.length} ${items.length === 1 ? 'asset' : 'assets'}${page.nextCursor ? ' so far' : ''}.`,
      );
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="preview-title">
      <h2 id="preview-title">Preview</h2>
      <p class="hint">What a run would do now, changing nothing.</p>
      <PendingButton pending={busy && !preview} pendingLabel="Previewing…" onClick={() => void load(false)}>
        {preview ? 'Preview again' : 'Preview'}
      </PendingButton>
      <ErrorMessage error={error} />
      {preview && preview.items.length === 0 && !preview.nextCursor && (
        <p>Nothing to archive or delete now.</p>
      )}
      {preview && preview.items.length > 0 && (
        <table class="stack lifecycle-preview" aria-busy={busy}>
          <caption>As of {formatDate(preview.at)}</caption>
          <thead>
            <tr>
              <th scope="col">Asset</th>
              <th scope="col">Action</th>
              <th scope="col">Rule</th>
              <th scope="col">Age (days)</th>
              <th scope="col">Threshold (days)</th>
            </tr>
          </thead>
          <tbody>
            {preview.items.map((i) => (
              <PreviewRow key={i.assetId} item={i} />
            ))}
          </tbody>
        </table>
      )}
      {preview?.nextCursor && (
        <PendingButton pending={busy} pendingLabel="Loading…" onClick={() => void load(true)}>
          Show more
        </PendingButton>
      )}
    </section>
  );
}

function PreviewRow({ item }: { item: LifecyclePreviewItem }) {
  return (
    <tr class={item.skipped ? 'skipped' : undefined}>
      <th scope="row" data-label="Asset">
        <a href={href.asset(item.assetId)}>{item.title}</a>
      </th>
      <td data-label="Action">
        {item.action === 'DELETE' ? 'Delete' : 'Archive'}
        {item.skipped && ` (${SKIPPED[item.skipped]})`}
      </td>
      <td data-label="Rule">{item.rule.name}</td>
      <td data-label="Age (days)">{item.ageDays}</td>
      <td data-label="Threshold (days)">{item.thresholdDays}</td>
    </tr>
  );
}
