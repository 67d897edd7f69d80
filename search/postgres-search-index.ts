import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../domain/cursor.js';
import type { Database } from '../store/db.js';
import type {
  ProjectionOutcome,
  SearchDocument,
  SearchHit,
  SearchIndex,
  SearchPage,
  SearchQuery,
} from './search-index.js';

// Relevance cursor: the last hit's score and id; browse cursor: its creation time and id.
const CursorSchema = z.union([
  z.object({ m: z.literal('r'), s: z.number(), id: z.uuid() }),
  z.object({ m: z.literal('b'), t: z.iso.datetime({ offset: true }), id: z.uuid() }),
]);

// ts_rank_cd weights for the D, C, B, A labels set in `upsert`.
const RANK_WEIGHTS = '{0.1, 0.3, 0.6, 1.0}';
const HEADLINE_OPTIONS = 'StartSel=<mark>, StopSel=</mark>, MaxWords=35, MinWords=10, MaxFragments=2';

/**
 * Full-text search on Postgres: a weighted tsvector per asset behind a GIN index.
 * The embedded default; the same SQL runs on PGlite and on a Postgres server.
 */
export class PostgresSearchIndex implements SearchIndex {
  readonly kind = 'postgres';
  constructor(private readonly db: Database) {}

  async upsert(tenantId: string, doc: SearchDocument): Promise<ProjectionOutcome> {
    return this.db.transaction(async (tx) => {
      const current = await tx.query<{ version: number }>(
        'SELECT version FROM search_documents WHERE tenant_id = $1 AND asset_id = $2 FOR UPDATE',
        [tenantId, doc.assetId],
      );
      const held = current[0]?.version;
      if (held !== undefined && held > doc.version) return 'stale';
      if (held === doc.version) return 'unchanged';
      await tx.query(
        `INSERT INTO search_documents (tenant_id, asset_id, version, type, source_system, status, title, description,
           transcript, tags, speakers, topics, keywords, created_at, duration_seconds, width, height, technical, document, projected_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::text[], $11::text[], $12::text[], $13::text[], $14,
           $15, $16, $17, $18::jsonb,
           setweight(to_tsvector('english', $7), 'A')
           || setweight(to_tsvector('english', array_to_string($11::text[], ' ')), 'A')
           || setweight(to_tsvector('english', array_to_string($10::text[] || $12::text[], ' ')), 'B')
           || setweight(to_tsvector('english', $8), 'C')
           || setweight(to_tsvector('english', array_to_string($19::text[], ' ')), 'C')
           || setweight(to_tsvector('english', array_to_string($13::text[], ' ')), 'C')
           || setweight(to_tsvector('english', $9), 'D'),
           now())
         ON CONFLICT (tenant_id, asset_id) DO UPDATE SET
           version = EXCLUDED.version, type = EXCLUDED.type, source_system = EXCLUDED.source_system,
           status = EXCLUDED.status, title = EXCLUDED.title, description = EXCLUDED.description,
           transcript = EXCLUDED.transcript, tags = EXCLUDED.tags, speakers = EXCLUDED.speakers,
           topics = EXCLUDED.topics, keywords = EXCLUDED.keywords, created_at = EXCLUDED.created_at,
           duration_seconds = EXCLUDED.duration_seconds, width = EXCLUDED.width, height = EXCLUDED.height,
           technical = EXCLUDED.technical,
           document = EXCLUDED.document, projected_at = now()`,
        [
          tenantId,
          doc.assetId,
          doc.version,
          doc.type,
          doc.sourceSystem,
          doc.status,
          doc.title,
          doc.description,
          doc.transcript,
          doc.tags,
          doc.speakers,
          doc.topics,
          doc.keywords,
          doc.createdAt.toISOString(),
          doc.technical.durationSeconds ?? null,
          doc.technical.width ?? null,
          doc.technical.height ?? null,
          JSON.stringify(doc.technical),
          doc.people,
        ],
      );
      return 'applied';
    });
  }

  async remove(tenantId: string, assetId: string): Promise<void> {
    await this.db.query('DELETE FROM search_documents WHERE tenant_id = $1 AND asset_id = $2', [
      tenantId,
      assetId,
    ]);
  }

  async search(tenantId: string, query: SearchQuery): Promise<SearchPage> {
    const cursor = query.cursor ? decodeCursor(query.cursor, CursorSchema) : undefined;
    const text = query.text.trim();
    return text === ''
      ? this.browse(tenantId, query.limit, cursor)
      : this.rank(tenantId, text, query.limit, cursor);
  }

  private async rank(
    tenantId: string,
    text: string,
    limit: number,
    cursor: z.infer<typeof CursorSchema> | undefined,
  ): Promise<SearchPage> {
    const params: unknown[] = [tenantId, text, limit + 1];
    let after = '';
    if (cursor) {
      if (cursor.m !== 'r') return { hits: [], nextCursor: null };
      params.push(cursor.s, cursor.id);
      after = 'WHERE (r.score < $4 OR (r.score = $4 AND r.asset_id > $5::uuid))';
    }
    // The query is parsed by websearch_to_tsquery, which accepts any input: quotes, OR and -exclusions.
    const rows = await this.db.query<{
      asset_id: string;
      score: number;
      title: string;
      description: string;
      q: string;
    }>(
      `WITH q AS (SELECT websearch_to_tsquery('english', $2) AS q),
       r AS (
         SELECT d.asset_id, ts_rank_cd('${RANK_WEIGHTS}', d.document, q.q, 1)::float8 AS score,
                d.title, d.description
         FROM search_documents d, q
         WHERE d.tenant_id = $1 AND d.document @@ q.q
       )
       SELECT r.asset_id, r.score, r.title, r.description FROM r ${after}
       ORDER BY r.score DESC, r.asset_id
       LIMIT $3`,
      params,
    );
    const page = rows.slice(0, limit);
    const highlights = await this.highlight(text, page);
    const hits: SearchHit[] = page.map((r) => ({
      assetId: r.asset_id,
      score: r.score,
      highlights: highlights.get(r.asset_id) ?? {},
    }));
    const last = page[page.length - 1];
    return {
      hits,
      nextCursor:
        rows.length > limit && last ? encodeCursor({ m: 'r', s: last.score, id: last.asset_id }) : null,
    };
  }

  /** Highlights only for the page being returned: ts_headline is too costly to run on every match. */
  private async highlight(
    text: string,
    page: { asset_id: string; title: string; description: string }[],
  ): Promise<Map<string, Record<string, string>>> {
    if (page.length === 0) return new Map();
    const rows = await this.db.query<{ asset_id: string; title: string; description: string }>(
      `SELECT x.asset_id,
         ts_headline('english', x.title, websearch_to_tsquery('english', $1), 'HighlightAll=true, StartSel=<mark>, StopSel=</mark>') AS title,
         ts_headline('english', x.description, websearch_to_tsquery('english', $1), '${HEADLINE_OPTIONS}') AS description
       FROM jsonb_to_recordset($2::jsonb) AS x(asset_id uuid, title text, description text)`,
      [
        text,
        JSON.stringify(
          page.map((p) => ({ asset_id: p.asset_id, title: p.title, description: p.description })),
        ),
      ],
    );
    const result = new Map<string, Record<string, string>>();
    for (const r of rows) {
      const h: Record<string, string> = {};
      if (r.title.includes('<mark>')) h.title = r.title;
      if (r.description.includes('<mark>')) h.description = r.description;
      result.set(r.asset_id, h);
    }
    return result;
  }

  private async browse(
    tenantId: string,
    limit: number,
    cursor: z.infer<typeof CursorSchema> | undefined,
  ): Promise<SearchPage> {
    const params: unknown[] = [tenantId, limit + 1];
    let after = '';
    if (cursor) {
      if (cursor.m !== 'b') return { hits: [], nextCursor: null };
      params.push(cursor.t, cursor.id);
      after = 'AND (created_at, asset_id) < ($3::timestamptz, $4::uuid)';
    }
    const rows = await this.db.query<{ asset_id: string; created_at: Date }>(
      `SELECT asset_id, created_at FROM search_documents WHERE tenant_id = $1 ${after}
       ORDER BY created_at DESC, asset_id DESC LIMIT $2`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      hits: page.map((r) => ({ assetId: r.asset_id, score: 0, highlights: {} })),
      nextCursor:
        rows.length > limit && last
          ? encodeCursor({ m: 'b', t: new Date(last.created_at).toISOString(), id: last.asset_id })
          : null,
    };
  }

  async projectedVersions(tenantId: string, assetIds: string[]): Promise<Map<string, number>> {
    if (assetIds.length === 0) return new Map();
    const rows = await this.db.query<{ asset_id: string; version: number }>(
      'SELECT asset_id, version FROM search_documents WHERE tenant_id = $1 AND asset_id = ANY($2::uuid[])',
      [tenantId, assetIds],
    );
    return new Map(rows.map((r) => [r.asset_id, r.version]));
  }
}
