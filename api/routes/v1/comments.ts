import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { z } from 'zod';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { COMMENT_LIMITS } from '../../../domain/comments.js';
import { decodeCursor, encodeCursor } from '../../../domain/cursor.js';
import { TooManyRequestsError, ValidationError } from '../../../domain/errors.js';
import type { ApiDeps } from '../../deps.js';
import { authProblems, conflict, IdParams, notFound, problem } from '../../schemas/common.js';
import {
  CommentDetailSchema,
  CommentListQuery,
  CommentPageSchema,
  CommentParams,
  CommentSchema,
  commentDto,
  commentPageDto,
  DeleteCommentBody,
  EditCommentBody,
  NewCommentBody,
  NewReplyBody,
  ReactionBody,
  sseFrame,
  StreamHeaders,
  TransitionBody,
} from '../../schemas/comments.js';

const CursorSchema = z.object({ createdAt: z.iso.datetime(), id: z.uuid() });

/** Open live streams per API process: each holds a connection and a bus subscription. */
const MAX_STREAMS = 1_000;
/** A comment line every so often keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 15_000;
/** The stream's buffer ahead of the socket: past it, the next event waits for `drain`. */
const STREAM_HIGH_WATER_MARK = 16 * 1024;

const tooLarge = problem(
  'Past a bound of the comments API: the text, or the comments or emoji an asset holds.',
);
const rateLimited = problem(
  `Over ${COMMENT_LIMITS.writesPerAuthorPerMinute} comment changes a minute by one author, or the API key's rate limit; Retry-After says when to try again.`,
);
const noMaskKey = problem(
  'MASK_KEY is not configured: authors cannot be pseudonymised, so nothing is written.',
);

/**
 * /v1/assets/{id}/comments: comments and time-coded feedback on an asset (docs/comments.md).
 * Reading takes assets:read; writing, reacting and the workflow take assets:write (deleting
 * another author's comment, assets:delete).
 */
const commentRoutes: FastifyPluginCallbackZod<{ deps: Pick<ApiDeps, 'comments'> }> = (
  app,
  { deps: { comments } },
  done,
) => {
  const streams = new Set<() => void>();
  app.addHook('preClose', (doneClose) => {
    for (const end of streams) end();
    doneClose();
  });

  const writeResponses = {
    404: notFound,
    413: tooLarge,
    ...authProblems,
    429: rateLimited,
    503: noMaskKey,
  };

  app.get(
    '/assets/:id/comments',
    {
      config: { permission: 'assets:read' },
      schema: {
        tags: ['comments'],
        operationId: 'listAssetComments',
        summary: "The asset's comment threads, newest first, with replies, reactions and facets",
        description:
          'Keyset paging (`nextCursor`). Filters apply to threads: `status`, `type`, `author` (the integration id), and `from`/`to` over feedback timestamps. `facets` count the matching threads per status, type, sentiment, keyword and topic.',
        security: [{ apiKey: [] }],
        params: IdParams,
        querystring: CommentListQuery,
        response: {
          200: CommentPageSchema,
          404: notFound,
          ...authProblems,
          503: problem('MASK_KEY is not configured: the `author` filter cannot be applied.'),
        },
      },
    },
    async (req) => {
      const { cursor, limit, status, type, author, from, to } = req.query;
      const page = await comments.list(req.principal.tenantId, req.params.id, {
        filter: { status, type, authorId: author, fromMs: from, toMs: to },
        cursor: cursor ? decodeCursor(cursor, CursorSchema) : null,
        limit,
      });
      return commentPageDto(page, page.next ? encodeCursor(page.next) : null);
    },
  );

  app.post(
    '/assets/:id/comments',
    {
      config: { permission: 'assets:write' },
      schema: {
        tags: ['comments'],
        operationId: 'createAssetComment',
        summary: 'Comment on an asset, or give time-coded feedback (timestamp, region, type)',
        description:
          'A new thread, status `open`. Its author is stored as a masking token and the name given. Audited; announced as `comment.created` to webhooks and live streams.',
        security: [{ apiKey: [] }],
        params: IdParams,
        body: NewCommentBody,
        response: { 201: CommentSchema, ...writeResponses },
      },
    },
    async (req, reply) =>
      reply.code(201).send(commentDto(await comments.create(req.principal, req.params.id, req.body))),
  );

  app.get(
    '/assets/:id/comments/stream',
    {
      config: { permission: 'assets:read' },
      schema: {
        tags: ['comments'],
        operationId: 'streamAssetComments',
        summary: "Live changes of the asset's comments (Server-Sent Events)",
        description:
          'Each event is one change: `comment.created`, `comment.edited`, `comment.deleted`, `comment.reacted` or `comment.status_changed`, its `data` the comment as it is now, its `id` the change number. Reconnect with `Last-Event-ID` to get the changes missed since.',
        security: [{ apiKey: [] }],
        params: IdParams,
        headers: StreamHeaders,
        response: {
          200: {
            description: 'An event stream, open until the client or the server closes it',
            content: { 'text/event-stream': { schema: z.string() } },
          },
          404: notFound,
          ...authProblems,
        },
      },
    },
    async (req, reply) => {
      if (streams.size >= MAX_STREAMS)
        throw new TooManyRequestsError(`this server holds at most ${MAX_STREAMS} live streams`, 5);
      const lastId = req.headers['last-event-id'];
      if (lastId !== undefined && !/^\d{1,15}$/.test(lastId))
        throw new ValidationError('Last-Event-ID is not an event id of this stream', {
          field: 'Last-Event-ID',
        });
      const body = new PassThrough({ highWaterMark: STREAM_HIGH_WATER_MARK });
      const abort = new AbortController();
      let stop: (() => void) | null = null;
      const heartbeat = setInterval(() => {
        if (body.writableLength === 0) body.write(': keep-alive\n\n');
      }, HEARTBEAT_MS);
      heartbeat.unref();
      const end = () => {
        if (abort.signal.aborted) return;
        abort.abort();
        clearInterval(heartbeat);
        stop?.();
        streams.delete(end);
        body.end();
      };
      // Held before the start, so the cap counts streams still starting and a client that leaves
      // during the start leaves no subscription behind.
      streams.add(end);
      req.raw.once('close', end);
      // An event waits until the client has taken the last (`drain`): a slow client is sent no faster
      // than it reads, and the rest waits in the database.
      const write = async (chunk: string) => {
        if (!body.write(chunk)) await once(body, 'drain', { signal: abort.signal });
      };
      try {
        stop = await comments.watch(
          req.principal.tenantId,
          req.params.id,
          lastId === undefined ? null : Number(lastId),
          (event) => write(sseFrame(event)),
        );
      } catch (err) {
        end();
        throw err;
      }
      if (abort.signal.aborted) stop();
      body.write(': watching\n\n');
      return (
        reply
          .type('text/event-stream; charset=utf-8')
          .header('cache-control', 'no-store')
          .header('x-accel-buffering', 'no')
          // The type provider types the body as the schema's string; this streams events.
          .send(body as unknown as string)
      );
    },
  );

  app.get(
    '/assets/:id/comments/:commentId',
    {
      config: { permission: 'assets:read' },
      schema: {
        tags: ['comments'],
        operationId: 'getAssetComment',
        summary: 'One comment with its reactions and edit history',
        security: [{ apiKey: [] }],
        params: CommentParams,
        response: { 200: CommentDetailSchema, 404: notFound, ...authProblems },
      },
    },
    async (req) => {
      const found = await comments.get(req.principal.tenantId, req.params.id, req.params.commentId);
      return {
        ...commentDto(found.comment, found.reactions),
        history: found.history.map((h) => ({
          revision: h.revision,
          text: h.text,
          editedAt: h.editedAt.toISOString(),
        })),
      };
    },
  );

  app.post(
    '/assets/:id/comments/:commentId/replies',
    {
      config: { permission: 'assets:write' },
      schema: {
        tags: ['comments'],
        operationId: 'replyToAssetComment',
        summary: 'Reply to a comment',
        description: `Replies nest at most ${COMMENT_LIMITS.maxDepth} levels below a thread (400 beyond).`,
        security: [{ apiKey: [] }],
        params: CommentParams,
        body: NewReplyBody,
        response: {
          201: CommentSchema,
          409: conflict('the comment replied to was deleted.'),
          ...writeResponses,
        },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(
          commentDto(await comments.create(req.principal, req.params.id, req.body, req.params.commentId)),
        ),
  );

  app.patch(
    '/assets/:id/comments/:commentId',
    {
      config: { permission: 'assets:write' },
      schema: {
        tags: ['comments'],
        operationId: 'editAssetComment',
        summary: "Edit a comment's text (its author only); the old text is kept as history",
        security: [{ apiKey: [] }],
        params: CommentParams,
        body: EditCommentBody,
        response: {
          200: CommentSchema,
          409: conflict('the comment was deleted, or edited the most times it may be.'),
          ...writeResponses,
        },
      },
    },
    async (req) =>
      commentDto(await comments.edit(req.principal, req.params.id, req.params.commentId, req.body)),
  );

  app.delete(
    '/assets/:id/comments/:commentId',
    {
      config: { permission: 'assets:write' },
      schema: {
        tags: ['comments'],
        operationId: 'deleteAssetComment',
        summary: 'Delete a comment: a tombstone keeps its place in the thread',
        description:
          'Its author (`author` in the body) may delete a comment; so may a key holding assets:delete, without an author. Text, mentions, attachments, history and reactions go.',
        security: [{ apiKey: [] }],
        params: CommentParams,
        body: DeleteCommentBody.nullish(),
        response: { 200: CommentSchema, ...writeResponses },
      },
    },
    async (req) =>
      commentDto(await comments.remove(req.principal, req.params.id, req.params.commentId, req.body?.author)),
  );

  // Reacting and taking a reaction back differ only in their name and words.
  const reactionRoute = (add: boolean) =>
    app.post(
      add ? '/assets/:id/comments/:commentId/reactions' : '/assets/:id/comments/:commentId/reactions/remove',
      {
        config: { permission: 'assets:write' },
        schema: {
          tags: ['comments'],
          operationId: add ? 'reactToAssetComment' : 'unreactToAssetComment',
          summary: add
            ? 'React with an emoji: one reaction per author per emoji (again changes nothing)'
            : "Take back an author's reaction",
          security: [{ apiKey: [] }],
          params: CommentParams,
          body: ReactionBody,
          response: { 200: CommentSchema, 409: conflict('the comment was deleted.'), ...writeResponses },
        },
      },
      async (req) => {
        await comments.react(req.principal, req.params.id, req.params.commentId, req.body, add);
        const found = await comments.get(req.principal.tenantId, req.params.id, req.params.commentId);
        return commentDto(found.comment, found.reactions);
      },
    );
  reactionRoute(true);
  reactionRoute(false);

  app.post(
    '/assets/:id/comments/:commentId/transitions',
    {
      config: { permission: 'assets:write' },
      schema: {
        tags: ['comments'],
        operationId: 'transitionAssetComment',
        summary: 'Move a thread through the review workflow, or change its assignee',
        description:
          'open → in_progress → resolved or wont_fix; resolved, wont_fix and in_progress may go back to open. Any other move is a 409 naming the allowed ones. Audited; announced as `comment.status_changed`.',
        security: [{ apiKey: [] }],
        params: CommentParams,
        body: TransitionBody,
        response: {
          200: CommentSchema,
          409: conflict('the workflow does not allow this move from the current status.'),
          ...writeResponses,
        },
      },
    },
    async (req) =>
      commentDto(await comments.transition(req.principal, req.params.id, req.params.commentId, req.body)),
  );
  done();
};

export default commentRoutes;
