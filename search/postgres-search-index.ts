import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../domain/cursor.js';
import type { Database, Sql } from '../store/db.js';
import { parseQuery } from './query-parser.js';
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

/**
 * BM25 parameters. Field weights apply to the tsvector labels set in `upsert` (BM25F-style: a term's
 * frequency and a document's length are sums of field-weighted counts).
 */
export const BM25 = {
  k1: 1.2,
  b: 0.75,
  /** A: title and speakers; B: tags and topics; C: description, keywords, people named; D: transcript. */
  weights: { A: 2.0, B: 1.5, C: 1.0, D: 0.5 },
  /**
   * Impact-ordered early termination: per query term, only the postings with the highest index-time
   * BM25 weight are read. Exact for terms in fewer documents than this; an approximation beyond.
   */
  postingsPerTerm: 5_000,
  /** Added to the score of a title or speaker equal to the whole query, so it ranks first. */
  exactMatchBoost: 1_000,
} as const;

/**
 * Typo tolerance: a query term that is in no document is replaced by up to `expansions` indexed terms
 * whose trigram similarity reaches `minSimilarity`, each weighted by `weight` × similarity so that
 * exact matches rank first. Terms shorter than `minLength` are too short to correct reliably.
 */
export const TYPOS = {
  minLength: 4,
  minSimilarity: 0.25,
  expansions: 2,
  weight: 0.5,
  /**
   * A term some documents do have can still be a typo (corpora contain misspellings too): it also
   * expands, but only to a much closer and far more common spelling.
   */
  knownMinSimilarity: 0.5,
  knownFrequencyRatio: 5,
} as const;
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
      await this.indexPostings(tx, tenantId, doc.assetId, held === undefined);
      return 'applied';
    });
  }

  /**
   * Rewrites the asset's postings from its tsvector and moves the statistics by the difference:
   * document frequencies of terms gained and lost, the tenant's document count and total length.
   */
  private async indexPostings(tx: Sql, tenantId: string, assetId: string, isNew: boolean): Promise<void> {
    const old = await tx.query<{ term: string; doc_length: number }>(
      'DELETE FROM search_postings WHERE tenant_id = $1 AND asset_id = $2 RETURNING term, doc_length',
      [tenantId, assetId],
    );
    const { A, B, C, D } = BM25.weights;
    const fresh = await tx.query<{ term: string; doc_length: number }>(
      `WITH lex AS (
         SELECT u.lexeme AS term,
                (SELECT sum(CASE w WHEN 'A' THEN $3::real WHEN 'B' THEN $4::real WHEN 'C' THEN $5::real ELSE $6::real END)
                 FROM unnest(u.weights) AS w)::real AS tf
         FROM search_documents d, unnest(d.document) AS u
         WHERE d.tenant_id = $1 AND d.asset_id = $2
       ),
       len AS (SELECT coalesce(sum(tf), 0)::real AS l FROM lex),
       cs AS (
         SELECT coalesce((SELECT total_length / GREATEST(doc_count, 1) FROM search_corpus_stats WHERE tenant_id = $1), 0) AS avgdl
       )
       INSERT INTO search_postings (tenant_id, term, asset_id, tf, doc_length, impact)
       SELECT $1, lex.term, $2, lex.tf, len.l,
              lex.tf * ($7::real + 1) / (lex.tf + $7::real * (1 - $8::real + $8::real * len.l / GREATEST(cs.avgdl, len.l, 1)))
       FROM lex, len, cs
       RETURNING term, doc_length`,
      [tenantId, assetId, A, B, C, D, BM25.k1, BM25.b],
    );
    const newLength = fresh[0]?.doc_length ?? 0;
    await tx.query('UPDATE search_documents SET doc_length = $3 WHERE tenant_id = $1 AND asset_id = $2', [
      tenantId,
      assetId,
      newLength,
    ]);
    await this.adjustStats(
      tx,
      tenantId,
      old.map((r) => r.term),
      fresh.map((r) => r.term),
      isNew ? 1 : 0,
      newLength - (old[0]?.doc_length ?? 0),
    );
  }

  private async adjustStats(
    tx: Sql,
    tenantId: string,
    before: string[],
    after: string[],
    docDelta: number,
    lengthDelta: number,
  ): Promise<void> {
    const was = new Set(before);
    const is = new Set(after);
    const gained = after.filter((t) => !was.has(t)).sort();
    const lost = before.filter((t) => !is.has(t)).sort();
    // Sorted, single statements lock term rows in one order: concurrent projections cannot deadlock.
    if (gained.length > 0) {
      await tx.query(
        `INSERT INTO search_term_stats (tenant_id, term, df) SELECT $1, t, 1 FROM unnest($2::text[]) AS t ORDER BY t
         ON CONFLICT (tenant_id, term) DO UPDATE SET df = search_term_stats.df + 1`,
        [tenantId, gained],
      );
    }
    if (lost.length > 0) {
      await tx.query(
        'UPDATE search_term_stats SET df = GREATEST(df - 1, 0) WHERE tenant_id = $1 AND term = ANY($2::text[])',
        [tenantId, lost],
      );
    }
    if (docDelta !== 0 || lengthDelta !== 0) {
      await tx.query(
        `INSERT INTO search_corpus_stats (tenant_id, doc_count, total_length)
         VALUES ($1, GREATEST($2::int, 0), GREATEST($3::float8, 0))
         ON CONFLICT (tenant_id) DO UPDATE SET doc_count = GREATEST(search_corpus_stats.doc_count + $2::int, 0),
           total_length = GREATEST(search_corpus_stats.total_length + $3::float8, 0)`,
        [tenantId, docDelta, lengthDelta],
      );
    }
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
    const query = parseQuery(text);
    const terms = await this.queryTerms(tenantId, query.text);
    const params: unknown[] = [
      tenantId,
      terms.map((t) => t.term),
      limit + 1,
      BM25.k1,
      BM25.b,
      BM25.postingsPerTerm,
      query.phrases,
      query.exclusions,
      text.trim().toLowerCase(),
      BM25.exactMatchBoost,
      terms.map((t) => t.weight),
    ];
    let after = '';
    if (cursor) {
      if (cursor.m !== 'r') return { hits: [], nextCursor: null };
      params.push(cursor.s, cursor.id);
      after = 'AND (r.score < $12 OR (r.score = $12 AND r.asset_id > $13::uuid))';
    }
    // BM25 over the postings: idf from document frequencies, tf saturation with k1, length
    // normalization with b against the tenant's average length.
    const rows = await this.db.query<{ asset_id: string; score: number; title: string; description: string }>(
      `WITH qt AS (SELECT term, qtf FROM unnest($2::text[], $11::float8[]) AS x(term, qtf)),
       cs AS (
         SELECT doc_count::float8 AS n, GREATEST(total_length / GREATEST(doc_count, 1), 1)::float8 AS avgdl
         FROM search_corpus_stats WHERE tenant_id = $1
       ),
       t AS (
         SELECT qt.term, qt.qtf, ln(1 + (cs.n - ts.df + 0.5) / (ts.df + 0.5)) AS idf
         FROM qt JOIN search_term_stats ts ON ts.tenant_id = $1 AND ts.term = qt.term CROSS JOIN cs
         WHERE ts.df > 0
       ),
       m AS (
         SELECT p.asset_id,
                sum(t.idf * t.qtf * p.tf * ($4::float8 + 1)
                    / (p.tf + $4::float8 * (1 - $5::float8 + $5::float8 * p.doc_length / cs.avgdl))) AS score
         FROM t CROSS JOIN cs
         CROSS JOIN LATERAL (
           SELECT asset_id, tf, doc_length FROM search_postings p
           WHERE p.tenant_id = $1 AND p.term = t.term
           ORDER BY p.impact DESC, p.asset_id
           LIMIT $6
         ) p
         GROUP BY p.asset_id
       ),
       r AS (
         SELECT d.asset_id, d.title, d.description,
                (m.score + CASE WHEN lower(d.title) = $9 OR $9 = ANY (SELECT lower(x) FROM unnest(d.speakers) x)
                                THEN $10::float8 ELSE 0 END)::float8 AS score
         FROM m JOIN search_documents d ON d.tenant_id = $1 AND d.asset_id = m.asset_id
         WHERE NOT EXISTS (SELECT 1 FROM unnest($7::text[]) ph WHERE NOT d.document @@ phraseto_tsquery('english', ph))
           AND NOT EXISTS (SELECT 1 FROM unnest($8::text[]) ex WHERE d.document @@ phraseto_tsquery('english', ex))
       )
       SELECT r.asset_id, r.score, r.title, r.description FROM r
       WHERE true ${after}
       ORDER BY r.score DESC, r.asset_id
       LIMIT $3`,
      params,
    );
    const page = rows.slice(0, limit);
    const highlights = await this.highlight(
      terms.map((t) => t.term),
      page,
    );
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

  /**
   * The weighted terms a query ranks by: the stemmed lexemes of its positive words (a word repeated
   * counts once per occurrence, as in Lucene), and for a lexeme no document has, its closest indexed
   * spellings at a lower weight.
   */
  private async queryTerms(tenantId: string, text: string): Promise<{ term: string; weight: number }[]> {
    const lexemes = await this.db.query<{ term: string; qtf: number; df: number }>(
      `SELECT u.lexeme AS term, coalesce(array_length(u.positions, 1), 1)::float8 AS qtf,
              coalesce((SELECT s.df FROM search_term_stats s WHERE s.tenant_id = $1 AND s.term = u.lexeme), 0) AS df
       FROM unnest(to_tsvector('english', $2)) AS u`,
      [tenantId, text],
    );
    const terms = lexemes.filter((l) => l.df > 0).map((l) => ({ term: l.term, weight: l.qtf }));
    const unknown = lexemes.filter((l) => l.term.length >= TYPOS.minLength);
    if (unknown.length === 0) return terms;
    const corrections = await this.db.transaction(async (tx) => {
      // The trigram index answers `%` at the session's threshold; set it for this transaction only.
      await tx.query(`SELECT set_config('pg_trgm.similarity_threshold', $1, true)`, [
        String(TYPOS.minSimilarity),
      ]);
      return tx.query<{ typo: string; term: string; similarity: number }>(
        `SELECT u.typo, c.term, c.similarity
         FROM unnest($2::text[], $3::int[]) AS u(typo, df)
         CROSS JOIN LATERAL (
           SELECT s.term, similarity(s.term, u.typo)::float8 AS similarity FROM search_term_stats s
           WHERE s.tenant_id = $1 AND s.term % u.typo AND s.term <> u.typo AND s.df > 0
             AND (u.df = 0 OR (similarity(s.term, u.typo) >= $5 AND s.df >= u.df * $6))
           ORDER BY similarity(s.term, u.typo) DESC, s.df DESC, s.term
           LIMIT $4
         ) c`,
        [
          tenantId,
          unknown.map((u) => u.term),
          unknown.map((u) => u.df),
          TYPOS.expansions,
          TYPOS.knownMinSimilarity,
          TYPOS.knownFrequencyRatio,
        ],
      );
    });
    const qtf = new Map(unknown.map((u) => [u.term, u.qtf]));
    for (const c of corrections) {
      terms.push({ term: c.term, weight: (qtf.get(c.typo) ?? 1) * TYPOS.weight * c.similarity });
    }
    return terms;
  }

  /** Highlights only for the page being returned: ts_headline is too costly to run on every match. */
  private async highlight(
    terms: string[],
    page: { asset_id: string; title: string; description: string }[],
  ): Promise<Map<string, Record<string, string>>> {
    if (page.length === 0) return new Map();
    const rows = await this.db.query<{ asset_id: string; title: string; description: string }>(
      `SELECT x.asset_id,
         ts_headline('english', x.title, q.q, 'HighlightAll=true, StartSel=<mark>, StopSel=</mark>') AS title,
         ts_headline('english', x.description, q.q, '${HEADLINE_OPTIONS}') AS description
       FROM jsonb_to_recordset($2::jsonb) AS x(asset_id uuid, title text, description text),
         -- Any query word marks, as any of them may have matched.
         (SELECT coalesce(to_tsquery('simple', string_agg(quote_literal(t), ' | ')), ''::tsquery) AS q
          FROM unnest($1::text[]) AS t) q`,
      [
        terms,
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
