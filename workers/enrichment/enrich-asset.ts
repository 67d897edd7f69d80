import { randomUUID } from 'node:crypto';
import { actionsRepository } from '../../store/actions-repository.js';
import { snapshotOf } from '../../domain/asset-snapshot.js';
import { assetsRepository } from '../../store/assets-repository.js';
import type { Database, Sql } from '../../store/db.js';
import { outboxRepository, type NewOutboxEvent } from '../../store/outbox-repository.js';
import { processingJobsRepository } from '../../store/processing-jobs-repository.js';
import { termStatsRepository } from '../../store/term-stats-repository.js';
import { versionsRepository } from '../../store/versions-repository.js';
import type { JobHandler } from '../../queue/jobs.js';
import { extractAll, type Capability } from '../../enrichment/extract.js';
import { countTerms, documentTerms } from '../../enrichment/keywords.js';
import { renamesOf, type TenantContextCache } from './tenant-context.js';
import { selectWorkflow } from '../../enrichment/workflows.js';

const ACTOR = 'worker:enrichment';
/** Label models older than this are retrained (at most one training per tenant per period). */
export const MODEL_RETRAIN_MS = 10 * 60 * 1000;

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
  contexts: TenantContextCache;
  retryConfig: Record<string, unknown>;
  /** The extraction itself; replaceable so tests can make a capability fail. */
  extract?: typeof extractAll;
}

/**
 * Enriches one asset: QUEUED → PROCESSING → PROCESSED, or FAILED past the last attempt (the run is
 * then dead-lettered, and an `asset.failed` event tells webhooks). The result is a new asset
 * version, written with its audit row and an outbox event for the projections in one transaction.
 * A redelivered job does nothing.
 */
export function createEnrichAssetHandler(deps: EnrichmentDeps): JobHandler<'enrich-asset'> {
  const { db, contexts } = deps;
  const extract = deps.extract ?? extractAll;
  const trainingRequested = new Map<string, number>();

  return async ({ tenantId, assetId, version }, ctx) => {
    const asset = await assetsRepository.findById(db, tenantId, assetId);
    if (!asset) return;
    // Done when a worker already extracted from this version or a later one. (Editors' versions keep
    // enrichedFromVersion, so a re-enrichment asked for by an edit is not skipped by a later edit.)
    const done = asset.enrichedFromVersion !== null && asset.enrichedFromVersion >= version;
    if (done) return;

    const tenant = await contexts.get(db, tenantId);
    const workflow = selectWorkflow(asset, tenant.workflows);
    const startedAt = new Date();
    const audit = (tx: Sql, status: 'SUCCEEDED' | 'FAILED', details: Record<string, unknown>) =>
      actionsRepository.insertMany(tx, tenantId, [
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
      await assetsRepository.setStatus(tx, tenantId, assetId, 'PROCESSING', null);
      return processingJobsRepository.start(tx, {
        tenantId,
        id: randomUUID(),
        assetId,
        assetVersion: version,
        workflow: workflow.name,
        capabilities: workflow.capabilities,
        attempt: ctx.attempt,
        retryConfig: deps.retryConfig,
        queueJobId: ctx.jobId,
      });
    });

    try {
      await db.transaction(async (tx) => {
        const current = await assetsRepository.findById(tx, tenantId, assetId, { forUpdate: true });
        if (!current) return;
        const counts = countTerms(current);
        const terms = await termStatsRepository.read(tx, tenantId, assetId, documentTerms(counts));
        const corpus = { documentCount: terms.documentCount, df: terms.df };
        // Read under the asset's lock, not cached: a tenant-wide rename that committed before this
        // point is either applied here or finds this enrichment already written.
        const renames = await renamesOf(tx, tenantId);
        const result = extract(current, { ...tenant, counts, corpus, renames }, workflow.capabilities);
        if (result.failed.length > 0)
          throw new CapabilitiesFailedError(result.completed, result.failed, result.timings);

        const versionId = randomUUID();
        const saved = await assetsRepository.saveEnrichment(tx, {
          tenantId,
          id: assetId,
          expectedVersion: current.version,
          newVersionId: versionId,
          enrichment: result.enrichment,
          enrichedFromVersion: current.version,
        });
        if (!saved) throw new Error('asset changed during enrichment');
        await versionsRepository.insertMany(tx, tenantId, [
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
        if (trainingDue(tenant.modelsTrainedAt, tenantId)) {
          events.push({
            type: 'labels.training-due',
            aggregateId: assetId,
            payload: { bucket: Math.floor(Date.now() / MODEL_RETRAIN_MS) },
          });
        }
        await outboxRepository.insertMany(tx, tenantId, events);
        await audit(tx, 'SUCCEEDED', {
          workflow: workflow.name,
          fromVersion: current.version,
          toVersion: saved.version,
          attempt: ctx.attempt,
        });
        await processingJobsRepository.finish(tx, tenantId, run.id, {
          status: 'COMPLETED',
          completed: result.completed,
          failed: [],
          timings: result.timings,
        });
        // Last: the tenant-wide counters stay locked only until the commit that follows.
        await termStatsRepository.write(tx, tenantId, terms);
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const final = ctx.attempt >= ctx.maxAttempts;
      const partial = err instanceof CapabilitiesFailedError ? err : null;
      await db.transaction(async (tx) => {
        await assetsRepository.setStatus(
          tx,
          tenantId,
          assetId,
          final ? 'FAILED' : 'QUEUED',
          final ? message : `attempt ${ctx.attempt} of ${ctx.maxAttempts} failed, retrying: ${message}`,
        );
        await processingJobsRepository.finish(tx, tenantId, run.id, {
          status: final ? 'FAILED' : 'RETRYING',
          completed: partial?.completed ?? [],
          failed: partial ? partial.failed.map((f) => f.capability) : workflow.capabilities,
          timings: partial?.timings ?? {},
          error: message,
        });
        await audit(tx, 'FAILED', { workflow: workflow.name, error: message, attempt: ctx.attempt, final });
        // Failed for good: announced (to webhooks) with the FAILED status it reports.
        if (final) {
          await outboxRepository.insertMany(tx, tenantId, [
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
  };

  /** Asks for a training run when the models are missing or old; at most once a minute per tenant and process. */
  function trainingDue(trainedAt: Date | null, tenantId: string): boolean {
    if (trainedAt && Date.now() - trainedAt.getTime() < MODEL_RETRAIN_MS) return false;
    const last = trainingRequested.get(tenantId) ?? 0;
    if (Date.now() - last < 60_000) return false;
    trainingRequested.set(tenantId, Date.now());
    return true;
  }
}
