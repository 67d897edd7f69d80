import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../api';
import { useApp } from '../app-context';
import { href } from '../router';
import type { BulkTagsPreview, EntityType, Job, TagEffect } from '../types';
import { ErrorMessage } from './error-message';

/** The search filters a bulk change takes from the search page's URL, as the API names them. */
const FILTER_PARAMS = ['tag', 'topic', 'speaker', 'type', 'sourceSystem'] as const;
const ACTIONS = [
  { value: 'add', label: 'Add' },
  { value: 'remove', label: 'Remove' },
  { value: 'lock', label: 'Lock' },
  { value: 'unlock', label: 'Unlock' },
] as const;
type Action = (typeof ACTIONS)[number]['value'];
const TYPES: EntityType[] = ['TAG', 'TOPIC', 'SPEAKER', 'BRAND', 'KEYWORD'];

/** The assets of a search, as the bulk API names them: its query and its filters. */
export function bulkSelection(params: URLSearchParams): { q?: string; filters?: Record<string, string[]> } {
  const q = params.get('q')?.trim() ?? '';
  const filters: Record<string, string[]> = {};
  for (const p of FILTER_PARAMS) {
    const values = params.getAll(p);
    if (values.length > 0) filters[p] = values;
  }
  return {
    ...(q ? { q } : {}),
    ...(Object.keys(filters).length > 0 ? { filters } : {}),
  };
}

/** One line saying what a change does to an asset: "+kelp −draft 🔒reef". */
export function effectText(e: TagEffect): string {
  const name = (r: { name: string; type: string }) =>
    r.type === 'TAG' ? r.name : `${r.type.toLowerCase()} ${r.name}`;
  const parts = [
    ...e.added.map((r) => `adds ${name(r)}`),
    ...e.removed.map((r) => `removes ${name(r)}`),
    ...e.locked.map((r) => `locks ${name(r)}`),
    ...e.unlocked.map((r) => `unlocks ${name(r)}`),
  ];
  return parts.length > 0 ? parts.join(', ') : 'no change';
}

/**
 * "Tag all results…": a tag change for every asset a search matches. It previews first (how many
 * assets, and what changes on the first of them), asks to confirm the count above the API's cap,
 * then starts the job and links to it on the Jobs page. Focus starts at its heading; Escape or
 * Cancel closes it (the search page then focuses "Tag all results…" again).
 */
export function BulkTagPanel({ params, onClose }: { params: URLSearchParams; onClose: () => void }) {
  const { api, announce } = useApp();
  const [action, setAction] = useState<Action>('add');
  const [type, setType] = useState<EntityType>('TAG');
  const [name, setName] = useState('');
  const [preview, setPreview] = useState<BulkTagsPreview | null>(null);
  const [confirmed, setConfirmed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [job, setJob] = useState<Job | null>(null);
  // The button that opened the panel is gone while it is open: the focus starts at its heading, set
  // in the render's own task so a key pressed right after opening cannot land first and be undone.
  const heading = useRef<HTMLHeadingElement>(null);
  useLayoutEffect(() => heading.current?.focus(), []);

  const body = () => ({ ...bulkSelection(params), [action]: [{ name: name.trim(), type }] });
  const reset = () => {
    setPreview(null);
    setConfirmed(false);
    setJob(null);
  };

  const runPreview = async (e: Event) => {
    e.preventDefault();
    if (!name.trim()) return;
    setBusy(true);
    setError(null);
    reset();
    try {
      const res = await api.request<BulkTagsPreview>('POST', '/v1/tags/bulk/preview', { body: body() });
      setPreview(res.body);
      announce(`${res.body.matched} assets would change.`);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const start = async () => {
    if (!preview) return;
    setBusy(true);
    setError(null);
    try {
      const res = await api.request<Job>('POST', '/v1/tags/bulk', {
        body: { ...body(), ...(preview.confirmationRequired ? { confirm: preview.matched } : {}) },
      });
      setJob(res.body);
      announce(`Bulk tag job started for ${preview.matched} assets.`);
    } catch (err) {
      // 409: the matches changed since the preview; show the new count to confirm again.
      setError(toApiError(err));
      setPreview(null);
    } finally {
      setBusy(false);
    }
  };

  const canStart = preview && preview.matched > 0 && (!preview.confirmationRequired || confirmed) && !job;

  return (
    <section
      class="bulk-tag"
      aria-labelledby="bulk-tag-heading"
      // Escape closes the panel, as Cancel does.
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !e.defaultPrevented) {
          e.preventDefault();
          onClose();
        }
      }}
    >
      <h2 id="bulk-tag-heading" ref={heading} tabIndex={-1}>
        Tag all results
      </h2>
      <form class="bulk-tag-form" onSubmit={(e) => void runPreview(e)}>
        <label for="bulk-action">Change</label>
        <select
          id="bulk-action"
          value={action}
          onChange={(e) => {
            setAction(e.currentTarget.value as Action);
            reset();
          }}
        >
          {ACTIONS.map((a) => (
            <option key={a.value} value={a.value}>
              {a.label}
            </option>
          ))}
        </select>
        <label for="bulk-type">Type</label>
        <select
          id="bulk-type"
          value={type}
          onChange={(e) => {
            setType(e.currentTarget.value as EntityType);
            reset();
          }}
        >
          {TYPES.map((t) => (
            <option key={t} value={t}>
              {t.toLowerCase()}
            </option>
          ))}
        </select>
        <label for="bulk-name">Name</label>
        <input
          id="bulk-name"
          value={name}
          required
          maxLength={200}
          onInput={(e) => {
            setName(e.currentTarget.value);
            reset();
          }}
        />
        <button type="submit" disabled={busy}>
          Preview
        </button>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </form>
      <ErrorMessage error={error} />
      {preview && (
        <div class="bulk-preview" aria-live="polite">
          <p>
            <strong>{preview.matched}</strong> {preview.matched === 1 ? 'asset matches' : 'assets match'}.
            {preview.sample.length < preview.matched && ` The first ${preview.sample.length}:`}
          </p>
          {preview.sample.length > 0 && (
            <table class="bulk-sample">
              <caption class="visually-hidden">What would change on each asset</caption>
              <thead>
                <tr>
                  <th scope="col">Asset</th>
                  <th scope="col">Change</th>
                </tr>
              </thead>
              <tbody>
                {preview.sample.map((s) => (
                  <tr key={s.assetId}>
                    <th scope="row">
                      <a href={href.asset(s.assetId)}>{s.title ?? s.assetId}</a>
                    </th>
                    <td>{s.skipped ? `skipped: ${s.skipped}` : effectText(s)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {preview.confirmationRequired && (
            <p>
              <input
                id="bulk-confirm"
                type="checkbox"
                checked={confirmed}
                onChange={(e) => setConfirmed(e.currentTarget.checked)}
              />{' '}
              <label for="bulk-confirm">
                Yes, change all {preview.matched} assets (more than {preview.confirmAbove} need confirming)
              </label>
            </p>
          )}
          {!job && (
            <button type="button" disabled={!canStart || busy} onClick={() => void start()}>
              Change {preview.matched} {preview.matched === 1 ? 'asset' : 'assets'}
            </button>
          )}
        </div>
      )}
      {job && (
        <p>
          Started. <a href={href.jobs}>Follow the job and its changes on the Jobs page</a>.
        </p>
      )}
    </section>
  );
}
