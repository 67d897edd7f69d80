import { TIMESTAMP_PRECISION_MS } from '../domain/comment-workflow.js';
import type { Comment, CommentThread } from './types';

const newestFirst = (a: Comment, b: Comment) =>
  b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id);
const oldestFirst = (a: Comment, b: Comment) => -newestFirst(a, b);

/**
 * The threads on screen with one comment as it is now (a write's answer or a live event), which
 * may arrive more than once and in any order with the list: a known comment is replaced, keeping a
 * thread's replies; a new reply joins its thread, oldest first; a new thread joins the list, newest
 * first, unless it is older than the oldest on screen while older pages are still unread
 * (`complete` false), where paging will find it.
 */
export function withComment(threads: CommentThread[], c: Comment, complete: boolean): CommentThread[] {
  if (c.depth === 0) {
    const at = threads.findIndex((t) => t.id === c.id);
    if (at >= 0) return threads.map((t, i) => (i === at ? { ...c, replies: t.replies } : t));
    const oldest = threads[threads.length - 1];
    if (!complete && oldest && newestFirst(c, oldest) > 0) return threads;
    return [...threads, { ...c, replies: [] }].sort(newestFirst);
  }
  return threads.map((t) => {
    if (t.id !== c.threadId) return t;
    const known = t.replies.some((r) => r.id === c.id);
    const replies = known
      ? t.replies.map((r) => (r.id === c.id ? c : r))
      : [...t.replies, c].sort(oldestFirst);
    return { ...t, replies };
  });
}

/** A thread's replies as a tree: each comment's direct replies by its id, oldest first. */
export function repliesByParent(thread: CommentThread): Map<string, Comment[]> {
  const byParent = new Map<string, Comment[]>();
  for (const r of thread.replies) {
    const parent = r.parentId ?? thread.id;
    byParent.set(parent, [...(byParent.get(parent) ?? []), r]);
  }
  return byParent;
}

/** A player's position in seconds as a feedback timestamp: ms on the API's 100 ms grid. */
export const toTimestampMs = (seconds: number): number =>
  Math.round((seconds * 1000) / TIMESTAMP_PRECISION_MS) * TIMESTAMP_PRECISION_MS;

/**
 * What a person types as a time ("1:12", "1:02:03.4", "72") as a timestamp in ms on the grid;
 * null when it is not a time.
 */
export function parseTime(text: string): number | null {
  const m = /^\s*(?:(\d+):)?(?:(\d+):)?(\d+(?:\.\d+)?)\s*$/.exec(text);
  if (!m) return null;
  const parts = [m[1], m[2], m[3]].filter((p): p is string => p !== undefined).map(Number);
  const seconds = parts.reduce((sum, p) => sum * 60 + p, 0);
  return Number.isFinite(seconds) ? toTimestampMs(seconds) : null;
}
