import { run, type Sql } from '../../store/database.js';
import { momentOf } from '../adapter-rules.js';
import type { HitHighlights } from '../search-index.js';
import { SQL } from './statements.js';

/** Transcript highlighting reads at most this much of a transcript: bounded cost per hit. */
const TRANSCRIPT_HIGHLIGHT_CHARS = 200_000;
/**
 * The highlights of the given documents for the query's terms, with the moment of a transcript
 * match. Only for the page being returned: ts_headline is too costly to run on every match.
 */
export async function highlightDocuments(
  sql: Sql,
  tenantId: string,
  terms: string[],
  assetIds: string[],
): Promise<Map<string, HitHighlights>> {
  if (assetIds.length === 0) return new Map();
  const rows = await run<{
    asset_id: string;
    title: string;
    description: string;
    transcript: string;
    excerpt: string;
  }>(sql, SQL.highlights, { tenantId, terms, assetIds, transcriptChars: TRANSCRIPT_HIGHLIGHT_CHARS });
  const result = new Map<string, HitHighlights>();
  for (const r of rows) {
    const h: Record<string, string> = {};
    if (r.title.includes('<mark>')) h.title = r.title;
    if (r.description.includes('<mark>')) h.description = r.description;
    let moment: { start: number } | undefined;
    if (r.transcript.includes('<mark>')) {
      h.transcript = r.transcript;
      const start = momentOf(r.excerpt, r.transcript);
      if (start !== null) moment = { start };
    }
    result.set(r.asset_id, moment ? { highlights: h, moment } : { highlights: h });
  }
  return result;
}
