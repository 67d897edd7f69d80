/**
 * The words of comments and time-coded feedback that the API and the web UI share: the types, the
 * statuses and the review workflow's moves, and the timestamps' grid. Pure and importing nothing, so
 * the UI offers exactly the moves the API allows (eslint.layers.js, BROWSER_SAFE).
 */
export const COMMENT_TYPES = ['note', 'issue', 'question', 'approval'] as const;
export type CommentType = (typeof COMMENT_TYPES)[number];

export const COMMENT_STATUSES = ['open', 'in_progress', 'resolved', 'wont_fix'] as const;
export type CommentStatus = (typeof COMMENT_STATUSES)[number];

/** Reply levels below a top-level comment: a reply to a comment at this depth is refused. */
export const MAX_REPLY_DEPTH = 5;

/** Feedback timestamps are kept to this precision (ms). */
export const TIMESTAMP_PRECISION_MS = 100;

/** The review workflow: open → in_progress → resolved | wont_fix, and back to open from any of them. */
export const TRANSITIONS: Record<CommentStatus, readonly CommentStatus[]> = {
  open: ['in_progress', 'resolved', 'wont_fix'],
  in_progress: ['open', 'resolved', 'wont_fix'],
  resolved: ['open'],
  wont_fix: ['open'],
};

export const allowedTransitions = (from: CommentStatus): readonly CommentStatus[] => TRANSITIONS[from];
