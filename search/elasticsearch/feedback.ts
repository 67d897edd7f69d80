import type { Client, estypes } from '@elastic/elasticsearch';
import { FEEDBACK_SEARCH, type FeedbackMatch, type FeedbackMoment } from '../search-index.js';
import { INDEX_BODY, isError } from './versioned-index.js';

/*
 * Feedback moments on Elasticsearch: an index of their own (`<prefix>-feedback`), one document per
 * comment, beside the versioned asset index and never in its documents. A comment changes no asset
 * version, and an asset document is written with external versions, so a partial update of it
 * would move the version the next projection is compared with. Not versioned itself: each write
 * replaces an asset's moments whole, and a rebuild of the asset index leaves it alone.
 */

/** The same `media_english` analyzer as the asset index: a word finds a comment as it finds a document. */
export const FEEDBACK_INDEX_BODY: Omit<estypes.IndicesCreateRequest, 'index'> = {
  settings: { analysis: { ...INDEX_BODY.settings!.analysis! } },
  mappings: {
    dynamic: 'strict',
    properties: {
      tenant_id: { type: 'keyword' },
      asset_id: { type: 'keyword' },
      comment_id: { type: 'keyword' },
      start_ms: { type: 'integer' },
      text: { type: 'text', analyzer: 'media_english' },
    },
  },
};

export interface FeedbackDoc {
  tenant_id: string;
  asset_id: string;
  comment_id: string;
  start_ms: number;
  text: string;
}

/** Creates the feedback index unless it exists (another process may create it at the same moment). */
export async function ensureFeedbackIndex(client: Client, index: string): Promise<void> {
  try {
    await client.indices.create({ index, ...FEEDBACK_INDEX_BODY });
  } catch (err) {
    if (!isError(err, 'resource_already_exists_exception')) throw err;
  }
}

/** Replaces the assets' moments: their documents deleted, then the new ones written, both refreshed. */
export async function replaceFeedback(
  client: Client,
  index: string,
  tenantId: string,
  entries: { assetId: string; moments: FeedbackMoment[] }[],
): Promise<void> {
  if (entries.length === 0) return;
  await client.deleteByQuery({
    index,
    refresh: true,
    conflicts: 'proceed',
    query: {
      bool: {
        filter: [{ term: { tenant_id: tenantId } }, { terms: { asset_id: entries.map((e) => e.assetId) } }],
      },
    },
  });
  const docs = entries.flatMap((e) =>
    e.moments.slice(0, FEEDBACK_SEARCH.maxPerAsset).map((m): FeedbackDoc => ({
      tenant_id: tenantId,
      asset_id: e.assetId,
      comment_id: m.commentId,
      start_ms: m.startMs,
      text: m.text.slice(0, FEEDBACK_SEARCH.maxTextLength),
    })),
  );
  if (docs.length === 0) return;
  const res = await client.bulk<FeedbackDoc>({
    refresh: 'wait_for',
    operations: docs.flatMap((d) => [
      { index: { _index: index, _id: `${tenantId}:${d.asset_id}:${d.comment_id}` } },
      d,
    ]),
  });
  if (res.errors) {
    const failed = res.items.find((i) => i.index?.error)?.index?.error;
    throw new Error(`feedback moments refused: ${failed?.type ?? 'unknown'}: ${failed?.reason ?? ''}`);
  }
}

/**
 * The request for the best moment of each asset holding every word: `match` with operator and,
 * collapsed on the asset (best score, then earliest), within the tenant.
 */
export function feedbackRequest(
  index: string,
  tenantId: string,
  text: string,
  options: { limit: number; assetIds?: string[] },
): estypes.SearchRequest {
  return {
    index,
    ignore_unavailable: true,
    size: Math.max(0, Math.min(options.limit, FEEDBACK_SEARCH.maxMatches)),
    _source: ['asset_id', 'comment_id', 'start_ms'],
    query: {
      bool: {
        must: [{ match: { text: { query: text, operator: 'and' } } }],
        filter: [
          { term: { tenant_id: tenantId } },
          ...(options.assetIds ? [{ terms: { asset_id: options.assetIds } }] : []),
        ],
      },
    },
    collapse: {
      field: 'asset_id',
      inner_hits: {
        name: 'best',
        size: 1,
        sort: [{ _score: { order: 'desc' } }, { start_ms: 'asc' }, { comment_id: 'asc' }],
        _source: ['asset_id', 'comment_id', 'start_ms'],
        // The whole comment, each matched word marked, as Postgres' HighlightAll.
        highlight: {
          fields: { text: { number_of_fragments: 0 } },
          pre_tags: ['<mark>'],
          post_tags: ['</mark>'],
        },
      },
    },
    sort: [{ _score: { order: 'desc' } }, { asset_id: 'asc' }],
  };
}

/** The answer's best moment per asset, in its order. */
export function readFeedback(res: estypes.SearchResponse<FeedbackDoc>): FeedbackMatch[] {
  return res.hits.hits.flatMap((h) => {
    const inner = (h.inner_hits?.best?.hits.hits[0] ?? h) as estypes.SearchHit<FeedbackDoc>;
    const src = inner._source;
    if (!src) return [];
    return [
      {
        assetId: src.asset_id,
        commentId: src.comment_id,
        start: src.start_ms / 1000,
        fragment: inner.highlight?.text?.[0] ?? '',
      },
    ];
  });
}
