import type { Client, estypes } from '@elastic/elasticsearch';
import type { PopularityUpdate } from '../../domain/popularity.js';
import { documentId } from './versioned-index.js';

/*
 * Learned popularity on Elasticsearch documents: a `_bulk` of partial updates (`update` with a
 * painless script), so that no document is re-sent and no projection version moves. The script
 * writes only over an older `popularity_at` (or none) and otherwise makes the update a no-op, so
 * applying a run again, or an older run late, changes nothing. A document the index does not hold
 * (404) is left out. An update raises the internal `_version`; the next projection of the asset
 * then meets a 409 that `settleConflicts` resolves on the projection version in the source.
 */

/** What the script sets; the fields of mapping v5 (versioned-index.ts). */
export interface PopularityFields {
  learned_popularity: number;
  trending: number;
  popularity_at: string;
}

const SCRIPT = `
  if (ctx._source.popularity_at == null || ctx._source.popularity_at.compareTo(params.popularity_at) <= 0) {
    ctx._source.learned_popularity = params.learned_popularity;
    ctx._source.trending = params.trending;
    ctx._source.popularity_at = params.popularity_at;
  } else {
    ctx.op = 'noop';
  }`;

/** The bulk body; one update per row. Times as fixed-width ISO strings, which compare in time order. */
export function popularityOperations(
  index: string,
  tenantId: string,
  rows: PopularityUpdate[],
): estypes.BulkRequest['operations'] {
  return rows.flatMap((r) => {
    const params: PopularityFields = {
      learned_popularity: r.popularity,
      trending: r.trending,
      popularity_at: r.computedAt.toISOString(),
    };
    const action: estypes.BulkOperationContainer = {
      update: { _index: index, _id: documentId(tenantId, r.assetId), retry_on_conflict: 3 },
    };
    const body: estypes.BulkUpdateAction = { script: { source: SCRIPT, lang: 'painless', params } };
    return [action, body];
  });
}

export async function applyPopularity(
  client: Client,
  indices: string[],
  tenantId: string,
  rows: PopularityUpdate[],
): Promise<void> {
  if (rows.length === 0) return;
  for (const index of indices) {
    const res = await client.bulk({ operations: popularityOperations(index, tenantId, rows) });
    if (!res.errors) continue;
    for (const item of res.items) {
      const result = item.update;
      if (result && result.status >= 300 && result.status !== 404)
        throw new Error(
          `popularity update of ${result._id ?? '?'} failed with ${result.status}: ${result.error?.reason ?? ''}`,
        );
    }
  }
}
