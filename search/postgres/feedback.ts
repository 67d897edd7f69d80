import { isOpenIssue } from '../../domain/comments.js';
import { run, type Sql } from '../../store/database.js';
import { FEEDBACK_MOMENTS, type FeedbackMatch, type SearchDocument } from '../search-index.js';
import { SQL } from './statements.js';

/*
 * Time-coded feedback on Postgres: columns of the asset's search document (migration 0068), set
 * beside its postings and never in them. Written in the transaction that writes the document.
 */

/** Writes the documents' feedback into those the table holds (any version), over an older revision. */
export async function setFeedback(tx: Sql, tenantId: string, docs: SearchDocument[]): Promise<void> {
  const rows = docs.flatMap((d) =>
    d.feedback
      ? [
          {
            asset_id: d.assetId,
            revision: d.feedback.revision,
            open_issues: d.feedback.openIssues,
            moments: d.feedback.moments.map((m) => ({
              comment_id: m.commentId,
              start_ms: m.startMs,
              text: m.text,
              open: isOpenIssue(m),
            })),
          },
        ]
      : [],
  );
  if (rows.length === 0) return;
  await run(tx, SQL.setFeedback, { tenantId, rows: JSON.stringify(rows) });
}

export async function feedbackMatches(
  tx: Sql,
  tenantId: string,
  text: string,
  options: { limit: number; openOnly?: boolean },
): Promise<FeedbackMatch[]> {
  const limit = Math.max(0, Math.min(options.limit, FEEDBACK_MOMENTS.maxMatches));
  if (limit === 0) return [];
  const rows = await run<{ asset_id: string; comment_id: string; start_ms: number; fragment: string }>(
    tx,
    SQL.feedbackMoments,
    { tenantId, text, limit, openOnly: options.openOnly ?? false },
  );
  return rows.map((r) => ({
    assetId: r.asset_id,
    commentId: r.comment_id,
    start: Number(r.start_ms) / 1000,
    fragment: r.fragment,
  }));
}
