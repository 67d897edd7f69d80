import { useEffect, useRef, useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../api';
import { useApp } from '../app-context';
import type { SavedSearch } from '../admin-types';
import { href } from '../router';
import { ErrorMessage } from './error-message';

/** A name to start from: the words searched for and the filters, as the user would say them. */
export function suggestedName(params: URLSearchParams): string {
  const q = params.get('q')?.trim();
  const filters = [...params.entries()].filter(([k, v]) => k !== 'q' && v).map(([k, v]) => `${k}: ${v}`);
  const name = [q ? `“${q}”` : 'All assets', ...filters].join(', ');
  return name.length > 100 ? `${name.slice(0, 99)}…` : name;
}

/**
 * "Save search": keeps the search page's query string, filters included, under a name, on the
 * server for every device of the tenant (#/saved lists them). Mount it on the search page with
 * the route's params.
 */
export function SaveSearchButton({ params }: { params: URLSearchParams }) {
  const { api, announce } = useApp();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const query = params.toString();

  useEffect(() => {
    if (open) input.current?.select();
  }, [open]);
  // Another search: the form starts again from that search's name.
  useEffect(() => {
    setOpen(false);
    setError(null);
  }, [query]);

  const close = () => {
    setOpen(false);
    setError(null);
    toggle.current?.focus();
  };

  const save = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const res = await api.request<SavedSearch>('POST', '/v1/saved-searches', {
        body: { name: name.trim(), query },
      });
      announce(`Saved search “${res.body.name}”.`);
      close();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="save-search">
      <button
        type="button"
        ref={toggle}
        aria-expanded={open}
        aria-controls="save-search-form"
        onClick={() => {
          if (open) return close();
          setName(suggestedName(params));
          setOpen(true);
        }}
      >
        Save search
      </button>
      {open && (
        <form
          id="save-search-form"
          class="inline-form"
          aria-label="Save this search"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape') close();
          }}
        >
          <label for="save-search-name">Name</label>
          <input
            id="save-search-name"
            ref={input}
            required
            maxLength={100}
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
          <button type="submit" aria-busy={busy}>
            Save
          </button>
          <button type="button" onClick={close}>
            Cancel
          </button>
          <a href={href.saved}>Saved searches</a>
          <ErrorMessage error={error} />
        </form>
      )}
    </div>
  );
}
