import { useEffect, useState } from 'preact/hooks';
import {
  allowedTransitions,
  COMMENT_TYPES,
  MAX_REPLY_DEPTH,
  type CommentStatus,
  type CommentType,
} from '../../domain/comment-workflow.js';
import { toApiError, type ApiError } from '../api';
import { useApp } from '../app-context';
import { statusLabel, typeLabelOf } from '../comment-labels';
import { parseTime, repliesByParent, toTimestampMs } from '../comment-threads';
import { formatSeconds } from '../format';
import { href } from '../router';
import type { Comment, CommentThread } from '../types';
import { useComments } from '../use-comments';
import '../feedback.css';
import { ErrorMessage } from './error-message';
import { FeedbackTimeline } from './feedback-timeline';
import { PendingButton } from './pending-button';
import { RelativeTime } from './relative-time';

/** The reactions offered; others' emoji (from other clients) show with their counts too. */
const REACTIONS = ['👍', '❤️', '👀', '✅'];

const LIVE_WORDS = {
  connecting: 'Connecting to live updates…',
  live: 'Live: new feedback appears as it is posted.',
  reconnecting: 'Reconnecting to live updates…',
  stopped: 'Live updates stopped.',
} as const;

interface Author {
  id: string;
  displayName: string;
}

/** What the panel's parts share: who writes, the write in flight, and how to start one. */
interface Writes {
  author: Author | null;
  pending: string | null;
  run: (description: string, send: () => Promise<Comment>) => Promise<boolean>;
  mine: Set<string>;
  toggleMine: (key: string, on: boolean) => void;
}

/**
 * Comments and time-coded feedback on an asset (docs/comments.md): the timeline of markers, the
 * threads with replies, reactions, status and assignee, and a form for new feedback at the
 * player's position. Changes by anyone arrive live (`useComments`). The author is the signed-in
 * key (its id and name from GET /v1/me). Every text is rendered as text, never as HTML.
 */
export function FeedbackPanel({
  assetId,
  durationSeconds,
  position,
}: {
  assetId: string;
  durationSeconds: number | undefined;
  /** The player's position in seconds, read when asked for (null: no player). */
  position: () => number | null;
}) {
  const { api, announce, me } = useApp();
  const comments = useComments(api, assetId);
  const [selected, setSelected] = useState<string | null>(null);
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [mine, setMine] = useState<Set<string>>(new Set());
  const author = me.key ? { id: `key:${me.key.keyId}`, displayName: me.key.name } : null;

  // A marker opens its thread: the thread's heading takes the focus, so a keyboard user is there.
  useEffect(() => {
    if (selected) document.getElementById(`thread-${selected}-heading`)?.focus();
  }, [selected]);

  const writes: Writes = {
    author,
    pending,
    mine,
    toggleMine: (key, on) =>
      setMine((m) => {
        const next = new Set(m);
        if (on) next.add(key);
        else next.delete(key);
        return next;
      }),
    run: async (description, send) => {
      if (pending) return false;
      setPending(description);
      setError(null);
      try {
        comments.apply(await send());
        announce(`${description}: done.`);
        return true;
      } catch (err) {
        setError(toApiError(err));
        return false;
      } finally {
        setPending(null);
      }
    },
  };

  const threads = comments.threads;
  return (
    <section aria-labelledby="feedback-heading" class="feedback">
      <h2 id="feedback-heading">Feedback</h2>
      <p class={`live-state live-${comments.live}`}>
        {comments.liveError
          ? `${LIVE_WORDS[comments.live]} ${comments.liveError.problem.detail ?? comments.liveError.problem.title}`
          : LIVE_WORDS[comments.live]}
      </p>
      {threads && (
        <FeedbackTimeline
          threads={threads}
          durationMs={durationSeconds === undefined ? null : durationSeconds * 1000}
          selected={selected}
          onOpen={setSelected}
        />
      )}
      <NewFeedbackForm assetId={assetId} writes={writes} position={position} />
      <ErrorMessage error={error ?? comments.error} />
      {pending && (
        <p class="loading pending">
          <span class="spinner" aria-hidden="true" />
          Saving: {pending}…
        </p>
      )}
      {!threads ? (
        !comments.error && (
          <p class="loading" aria-busy="true">
            <span class="spinner" aria-hidden="true" />
            Loading feedback…
          </p>
        )
      ) : threads.length === 0 ? (
        <p class="empty">No feedback yet.</p>
      ) : (
        <ol class="threads" aria-label="Feedback threads">
          {threads.map((t) => (
            <Thread key={t.id} thread={t} assetId={assetId} selected={t.id === selected} writes={writes} />
          ))}
        </ol>
      )}
      {comments.more && (
        <PendingButton pending={comments.loadingMore} pendingLabel="Loading…" onClick={comments.loadMore}>
          Show older feedback
        </PendingButton>
      )}
    </section>
  );
}

function NewFeedbackForm({
  assetId,
  writes,
  position,
}: {
  assetId: string;
  writes: Writes;
  position: () => number | null;
}) {
  const { api } = useApp();
  const [text, setText] = useState('');
  const [type, setType] = useState<CommentType>('note');
  const [time, setTime] = useState('');
  const [timeError, setTimeError] = useState<string | null>(null);
  if (!writes.author)
    return <p class="hint">Giving feedback needs the signed-in key’s name (GET /v1/me did not answer).</p>;
  const author = writes.author;

  const submit = async () => {
    const timestamp = time.trim() === '' ? null : parseTime(time);
    if (time.trim() !== '' && timestamp === null) {
      setTimeError('Give the time as minutes:seconds, such as 1:12, or leave it empty.');
      return;
    }
    setTimeError(null);
    if (text.trim() === '') return;
    const posted = await writes.run('Posting feedback', async () => {
      const body = { author, text, type, ...(timestamp === null ? {} : { timestamp }) };
      return (await api.request<Comment>('POST', `/v1/assets/${assetId}/comments`, { body })).body;
    });
    if (posted) {
      setText('');
      setTime('');
    }
  };

  return (
    <form
      class="feedback-form"
      aria-label="New feedback"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div class="field">
        <label for="feedback-text">Comment</label>
        <textarea
          id="feedback-text"
          rows={3}
          maxLength={5000}
          required
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
        />
      </div>
      <div class="feedback-form-row">
        <div class="field">
          <label for="feedback-type">Type</label>
          <select
            id="feedback-type"
            value={type}
            onChange={(e) => setType(e.currentTarget.value as CommentType)}
          >
            {COMMENT_TYPES.map((t) => (
              <option key={t} value={t}>
                {typeLabelOf(t)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="feedback-time">Time (m:ss)</label>
          <input
            id="feedback-time"
            inputMode="decimal"
            value={time}
            aria-invalid={timeError ? true : undefined}
            aria-describedby={timeError ? 'feedback-time-error' : 'feedback-time-hint'}
            onInput={(e) => setTime(e.currentTarget.value)}
          />
          {timeError ? (
            <p id="feedback-time-error" class="error field-error">
              {timeError}
            </p>
          ) : (
            <p id="feedback-time-hint" class="hint">
              Empty for feedback on the whole asset.
            </p>
          )}
        </div>
        <button
          type="button"
          onClick={() => {
            const at = position();
            if (at !== null) setTime(formatSeconds(toTimestampMs(at) / 1000) + tenths(toTimestampMs(at)));
          }}
        >
          Use player position
        </button>
      </div>
      <PendingButton
        type="submit"
        pending={writes.pending === 'Posting feedback'}
        blocked={writes.pending !== null}
        pendingLabel="Posting…"
        onClick={() => {}}
      >
        Post feedback
      </PendingButton>
    </form>
  );
}

/** The tenths of a second a whole-seconds label leaves out: ".4", or nothing. */
const tenths = (ms: number) => (ms % 1000 === 0 ? '' : `.${Math.floor((ms % 1000) / 100)}`);

function Thread({
  thread,
  assetId,
  selected,
  writes,
}: {
  thread: CommentThread;
  assetId: string;
  selected: boolean;
  writes: Writes;
}) {
  const { api } = useApp();
  const byParent = repliesByParent(thread);
  const path = `/v1/assets/${assetId}/comments/${thread.id}`;
  const author = writes.author;
  const move = (status: CommentStatus, assignee?: Author | null) =>
    author &&
    void writes.run(
      assignee === undefined
        ? `Marking as ${statusLabel(status).toLowerCase()}`
        : assignee
          ? `Assigning to ${assignee.displayName}`
          : 'Unassigning',
      async () =>
        (
          await api.request<Comment>('POST', `${path}/transitions`, {
            body: { author, status, ...(assignee === undefined ? {} : { assignee }) },
          })
        ).body,
    );
  const status = thread.status ?? 'open';
  return (
    <li
      id={`thread-${thread.id}`}
      class={`thread type-${thread.type ?? 'note'}${selected ? ' selected' : ''}`}
    >
      <article aria-labelledby={`thread-${thread.id}-heading`}>
        <h3 id={`thread-${thread.id}-heading`} tabIndex={-1}>
          <span class={`badge type-${thread.type ?? 'note'}`}>{typeLabelOf(thread.type)}</span>{' '}
          {thread.timestamp !== null && <>at {formatSeconds(thread.timestamp / 1000)} </>}
          <span class={`badge status-${status}`}>{statusLabel(status)}</span>
        </h3>
        <CommentBody comment={thread} assetId={assetId} writes={writes} />
        <div class="thread-workflow">
          {thread.timestamp !== null && (
            <a href={href.asset(assetId, thread.timestamp / 1000)}>
              Play from {formatSeconds(thread.timestamp / 1000)}
            </a>
          )}
          <p>{thread.assignee ? <>Assigned to {thread.assignee.displayName}</> : 'Not assigned'}</p>
          {author && !thread.deleted && (
            <>
              <label>
                Status{' '}
                <select
                  value={status}
                  aria-disabled={writes.pending !== null || undefined}
                  onChange={(e) => {
                    const to = e.currentTarget.value as CommentStatus;
                    e.currentTarget.value = status;
                    if (to !== status) move(to);
                  }}
                >
                  {[status, ...allowedTransitions(status)].map((s) => (
                    <option key={s} value={s}>
                      {statusLabel(s)}
                    </option>
                  ))}
                </select>
              </label>
              <button type="button" onClick={() => move(status, author)}>
                Assign to me
              </button>
              {thread.assignee && (
                <button type="button" onClick={() => move(status, null)}>
                  Unassign
                </button>
              )}
            </>
          )}
        </div>
        <Replies parentId={thread.id} byParent={byParent} assetId={assetId} writes={writes} />
      </article>
    </li>
  );
}

function Replies({
  parentId,
  byParent,
  assetId,
  writes,
}: {
  parentId: string;
  byParent: Map<string, Comment[]>;
  assetId: string;
  writes: Writes;
}) {
  const replies = byParent.get(parentId) ?? [];
  if (replies.length === 0) return null;
  return (
    <ol class="replies">
      {replies.map((r) => (
        <li key={r.id} id={`comment-${r.id}`}>
          <CommentBody comment={r} assetId={assetId} writes={writes} />
          <Replies parentId={r.id} byParent={byParent} assetId={assetId} writes={writes} />
        </li>
      ))}
    </ol>
  );
}

/** One comment's author, time, text (as text), reactions and reply form. */
function CommentBody({ comment, assetId, writes }: { comment: Comment; assetId: string; writes: Writes }) {
  const { api } = useApp();
  const [replying, setReplying] = useState(false);
  const [reply, setReply] = useState('');
  const path = `/v1/assets/${assetId}/comments/${comment.id}`;
  const author = writes.author;
  const counts = new Map(comment.reactions.map((r) => [r.emoji, r.count]));
  const shown = [
    ...REACTIONS,
    ...comment.reactions.map((r) => r.emoji).filter((e) => !REACTIONS.includes(e)),
  ];

  const react = (emoji: string) => {
    if (!author) return;
    const key = `${comment.id} ${emoji}`;
    const on = !writes.mine.has(key);
    void writes
      .run(
        on ? `Reacting ${emoji}` : `Taking back ${emoji}`,
        async () =>
          (
            await api.request<Comment>('POST', `${path}/reactions${on ? '' : '/remove'}`, {
              body: { author, emoji },
            })
          ).body,
      )
      .then((ok) => ok && writes.toggleMine(key, on));
  };

  const sendReply = async () => {
    if (!author || reply.trim() === '') return;
    const ok = await writes.run(
      `Replying to ${comment.author.displayName}`,
      async () =>
        (await api.request<Comment>('POST', `${path}/replies`, { body: { author, text: reply } })).body,
    );
    if (ok) {
      setReply('');
      setReplying(false);
    }
  };

  return (
    <div class="comment">
      <p class="comment-meta">
        <strong>{comment.author.displayName}</strong> · <RelativeTime iso={comment.createdAt} />
        {comment.edited > 0 && ' · edited'}
      </p>
      {comment.deleted ? (
        <p class="comment-text deleted">(deleted)</p>
      ) : (
        <p class="comment-text">{comment.text}</p>
      )}
      {!comment.deleted && (
        <div class="reactions" role="group" aria-label={`Reactions to ${comment.author.displayName}`}>
          {shown.map((emoji) => {
            const count = counts.get(emoji) ?? 0;
            const pressed = writes.mine.has(`${comment.id} ${emoji}`);
            return (
              <button
                key={emoji}
                type="button"
                class="reaction"
                aria-pressed={pressed}
                aria-label={`${emoji} ${count}`}
                onClick={() => react(emoji)}
              >
                <span aria-hidden="true">{emoji}</span>
                {count > 0 && <span class="reaction-count"> {count}</span>}
              </button>
            );
          })}
          {author && comment.depth < MAX_REPLY_DEPTH && (
            <button type="button" aria-expanded={replying} onClick={() => setReplying(!replying)}>
              Reply
            </button>
          )}
        </div>
      )}
      {replying && author && (
        <form
          class="reply-form"
          onSubmit={(e) => {
            e.preventDefault();
            void sendReply();
          }}
        >
          <label for={`reply-${comment.id}`}>Reply to {comment.author.displayName}</label>
          <textarea
            id={`reply-${comment.id}`}
            rows={2}
            required
            value={reply}
            onInput={(e) => setReply(e.currentTarget.value)}
          />
          <PendingButton
            type="submit"
            pending={writes.pending?.startsWith('Replying') ?? false}
            blocked={writes.pending !== null}
            pendingLabel="Posting…"
            onClick={() => {}}
          >
            Post reply
          </PendingButton>
        </form>
      )}
    </div>
  );
}
