import type { Asset } from '../domain/asset.js';
import type { GraphStore } from '../graph/graph-store.js';
import { projectAsset } from '../indexers/project-asset.js';
import type { SearchIndex } from '../search/search-index.js';
import type { Database } from '../store/db.js';
import { createEnrichAssetHandler } from './enrichment/enrich-asset.js';
import type { JobHandlers } from './jobs.js';
import { TenantContextCache } from './enrichment/tenant-context.js';
import { trainLabelModels } from './enrichment/train-label-models.js';
import { runBackgroundJob } from './background-jobs.js';
import type { extractAll } from './enrichment/extract.js';
import { createDeliverWebhookHandler } from './webhooks/deliver-webhook.js';
import type { SendOptions } from './webhooks/send-webhook.js';

export interface HandlerDeps {
  db: Database;
  graph: GraphStore;
  search: SearchIndex;
  retryConfig: Record<string, unknown>;
  /** Shared with the API so that a taxonomy change is seen at once in the same process. */
  contexts?: TenantContextCache;
  extract?: typeof extractAll;
  /** How webhook deliveries connect: timeout, and whether private addresses may be reached. */
  webhookDelivery: SendOptions;
  /** Told of each asset a projection job projected (the projection-lag metric). */
  onProjected?: (asset: Asset) => void;
}

/** The handler of every job. */
export function createJobHandlers(deps: HandlerDeps): JobHandlers {
  const contexts = deps.contexts ?? new TenantContextCache();
  return {
    'enrich-asset': createEnrichAssetHandler({ ...deps, contexts }),
    'project-asset': async ({ tenantId, assetId }) => {
      const asset = await projectAsset(deps, tenantId, assetId);
      if (asset) deps.onProjected?.(asset);
    },
    'train-label-models': async ({ tenantId }) => {
      await trainLabelModels(deps.db, contexts, tenantId);
    },
    'run-background-job': ({ tenantId, jobId }) => runBackgroundJob(deps, tenantId, jobId),
    'deliver-webhook': createDeliverWebhookHandler({ db: deps.db, send: deps.webhookDelivery }),
  };
}
