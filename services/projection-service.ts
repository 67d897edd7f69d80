import type { Asset } from '../domain/asset.js';
import type { GraphWriter } from '../graph/graph-store.js';
import { toAssetGraph } from '../indexers/asset-graph.js';
import { toSearchDocument } from '../indexers/search-document.js';
import type { JobPayloads } from '../queue/jobs.js';
import type { SearchIndexWriter } from '../search/search-index.js';
import type { AssetsRepository } from '../store/assets-repository.js';
import type { OperationalMetricsRepository } from '../store/operational-metrics-repository.js';
import type { PopularityRepository } from '../store/popularity-repository.js';
import type { Database } from '../store/database.js';

/** The projections of canonical assets into the graph and the search index: the `project-asset` job. */
export class ProjectionService {
  constructor(
    private readonly deps: {
      db: Database;
      assets: Pick<AssetsRepository, 'findById'>;
      /** The canonical learned popularity, carried into the search document (absent: none). */
      popularity?: Pick<PopularityRepository, 'forAssets'>;
      graph: Pick<GraphWriter, 'projectAsset' | 'removeAsset'>;
      search: Pick<SearchIndexWriter, 'upsert' | 'remove'>;
      /** Told of each asset a projection job projected (the projection-lag metric). */
      onProjected?: (asset: Asset) => void;
      /** Where each projection's lag is counted for GET /v1/metrics?metric=projectionLag. */
      projectionLags?: Pick<OperationalMetricsRepository, 'recordProjectionLag'>;
    },
  ) {}

  /** The `project-asset` job: projects the asset and reports how far its projection lagged. */
  async projectAsset({ tenantId, assetId }: JobPayloads['project-asset']): Promise<void> {
    const asset = await this.project(tenantId, assetId);
    if (!asset) return;
    this.deps.onProjected?.(asset);
    const now = new Date();
    await this.deps.projectionLags?.recordProjectionLag(
      this.deps.db,
      tenantId,
      Math.max(0, now.getTime() - asset.updatedAt.getTime()),
      now,
    );
  }

  /**
   * Projects the asset's current canonical state into the graph and the search index.
   * Idempotent and versioned: re-running is a no-op, and an older version never replaces a newer one.
   * Returns the asset projected, or null when it no longer exists (and was removed from both).
   */
  async project(tenantId: string, assetId: string): Promise<Asset | null> {
    const { db, assets, graph, search } = this.deps;
    const asset = await assets.findById(db, tenantId, assetId);
    if (!asset) {
      await Promise.all([graph.removeAsset(tenantId, assetId), search.remove(tenantId, assetId)]);
      return null;
    }
    const [learned] = (await this.deps.popularity?.forAssets(db, tenantId, [assetId])) ?? [];
    await Promise.all([
      graph.projectAsset(tenantId, toAssetGraph(asset)),
      search.upsert(tenantId, toSearchDocument(asset, learned)),
    ]);
    return asset;
  }
}
