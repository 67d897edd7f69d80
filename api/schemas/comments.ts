import { z } from 'zod';
import {
  COMMENT_EVENT_TYPES,
  COMMENT_LIMITS,
  COMMENT_STATUSES,
  COMMENT_TYPES,
  MAX_TIMESTAMP_MS,
  TIMESTAMP_PRECISION_MS,
} from '../../domain/comments.js';
import type { Comment } from '../../store/comments-repository.js';
import type { CommentPage, CommentStreamEvent } from '../../services/comment-service.js';

export const CommentParams = z.object({ id: z.uuid(), commentId: z.uuid() });

const Person = z
  .object({
    id: z
      .string()
      .trim()
      .min(1)
      .max(COMMENT_LIMITS.maxAuthorId)
      .describe("The integration's own id of the person; stored only as a masking token (tok_…)."),
    displayName: z.string().trim().min(1).max(COMMENT_LIMITS.maxDisplayName).describe('The name shown.'),
  })
  .strict();

const Text = z
  .string()
  .describe(
    `Plain text, at most ${COMMENT_LIMITS.maxTextLength} characters (413 beyond). Stored and returned as given: never HTML.`,
  );

const RegionSchema = z
  .object({
    x: z.number().min(0).max(1),
    y: z.number().min(0).max(1),
    width: z.number().min(0).max(1),
    height: z.number().min(0).max(1),
  })
  .strict()
  .describe('A region of the frame, normalised to 0..1 from the top left; it must lie inside the frame.');

export const NewCommentBody = z
  .object({
    author: Person,
    text: Text,
    mentions: z.array(Person).max(COMMENT_LIMITS.maxMentions).optional(),
    attachments: z
      .array(
        z
          .object({
            url: z.string().max(COMMENT_LIMITS.maxAttachmentUrlLength).describe('An absolute http(s) URL.'),
            name: z.string().trim().min(1).max(200).optional(),
          })
          .strict(),
      )
      .max(COMMENT_LIMITS.maxAttachments)
      .optional(),
    timestamp: z
      .number()
      .int()
      .min(0)
      .max(MAX_TIMESTAMP_MS)
      .optional()
      .describe(
        `Where in the media the feedback points, in ms; a multiple of ${TIMESTAMP_PRECISION_MS} (others are refused, not rounded).`,
      ),
    region: RegionSchema.optional(),
    type: z.enum(COMMENT_TYPES).optional().describe('Default note.'),
  })
  .strict()
  .meta({
    id: 'NewComment',
    examples: [
      {
        author: { id: 'user-17', displayName: 'Ada' },
        text: 'The logo at 01:12 is the old one',
        timestamp: 72_000,
        region: { x: 0.7, y: 0.05, width: 0.2, height: 0.1 },
        type: 'issue',
      },
    ],
  });

export const NewReplyBody = z
  .object({
    author: Person,
    text: Text,
    mentions: z.array(Person).max(COMMENT_LIMITS.maxMentions).optional(),
    attachments: NewCommentBody.shape.attachments,
  })
  .strict()
  .meta({ id: 'NewCommentReply' });

export const EditCommentBody = z.object({ author: Person, text: Text }).strict().meta({ id: 'CommentEdit' });

export const DeleteCommentBody = z
  .object({ author: Person.optional() })
  .strict()
  .meta({ id: 'CommentDeletion' });

export const ReactionBody = z
  .object({
    author: Person,
    emoji: z
      .string()
      .trim()
      .min(1)
      .max(COMMENT_LIMITS.maxEmojiLength)
      .describe('An emoji (or a short code such as :+1:).'),
  })
  .strict()
  .meta({ id: 'CommentReaction' });

export const TransitionBody = z
  .object({
    author: Person.describe('Who makes the change (audited as a masking token).'),
    status: z.enum(COMMENT_STATUSES),
    assignee: Person.nullable()
      .optional()
      .describe('Who is to act on it; null unassigns; absent keeps the assignee.'),
  })
  .strict()
  .meta({ id: 'CommentTransition' });

const csv = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(values)).max(values.length))
    .optional();

export const CommentListQuery = z
  .object({
    status: csv(COMMENT_STATUSES).describe('Comma-separated statuses.'),
    type: csv(COMMENT_TYPES).describe('Comma-separated types.'),
    author: z.string().trim().min(1).max(COMMENT_LIMITS.maxAuthorId).optional().describe("The author's id."),
    from: z.coerce.number().int().min(0).optional().describe('Feedback at or after this timestamp (ms).'),
    to: z.coerce.number().int().min(0).optional().describe('Feedback at or before this timestamp (ms).'),
    limit: z.coerce.number().int().min(1).max(COMMENT_LIMITS.maxPageSize).default(20),
    cursor: z.string().max(500).optional(),
  })
  .strict();

const PersonSchema = z
  .object({
    token: z.string().describe("The person's masking token (tok_…), or `erased`."),
    displayName: z.string(),
  })
  .meta({ id: 'CommentPerson' });

const ReactionCount = z
  .object({ emoji: z.string(), count: z.number().int() })
  .meta({ id: 'CommentReactionCount' });

export const CommentSchema = z
  .object({
    id: z.uuid(),
    assetId: z.uuid(),
    parentId: z.uuid().nullable(),
    threadId: z.uuid().describe('The top-level comment of the thread (itself for a top-level comment).'),
    depth: z
      .number()
      .int()
      .describe(`0 for a thread; replies nest at most ${COMMENT_LIMITS.maxDepth} levels.`),
    author: PersonSchema,
    text: z.string().describe('Plain text; empty once deleted.'),
    mentions: z.array(PersonSchema),
    attachments: z.array(z.object({ url: z.string(), name: z.string().nullable() })),
    timestamp: z.number().int().nullable().describe('ms into the media, or null.'),
    region: RegionSchema.nullable(),
    type: z.enum(COMMENT_TYPES).nullable().describe('Threads only.'),
    status: z.enum(COMMENT_STATUSES).nullable().describe('Threads only.'),
    assignee: PersonSchema.nullable(),
    analysis: z
      .object({
        sentiment: z.enum(['positive', 'neutral', 'negative']),
        sentimentScore: z.number().describe("AFINN's average per word."),
        keywords: z.array(z.string()),
        topics: z.array(z.string()),
      })
      .nullable(),
    reactions: z.array(ReactionCount),
    edited: z.number().int().describe('How many times the text was edited.'),
    deleted: z.boolean(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Comment' });

const ThreadSchema = CommentSchema.extend({ replies: z.array(CommentSchema) }).meta({ id: 'CommentThread' });

const Facet = z.array(z.object({ value: z.string(), count: z.number().int() }));

export const CommentPageSchema = z
  .object({
    items: z.array(ThreadSchema),
    nextCursor: z.string().nullable(),
    facets: z
      .object({
        status: Facet,
        type: Facet,
        sentiment: Facet,
        keywords: Facet,
        topics: Facet,
      })
      .describe("Counts over the asset's live threads matching the filters."),
  })
  .meta({ id: 'CommentPage' });

export const CommentDetailSchema = CommentSchema.extend({
  history: z
    .array(z.object({ revision: z.number().int(), text: z.string(), editedAt: z.iso.datetime() }))
    .describe('The texts edits replaced, oldest first.'),
}).meta({ id: 'CommentDetail' });

export const StreamHeaders = z.object({
  'last-event-id': z
    .string()
    .regex(/^\d{1,15}$/)
    .optional()
    .describe('The id of the last event received: the stream resumes after it.'),
});

export const STREAM_EVENT_TYPES = COMMENT_EVENT_TYPES;

export const commentDto = (
  c: Comment,
  reactions: { emoji: string; count: number }[] = [],
): z.output<typeof CommentSchema> => ({
  id: c.id,
  assetId: c.assetId,
  parentId: c.parentId,
  threadId: c.rootId,
  depth: c.depth,
  author: c.author,
  text: c.text,
  mentions: c.mentions,
  attachments: c.attachments,
  timestamp: c.timestampMs,
  region: c.region,
  type: c.type,
  status: c.status,
  assignee: c.assignee,
  analysis: c.analysis
    ? {
        sentiment: c.analysis.sentiment,
        sentimentScore: c.analysis.sentimentScore,
        keywords: c.analysis.keywords,
        topics: c.analysis.topics,
      }
    : null,
  reactions,
  edited: c.edits,
  deleted: c.deletedAt !== null,
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt.toISOString(),
});

export const commentPageDto = (
  page: CommentPage,
  nextCursor: string | null,
): z.output<typeof CommentPageSchema> => ({
  items: page.items.map((t) => ({
    ...commentDto(t.comment, t.reactions),
    replies: t.replies.map((r) => commentDto(r.comment, r.reactions)),
  })),
  nextCursor,
  facets: page.facets,
});

/** One SSE frame: id, event type and the comment as JSON on one data line. */
export const sseFrame = (e: CommentStreamEvent): string =>
  `id: ${e.seq}\nevent: ${e.type}\ndata: ${JSON.stringify(commentDto(e.comment, e.reactions))}\n\n`;
