import { randomUUID } from 'node:crypto';
import type { MetadataRecorder } from '../domain/metadata.js';
import type { Asset } from '../domain/asset.js';
import { snapshotOf } from '../domain/asset-snapshot.js';
import type { RenameRule } from '../domain/tag-renames.js';
import type { Capability, ExtractionResult, extractAll } from '../enrichment/extract.js';
import { countTerms, documentTerms } from '../enrichment/keywords.js';
import { selectWorkflow, type Workflow } from '../enrichment/workflows.js';
import { SomeAssetsFailedError, type JobContext, type JobPayloads } from '../queue/jobs.js';
import type { ActionsRepository } from '../store/actions-repository.js';
import type { AssetState, AssetsRepository } from '../store/assets-repository.js';
import type { Database } from '../store/database.js';
import type { NewOutboxEvent, OutboxRepository } from '../store/outbox-repository.js';
import type {
  ProcessingJob,
  ProcessingJobsRepository,
  RunResult,
} from '../store/processing-jobs-repository.js';
import type { TermStatsRepository } from '../store/term-stats-repository.js';
import type { VersionsRepository } from '../store/versions-repository.js';
import type { RenameRules } from './rename-rules.js';
import { inlineExtraction, type AssetExtraction } from './asset-extraction.js';
import { BatchCorpus } from './batch-corpus.js';
import { eachAlone } from './each-alone.js';
import type { TenantContextCache, TenantEnrichmentContext } from './tenant-enrichment-context.js';
import { errorMessage } from '../domain/errors.js';

const ACTOR = 'worker:enrichment';
/** Label models older than this are retrained (at most one training per tenant per period). */
const MODEL_RETRAIN_MS = 10 * 60 * 1000;

/**
 * Whether a worker already extracted from `version` or a later one. (Editors' versions keep
 * enrichedFromVersion, so a re-enrichment asked for by an edit is not skipped by a later edit.)
 */
const enrichedFrom = (asset: Pick<Asset, 'enrichedFromVersion'>, version: number) =>
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
  assets: Pick<AssetsRepository, 'findByIds' | 'lockStates' | 'setStatuses' | 'saveEnrichments'>;
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
  /** Records each written batch's enrichment_run in its transaction (docs/metadata.md); none: not recorded. */
  metadata?: MetadataRecorder;
}

/** One asset's extraction, ready to be written. */
interface Extracted {
  asset: Asset;
  workflow: Workflow;
  result: ExtractionResult;
  terms: string[];
}

/**
 * The end of a run whose asset needs no enrichment from it any more: gone, or enriched by another
 * run (a duplicate of the job, or a later version's). Only a run still RUNNING is ended so: a
 * duplicate sharing the run (same asset version and workflow) that completed it keeps its record.
 */
const skippedRun = (run: ProcessingJob, current?: AssetState): RunResult => ({
  id: run.id,
  status: 'COMPLETED',
  completed: [],
  failed: [],
  timings: {},
  error: current
    ? `skipped: enriched from version ${current.enrichedFromVersion} by another run`
    : 'skipped: the asset is gone',
  ifRunning: true,
});

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
   * An asset that fails alone (a capability, an extractor's error, a write the database refuses for
   * it) leaves the others enriched: the job then fails with SomeAssetsFailedError, and the queue
   * retries it with the failed assets only. An asset another run enriched meanwhile, or that is gone,
   * is neither written nor failed; its run ends as skipped.
   */
  async enrichAssets(
    { tenantId, assets: batch }: JobPayloads['enrich-assets'],
    ctx: JobContext,
  ): Promise<void> {
    const { db, assets, processingJobs } = this.deps;
    // The same asset twice: its latest version covers both.
    const versionOf = new Map<string, number>();
    for (const a of batch) versionOf.set(a.assetId, Math.max(a.version, versionOf.get(a.assetId) ?? 0));
    const due = (asset: AssetState) => !enrichedFrom(asset, versionOf.get(asset.id)!);
    // In the job's order, whatever order the database answers in: a batch counts its assets into the
    // corpus statistics one after another, so the order decides each asset's keyword scores.
    const order = new Map([...versionOf.keys()].map((id, i) => [id, i]));
    const pending = (await assets.findByIds(db, tenantId, [...versionOf.keys()]))
      .filter(due)
      .sort((a, b) => order.get(a.id)! - order.get(b.id)!);
    if (pending.length === 0) return;

    const tenant = await this.deps.contexts.get(tenantId);
    const workflows = new Map(pending.map((a) => [a.id, selectWorkflow(a, tenant.workflows)]));
    const runs = await db.transaction(async (tx) => {
      // Checked again under the assets' locks: a duplicate job (a re-queued one after a restart, a
      // retry) may have finished meanwhile, and must not mark an asset PROCESSING again.
      const locked = (
        await assets.lockStates(
          tx,
          tenantId,
          pending.map((a) => a.id),
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
    try {
      await this.extractAndWrite(tenantId, tenant, started, workflows, runs, failures, due, ctx);
    } catch (err) {
      // The write failed as a whole (the database is down: no asset could be written alone either):
      // every asset not failed already failed with it.
      for (const a of started) if (!failures.has(a.id)) failures.set(a.id, err);
    }
    if (failures.size === 0) return;
    const failed = await this.recordFailures(tenantId, workflows, runs, failures, due, ctx);
    if (failed.size === 0) return;
    // Rethrown so the queue retries it: one asset's error as it is, a batch's with the failed assets.
    if (versionOf.size === 1) throw [...failed.values()][0];
    throw new SomeAssetsFailedError<'enrich-assets'>(
      {
        tenantId,
        assets: [...versionOf]
          .filter(([id]) => failed.has(id))
          .map(([assetId, version]) => ({ assetId, version })),
      },
      [...failed].map(([assetId, err]) => ({ assetId, error: errorMessage(err) })),
    );
  }

  /**
   * Extracts each asset (outside a transaction, so the assets' locks are not held through it), then
   * writes the enrichments in one transaction. When that transaction fails, each asset is written
   * alone (`eachAlone`), so one asset whose write the database refuses does not keep the rest of the
   * batch out. An asset that failed, to extract or to be written, is put in `failures`.
   */
  private async extractAndWrite(
    tenantId: string,
    tenant: TenantEnrichmentContext,
    started: Asset[],
    workflows: Map<string, Workflow>,
    runs: Map<string, ProcessingJob>,
    failures: Map<string, unknown>,
    due: (asset: AssetState) => boolean,
    ctx: JobContext,
  ): Promise<void> {
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
    /** The extraction, or the error it failed with (a capability's, an extractor's). */
    const extractOne = async (
      asset: Asset,
      renames: readonly RenameRule[],
      counts = countTerms(asset),
    ): Promise<Extracted | Error> => {
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
        if (result.failed.length > 0)
          return new CapabilitiesFailedError(result.completed, result.failed, result.timings);
        corpus.add(asset.id, terms);
        return { asset, workflow, result, terms };
      } catch (err) {
        return err instanceof Error ? err : new Error(String(err));
      }
    };
    const extracted: Extracted[] = [];
    for (const asset of started) {
      const done = await extractOne(asset, rules, counted.get(asset.id));
      if (done instanceof Error) failures.set(asset.id, done);
      else extracted.push(done);
      await nextTurn();
    }
    if (extracted.length === 0) return;

    const startedAt = new Date();
    /** One transaction for `batch`; returns the assets that failed under the lock, once it committed. */
    const write = async (batch: Extracted[]): Promise<void> => {
      const outcome = await db.transaction(async (tx) => {
        const failed = new Map<string, unknown>();
        // Their state only: the whole asset is read again only for one that changed since it was read.
        const locked = await assets.lockStates(
          tx,
          tenantId,
          batch.map((e) => e.asset.id),
        );
        const lockedIds = new Set(locked.map((a) => a.id));
        // Gone meanwhile, or enriched by a duplicate of this job (or a later version's job) that got
        // there first: nothing to write, and the run ends here.
        const skipped = [
          ...batch.filter((e) => !lockedIds.has(e.asset.id)).map((e) => skippedRun(runs.get(e.asset.id)!)),
          ...locked.filter((a) => !due(a)).map((a) => skippedRun(runs.get(a.id)!, a)),
        ];
        // Under the shared renames lock: a tenant-wide rename that committed before this point is
        // either applied here or finds these enrichments already written.
        const rulesNow = await this.deps.renames.lockedRules(tx, tenantId);
        const sameRules = JSON.stringify(rulesNow) === JSON.stringify(rules);
        const before = new Map(batch.map((e) => [e.asset.id, e]));
        const toWrite: Extracted[] = [];
        const stillDue = locked.filter(due);
        const moved = stillDue.filter((a) => !sameRules || a.version !== before.get(a.id)!.asset.version);
        const reread = new Map(
          (
            await assets.findByIds(
              tx,
              tenantId,
              moved.map((a) => a.id),
            )
          ).map((a) => [a.id, a]),
        );
        for (const current of stillDue) {
          const extractedBefore = before.get(current.id)!;
          const changed = reread.get(current.id);
          // Edited, or the renames changed, since it was extracted: extracted again, under the lock.
          const fresh = changed ? await extractOne(changed, rulesNow) : extractedBefore;
          if (fresh instanceof Error) failed.set(current.id, fresh);
          else toWrite.push(fresh);
        }

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
        const savedById = new Map(saved.map((a) => [a.id, a]));
        for (const e of toWrite)
          if (!savedById.has(e.asset.id))
            failed.set(e.asset.id, new Error('asset changed during enrichment'));
        const written = toWrite.filter((e) => savedById.has(e.asset.id));
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
        const announced = saved.length > 0 && this.trainingDue(tenant.modelsTrainedAt, tenantId);
        if (announced) {
          events.push({
            type: 'labels.training-due',
            aggregateId: saved[0]!.id,
            payload: { bucket: Math.floor(Date.now() / MODEL_RETRAIN_MS) },
          });
        }
        await outbox.insertMany(tx, tenantId, events);
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
        await processingJobs.finishMany(tx, tenantId, [
          ...written.map((e) => ({
            id: runs.get(e.asset.id)!.id,
            status: 'COMPLETED' as const,
            completed: e.result.completed,
            failed: [],
            timings: e.result.timings,
          })),
          ...skipped,
        ]);
        if (this.deps.metadata && batch.length > 0) {
          // The time each extractor took, summed over the written assets: what dashboards chart.
          const extractorMs: Record<string, number> = {};
          for (const e of written) {
            for (const [name, ms] of Object.entries(e.result.timings))
              extractorMs[name] = (extractorMs[name] ?? 0) + ms;
          }
          await this.deps.metadata.record(tx, tenantId, [
            {
              target: { type: 'tenant', id: tenantId },
              kind: 'enrichment_run',
              producerId: 'enrichment.v1',
              producedAt: startedAt,
              context: { jobId: ctx.jobId },
              payload: {
                status: failed.size > 0 ? 'PARTIAL' : 'SUCCEEDED',
                assets: batch.length,
                enriched: written.length,
                failed: failed.size,
                durationMs: Date.now() - startedAt.getTime(),
                extractorMs,
              },
            },
          ]);
        }
        // Last: the tenant-wide counters stay locked only until the commit that follows.
        await termStats.writeMany(
          tx,
          tenantId,
          written.map((e) => ({ assetId: e.asset.id, next: e.terms })),
        );
        return { failed, announced };
      });
      // Counted once the request committed: a write rolled back asks again.
      if (outcome.announced) this.trainingRequested.set(tenantId, Date.now());
      for (const [id, err] of outcome.failed) failures.set(id, err);
    };
    const failedAlone = await eachAlone(extracted, write, (one) => write([one]));
    for (const [e, err] of failedAlone) failures.set(e.asset.id, err);
  }

  /**
   * Records the failed assets' attempts in one transaction: QUEUED to be retried, or FAILED past the
   * last attempt (dead-lettered, and announced to webhooks with the FAILED status it reports). An
   * asset that a duplicate job enriched since (or that is gone) is not failed: its run ends as
   * skipped. Returns the assets failed, with their errors.
   */
  private async recordFailures(
    tenantId: string,
    workflows: Map<string, Workflow>,
    runs: Map<string, ProcessingJob>,
    failures: Map<string, unknown>,
    due: (asset: AssetState) => boolean,
    ctx: JobContext,
  ): Promise<Map<string, unknown>> {
    const { db, assets, outbox, actions, processingJobs } = this.deps;
    const final = ctx.attempt >= ctx.maxAttempts;
    const startedAt = new Date();
    return db.transaction(async (tx) => {
      // Checked under the assets' locks, as the write checks them.
      const current = new Map(
        (
          await assets.lockStates(
            tx,
            tenantId,
            [...failures.keys()].filter((id) => runs.has(id)),
          )
        ).map((a) => [a.id, a]),
      );
      const failed = [...current.values()]
        .filter(due)
        .map((a) => ({ assetId: a.id, err: failures.get(a.id), message: errorMessage(failures.get(a.id)) }));
      const settled = [...failures.keys()]
        .filter((id) => runs.has(id) && !failed.some((f) => f.assetId === id))
        .map((id) => skippedRun(runs.get(id)!, current.get(id)));
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
      await processingJobs.finishMany(tx, tenantId, [
        ...failed.map((f) => {
          const partial = f.err instanceof CapabilitiesFailedError ? f.err : null;
          return {
            id: runs.get(f.assetId)!.id,
            status: final ? ('FAILED' as const) : ('RETRYING' as const),
            completed: partial?.completed ?? [],
            failed: partial
              ? partial.failed.map((x) => x.capability)
              : workflows.get(f.assetId)!.capabilities,
            timings: partial?.timings ?? {},
            error: f.message,
          };
        }),
        ...settled,
      ]);
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
      return new Map(failed.map((f) => [f.assetId, f.err]));
    });
  }

  /** Asks for a training run when the models are missing or old; at most once a minute per tenant and process. */
  private trainingDue(trainedAt: Date | null, tenantId: string): boolean {
    if (trainedAt && Date.now() - trainedAt.getTime() < MODEL_RETRAIN_MS) return false;
    const last = this.trainingRequested.get(tenantId) ?? 0;
    return Date.now() - last >= 60_000;
  }
}
