import { useEffect, useRef, useState } from 'preact/hooks';
import { toApiError, type ApiClient, type ApiError } from './api';
import { followCommentStream, type StreamState } from './comment-stream';
import { withComment } from './comment-threads';
import type { Comment, CommentPage, CommentThread } from './types';

const PAGE_SIZE = 50;

export interface Comments {
  /** Undefined until the first page answers. */
  threads?: CommentThread[];
  error?: ApiError;
  /** Whether older threads remain to be read. */
  more: boolean;
  loadingMore: boolean;
  loadMore: () => void;
  /** The live stream's state, and why it stopped if it did. */
  live: StreamState;
  liveError?: ApiError;
  /** A write's answer, shown at once (its live event arrives later and changes nothing). */
  apply: (c: Comment) => void;
}

/**
 * An asset's comment threads, kept up to date by its live stream without a reload. The stream
 * opens first and the list is read once it is connected, so no change falls between the two; a
 * change that arrives while the list loads reads the list again. A reconnect that resumes
 * (Last-Event-ID) gets exactly the changes missed; one that cannot (nothing received yet) reads
 * the list again.
 */
export function useComments(api: ApiClient, assetId: string): Comments {
  const [threads, setThreads] = useState<CommentThread[] | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [live, setLive] = useState<StreamState>('connecting');
  const [liveError, setLiveError] = useState<ApiError | undefined>(undefined);
  // Read by the stream's handlers, which outlive renders.
  const complete = useRef(true);
  complete.current = cursor === null;

  useEffect(() => {
    const ctl = new AbortController();
    let loading = false;
    let stale = false;
    const path = `/v1/assets/${assetId}/comments`;
    const loadList = async (): Promise<void> => {
      if (loading) {
        stale = true;
        return;
      }
      loading = true;
      stale = false;
      try {
        const page = await api.get<CommentPage>(path, { query: { limit: PAGE_SIZE }, signal: ctl.signal });
        if (ctl.signal.aborted) return;
        setThreads(page.items);
        setCursor(page.nextCursor);
        setError(undefined);
      } catch (err) {
        if (!ctl.signal.aborted) setError(toApiError(err));
      } finally {
        loading = false;
      }
      if (stale && !ctl.signal.aborted) await loadList();
    };
    setThreads(undefined);
    setCursor(null);
    let listed = false;
    void followCommentStream(
      api,
      assetId,
      {
        onOpen: (resumed) => {
          if (resumed) return;
          listed = true;
          void loadList();
        },
        onEvent: (event) => {
          if (loading) {
            stale = true;
            return;
          }
          let comment: Comment;
          try {
            comment = JSON.parse(event.data) as Comment;
          } catch {
            return;
          }
          setThreads((t) => (t ? withComment(t, comment, complete.current) : t));
        },
        onState: (state, err) => {
          setLive(state);
          setLiveError(err);
          // The list does not wait for a stream that cannot open.
          if (state !== 'connecting' && state !== 'live' && !listed) {
            listed = true;
            void loadList();
          }
        },
      },
      ctl.signal,
    );
    return () => ctl.abort();
  }, [api, assetId]);

  const loadMore = () => {
    if (cursor === null || loadingMore) return;
    setLoadingMore(true);
    api
      .get<CommentPage>(`/v1/assets/${assetId}/comments`, { query: { limit: PAGE_SIZE, cursor } })
      .then(
        (page) => {
          setThreads((t) => {
            const known = new Set((t ?? []).map((x) => x.id));
            return [...(t ?? []), ...page.items.filter((x) => !known.has(x.id))];
          });
          setCursor(page.nextCursor);
          setError(undefined);
        },
        (err: unknown) => setError(toApiError(err)),
      )
      .finally(() => setLoadingMore(false));
  };

  return {
    ...(threads ? { threads } : {}),
    ...(error ? { error } : {}),
    more: cursor !== null,
    loadingMore,
    loadMore,
    live,
    ...(liveError ? { liveError } : {}),
    apply: (c) => setThreads((t) => (t ? withComment(t, c, complete.current) : t)),
  };
}
