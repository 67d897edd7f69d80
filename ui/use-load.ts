import { useEffect, useState } from 'preact/hooks';
import { type ApiError, isAbort, toApiError } from './api';

export interface Loaded<T> {
  data?: T;
  error?: ApiError;
  loading: boolean;
  reload: () => void;
  /** Replaces the data with what a write answered, saving a round trip. */
  setData: (data: T) => void;
}

/**
 * Loads data when `deps` change, aborting the previous request so a slow answer never overwrites a
 * newer one. The last data stays while the next loads (`loading` says so), for the page to dim or hide.
 */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: true });
  const [nonce, setNonce] = useState(0);
  useEffect(() => {
    const ctl = new AbortController();
    // The last error goes with the request that failed: a new load starts without it.
    setState((s) => ({ data: s.data, loading: true }));
    load(ctl.signal).then(
      (data) => {
        if (!ctl.signal.aborted) setState({ data, loading: false });
      },
      (err: unknown) => {
        if (ctl.signal.aborted || isAbort(err)) return;
        setState((s) => ({ ...s, error: toApiError(err), loading: false }));
      },
    );
    return () => ctl.abort();
  }, [...deps, nonce]);
  return {
    ...state,
    reload: () => setNonce((n) => n + 1),
    setData: (data) => setState({ data, loading: false }),
  };
}
