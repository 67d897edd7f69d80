/**
 * Comments and time-coded feedback on assets (docs/comments.md): the vocabulary, the bounds and the
 * review workflow. Pure: the service applies them, the API's schemas quote them.
 */
import {
  MAX_REPLY_DEPTH,
  TIMESTAMP_PRECISION_MS,
  TRANSITIONS,
  type CommentStatus,
} from './comment-workflow.js';
import { ConflictError, ValidationError } from './errors.js';

export {
  allowedTransitions,
  COMMENT_STATUSES,
  COMMENT_TYPES,
  TIMESTAMP_PRECISION_MS,
  type CommentStatus,
  type CommentType,
} from './comment-workflow.js';

/** Every bound of the comments API in one place (400 or 413 past them, 429 past the rate). */
export const COMMENT_LIMITS = {
  /** Characters of a comment's text. */
  maxTextLength: 5_000,
  /** Reply levels below a top-level comment: a reply to a comment at this depth is refused. */
  maxDepth: MAX_REPLY_DEPTH,
  maxMentions: 20,
  maxAttachments: 10,
  maxAttachmentUrlLength: 2_000,
  maxDisplayName: 100,
  maxAuthorId: 200,
  /** Distinct emoji on one comment. */
  maxEmojiPerComment: 50,
  maxEmojiLength: 32,
  /** Comments (replies included) on one asset: 413 past it. */
  maxCommentsPerAsset: 10_000,
  /** Edits kept per comment: 409 past it. */
  maxEdits: 100,
  /** Writes (create, reply, edit, delete, react, transition) per author per minute: 429 past it. */
  writesPerAuthorPerMinute: 60,
  /** Page size of the listing. */
  maxPageSize: 100,
  /** Events replayed to a stream that resumes (Last-Event-ID) in one go. */
  maxReplay: 1_000,
} as const;

/** Longest media a timestamp may point into: 48 hours. */
export const MAX_TIMESTAMP_MS = 48 * 3600 * 1000;

/**
 * A timestamp on the 100 ms grid. A timestamp off the grid is refused rather than rounded: a
 * client that sends 1234 ms believes it pointed at 1234 ms, and rounding would move its marker
 * without telling it (docs/comments.md, "Timestamps").
 */
export function checkTimestamp(ms: number): number {
  if (!Number.isInteger(ms) || ms < 0 || ms > MAX_TIMESTAMP_MS)
    throw new ValidationError(`timestamp is whole milliseconds from 0 to ${MAX_TIMESTAMP_MS}`, {
      field: 'timestamp',
    });
  if (ms % TIMESTAMP_PRECISION_MS !== 0)
    throw new ValidationError(
      `timestamp has ${TIMESTAMP_PRECISION_MS} ms precision: ${ms} is not a multiple of ${TIMESTAMP_PRECISION_MS}`,
      { field: 'timestamp' },
    );
  return ms;
}

export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A region of the frame, normalised to 0..1, that stays inside the frame. */
export function checkRegion(r: Region): Region {
  const inUnit = (v: number) => Number.isFinite(v) && v >= 0 && v <= 1;
  if (![r.x, r.y, r.width, r.height].every(inUnit) || r.width === 0 || r.height === 0)
    throw new ValidationError(
      'region x, y, width and height are normalised to 0..1, width and height above 0',
      {
        field: 'region',
      },
    );
  if (r.x + r.width > 1 + 1e-9 || r.y + r.height > 1 + 1e-9)
    throw new ValidationError('region must lie inside the frame: x + width and y + height at most 1', {
      field: 'region',
    });
  return r;
}

/** A transition the workflow does not allow from the comment's current status: 409. */
export class CommentTransitionError extends ConflictError {
  constructor(from: CommentStatus, to: CommentStatus) {
    super(
      `a comment ${from} cannot become ${to}; from ${from} it may become ${TRANSITIONS[from].join(', ')}`,
      {
        from,
        to,
        allowed: TRANSITIONS[from],
      },
    );
  }
}

export function checkTransition(from: CommentStatus, to: CommentStatus): void {
  if (!TRANSITIONS[from].includes(to)) throw new CommentTransitionError(from, to);
}

/** An attachment's URL: absolute http(s), no credentials in it. */
export function checkAttachmentUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ValidationError(`attachment url is not an absolute URL: ${value.slice(0, 100)}`, {
      field: 'attachments',
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ValidationError('attachment url must be http or https', { field: 'attachments' });
  if (url.username || url.password)
    throw new ValidationError('attachment url must not carry credentials', { field: 'attachments' });
  return url.toString();
}

/** What the live stream and its resume carry: one change to an asset's comments. */
export const COMMENT_EVENT_TYPES = [
  'comment.created',
  'comment.edited',
  'comment.deleted',
  'comment.reacted',
  'comment.status_changed',
] as const;
export type CommentEventType = (typeof COMMENT_EVENT_TYPES)[number];

/** An open issue: a thread of type issue not yet resolved or declined (search's `openIssues`). */
export function isOpenIssue(thread: { type: string | null; status: string | null }): boolean {
  return thread.type === 'issue' && (thread.status === 'open' || thread.status === 'in_progress');
}
