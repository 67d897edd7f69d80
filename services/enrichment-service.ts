import { randomUUID } from 'node:crypto';
import type { Asset } from '../domain/asset.js';
import { snapshotOf } from '../domain/asset-snapshot.js';
import { extractAll, type Capability } from '../enrichment/extract.js';
import { countTerms, documentTerms } from '../enrichment/keywords.js';
import { selectWorkflow } from '../enrichment/workflows.js';
import type { JobContext, JobPayloads } from '../queue/jobs.js';
import type { ActionsRepository } from '../store/actions-repository.js';
import type { AssetsRepository } from '../store/assets-repository.js';
import type { Database, Sql } from '../store/database.js';
import type { NewOutboxEvent, OutboxRepository } from '../store/outbox-repository.js';
import type { ProcessingJobsRepository } from '../store/processing-jobs-repository.js';
import type { TermStatsRepository } from '../store/term-stats-repository.js';
import type { VersionsRepository } from '../store/versions-repository.js';
import type { RenameRules } from './rename-rules.js';
import type { TenantContextCache } from './tenant-enrichment-context.js';

const ACTOR = 'worker:enrichment';
/** Label models older than this are retrained (at most one training per tenant per period). */
const MODEL_RETRAIN_MS = 10 * 60 * 1000;

/**
 * Whether a worker already extracted from `version` or a later one. (Editors' versions keep
 * enrichedFromVersion, so a re-enrichment asked for by an edit is not skipped by a later edit.)
 */
const enrichedFrom = (asset: Asset, version: number) =>
  asset.enrichedFromVersion !== null && asset.enrichedFromVersion >= version;

/** Some capabilities failed: the attempt fails, so the queue retries it with backoff. */
export class CapabilitiesFailedError extends Error {
  override name = 'CapabilitiesFailedError';
  constructor(
    readonly completed: Capability[],
    readonly failed: { capability: Capability; error: string }[],
    readonly timings: Record<string, number>,
  ) {
    super(failed.map((f) => `${f.capability}: ${f.error}`).join('; '));
  }
}

export interface EnrichmentDeps {
  db: Database;
  assets: Pick<AssetsRepository, 'findById' | 'setStatus' | 'saveEnrichment'>;
  versions: Pick<VersionsRepository, 'insertMany'>;
  outbox: Pick<OutboxRepository, 'insertMany'>;
  actions: Pick<ActionsRepository, 'insertMany'>;
  processingJobs: Pick<ProcessingJobsRepository, 'start' | 'finish'>;
  termStats: Pick<TermStatsRepository, 'read' | 'write'>;
  contexts: Pick<TenantContextCache, 'get'>;
  renames: Pick<RenameRules, 'inForce'>;
  /** The retry schedule recorded on each run. */
  retryConfig: Record<string, unknown>;
  /** The extraction itself; replaceable so tests can make a capability fail. */
  extract?: typeof extractAll;
}

/** The enrichment of assets: the `enrich-asset` job. */
export class EnrichmentService {
  /** When each tenant last asked for a training run from this process. */
  private readonly trainingRequested = new Map<string, number>();

  constructor(private readonly deps: EnrichmentDeps) {}

  /**
   * Enriches one asset: QUEUED → PROCESSING → PROCESSED, or FAILED past the last attempt (the run is
   * then dead-lettered, and an `asset.failed` event tells webhooks). The result is a new asset
   * version, written with its audit row and an outbox event for the projections in one transaction.
   * A redelivered job does nothing.
   */
  async enrichAsset(
    { tenantId, assetId, version }: JobPayloads['enrich-asset'],
    ctx: JobContext,
  ): Promise<void> {
    const { db, assets, versions, outbox, actions, processingJobs, termStats } = this.deps;
    const extract = this.deps.extract ?? extractAll;
    const asset = await assets.findById(db, tenantId, assetId);
    if (!asset) return;
    if (enrichedFrom(asset, version)) return;

    const tenant = await this.deps.contexts.get(tenantId);
    const workflow = selectWorkflow(asset, tenant.workflows);
    const startedAt = new Date();
    const audit = (tx: Sql, status: 'SUCCEEDED' | 'FAILED', details: Record<string, unknown>) =>
      actions.insertMany(tx, tenantId, [
        {
          assetId,
          actionType: 'ENRICH',
          direction: 'INTERNAL',
          controller: workflow.name,
          actor: ACTOR,
          status,
          details,
          startedAt,
          durationMs: Date.now() - startedAt.getTime(),
        },
      ]);

    const run = await db.transaction(async (tx) => {
      // Checked again under the asset's lock: a duplicate job (a re-queued one after a restart, a
      // retry) may have finished meanwhile, and must not mark the asset PROCESSING again.
      const locked = await assets.findById(tx, tenantId, assetId, { forUpdate: true });
      if (!locked || enrichedFrom(locked, version)) return null;
      await assets.setStatus(tx, tenantId, assetId, 'PROCESSING', null);
      return processingJobs.start(tx, {
        tenantId,
        id: randomUUID(),
        assetId,
        assetVersion: version,
        workflow: workflow.name,
        capabilities: workflow.capabilities,
        attempt: ctx.attempt,
        retryConfig: this.deps.retryConfig,
        queueJobId: ctx.jobId,
      });
    });
    if (!run) return;

    try {
      await db.transaction(async (tx) => {
        const current = await assets.findById(tx, tenantId, assetId, { forUpdate: true });
        // Gone, or enriched by a duplicate of this job that got there first: nothing to do.
        if (!current || enrichedFrom(current, version)) return;
        const counts = countTerms(current);
        const terms = await termStats.read(tx, tenantId, assetId, documentTerms(counts));
        const corpus = { documentCount: terms.documentCount, df: terms.df };
        // Read under the asset's lock, not cached: a tenant-wide rename that committed before this
        // point is either applied here or finds this enrichment already written.
        const renames = await this.deps.renames.inForce(tx, tenantId);
        const result = extract(current, { ...tenant, counts, corpus, renames }, workflow.capabilities);
        if (result.failed.length > 0)
          throw new CapabilitiesFailedError(result.completed, result.failed, result.timings);

        const versionId = randomUUID();
        const saved = await assets.saveEnrichment(tx, {
          tenantId,
          id: assetId,
          expectedVersion: current.version,
          newVersionId: versionId,
          enrichment: result.enrichment,
          enrichedFromVersion: current.version,
        });
        if (!saved) throw new Error('asset changed during enrichment');
        await versions.insertMany(tx, tenantId, [
          {
            id: versionId,
            assetId,
            version: saved.version,
            snapshot: snapshotOf(saved),
            changeKind: 'ENRICHMENT',
            changedBy: ACTOR,
          },
        ]);
        const events: NewOutboxEvent[] = [
          { type: 'asset.enriched', aggregateId: assetId, payload: { assetId, version: saved.version } },
        ];
        if (this.trainingDue(tenant.modelsTrainedAt, tenantId)) {
          events.push({
            type: 'labels.training-due',
            aggregateId: assetId,
            payload: { bucket: Math.floor(Date.now() / MODEL_RETRAIN_MS) },
          });
        }
        await outbox.insertMany(tx, tenantId, events);
        await audit(tx, 'SUCCEEDED', {
          workflow: workflow.name,
          fromVersion: current.version,
          toVersion: saved.version,
          attempt: ctx.attempt,
        });
        await processingJobs.finish(tx, tenantId, run.id, {
          status: 'COMPLETED',
          completed: result.completed,
          failed: [],
          timings: result.timings,
        });
        // Last: the tenant-wide counters stay locked only until the commit that follows.
        await termStats.write(tx, tenantId, terms);
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const final = ctx.attempt >= ctx.maxAttempts;
      const partial = err instanceof CapabilitiesFailedError ? err : null;
      await db.transaction(async (tx) => {
        await assets.setStatus(
          tx,
          tenantId,
          assetId,
          final ? 'FAILED' : 'QUEUED',
          final ? message : `attempt ${ctx.attempt} of ${ctx.maxAttempts} failed, retrying: ${message}`,
        );
        await processingJobs.finish(tx, tenantId, run.id, {
          status: final ? 'FAILED' : 'RETRYING',
          completed: partial?.completed ?? [],
          failed: partial ? partial.failed.map((f) => f.capability) : workflow.capabilities,
          timings: partial?.timings ?? {},
          error: message,
        });
        await audit(tx, 'FAILED', { workflow: workflow.name, error: message, attempt: ctx.attempt, final });
        // Failed for good: announced (to webhooks) with the FAILED status it reports.
        if (final) {
          await outbox.insertMany(tx, tenantId, [
            {
              type: 'asset.failed',
              aggregateId: assetId,
              payload: { assetId, version, error: message.slice(0, 1000) },
            },
          ]);
        }
      });
      // Rethrown so the queue retries it.
      throw err;
    }
  }

  /** Asks for a training run when the models are missing or old; at most once a minute per tenant and process. */
  private trainingDue(trainedAt: Date | null, tenantId: string): boolean {
    if (trainedAt && Date.now() - trainedAt.getTime() < MODEL_RETRAIN_MS) return false;
    const last = this.trainingRequested.get(tenantId) ?? 0;
    if (Date.now() - last < 60_000) return false;
    this.trainingRequested.set(tenantId, Date.now());
    return true;
  }
}
