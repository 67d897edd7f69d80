import { randomUUID } from 'node:crypto';
import type { Asset } from '../domain/asset.js';
import { snapshotOf } from '../domain/asset-snapshot.js';
import type { RenameRule } from '../domain/tag-renames.js';
import type { Capability, ExtractionResult, extractAll } from '../enrichment/extract.js';
import { countTerms, documentTerms } from '../enrichment/keywords.js';
import { selectWorkflow, type Workflow } from '../enrichment/workflows.js';
import { SomeAssetsFailedError, type JobContext, type JobPayloads } from '../queue/jobs.js';
import type { ActionsRepository } from '../store/actions-repository.js';
import type { AssetsRepository } from '../store/assets-repository.js';
import type { Database } from '../store/database.js';
import type { NewOutboxEvent, OutboxRepository } from '../store/outbox-repository.js';
import type { ProcessingJob, ProcessingJobsRepository } from '../store/processing-jobs-repository.js';
import type { TermStatsRepository } from '../store/term-stats-repository.js';
import type { VersionsRepository } from '../store/versions-repository.js';
import type { RenameRules } from './rename-rules.js';
import { inlineExtraction, type AssetExtraction } from './asset-extraction.js';
import { BatchCorpus } from './batch-corpus.js';
import type { TenantContextCache, TenantEnrichmentContext } from './tenant-enrichment-context.js';

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
  assets: Pick<AssetsRepository, 'findByIds' | 'setStatuses' | 'saveEnrichments'>;
  versions: Pick<VersionsRepository, 'insertMany'>;
  outbox: Pick<OutboxRepository, 'insertMany'>;
  actions: Pick<ActionsRepository, 'insertMany'>;
  processingJobs: Pick<ProcessingJobsRepository, 'startMany' | 'finishMany'>;
  termStats: Pick<TermStatsRepository, 'readMany' | 'writeMany'>;
  contexts: Pick<TenantContextCache, 'get'>;
  renames: Pick<RenameRules, 'stored' | 'lockedRules'>;
  /** The retry schedule recorded on each run. */
  retryConfig: Record<string, unknown>;
  /** Where the extraction runs (in line unless given: workers/extraction-threads.ts runs it on threads). */
  extraction?: AssetExtraction;
  /** The extraction itself, in line; replaceable so tests can make a capability fail. */
  extract?: typeof extractAll;
}

/** One asset's extraction, ready to be written. */
interface Extracted {
  asset: Asset;
  workflow: Workflow;
  result: ExtractionResult;
  terms: string[];
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));
/** Lets the event loop poll between two extractions (requests, BullMQ's lock renewals). */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The enrichment of assets: the `enrich-assets` job. */
export class EnrichmentService {
  /** When each tenant last asked for a training run from this process. */
  private readonly trainingRequested = new Map<string, number>();

  private readonly extraction: AssetExtraction;

  constructor(private readonly deps: EnrichmentDeps) {
    this.extraction = deps.extraction ?? inlineExtraction(deps.extract);
  }

  /**
   * Enriches a batch of assets: each goes QUEUED → PROCESSING → PROCESSED, or FAILED past the last
   * attempt (its run is then dead-lettered, and an `asset.failed` event tells webhooks). The batch's
   * assets are read in one statement and extracted one after another outside any transaction; their
   * new versions, audit rows, outbox events and term statistics are then written together, in one
   * transaction of multi-row statements under the assets' locks. A redelivered job does nothing.
   *
   * An asset that fails alone (a capability, an extractor's error) leaves the others enriched: the
   * job then fails with SomeAssetsFailedError, and the queue retries it with the failed assets only.
   */
  async enrichAssets(
    { tenantId, assets: batch }: JobPayloads['enrich-assets'],
    ctx: JobContext,
  ): Promise<void> {
    const { db, assets, processingJobs } = this.deps;
    // The same asset twice: its latest version covers both.
    const versionOf = new Map<string, number>();
    for (const a of batch) versionOf.set(a.assetId, Math.max(a.version, versionOf.get(a.assetId) ?? 0));
    const due = (asset: Asset) => !enrichedFrom(asset, versionOf.get(asset.id)!);
    const pending = (await assets.findByIds(db, tenantId, [...versionOf.keys()])).filter(due);
    if (pending.length === 0) return;

    const tenant = await this.deps.contexts.get(tenantId);
    const workflows = new Map(pending.map((a) => [a.id, selectWorkflow(a, tenant.workflows)]));
    const runs = await db.transaction(async (tx) => {
      // Checked again under the assets' locks: a duplicate job (a re-queued one after a restart, a
      // retry) may have finished meanwhile, and must not mark an asset PROCESSING again.
      const locked = (
        await assets.findByIds(
          tx,
          tenantId,
          pending.map((a) => a.id),
          { forUpdate: true },
        )
      ).filter(due);
      await assets.setStatuses(
        tx,
        tenantId,
        locked.map((a) => ({ id: a.id, status: 'PROCESSING' as const, detail: null })),
      );
      return processingJobs.startMany(
        tx,
        tenantId,
        locked.map((a) => ({
          id: randomUUID(),
          assetId: a.id,
          assetVersion: versionOf.get(a.id)!,
          workflow: workflows.get(a.id)!.name,
          capabilities: workflows.get(a.id)!.capabilities,
          attempt: ctx.attempt,
          retryConfig: this.deps.retryConfig,
          queueJobId: ctx.jobId,
        })),
      );
    });
    if (runs.size === 0) return;

    const started = pending.filter((a) => runs.has(a.id));
    const failures = new Map<string, unknown>();
    let timings: Record<string, Record<string, number>> = {};
    try {
      const written = await this.extractAndWrite(
        tenantId,
        tenant,
        started,
        workflows,
        runs,
        failures,
        due,
        ctx,
      );
      timings = written.timings;
    } catch (err) {
      // The write failed as a whole (the database): every asset not failed already failed with it.
      for (const a of started) if (!failures.has(a.id)) failures.set(a.id, err);
    }
    if (failures.size === 0) return;
    await this.recordFailures(tenantId, workflows, runs, failures, timings, ctx);
    // Rethrown so the queue retries it: one asset's error as it is, a batch's with the failed assets.
    if (versionOf.size === 1) throw [...failures.values()][0];
    throw new SomeAssetsFailedError<'enrich-assets'>(
      {
        tenantId,
        assets: [...versionOf]
          .filter(([id]) => failures.has(id))
          .map(([assetId, version]) => ({ assetId, version })),
      },
      [...failures].map(([assetId, err]) => ({ assetId, error: messageOf(err) })),
    );
  }

  /**
   * Extracts each asset (outside a transaction, so the assets' locks are not held through it), then
   * writes the enrichments in one transaction. An asset that failed to extract is put in `failures`
   * and left out. Returns the failed assets' partial timings.
   */
  private async extractAndWrite(
    tenantId: string,
    tenant: TenantEnrichmentContext,
    started: Asset[],
    workflows: Map<string, Workflow>,
    runs: Map<string, ProcessingJob>,
    failures: Map<string, unknown>,
    due: (asset: Asset) => boolean,
    ctx: JobContext,
  ): Promise<{ timings: Record<string, Record<string, number>> }> {
    const { db, assets, versions, outbox, actions, processingJobs, termStats } = this.deps;
    const counted = new Map(started.map((a) => [a.id, countTerms(a)]));
    const corpus = new BatchCorpus(
      await termStats.readMany(
        db,
        tenantId,
        started.map((a) => ({ assetId: a.id, terms: documentTerms(counted.get(a.id)!) })),
      ),
    );
    const rules = await this.deps.renames.stored(db, tenantId);
    const timings: Record<string, Record<string, number>> = {};
    const extractOne = async (
      asset: Asset,
      renames: readonly RenameRule[],
      counts = countTerms(asset),
    ): Promise<Extracted | null> => {
      const workflow = workflows.get(asset.id)!;
      const terms = documentTerms(counts);
      try {
        const result = await this.extraction.extract({
          tenantId,
          tenant,
          asset,
          counts,
          corpus: corpus.statsFor(asset.id, terms),
          renames,
          capabilities: workflow.capabilities,
        });
        if (result.failed.length > 0) {
          timings[asset.id] = result.timings;
          failures.set(
            asset.id,
            new CapabilitiesFailedError(result.completed, result.failed, result.timings),
          );
          return null;
        }
        corpus.add(asset.id, terms);
        return { asset, workflow, result, terms };
      } catch (err) {
        failures.set(asset.id, err);
        return null;
      }
    };
    const extracted = new Map<string, Extracted>();
    for (const asset of started) {
      const done = await extractOne(asset, rules, counted.get(asset.id));
      if (done) extracted.set(asset.id, done);
      await nextTurn();
    }
    if (extracted.size === 0) return { timings };

    const startedAt = new Date();
    await db.transaction(async (tx) => {
      const locked = await assets.findByIds(tx, tenantId, [...extracted.keys()], { forUpdate: true });
      // Under the shared renames lock: a tenant-wide rename that committed before this point is
      // either applied here or finds these enrichments already written.
      const rulesNow = await this.deps.renames.lockedRules(tx, tenantId);
      const sameRules = JSON.stringify(rulesNow) === JSON.stringify(rules);
      const toWrite: Extracted[] = [];
      for (const current of locked) {
        const before = extracted.get(current.id)!;
        // Enriched by a duplicate of this job that got there first: nothing to do.
        if (!due(current)) continue;
        // Edited, or the renames changed, since it was extracted: extracted again, under the lock.
        const fresh =
          sameRules && current.version === before.asset.version
            ? before
            : await extractOne(current, rulesNow);
        if (fresh) toWrite.push(fresh);
      }
      if (toWrite.length === 0) return;

      const saved = await assets.saveEnrichments(
        tx,
        tenantId,
        toWrite.map((e) => ({
          id: e.asset.id,
          expectedVersion: e.asset.version,
          newVersionId: randomUUID(),
          enrichment: e.result.enrichment,
        })),
      );
      const savedIds = new Set(saved.map((a) => a.id));
      for (const e of toWrite)
        if (!savedIds.has(e.asset.id)) failures.set(e.asset.id, new Error('asset changed during enrichment'));
      const written = toWrite.filter((e) => savedIds.has(e.asset.id));
      await versions.insertMany(
        tx,
        tenantId,
        saved.map((a) => ({
          id: a.versionId,
          assetId: a.id,
          version: a.version,
          snapshot: snapshotOf(a),
          changeKind: 'ENRICHMENT' as const,
          changedBy: ACTOR,
        })),
      );
      const events: NewOutboxEvent[] = saved.map((a) => ({
        type: 'asset.enriched',
        aggregateId: a.id,
        payload: { assetId: a.id, version: a.version },
      }));
      if (saved.length > 0 && this.trainingDue(tenant.modelsTrainedAt, tenantId)) {
        events.push({
          type: 'labels.training-due',
          aggregateId: saved[0]!.id,
          payload: { bucket: Math.floor(Date.now() / MODEL_RETRAIN_MS) },
        });
      }
      await outbox.insertMany(tx, tenantId, events);
      const savedById = new Map(saved.map((a) => [a.id, a]));
      await actions.insertMany(
        tx,
        tenantId,
        written.map((e) => ({
          assetId: e.asset.id,
          actionType: 'ENRICH' as const,
          direction: 'INTERNAL' as const,
          controller: e.workflow.name,
          actor: ACTOR,
          status: 'SUCCEEDED' as const,
          details: {
            workflow: e.workflow.name,
            fromVersion: e.asset.version,
            toVersion: savedById.get(e.asset.id)!.version,
            attempt: ctx.attempt,
          },
          startedAt,
          durationMs: Date.now() - startedAt.getTime(),
        })),
      );
      await processingJobs.finishMany(
        tx,
        tenantId,
        written.map((e) => ({
          id: runs.get(e.asset.id)!.id,
          status: 'COMPLETED' as const,
          completed: e.result.completed,
          failed: [],
          timings: e.result.timings,
        })),
      );
      // Last: the tenant-wide counters stay locked only until the commit that follows.
      await termStats.writeMany(
        tx,
        tenantId,
        written.map((e) => ({ assetId: e.asset.id, next: e.terms })),
      );
    });
    return { timings };
  }

  /**
   * Records the failed assets' attempts in one transaction: QUEUED to be retried, or FAILED past the
   * last attempt (dead-lettered, and announced to webhooks with the FAILED status it reports).
   */
  private async recordFailures(
    tenantId: string,
    workflows: Map<string, Workflow>,
    runs: Map<string, ProcessingJob>,
    failures: Map<string, unknown>,
    timings: Record<string, Record<string, number>>,
    ctx: JobContext,
  ): Promise<void> {
    const { db, assets, outbox, actions, processingJobs } = this.deps;
    const final = ctx.attempt >= ctx.maxAttempts;
    const failed = [...failures]
      .filter(([id]) => runs.has(id))
      .map(([assetId, err]) => ({ assetId, err, message: messageOf(err) }));
    const startedAt = new Date();
    await db.transaction(async (tx) => {
      await assets.setStatuses(
        tx,
        tenantId,
        failed.map((f) => ({
          id: f.assetId,
          status: final ? ('FAILED' as const) : ('QUEUED' as const),
          detail: final
            ? f.message
            : `attempt ${ctx.attempt} of ${ctx.maxAttempts} failed, retrying: ${f.message}`,
        })),
      );
      await processingJobs.finishMany(
        tx,
        tenantId,
        failed.map((f) => {
          const partial = f.err instanceof CapabilitiesFailedError ? f.err : null;
          return {
            id: runs.get(f.assetId)!.id,
            status: final ? ('FAILED' as const) : ('RETRYING' as const),
            completed: partial?.completed ?? [],
            failed: partial
              ? partial.failed.map((x) => x.capability)
              : workflows.get(f.assetId)!.capabilities,
            timings: partial?.timings ?? timings[f.assetId] ?? {},
            error: f.message,
          };
        }),
      );
      await actions.insertMany(
        tx,
        tenantId,
        failed.map((f) => ({
          assetId: f.assetId,
          actionType: 'ENRICH' as const,
          direction: 'INTERNAL' as const,
          controller: workflows.get(f.assetId)!.name,
          actor: ACTOR,
          status: 'FAILED' as const,
          details: {
            workflow: workflows.get(f.assetId)!.name,
            error: f.message,
            attempt: ctx.attempt,
            final,
          },
          startedAt,
          durationMs: Date.now() - startedAt.getTime(),
        })),
      );
      // Failed for good: announced (to webhooks) with the FAILED status it reports.
      if (final) {
        await outbox.insertMany(
          tx,
          tenantId,
          failed.map((f) => ({
            type: 'asset.failed' as const,
            aggregateId: f.assetId,
            payload: {
              assetId: f.assetId,
              version: runs.get(f.assetId)!.assetVersion,
              error: f.message.slice(0, 1000),
            },
          })),
        );
      }
    });
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
