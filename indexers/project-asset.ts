import type { Asset } from '../domain/asset.js';
import type { GraphStore } from '../graph/graph-store.js';
import type { SearchIndex } from '../search/search-index.js';
import { assetsRepository } from '../store/assets-repository.js';
import type { Database } from '../store/db.js';
import { toAssetGraph } from './asset-graph.js';
import { toSearchDocument } from './search-document.js';

export interface ProjectionTargets {
  db: Database;
  graph: GraphStore;
  search: SearchIndex;
}

/**
 * Projects the asset's current canonical state into the graph and the search index.
 * Idempotent and versioned: re-running is a no-op, and an older version never replaces a newer one.
 * Returns the asset projected, or null when it no longer exists (and was removed from both).
 */
export async function projectAsset(
  targets: ProjectionTargets,
  tenantId: string,
  assetId: string,
): Promise<Asset | null> {
  const asset = await assetsRepository.findById(targets.db, tenantId, assetId);
  if (!asset) {
    await Promise.all([
      targets.graph.removeAsset(tenantId, assetId),
      targets.search.remove(tenantId, assetId),
    ]);
    return null;
  }
  await Promise.all([
    targets.graph.projectAsset(tenantId, toAssetGraph(asset)),
    targets.search.upsert(tenantId, toSearchDocument(asset)),
  ]);
  return asset;
}
