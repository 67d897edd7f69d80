import type { CommentEventType, CommentStatus, CommentType, Region } from '../domain/comments.js';
import type { Sql } from './db.js';

/** An asset's time-coded feedback as search carries it (search/search-index.ts `AssetFeedback`). */
export interface AssetFeedbackRows {
  revision: number;
  openIssues: number;
  moments: { commentId: string; startMs: number; text: string; type: string; status: string }[];
}

/** A person as a comment names them: a masking token and the name they are shown by. */
export interface CommentPerson {
  token: string;
  displayName: string;
}

export interface CommentAttachment {
  url: string;
  name: string | null;
}

export interface CommentAnalysis {
  sentimentScore: number;
  sentiment: 'positive' | 'neutral' | 'negative';
  keywords: string[];
  topics: string[];
}

/** A comment or a reply on an asset, as stored (a deleted one is a tombstone with no text). */
export interface Comment {
  id: string;
  tenantId: string;
  assetId: string;
  parentId: string | null;
  rootId: string;
  depth: number;
  author: CommentPerson;
  text: string;
  mentions: CommentPerson[];
  attachments: CommentAttachment[];
  timestampMs: number | null;
  region: Region | null;
  type: CommentType | null;
  status: CommentStatus | null;
  assignee: CommentPerson | null;
  analysis: CommentAnalysis | null;
  edits: number;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
}

interface CommentRow {
  tenant_id: string;
  id: string;
  asset_id: string;
  parent_id: string | null;
  root_id: string;
  depth: number;
  author_token: string;
  author_name: string;
  body: string;
  mentions: CommentPerson[] | string;
  attachments: CommentAttachment[] | string;
  timestamp_ms: number | null;
  region: Region | string | null;
  kind: CommentType | null;
  status: CommentStatus | null;
  assignee_token: string | null;
  assignee_name: string | null;
  sentiment_score: number | null;
  sentiment: CommentAnalysis['sentiment'] | null;
  keywords: string[];
  topics: string[];
  edits: number;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

const toComment = (r: CommentRow): Comment => ({
  id: r.id,
  tenantId: r.tenant_id,
  assetId: r.asset_id,
  parentId: r.parent_id,
  rootId: r.root_id,
  depth: r.depth,
  author: { token: r.author_token, displayName: r.author_name },
  text: r.body,
  mentions: json(r.mentions),
  attachments: json(r.attachments),
  timestampMs: r.timestamp_ms,
  region: r.region === null ? null : json(r.region),
  type: r.kind,
  status: r.status,
  assignee:
    r.assignee_token === null ? null : { token: r.assignee_token, displayName: r.assignee_name ?? '' },
  analysis:
    r.sentiment === null
      ? null
      : {
          sentimentScore: r.sentiment_score ?? 0,
          sentiment: r.sentiment,
          keywords: r.keywords,
          topics: r.topics,
        },
  edits: r.edits,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
  deletedAt: r.deleted_at === null ? null : new Date(r.deleted_at),
});

/** A comment to insert: as stored, less what the database sets; a new one always has its analysis. */
export type NewComment = Omit<
  Comment,
  'assignee' | 'analysis' | 'edits' | 'createdAt' | 'updatedAt' | 'deletedAt'
> & { analysis: CommentAnalysis };

/** Filters of the listing; they apply to the top-level comments (threads). */
export interface CommentFilter {
  status?: CommentStatus[] | undefined;
  type?: CommentType[] | undefined;
  authorToken?: string | undefined;
  fromMs?: number | undefined;
  toMs?: number | undefined;
}

/** Where a page starts: after this (created_at, id), newest first. */
export interface CommentCursor {
  createdAt: string;
  id: string;
}

export interface CommentEvent {
  seq: number;
  assetId: string;
  commentId: string;
  type: CommentEventType;
  createdAt: Date;
}

export interface CommentFacets {
  status: { value: string; count: number }[];
  type: { value: string; count: number }[];
  sentiment: { value: string; count: number }[];
  keywords: { value: string; count: number }[];
  topics: { value: string; count: number }[];
}

/** The WHERE clause of the filters over `c`, its values numbered from `first`. */
function filterSql(f: CommentFilter, first: number): { sql: string; values: unknown[] } {
  const parts: string[] = [];
  const values: unknown[] = [];
  const add = (clause: (n: number) => string, value: unknown) => {
    values.push(value);
    parts.push(clause(first + values.length - 1));
  };
  if (f.status?.length) add((n) => `c.status = ANY($${n}::text[])`, f.status);
  if (f.type?.length) add((n) => `c.kind = ANY($${n}::text[])`, f.type);
  if (f.authorToken !== undefined) add((n) => `c.author_token = $${n}`, f.authorToken);
  if (f.fromMs !== undefined) add((n) => `c.timestamp_ms >= $${n}`, f.fromMs);
  if (f.toMs !== undefined) add((n) => `c.timestamp_ms <= $${n}`, f.toMs);
  return { sql: parts.map((p) => ` AND ${p}`).join(''), values };
}

const COLUMNS = `c.tenant_id, c.id, c.asset_id, c.parent_id, c.root_id, c.depth, c.author_token, c.author_name,
  c.body, c.mentions, c.attachments, c.timestamp_ms, c.region, c.kind, c.status, c.assignee_token,
  c.assignee_name, c.sentiment_score, c.sentiment, c.keywords, c.topics, c.edits, c.created_at,
  c.updated_at, c.deleted_at`;

export const commentsRepository = {
  /** Serializes the writes to one asset's comments, so event numbers follow commit order. */
  async lockAsset(sql: Sql, tenantId: string, assetId: string): Promise<void> {
    await sql.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`comments:${tenantId}:${assetId}`]);
  },

  async countOnAsset(sql: Sql, tenantId: string, assetId: string): Promise<number> {
    const [row] = await sql.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM asset_comments WHERE tenant_id = $1 AND asset_id = $2',
      [tenantId, assetId],
    );
    return row?.n ?? 0;
  },

  async insert(sql: Sql, c: NewComment): Promise<Comment> {
    const rows = await sql.query<CommentRow>(
      `INSERT INTO asset_comments AS c (tenant_id, id, asset_id, parent_id, root_id, depth, author_token,
         author_name, body, mentions, attachments, timestamp_ms, region, kind, status, sentiment_score,
         sentiment, keywords, topics)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11::jsonb, $12, $13::jsonb, $14, $15, $16,
         $17, $18::text[], $19::text[])
       RETURNING ${COLUMNS}`,
      [
        c.tenantId,
        c.id,
        c.assetId,
        c.parentId,
        c.rootId,
        c.depth,
        c.author.token,
        c.author.displayName,
        c.text,
        JSON.stringify(c.mentions),
        JSON.stringify(c.attachments),
        c.timestampMs,
        c.region === null ? null : JSON.stringify(c.region),
        c.type,
        c.status,
        c.analysis.sentimentScore,
        c.analysis.sentiment,
        c.analysis.keywords,
        c.analysis.topics,
      ],
    );
    return toComment(rows[0]!);
  },

  async get(
    sql: Sql,
    tenantId: string,
    assetId: string,
    id: string,
    opts: { forUpdate?: boolean } = {},
  ): Promise<Comment | null> {
    const rows = await sql.query<CommentRow>(
      `SELECT ${COLUMNS} FROM asset_comments c WHERE c.tenant_id = $1 AND c.asset_id = $2 AND c.id = $3${
        opts.forUpdate ? ' FOR UPDATE' : ''
      }`,
      [tenantId, assetId, id],
    );
    return rows[0] ? toComment(rows[0]) : null;
  },

  /** Replaces the text, keeping the text it replaced as the next revision of the history. */
  async edit(
    sql: Sql,
    tenantId: string,
    id: string,
    change: { previous: string; text: string; analysis: CommentAnalysis },
  ): Promise<Comment> {
    await sql.query(
      `INSERT INTO asset_comment_edits (tenant_id, comment_id, revision, body)
       SELECT $1, $2, coalesce(max(revision), 0) + 1, $3 FROM asset_comment_edits
       WHERE tenant_id = $1 AND comment_id = $2`,
      [tenantId, id, change.previous],
    );
    const rows = await sql.query<CommentRow>(
      `UPDATE asset_comments c SET body = $3, sentiment_score = $4, sentiment = $5, keywords = $6::text[],
         topics = $7::text[], edits = edits + 1, updated_at = date_trunc('milliseconds', now())
       WHERE c.tenant_id = $1 AND c.id = $2 RETURNING ${COLUMNS}`,
      [
        tenantId,
        id,
        change.text,
        change.analysis.sentimentScore,
        change.analysis.sentiment,
        change.analysis.keywords,
        change.analysis.topics,
      ],
    );
    return toComment(rows[0]!);
  },

  /** The texts a comment's edits replaced, oldest first. */
  async history(
    sql: Sql,
    tenantId: string,
    id: string,
  ): Promise<{ revision: number; text: string; editedAt: Date }[]> {
    const rows = await sql.query<{ revision: number; body: string; edited_at: Date }>(
      `SELECT revision, body, edited_at FROM asset_comment_edits
       WHERE tenant_id = $1 AND comment_id = $2 ORDER BY revision`,
      [tenantId, id],
    );
    return rows.map((r) => ({ revision: r.revision, text: r.body, editedAt: new Date(r.edited_at) }));
  },

  /** A tombstone: the text, mentions, attachments, analysis, history and reactions go; the place stays. */
  async tombstone(sql: Sql, tenantId: string, id: string): Promise<Comment> {
    await sql.query('DELETE FROM asset_comment_edits WHERE tenant_id = $1 AND comment_id = $2', [
      tenantId,
      id,
    ]);
    await sql.query('DELETE FROM asset_comment_reactions WHERE tenant_id = $1 AND comment_id = $2', [
      tenantId,
      id,
    ]);
    const rows = await sql.query<CommentRow>(
      `UPDATE asset_comments c SET body = '', mentions = '[]', attachments = '[]', region = NULL,
         sentiment_score = NULL, sentiment = NULL, keywords = '{}', topics = '{}',
         deleted_at = coalesce(deleted_at, date_trunc('milliseconds', now())),
         updated_at = date_trunc('milliseconds', now())
       WHERE c.tenant_id = $1 AND c.id = $2 RETURNING ${COLUMNS}`,
      [tenantId, id],
    );
    return toComment(rows[0]!);
  },

  async setStatus(
    sql: Sql,
    tenantId: string,
    id: string,
    change: { status: CommentStatus; assignee: CommentPerson | null },
  ): Promise<Comment> {
    const rows = await sql.query<CommentRow>(
      `UPDATE asset_comments c SET status = $3, assignee_token = $4, assignee_name = $5,
         updated_at = date_trunc('milliseconds', now())
       WHERE c.tenant_id = $1 AND c.id = $2 RETURNING ${COLUMNS}`,
      [tenantId, id, change.status, change.assignee?.token ?? null, change.assignee?.displayName ?? null],
    );
    return toComment(rows[0]!);
  },

  /** Adds a reaction; false when the author had already reacted with that emoji. */
  async react(sql: Sql, tenantId: string, id: string, emoji: string, authorToken: string): Promise<boolean> {
    const rows = await sql.query(
      `INSERT INTO asset_comment_reactions (tenant_id, comment_id, emoji, author_token)
       VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING emoji`,
      [tenantId, id, emoji, authorToken],
    );
    return rows.length > 0;
  },

  async unreact(
    sql: Sql,
    tenantId: string,
    id: string,
    emoji: string,
    authorToken: string,
  ): Promise<boolean> {
    const rows = await sql.query(
      `DELETE FROM asset_comment_reactions
       WHERE tenant_id = $1 AND comment_id = $2 AND emoji = $3 AND author_token = $4 RETURNING emoji`,
      [tenantId, id, emoji, authorToken],
    );
    return rows.length > 0;
  },

  async distinctEmoji(sql: Sql, tenantId: string, id: string): Promise<string[]> {
    const rows = await sql.query<{ emoji: string }>(
      'SELECT DISTINCT emoji FROM asset_comment_reactions WHERE tenant_id = $1 AND comment_id = $2',
      [tenantId, id],
    );
    return rows.map((r) => r.emoji);
  },

  /** Each comment's reactions: emoji with counts, most first. */
  async reactionsOf(
    sql: Sql,
    tenantId: string,
    ids: string[],
  ): Promise<Map<string, { emoji: string; count: number }[]>> {
    const out = new Map<string, { emoji: string; count: number }[]>();
    if (ids.length === 0) return out;
    const rows = await sql.query<{ comment_id: string; emoji: string; n: number }>(
      `SELECT comment_id, emoji, count(*)::int AS n FROM asset_comment_reactions
       WHERE tenant_id = $1 AND comment_id = ANY($2::uuid[])
       GROUP BY comment_id, emoji ORDER BY comment_id, n DESC, emoji`,
      [tenantId, ids],
    );
    for (const r of rows) {
      const list = out.get(r.comment_id) ?? [];
      list.push({ emoji: r.emoji, count: r.n });
      out.set(r.comment_id, list);
    }
    return out;
  },

  /** A page of an asset's threads (top-level comments), newest first, after `cursor`. */
  async listThreads(
    sql: Sql,
    tenantId: string,
    assetId: string,
    filter: CommentFilter,
    cursor: CommentCursor | null,
    limit: number,
  ): Promise<Comment[]> {
    const f = filterSql(filter, 5);
    const rows = await sql.query<CommentRow>(
      `SELECT ${COLUMNS} FROM asset_comments c
       WHERE c.tenant_id = $1 AND c.asset_id = $2 AND c.depth = 0
         AND ($3::timestamptz IS NULL OR (c.created_at, c.id) < ($3::timestamptz, $4::uuid))${f.sql}
       ORDER BY c.created_at DESC, c.id DESC LIMIT ${Math.trunc(limit)}`,
      [tenantId, assetId, cursor?.createdAt ?? null, cursor?.id ?? null, ...f.values],
    );
    return rows.map(toComment);
  },

  /** The replies of these threads, oldest first (a thread holds at most the asset's bound). */
  async repliesOf(sql: Sql, tenantId: string, rootIds: string[]): Promise<Comment[]> {
    if (rootIds.length === 0) return [];
    const rows = await sql.query<CommentRow>(
      `SELECT ${COLUMNS} FROM asset_comments c
       WHERE c.tenant_id = $1 AND c.root_id = ANY($2::uuid[]) AND c.depth > 0
       ORDER BY c.created_at, c.id`,
      [tenantId, rootIds],
    );
    return rows.map(toComment);
  },

  /** Counts over the asset's live threads matching the filter: status, type, sentiment, keywords, topics. */
  async facets(sql: Sql, tenantId: string, assetId: string, filter: CommentFilter): Promise<CommentFacets> {
    const f = filterSql(filter, 3);
    const where = `c.tenant_id = $1 AND c.asset_id = $2 AND c.depth = 0 AND c.deleted_at IS NULL${f.sql}`;
    const params = [tenantId, assetId, ...f.values];
    const rows = await sql.query<{ dim: string; value: string; n: number }>(
      `SELECT 'status' AS dim, c.status AS value, count(*)::int AS n FROM asset_comments c WHERE ${where} GROUP BY c.status
       UNION ALL
       SELECT 'type', c.kind, count(*)::int FROM asset_comments c WHERE ${where} GROUP BY c.kind
       UNION ALL
       SELECT 'sentiment', c.sentiment, count(*)::int FROM asset_comments c
         WHERE ${where} AND c.sentiment IS NOT NULL GROUP BY c.sentiment
       UNION ALL
       SELECT 'keywords', k, count(*)::int FROM asset_comments c, unnest(c.keywords) AS k WHERE ${where} GROUP BY k
       UNION ALL
       SELECT 'topics', t, count(*)::int FROM asset_comments c, unnest(c.topics) AS t WHERE ${where} GROUP BY t`,
      params,
    );
    const facets: CommentFacets = { status: [], type: [], sentiment: [], keywords: [], topics: [] };
    for (const r of rows) facets[r.dim as keyof CommentFacets].push({ value: r.value, count: r.n });
    for (const list of Object.values(facets) as CommentFacets[keyof CommentFacets][]) {
      list.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
      list.splice(20);
    }
    return facets;
  },

  /** Numbers one change of an asset's comments (under the asset's lock). */
  async appendEvent(
    sql: Sql,
    tenantId: string,
    e: { assetId: string; commentId: string; type: CommentEventType },
  ): Promise<number> {
    const [row] = await sql.query<{ seq: number }>(
      `INSERT INTO asset_comment_events (tenant_id, asset_id, comment_id, type) VALUES ($1, $2, $3, $4)
       RETURNING seq`,
      [tenantId, e.assetId, e.commentId, e.type],
    );
    return Number(row!.seq);
  },

  /** An asset's changes after `seq`, in order; the latest `limit` when `seq` is null. */
  async eventsAfter(
    sql: Sql,
    tenantId: string,
    assetId: string,
    seq: number,
    limit: number,
  ): Promise<CommentEvent[]> {
    const rows = await sql.query<{
      seq: number;
      asset_id: string;
      comment_id: string;
      type: CommentEventType;
      created_at: Date;
    }>(
      `SELECT seq, asset_id, comment_id, type, created_at FROM asset_comment_events
       WHERE tenant_id = $1 AND asset_id = $2 AND seq > $3 ORDER BY seq LIMIT ${Math.trunc(limit)}`,
      [tenantId, assetId, seq],
    );
    return rows.map((r) => ({
      seq: Number(r.seq),
      assetId: r.asset_id,
      commentId: r.comment_id,
      type: r.type,
      createdAt: new Date(r.created_at),
    }));
  },

  /** The asset's latest event number (0 when none). */
  async lastEvent(sql: Sql, tenantId: string, assetId: string): Promise<number> {
    const [row] = await sql.query<{ seq: number | null }>(
      'SELECT max(seq) AS seq FROM asset_comment_events WHERE tenant_id = $1 AND asset_id = $2',
      [tenantId, assetId],
    );
    return Number(row?.seq ?? 0);
  },

  /**
   * The time-coded feedback of these assets as their search documents carry it: live top-level
   * comments with a timestamp (tombstones and erased comments, their text emptied, are left out, so
   * a projection after an edit, a deletion or an erasure drops the old text), at most `perAsset` of
   * each, open issues first then the latest changed; the count of open issues (open or in progress)
   * over all of them; and the number of the asset's comment events as the revision. Assets without any are
   * in the map with none.
   */
  async feedbackOf(
    sql: Sql,
    tenantId: string,
    assetIds: string[],
    perAsset: number,
  ): Promise<Map<string, AssetFeedbackRows>> {
    const out = new Map<string, AssetFeedbackRows>(
      assetIds.map((id) => [id, { revision: 0, openIssues: 0, moments: [] }]),
    );
    if (assetIds.length === 0) return out;
    // One statement, so one snapshot: moments, count and revision agree. The revision is the number
    // of the asset's comment events (never deleted), which only grows from one snapshot to a later
    // one whatever order their transactions took their numbers in: a projection that read earlier
    // never replaces one that read later (max(seq) did not order them: an erasure could take seq 6,
    // a comment seq 7 and commit first).
    const rows = await sql.query<{
      asset_id: string;
      revision: string;
      open_issues: number;
      moments: { id: string; timestamp_ms: number; body: string; kind: string; status: string }[];
    }>(
      `SELECT a.id AS asset_id,
         (SELECT count(*) FROM asset_comment_events e WHERE e.tenant_id = $1 AND e.asset_id = a.id) AS revision,
         (SELECT count(*)::int FROM asset_comments c WHERE c.tenant_id = $1 AND c.asset_id = a.id AND c.depth = 0
            AND c.deleted_at IS NULL AND c.kind = 'issue' AND c.status IN ('open', 'in_progress')) AS open_issues,
         (SELECT coalesce(json_agg(json_build_object('id', m.id, 'timestamp_ms', m.timestamp_ms, 'body', m.body,
                   'kind', m.kind, 'status', m.status) ORDER BY m.timestamp_ms, m.id), '[]'::json)
            FROM (SELECT c.id, c.timestamp_ms, c.body, c.kind, c.status FROM asset_comments c
                  WHERE c.tenant_id = $1 AND c.asset_id = a.id AND c.depth = 0
                    AND c.timestamp_ms IS NOT NULL AND c.deleted_at IS NULL AND c.body <> ''
                  ORDER BY (c.kind = 'issue' AND c.status IN ('open', 'in_progress')) DESC, c.updated_at DESC, c.id
                  LIMIT $3) m) AS moments
       FROM unnest($2::uuid[]) AS a(id)`,
      [tenantId, assetIds, perAsset],
    );
    for (const r of rows) {
      const f = out.get(r.asset_id);
      if (!f) continue;
      f.revision = Number(r.revision);
      f.openIssues = Number(r.open_issues);
      f.moments = r.moments.map((m) => ({
        commentId: m.id,
        startMs: Number(m.timestamp_ms),
        text: m.body,
        type: m.kind,
        status: m.status,
      }));
    }
    return out;
  },

  async findByIds(sql: Sql, tenantId: string, ids: string[]): Promise<Comment[]> {
    if (ids.length === 0) return [];
    const rows = await sql.query<CommentRow>(
      `SELECT ${COLUMNS} FROM asset_comments c WHERE c.tenant_id = $1 AND c.id = ANY($2::uuid[])`,
      [tenantId, ids],
    );
    return rows.map(toComment);
  },

  /**
   * A person's erasure: their comments become tombstones by an erased author, their reactions go,
   * and where they were mentioned or assigned the mention or assignment goes. Returns the comments
   * changed, with their assets.
   */
  async eraseAuthor(
    sql: Sql,
    tenantId: string,
    token: string,
    erasedName: string,
  ): Promise<{ id: string; assetId: string }[]> {
    const own = await sql.query<{ id: string; asset_id: string }>(
      `UPDATE asset_comments SET author_token = 'erased', author_name = $3, body = '', mentions = '[]',
         attachments = '[]', region = NULL, sentiment_score = NULL, sentiment = NULL, keywords = '{}',
         topics = '{}', deleted_at = coalesce(deleted_at, date_trunc('milliseconds', now())),
         updated_at = date_trunc('milliseconds', now())
       WHERE tenant_id = $1 AND author_token = $2 RETURNING id, asset_id`,
      [tenantId, token, erasedName],
    );
    if (own.length > 0)
      await sql.query(
        'DELETE FROM asset_comment_edits WHERE tenant_id = $1 AND comment_id = ANY($2::uuid[])',
        [tenantId, own.map((r) => r.id)],
      );
    await sql.query('DELETE FROM asset_comment_reactions WHERE tenant_id = $1 AND author_token = $2', [
      tenantId,
      token,
    ]);
    const others = await sql.query<{ id: string; asset_id: string }>(
      `UPDATE asset_comments SET
         assignee_token = CASE WHEN assignee_token = $2 THEN NULL ELSE assignee_token END,
         assignee_name = CASE WHEN assignee_token = $2 THEN NULL ELSE assignee_name END,
         mentions = coalesce((SELECT jsonb_agg(m) FROM jsonb_array_elements(mentions) AS m
                              WHERE m->>'token' IS DISTINCT FROM $2), '[]'::jsonb)
       WHERE tenant_id = $1 AND (assignee_token = $2 OR mentions @> jsonb_build_array(jsonb_build_object('token', $2::text)))
       RETURNING id, asset_id`,
      [tenantId, token],
    );
    return [...own, ...others].map((r) => ({ id: r.id, assetId: r.asset_id }));
  },
};

export type CommentsRepository = typeof commentsRepository;
