import type { GraphStore } from '../graph/graph-store.js';
import { projectAsset } from '../indexers/project-asset.js';
import type { SearchIndex } from '../search/search-index.js';
import type { Database } from '../store/db.js';
import { createEnrichAssetHandler } from './enrichment/enrich-asset.js';
import type { JobHandlers } from './jobs.js';

export interface HandlerDeps {
  db: Database;
  graph: GraphStore;
  search: SearchIndex;
  retryConfig: Record<string, unknown>;
}

/** The handler of every job. */
export function createJobHandlers(deps: HandlerDeps): JobHandlers {
  return {
    'enrich-asset': createEnrichAssetHandler(deps),
    'project-asset': ({ tenantId, assetId }) => projectAsset(deps, tenantId, assetId),
  };
}
