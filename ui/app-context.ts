import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { CurrentKey } from './admin-types';
import type { ApiClient } from './api';

export interface AppContext {
  api: ApiClient;
  /** Says a status message in the page's one polite live region; an empty one clears it. */
  announce: (message: string) => void;
  /** The signed-in key as GET /v1/me describes it: null until it answers, or if it failed. */
  me: { key: CurrentKey | null; error: boolean };
}

export const AppContextProvider = createContext<AppContext | null>(null);

export function useApp(): AppContext {
  const ctx = useContext(AppContextProvider);
  if (!ctx) throw new Error('useApp() outside the signed-in shell');
  return ctx;
}
