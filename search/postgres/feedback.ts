import { run, statement, type Sql } from '../../store/database.js';
import { FEEDBACK_SEARCH, type FeedbackMatch, type FeedbackMoment } from '../search-index.js';

/*
 * Feedback moments on Postgres (search_feedback, migration 0066): a comment's text with its own
 * tsvector, beside the documents and never in their postings or statistics, so that it ranks and
 * relates nothing of the asset. A query matches a moment holding all its words (stemmed as the
 * documents are, `english`).
 */

const DELETE = statement(
  `DELETE FROM search_feedback WHERE tenant_id = :tenantId AND asset_id = ANY(:assetIds::uuid[])`,
);

const INSERT = statement(`INSERT INTO search_feedback (tenant_id, asset_id, comment_id, start_ms, body, terms)
  SELECT :tenantId, x.asset_id, x.comment_id, x.start_ms, x.body, to_tsvector('english', x.body)
  FROM jsonb_to_recordset(:rows::jsonb) AS x(asset_id uuid, comment_id uuid, start_ms integer, body text)
  ON CONFLICT (tenant_id, asset_id, comment_id) DO UPDATE
    SET start_ms = EXCLUDED.start_ms, body = EXCLUDED.body, terms = EXCLUDED.terms`);

/**
 * The best moment of each asset holding every word, best first (ts_rank, then earliest, then asset
 * id); only assets with a document.
 */
export const FEEDBACK_MATCHES = statement(`WITH q AS (SELECT plainto_tsquery('english', :text) AS q),
  matched AS (
    SELECT DISTINCT ON (f.asset_id) f.asset_id, f.comment_id, f.start_ms, f.body, ts_rank(f.terms, q.q) AS score
    FROM search_feedback f CROSS JOIN q
    WHERE f.tenant_id = :tenantId AND f.terms @@ q.q
      AND (:assetIds::uuid[] IS NULL OR f.asset_id = ANY(:assetIds::uuid[]))
      AND EXISTS (SELECT 1 FROM search_documents d WHERE d.tenant_id = :tenantId AND d.asset_id = f.asset_id)
    ORDER BY f.asset_id, score DESC, f.start_ms, f.comment_id
  )
  SELECT m.asset_id, m.comment_id, m.start_ms,
         ts_headline('english', m.body, q.q, 'HighlightAll=true, StartSel=<mark>, StopSel=</mark>') AS fragment
  FROM matched m CROSS JOIN q
  ORDER BY m.score DESC, m.asset_id
  LIMIT :limit`);

export const FEEDBACK_STATEMENTS = { DELETE, INSERT, FEEDBACK_MATCHES };

/** The rows of moments as INSERT reads them; bounded as comments are. */
function rowsOf(entries: { assetId: string; moments: FeedbackMoment[] }[]): string {
  return JSON.stringify(
    entries.flatMap((e) =>
      e.moments.slice(0, FEEDBACK_SEARCH.maxPerAsset).map((m) => ({
        asset_id: e.assetId,
        comment_id: m.commentId,
        start_ms: m.startMs,
        body: m.text.slice(0, FEEDBACK_SEARCH.maxTextLength),
      })),
    ),
  );
}

/** Replaces the assets' moments in the caller's transaction (asset order: rows lock in one order). */
export async function replaceFeedback(
  tx: Sql,
  tenantId: string,
  entries: { assetId: string; moments: FeedbackMoment[] }[],
): Promise<void> {
  if (entries.length === 0) return;
  const sorted = [...entries].sort((a, b) => (a.assetId < b.assetId ? -1 : a.assetId > b.assetId ? 1 : 0));
  await run(tx, DELETE, { tenantId, assetIds: sorted.map((e) => e.assetId) });
  if (sorted.some((e) => e.moments.length > 0)) await run(tx, INSERT, { tenantId, rows: rowsOf(sorted) });
}

export async function feedbackMatches(
  sql: Sql,
  tenantId: string,
  text: string,
  options: { limit: number; assetIds?: string[] },
): Promise<FeedbackMatch[]> {
  const limit = Math.max(0, Math.min(options.limit, FEEDBACK_SEARCH.maxMatches));
  if (!text.trim() || limit === 0 || options.assetIds?.length === 0) return [];
  const rows = await run<{ asset_id: string; comment_id: string; start_ms: number; fragment: string }>(
    sql,
    FEEDBACK_MATCHES,
    { tenantId, text, limit, assetIds: options.assetIds ?? null },
  );
  return rows.map((r) => ({
    assetId: r.asset_id,
    commentId: r.comment_id,
    start: r.start_ms / 1000,
    fragment: r.fragment,
  }));
}
