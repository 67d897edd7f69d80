import { setTimeout as sleep } from 'node:timers/promises';
import type { Asset } from '../domain/asset.js';
import type { GraphStore } from '../graph/graph-store.js';
import { projectAsset } from '../indexers/project-asset.js';
import type { SearchIndex } from '../search/search-index.js';
import { isDatabaseUnavailable, type Database } from '../store/db.js';
import { createEnrichAssetHandler } from './enrichment/enrich-asset.js';
import { JOB_NAMES, type JobHandler, type JobHandlers, type JobName } from '../queue/jobs.js';
import { TenantContextCache } from './enrichment/tenant-context.js';
import { trainLabelModels } from './enrichment/train-label-models.js';
import { runBackgroundJob } from './background-jobs.js';
import type { extractAll } from '../enrichment/extract.js';
import { createDeliverWebhookHandler } from './webhooks/deliver-webhook.js';
import type { SendOptions } from './webhooks/send-webhook.js';
import type { CurationService } from '../services/curation-service.js';

export interface HandlerDeps {
  db: Database;
  graph: GraphStore;
  search: SearchIndex;
  /** Applies a background job's tag changes, one asset at a time. */
  curation: CurationService;
  retryConfig: Record<string, unknown>;
  /** Shared with the API so that a taxonomy change is seen at once in the same process. */
  contexts?: TenantContextCache;
  extract?: typeof extractAll;
  /** How webhook deliveries connect: timeout, and whether private addresses may be reached. */
  webhookDelivery: SendOptions;
  /** Told of each asset a projection job projected (the projection-lag metric). */
  onProjected?: (asset: Asset) => void;
}

/** The longest a job waits for its database to answer again before its attempt fails anyway. */
const OUTAGE_WAIT_MS = 5 * 60_000;

/** The handler of every job. */
export function createJobHandlers(deps: HandlerDeps): JobHandlers {
  const contexts = deps.contexts ?? new TenantContextCache();
  const handlers: JobHandlers = {
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
  for (const name of JOB_NAMES) {
    (handlers as Record<JobName, JobHandler<JobName>>)[name] = outlastingOutages(
      deps.db,
      handlers[name] as JobHandler<JobName>,
    );
  }
  return handlers;
}

/**
 * A job whose database went away waits until it answers again and then runs again, without using
 * up an attempt. The retry schedule (seconds) is shorter than a restart or a failover; a job that
 * failed for good during one could not even record its failure, and left its asset PROCESSING.
 * Handlers are idempotent, so running again is safe.
 */
export function outlastingOutages<N extends JobName>(
  db: Database,
  handler: JobHandler<N>,
  waitMs = OUTAGE_WAIT_MS,
): JobHandler<N> {
  return async (payload, ctx) => {
    const deadline = Date.now() + waitMs;
    for (;;) {
      try {
        return await handler(payload, ctx);
      } catch (err) {
        // Only while the database itself is down: a connection refused by another backend (or a
        // database already back) fails the attempt as usual.
        if (!isDatabaseUnavailable(err) || (await answers(db))) throw err;
        if (!(await untilAnswering(db, deadline))) throw err;
      }
    }
  };
}

const answers = (db: Database): Promise<boolean> =>
  db.query('SELECT 1').then(
    () => true,
    (err: unknown) => !isDatabaseUnavailable(err),
  );

/** Whether the database answered before the deadline. */
async function untilAnswering(db: Database, deadline: number): Promise<boolean> {
  for (let delay = 250; Date.now() < deadline; delay = Math.min(2 * delay, 5_000)) {
    await sleep(Math.min(delay, deadline - Date.now()));
    if (await answers(db)) return true;
  }
  return false;
}
