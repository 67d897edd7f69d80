import { randomUUID } from 'node:crypto';
import {
  checkAttachmentUrl,
  checkRegion,
  checkTimestamp,
  checkTransition,
  COMMENT_LIMITS,
  type CommentEventType,
  type CommentStatus,
  type CommentType,
  type Region,
} from '../domain/comments.js';
import {
  ContentTooLargeError,
  ForbiddenError,
  NotFoundError,
  ConflictError,
  TooManyRequestsError,
  ValidationError,
} from '../domain/errors.js';
import { analyzeComment } from '../enrichment/comment-analysis.js';
import { DEFAULT_TAXONOMY } from '../enrichment/topics.js';
import type { ActionsRepository } from '../store/actions-repository.js';
import type { AssetsRepository } from '../store/assets-repository.js';
import type {
  Comment,
  CommentCursor,
  CommentEvent,
  CommentFacets,
  CommentFilter,
  CommentPerson,
  CommentsRepository,
} from '../store/comments-repository.js';
import type { Database, Sql } from '../store/db.js';
import type { OutboxRepository } from '../store/outbox-repository.js';
import type { CommentBus } from '../stream/comment-bus.js';
import { apiAction } from './api-action.js';
import type { Principal } from './api-key-service.js';

/** A person as the calling integration names them: its own user id, and a name to show. */
export interface PersonInput {
  id: string;
  displayName: string;
}

export interface NewCommentInput {
  author: PersonInput;
  text: string;
  mentions?: PersonInput[] | undefined;
  attachments?: { url: string; name?: string | undefined }[] | undefined;
  timestamp?: number | undefined;
  region?: Region | undefined;
  type?: CommentType | undefined;
}

export interface CommentThread {
  comment: Comment;
  reactions: { emoji: string; count: number }[];
  replies: { comment: Comment; reactions: { emoji: string; count: number }[] }[];
}

export interface CommentPage {
  items: CommentThread[];
  next: CommentCursor | null;
  facets: CommentFacets;
}

/** A change of an asset's comments as the live stream sends it: the comment as it is now. */
export interface CommentStreamEvent {
  seq: number;
  type: CommentEventType;
  comment: Comment;
  reactions: { emoji: string; count: number }[];
}

/** What replaces an erased author's name. */
export const ERASED_AUTHOR = '(erased)';

/**
 * Comments and time-coded feedback on assets (docs/comments.md). Every write takes the asset's
 * lock, numbers its change in `asset_comment_events` in its transaction and, once committed,
 * notes it on the CommentBus for the live streams. Authors are pseudonymised with the masking
 * key's HMAC, as interaction events' user ids are.
 */
export class CommentService {
  private readonly db: Database;
  /** Writes per author in the current minute, per process (a bound against floods, not a quota). */
  private readonly writes = new Map<string, { minute: number; count: number }>();

  constructor(
    private readonly deps: {
      db: Database;
      comments: CommentsRepository;
      assets: Pick<AssetsRepository, 'liveIds'>;
      actions: Pick<ActionsRepository, 'insertMany'>;
      outbox: Pick<OutboxRepository, 'insertMany'>;
      masking: { tokenOf(tenantId: string, value: string): string };
      bus: CommentBus;
      /** Runs work started outside a request (a bus note) in the tenant's scope. */
      tenantScope: <T>(tenantId: string, fn: () => T) => T;
      /** Tells the outbox relay of new events (webhooks) without waiting for its poll. */
      nudge: () => void;
      now?: () => number;
    },
  ) {
    this.db = deps.db;
  }

  /** The masking token of an integration's user id: what a comment stores and compares. */
  tokenOf(tenantId: string, id: string): string {
    return this.deps.masking.tokenOf(tenantId, id);
  }

  private person(tenantId: string, p: PersonInput): CommentPerson {
    return { token: this.tokenOf(tenantId, p.id), displayName: p.displayName };
  }

  private admit(tenantId: string, authorToken: string): void {
    const now = (this.deps.now ?? Date.now)();
    const minute = Math.floor(now / 60_000);
    const key = `${tenantId}\u0000${authorToken}`;
    const seen = this.writes.get(key);
    const count = seen && seen.minute === minute ? seen.count + 1 : 1;
    if (count > COMMENT_LIMITS.writesPerAuthorPerMinute) {
      const retryAfter = Math.max(1, Math.ceil(((minute + 1) * 60_000 - now) / 1000));
      throw new TooManyRequestsError(
        `an author writes at most ${COMMENT_LIMITS.writesPerAuthorPerMinute} comment changes a minute`,
        retryAfter,
        { limit: 'writesPerAuthorPerMinute', maximum: COMMENT_LIMITS.writesPerAuthorPerMinute },
      );
    }
    if (this.writes.size > 100_000) this.writes.clear();
    this.writes.set(key, { minute, count });
  }

  /** A new top-level comment (time-coded feedback when it has a timestamp), or a reply. */
  async create(by: Principal, assetId: string, input: NewCommentInput, parentId?: string): Promise<Comment> {
    const tenantId = by.tenantId;
    const author = this.person(tenantId, input.author);
    const text = checkText(input.text);
    const mentions = (input.mentions ?? []).map((m) => this.person(tenantId, m));
    if (mentions.length > COMMENT_LIMITS.maxMentions)
      throw new ValidationError(`a comment mentions at most ${COMMENT_LIMITS.maxMentions} people`);
    const attachments = (input.attachments ?? []).map((a) => ({
      url: checkAttachmentUrl(a.url),
      name: a.name ?? null,
    }));
    if (attachments.length > COMMENT_LIMITS.maxAttachments)
      throw new ValidationError(`a comment has at most ${COMMENT_LIMITS.maxAttachments} attachments`);
    if (parentId !== undefined && (input.timestamp !== undefined || input.region || input.type))
      throw new ValidationError('a reply has no timestamp, region or type: they belong to the thread');
    if (input.region && input.timestamp === undefined)
      throw new ValidationError('a region marks a frame: give the timestamp it is at', { field: 'region' });
    const timestampMs = input.timestamp === undefined ? null : checkTimestamp(input.timestamp);
    const region = input.region ? checkRegion(input.region) : null;
    this.admit(tenantId, author.token);
    const analysis = analyzeComment(text, DEFAULT_TAXONOMY);
    const startedAt = new Date();
    const created = await this.db.transaction(async (tx) => {
      await this.requireAsset(tx, tenantId, assetId);
      await this.deps.comments.lockAsset(tx, tenantId, assetId);
      if (
        (await this.deps.comments.countOnAsset(tx, tenantId, assetId)) >= COMMENT_LIMITS.maxCommentsPerAsset
      )
        throw new ContentTooLargeError(
          `an asset holds at most ${COMMENT_LIMITS.maxCommentsPerAsset} comments, replies included`,
          { limit: 'maxCommentsPerAsset', maximum: COMMENT_LIMITS.maxCommentsPerAsset },
        );
      let depth = 0;
      let rootId: string | null = null;
      if (parentId !== undefined) {
        const parent = await this.deps.comments.get(tx, tenantId, assetId, parentId);
        if (!parent) throw new NotFoundError(`comment ${parentId} not found on asset ${assetId}`);
        if (parent.deletedAt) throw new ConflictError(`comment ${parentId} was deleted: it takes no replies`);
        if (parent.depth >= COMMENT_LIMITS.maxDepth)
          throw new ValidationError(`replies nest at most ${COMMENT_LIMITS.maxDepth} levels deep`, {
            limit: 'maxDepth',
            maximum: COMMENT_LIMITS.maxDepth,
          });
        depth = parent.depth + 1;
        rootId = parent.rootId;
      }
      const id = randomUUID();
      const comment = await this.deps.comments.insert(tx, {
        id,
        tenantId,
        assetId,
        parentId: parentId ?? null,
        rootId: rootId ?? id,
        depth,
        author,
        text,
        mentions,
        attachments,
        timestampMs,
        region,
        type: parentId === undefined ? (input.type ?? 'note') : null,
        status: parentId === undefined ? 'open' : null,
        analysis,
      });
      const seq = await this.deps.comments.appendEvent(tx, tenantId, {
        assetId,
        commentId: id,
        type: 'comment.created',
      });
      await this.deps.outbox.insertMany(tx, tenantId, [
        {
          type: 'comment.created',
          aggregateId: assetId,
          payload: {
            assetId,
            commentId: id,
            parentId: comment.parentId,
            type: comment.type,
            status: comment.status,
            timestampMs: comment.timestampMs,
          },
        },
      ]);
      if (depth === 0) await this.feedbackChanged(tx, tenantId, assetId, seq);
      await this.audit(tx, by, 'COMMENT_CREATE', startedAt, assetId, {
        commentId: id,
        parentId: comment.parentId,
        author: author.token,
      });
      return { comment, seq };
    });
    this.deps.nudge();
    await this.note(tenantId, assetId, created.seq);
    return created.comment;
  }

  /** Only its author edits a comment; the text it replaces is kept as history. */
  async edit(
    by: Principal,
    assetId: string,
    commentId: string,
    input: { author: PersonInput; text: string },
  ) {
    const tenantId = by.tenantId;
    const token = this.tokenOf(tenantId, input.author.id);
    const text = checkText(input.text);
    this.admit(tenantId, token);
    const analysis = analyzeComment(text, DEFAULT_TAXONOMY);
    return this.write(by, assetId, commentId, 'comment.edited', 'COMMENT_EDIT', async (tx, current) => {
      if (current.deletedAt) throw new ConflictError(`comment ${commentId} was deleted`);
      if (current.author.token !== token) throw new ForbiddenError('only its author may edit a comment');
      if (current.edits >= COMMENT_LIMITS.maxEdits)
        throw new ConflictError(`a comment is edited at most ${COMMENT_LIMITS.maxEdits} times`);
      const comment = await this.deps.comments.edit(tx, tenantId, commentId, {
        previous: current.text,
        text,
        analysis,
      });
      return { comment, details: { revision: comment.edits } };
    });
  }

  /**
   * A tombstone: its author may delete a comment, and so may a key holding assets:delete
   * (moderation). Deleting a deleted comment changes nothing.
   */
  async remove(by: Principal, assetId: string, commentId: string, author?: PersonInput): Promise<Comment> {
    const tenantId = by.tenantId;
    const token = author ? this.tokenOf(tenantId, author.id) : null;
    if (token) this.admit(tenantId, token);
    return this.write(by, assetId, commentId, 'comment.deleted', 'COMMENT_DELETE', async (tx, current) => {
      if (current.author.token !== token && !by.permissions.has('assets:delete'))
        throw new ForbiddenError('only its author, or a key holding assets:delete, may delete a comment');
      const comment = await this.deps.comments.tombstone(tx, tenantId, commentId);
      return { comment, details: { moderated: current.author.token !== token } };
    });
  }

  /** A reaction: one per author per emoji; adding it twice, or removing one not there, changes nothing. */
  async react(
    by: Principal,
    assetId: string,
    commentId: string,
    input: { author: PersonInput; emoji: string },
    add: boolean,
  ): Promise<Comment> {
    const tenantId = by.tenantId;
    const token = this.tokenOf(tenantId, input.author.id);
    this.admit(tenantId, token);
    return this.write(by, assetId, commentId, 'comment.reacted', null, async (tx, current) => {
      if (current.deletedAt) throw new ConflictError(`comment ${commentId} was deleted`);
      if (add) {
        const emoji = await this.deps.comments.distinctEmoji(tx, tenantId, commentId);
        if (!emoji.includes(input.emoji) && emoji.length >= COMMENT_LIMITS.maxEmojiPerComment)
          throw new ContentTooLargeError(
            `a comment holds at most ${COMMENT_LIMITS.maxEmojiPerComment} different emoji`,
            { limit: 'maxEmojiPerComment', maximum: COMMENT_LIMITS.maxEmojiPerComment },
          );
        const changed = await this.deps.comments.react(tx, tenantId, commentId, input.emoji, token);
        return { comment: current, changed };
      }
      const changed = await this.deps.comments.unreact(tx, tenantId, commentId, input.emoji, token);
      return { comment: current, changed };
    });
  }

  /** A workflow transition of a thread (top-level comment), validated and audited. */
  async transition(
    by: Principal,
    assetId: string,
    commentId: string,
    input: { author: PersonInput; status: CommentStatus; assignee?: PersonInput | null | undefined },
  ): Promise<Comment> {
    const tenantId = by.tenantId;
    const actorToken = this.tokenOf(tenantId, input.author.id);
    this.admit(tenantId, actorToken);
    const assignee =
      input.assignee === undefined
        ? undefined
        : input.assignee === null
          ? null
          : this.person(tenantId, input.assignee);
    return this.write(
      by,
      assetId,
      commentId,
      'comment.status_changed',
      'COMMENT_TRANSITION',
      async (tx, current) => {
        if (current.depth > 0 || current.status === null)
          throw new ValidationError('only a thread (a top-level comment) has a workflow status');
        if (current.deletedAt) throw new ConflictError(`comment ${commentId} was deleted`);
        const sameAssignee =
          assignee === undefined || (assignee?.token ?? null) === (current.assignee?.token ?? null);
        if (input.status !== current.status) checkTransition(current.status, input.status);
        else if (sameAssignee) return { comment: current, changed: false };
        const comment = await this.deps.comments.setStatus(tx, tenantId, commentId, {
          status: input.status,
          assignee: assignee === undefined ? current.assignee : assignee,
        });
        await this.deps.outbox.insertMany(tx, tenantId, [
          {
            type: 'comment.status_changed',
            aggregateId: assetId,
            payload: {
              assetId,
              commentId,
              from: current.status,
              to: input.status,
              assigneeToken: comment.assignee?.token ?? null,
            },
          },
        ]);
        return {
          comment,
          details: {
            from: current.status,
            to: input.status,
            by: actorToken,
            assignee: comment.assignee?.token ?? null,
          },
        };
      },
    );
  }

  /** A page of the asset's threads, newest first, with their replies, reactions and the facets. */
  async list(
    tenantId: string,
    assetId: string,
    query: {
      filter: Omit<CommentFilter, 'authorToken'> & { authorId?: string | undefined };
      cursor: CommentCursor | null;
      limit: number;
    },
  ): Promise<CommentPage> {
    const { authorId, ...rest } = query.filter;
    const filter: CommentFilter = {
      ...rest,
      ...(authorId !== undefined ? { authorToken: this.tokenOf(tenantId, authorId) } : {}),
    };
    await this.requireAsset(this.db, tenantId, assetId);
    const limit = Math.min(query.limit, COMMENT_LIMITS.maxPageSize);
    const threads = await this.deps.comments.listThreads(
      this.db,
      tenantId,
      assetId,
      filter,
      query.cursor,
      limit + 1,
    );
    const page = threads.slice(0, limit);
    const replies = await this.deps.comments.repliesOf(
      this.db,
      tenantId,
      page.map((c) => c.id),
    );
    const reactions = await this.deps.comments.reactionsOf(this.db, tenantId, [
      ...page.map((c) => c.id),
      ...replies.map((c) => c.id),
    ]);
    const facets = await this.deps.comments.facets(this.db, tenantId, assetId, filter);
    const last = page[page.length - 1];
    return {
      items: page.map((comment) => ({
        comment,
        reactions: reactions.get(comment.id) ?? [],
        replies: replies
          .filter((r) => r.rootId === comment.id)
          .map((r) => ({ comment: r, reactions: reactions.get(r.id) ?? [] })),
      })),
      next: threads.length > limit && last ? { createdAt: last.createdAt.toISOString(), id: last.id } : null,
      facets,
    };
  }

  /** One comment with its reactions and the texts its edits replaced. */
  async get(tenantId: string, assetId: string, commentId: string) {
    const comment = await this.deps.comments.get(this.db, tenantId, assetId, commentId);
    if (!comment) throw new NotFoundError(`comment ${commentId} not found on asset ${assetId}`);
    const reactions =
      (await this.deps.comments.reactionsOf(this.db, tenantId, [commentId])).get(commentId) ?? [];
    const history = await this.deps.comments.history(this.db, tenantId, commentId);
    return { comment, reactions, history };
  }

  /**
   * Watches an asset's comments: sends the events after `after` (a resumed stream's Last-Event-ID;
   * the asset's latest when null, so a new watcher starts from now), then each new one as the bus
   * notes it. Events are read from the database in order, one read at a time, so none is sent twice
   * or skipped. Returns the function that stops watching.
   */
  async watch(
    tenantId: string,
    assetId: string,
    after: number | null,
    /** Resolves once the watcher has taken the event: the next waits (back-pressure). */
    send: (event: CommentStreamEvent) => void | Promise<void>,
  ): Promise<() => void> {
    await this.requireAsset(this.db, tenantId, assetId);
    let last = after ?? (await this.deps.comments.lastEvent(this.db, tenantId, assetId));
    let running: Promise<void> | null = null;
    let again = false;
    let stopped = false;
    const drain = async () => {
      do {
        again = false;
        for (;;) {
          const events = await this.deps.tenantScope(tenantId, () =>
            this.deps.comments.eventsAfter(this.db, tenantId, assetId, last, COMMENT_LIMITS.maxReplay),
          );
          if (events.length === 0 || stopped) break;
          for (const e of await this.deps.tenantScope(tenantId, () => this.expand(tenantId, events))) {
            if (stopped) return;
            await send(e);
          }
          last = events[events.length - 1]!.seq;
          if (events.length < COMMENT_LIMITS.maxReplay) break;
        }
      } while (again && !stopped);
    };
    const wake = () => {
      if (stopped) return;
      if (running) {
        again = true;
        return;
      }
      running = drain()
        .catch(() => undefined)
        .finally(() => {
          running = null;
        });
    };
    const unsubscribe = await this.deps.bus.subscribe(tenantId, assetId, wake);
    // Events between `after` and the subscription: sent now; later ones wake the watcher.
    wake();
    return () => {
      stopped = true;
      unsubscribe();
    };
  }

  private async expand(tenantId: string, events: CommentEvent[]): Promise<CommentStreamEvent[]> {
    const ids = [...new Set(events.map((e) => e.commentId))];
    const comments = new Map(
      (await this.deps.comments.findByIds(this.db, tenantId, ids)).map((c) => [c.id, c] as const),
    );
    const reactions = await this.deps.comments.reactionsOf(this.db, tenantId, ids);
    return events.flatMap((e) => {
      const comment = comments.get(e.commentId);
      return comment
        ? [{ seq: e.seq, type: e.type, comment, reactions: reactions.get(e.commentId) ?? [] }]
        : [];
    });
  }

  /**
   * A person's erasure (services/person-erasure-service.ts): the comments of the user behind
   * `userToken` become tombstones by an erased author, their reactions go, and their mentions and
   * assignments are removed from others' comments. Each changed comment is an edit event, and each
   * asset changed has its search projection queued; returns those assets.
   */
  async eraseUser(tenantId: string, userToken: string): Promise<{ changed: number; assetIds: string[] }> {
    const notes = await this.db.transaction(async (tx) => {
      const changed = await this.deps.comments.eraseAuthor(tx, tenantId, userToken, ERASED_AUTHOR);
      const out = new Map<string, number>();
      for (const assetId of [...new Set(changed.map((c) => c.assetId))].sort())
        await this.deps.comments.lockAsset(tx, tenantId, assetId);
      for (const c of changed) {
        const seq = await this.deps.comments.appendEvent(tx, tenantId, {
          assetId: c.assetId,
          commentId: c.id,
          type: 'comment.edited',
        });
        out.set(c.assetId, seq);
      }
      for (const [assetId, seq] of out) await this.feedbackChanged(tx, tenantId, assetId, seq);
      return { out, changed: new Set(changed.map((c) => c.id)).size };
    });
    if (notes.out.size > 0) this.deps.nudge();
    for (const [assetId, seq] of notes.out) await this.note(tenantId, assetId, seq);
    return { changed: notes.changed, assetIds: [...notes.out.keys()] };
  }

  /** Tells the live streams of changes committed (an erasure's, after its transaction). */
  async note(tenantId: string, assetId: string, seq: number): Promise<void> {
    // The change is committed; a note that fails only delays the watchers to the next one.
    await this.deps.bus.publish({ tenantId, assetId, seq }).catch(() => undefined);
  }

  private async write(
    by: Principal,
    assetId: string,
    commentId: string,
    event: CommentEventType,
    actionType: string | null,
    change: (
      tx: Sql,
      current: Comment,
    ) => Promise<{ comment: Comment; changed?: boolean; details?: Record<string, unknown> }>,
  ): Promise<Comment> {
    const tenantId = by.tenantId;
    const startedAt = new Date();
    const done = await this.db.transaction(async (tx) => {
      await this.requireAsset(tx, tenantId, assetId);
      await this.deps.comments.lockAsset(tx, tenantId, assetId);
      const current = await this.deps.comments.get(tx, tenantId, assetId, commentId, { forUpdate: true });
      if (!current) throw new NotFoundError(`comment ${commentId} not found on asset ${assetId}`);
      const result = await change(tx, current);
      if (result.changed === false) return { comment: result.comment, seq: null };
      const seq = await this.deps.comments.appendEvent(tx, tenantId, { assetId, commentId, type: event });
      // A thread's text, status or deletion is what search holds of it; a reaction or a reply is not.
      if (current.depth === 0 && event !== 'comment.reacted')
        await this.feedbackChanged(tx, tenantId, assetId, seq);
      if (actionType)
        await this.audit(tx, by, actionType, startedAt, assetId, { commentId, ...(result.details ?? {}) });
      return { comment: result.comment, seq };
    });
    if (done.seq !== null && event !== 'comment.reacted') this.deps.nudge();
    if (done.seq !== null) await this.note(tenantId, assetId, done.seq);
    return done.comment;
  }

  /**
   * Queues the search projection of the asset (through the outbox, in the change's transaction):
   * search holds a copy of its feedback, read again from Postgres by the projection (issue 27).
   */
  private async feedbackChanged(tx: Sql, tenantId: string, assetId: string, revision: number) {
    await this.deps.outbox.insertMany(tx, tenantId, [
      { type: 'asset.feedback-changed', aggregateId: assetId, payload: { assetId, revision } },
    ]);
  }

  private async requireAsset(sql: Sql, tenantId: string, assetId: string): Promise<void> {
    if (!(await this.deps.assets.liveIds(sql, tenantId, [assetId])).has(assetId))
      throw new NotFoundError(`asset ${assetId} not found`);
  }

  private async audit(
    tx: Sql,
    by: Principal,
    actionType: string,
    startedAt: Date,
    assetId: string,
    details: Record<string, unknown>,
  ): Promise<void> {
    await this.deps.actions.insertMany(tx, by.tenantId, [
      apiAction(`key:${by.keyId}`, actionType, details, { startedAt, assetId }),
    ]);
  }
}

/** The text as given, kept as text: trimmed, not empty, bounded (413 past the bound). */
function checkText(text: string): string {
  const t = text.trim();
  if (t.length === 0) throw new ValidationError('a comment has text', { field: 'text' });
  if (t.length > COMMENT_LIMITS.maxTextLength)
    throw new ContentTooLargeError(`a comment's text is at most ${COMMENT_LIMITS.maxTextLength} characters`, {
      limit: 'maxTextLength',
      maximum: COMMENT_LIMITS.maxTextLength,
    });
  return t;
}
