import { useRef, useState } from 'preact/hooks';
import { toApiError, type ApiError } from './api';
import type { FieldChange } from './types';

/** A write guarded by the asset version it is based on (If-Match). */
export interface VersionedWrite {
  /** What the editor asked for, in words: "Lock tag kelp". */
  description: string;
  /** Sends the write based on `version`; after a conflict `resolvedFrom` is the version it was first based on. */
  send: (version: number, resolvedFrom?: number) => Promise<void>;
}

/** A 412: someone saved a newer version first. */
export interface Conflict {
  write: VersionedWrite;
  sentVersion: number;
  firstBasedOn: number;
  currentVersion: number;
  diff: FieldChange[];
}

/**
 * Runs versioned writes one at a time. A stale version becomes a conflict to resolve (re-apply on the
 * current version, or discard); any other failure becomes an error and `onFailed` reloads the asset.
 */
export function useVersionedWrites(onFailed: () => void) {
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  // A ref, not state: a second click before the next render must see the first write running.
  const busy = useRef(false);
  // State as well, for the page to show which write is saving.
  const [pending, setPending] = useState<string | null>(null);

  const run = async (write: VersionedWrite, version: number, resolvedFrom?: number): Promise<boolean> => {
    if (busy.current) return false;
    busy.current = true;
    setPending(write.description);
    setError(null);
    try {
      await write.send(version, resolvedFrom);
      return true;
    } catch (err) {
      const e = toApiError(err);
      const { currentVersion, diff } = e.problem;
      if (e.status === 412 && currentVersion !== undefined) {
        const firstBasedOn = resolvedFrom ?? version;
        setConflict({ write, sentVersion: version, firstBasedOn, currentVersion, diff: diff ?? [] });
      } else {
        setError(e);
        onFailed();
      }
      return false;
    } finally {
      busy.current = false;
      setPending(null);
    }
  };

  return {
    conflict,
    error,
    /** The write being saved, in words, or null. */
    pending,
    /** Resolves true once the write is saved on its first try. */
    start: (write: VersionedWrite, version: number) => run(write, version),
    reapply: () => {
      if (!conflict) return;
      setConflict(null);
      void run(conflict.write, conflict.currentVersion, conflict.firstBasedOn);
    },
    discard: () => setConflict(null),
  };
}
