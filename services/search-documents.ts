import type { Asset } from '../domain/asset.js';
import { toSearchDocument } from '../indexers/search-document.js';
import type { SearchDocument } from '../search/search-index.js';
import type { Sql } from '../store/database.js';
import type { PopularityRepository } from '../store/popularity-repository.js';
import type { CommentsRepository } from '../store/comments-repository.js';
import { FEEDBACK_MOMENTS, type AssetFeedback } from '../search/search-index.js';

/**
 * What building search documents reads: the canonical learned popularity and time-coded feedback
 * (absent: none is carried).
 */
export interface SearchDocumentSources {
  db: Sql;
  popularity?: Pick<PopularityRepository, 'forAssets'> | undefined;
  feedback?: Pick<CommentsRepository, 'feedbackOf'> | undefined;
}

/**
 * The search documents of a tenant's assets, each with its learned popularity (asset_popularity, one
 * read for all of them) and its time-coded feedback (asset_comments, two reads), so that a document written fresh (a projection, a drift repair, a rebuild)
 * ranks by popularity at once rather than from the next popularity run. Every writer of search
 * documents builds them here. An asset whose document cannot be made is in `failed` with its error,
 * and the others are built.
 */
export async function searchDocumentsOf(
  sources: SearchDocumentSources,
  tenantId: string,
  assets: Asset[],
): Promise<{ docs: Map<string, SearchDocument>; failed: Map<string, unknown> }> {
  const learned =
    assets.length === 0 || !sources.popularity
      ? []
      : await sources.popularity.forAssets(
          sources.db,
          tenantId,
          assets.map((a) => a.id),
        );
  const byAsset = new Map(learned.map((p) => [p.assetId, p]));
  const feedback: Map<string, AssetFeedback> =
    assets.length === 0 || !sources.feedback
      ? new Map<string, AssetFeedback>()
      : await sources.feedback.feedbackOf(
          sources.db,
          tenantId,
          assets.map((a) => a.id),
          FEEDBACK_MOMENTS.maxPerAsset,
        );
  const docs = new Map<string, SearchDocument>();
  const failed = new Map<string, unknown>();
  for (const asset of assets) {
    try {
      docs.set(asset.id, toSearchDocument(asset, byAsset.get(asset.id), feedback.get(asset.id)));
    } catch (err) {
      failed.set(asset.id, err);
    }
  }
  return { docs, failed };
}

/** `searchDocumentsOf` for assets that must all be made: the first that cannot be throws its error. */
export async function allSearchDocumentsOf(
  sources: SearchDocumentSources,
  tenantId: string,
  assets: Asset[],
): Promise<SearchDocument[]> {
  const { docs, failed } = await searchDocumentsOf(sources, tenantId, assets);
  const [first] = failed.values();
  if (failed.size > 0) throw first;
  return assets.map((a) => docs.get(a.id)!);
}
