import { isOpenIssue } from '../../domain/comments.js';
import type { Client, estypes } from '@elastic/elasticsearch';
import {
  FEEDBACK_MOMENTS,
  type AssetFeedback,
  type FeedbackMatch,
  type SearchDocument,
} from '../search-index.js';
import { documentId } from './versioned-index.js';

/*
 * Time-coded feedback on Elasticsearch (mapping v6): inside the asset's document, as `feedback`
 * (nested: each moment matched on its own), `open_issues` and `feedback_revision`. Written with the
 * document when an upsert applies it; otherwise (a comment changes no asset version) by a partial
 * update of the document held, as learned popularity is (popularity.ts): an `update` without
 * `upsert`, so a document the index does not hold is never created by it (404, left out), and a
 * script that writes only over an older revision. The raised internal `_version` is settled on the
 * projection version in the source (`settleConflicts`).
 */

/** The fields as the index stores them. */
export interface FeedbackFields {
  feedback: { comment_id: string; start_ms: number; text: string; open: boolean }[];
  open_issues: number;
  feedback_revision: number;
}

export function feedbackFields(feedback: AssetFeedback | undefined): FeedbackFields {
  return {
    feedback: (feedback?.moments ?? []).map((m) => ({
      comment_id: m.commentId,
      start_ms: m.startMs,
      text: m.text,
      open: isOpenIssue(m),
    })),
    open_issues: feedback?.openIssues ?? 0,
    feedback_revision: feedback?.revision ?? 0,
  };
}

const SCRIPT = `
  def held = ctx._source.feedback_revision;
  if (held == null || held <= params.feedback_revision) {
    ctx._source.feedback = params.feedback;
    ctx._source.open_issues = params.open_issues;
    ctx._source.feedback_revision = params.feedback_revision;
  } else {
    ctx.op = 'noop';
  }`;

/** The bulk body: one scripted update per document carrying feedback. */
export function feedbackOperations(
  index: string,
  tenantId: string,
  docs: SearchDocument[],
): estypes.BulkRequest['operations'] {
  return docs.flatMap((d) => {
    if (!d.feedback) return [];
    const action: estypes.BulkOperationContainer = {
      update: { _index: index, _id: documentId(tenantId, d.assetId), retry_on_conflict: 3 },
    };
    const body: estypes.BulkUpdateAction = {
      script: { source: SCRIPT, lang: 'painless', params: { ...feedbackFields(d.feedback) } },
    };
    return [action, body];
  });
}

/** Writes the documents' feedback into the ones each index holds (404: not held, left out). */
export async function applyFeedback(
  client: Client,
  indices: string[],
  tenantId: string,
  docs: SearchDocument[],
): Promise<void> {
  const operations = feedbackOperations('', tenantId, docs);
  if (!operations || operations.length === 0) return;
  for (const index of indices) {
    const res = await client.bulk({
      operations: feedbackOperations(index, tenantId, docs),
      refresh: 'wait_for',
    });
    if (!res.errors) continue;
    for (const item of res.items) {
      const result = item.update;
      if (result && result.status >= 300 && result.status !== 404)
        throw new Error(
          `feedback update of ${result._id ?? '?'} failed with ${result.status}: ${result.error?.reason ?? ''}`,
        );
    }
  }
}

/**
 * The assets whose moments hold every word (`operator: and` on one moment), each with its best
 * moment (then the earliest) and its text with the words marked, as Postgres marks them.
 */
export function feedbackMomentsRequest(
  index: string,
  tenantId: string,
  text: string,
  options: { limit: number; openOnly?: boolean },
): estypes.SearchRequest {
  return {
    index,
    size: Math.max(0, Math.min(options.limit, FEEDBACK_MOMENTS.maxMatches)),
    _source: ['asset_id'],
    query: {
      bool: {
        filter: [{ term: { tenant_id: tenantId } }],
        must: [
          {
            nested: {
              path: 'feedback',
              score_mode: 'max',
              query: {
                bool: {
                  must: [{ match: { 'feedback.text': { query: text, operator: 'and' } } }],
                  ...(options.openOnly ? { filter: [{ term: { 'feedback.open': true } }] } : {}),
                },
              },
              inner_hits: {
                name: 'best',
                size: 1,
                sort: [{ _score: { order: 'desc' } }, { 'feedback.start_ms': { order: 'asc' } }],
                _source: ['feedback.comment_id', 'feedback.start_ms'],
                highlight: {
                  fields: { 'feedback.text': { number_of_fragments: 0 } },
                  pre_tags: ['<mark>'],
                  post_tags: ['</mark>'],
                },
              },
            },
          },
        ],
      },
    },
    sort: [{ _score: { order: 'desc' } }, { asset_id: { order: 'asc' } }],
  };
}

export function readFeedbackMoments(res: estypes.SearchResponse<{ asset_id: string }>): FeedbackMatch[] {
  return res.hits.hits.flatMap((h) => {
    const inner = h.inner_hits?.best?.hits.hits[0];
    const src = inner?._source as { comment_id?: string; start_ms?: number } | undefined;
    if (!h._source || !src?.comment_id || src.start_ms === undefined) return [];
    return [
      {
        assetId: h._source.asset_id,
        commentId: src.comment_id,
        start: src.start_ms / 1000,
        fragment: inner?.highlight?.['feedback.text']?.[0] ?? '',
      },
    ];
  });
}
