import { randomUUID } from 'node:crypto';
import { dateTime } from '../domain/ranges.js';
import { z } from 'zod';
import { decodeCursor, pageOf } from '../domain/cursor.js';
import { ConflictError, NotFoundError } from '../domain/errors.js';
import { withRename, type RenameRule } from '../domain/tag-renames.js';
import type { ActionsRepository } from '../store/actions-repository.js';
import type { AssetsRepository } from '../store/assets-repository.js';
import type { BackgroundJob, BackgroundJobsRepository } from '../store/background-jobs-repository.js';
import type { Database, Sql } from '../store/database.js';
import type { OutboxRepository } from '../store/outbox-repository.js';
import type {
  ProcessingJob,
  ProcessingJobStatus,
  ProcessingJobsRepository,
} from '../store/processing-jobs-repository.js';
import {
  BACKFILL_KIND,
  TAGS_BULK_KIND,
  TAGS_RENAME_KIND,
  type BulkTagsParams,
  type TagRenameParams,
} from './background-jobs-service.js';
import type { Actor } from './ingest-service.js';
import type { RenameRules } from './rename-rules.js';
import { apiAction } from './api-action.js';

const Cursor = z.object({ t: dateTime(), id: z.uuid() });

export type AnyJob = { kind: 'enrichment'; job: ProcessingJob } | { kind: 'background'; job: BackgroundJob };

/** Enrichment runs (one per asset version and workflow), background jobs, retries and the dead letters. */
export class JobsService {
  constructor(
    private readonly deps: {
      db: Database;
      actions: Pick<ActionsRepository, 'insertMany'>;
      assets: Pick<AssetsRepository, 'findById' | 'setStatus'>;
      backgroundJobs: Pick<BackgroundJobsRepository, 'get' | 'insert'>;
      outbox: Pick<OutboxRepository, 'insertMany'>;
      processingJobs: Pick<ProcessingJobsRepository, 'list' | 'get' | 'requeue'>;
      renames: Pick<RenameRules, 'change' | 'stored'>;
      /** Told when a transaction wrote outbox events, so the relay moves them at once. */
      nudge?: () => void;
    },
  ) {}

  async list(
    tenantId: string,
    opts: { status?: ProcessingJobStatus | undefined; limit: number; cursor?: string | undefined },
  ): Promise<{ items: ProcessingJob[]; nextCursor: string | null }> {
    const after = opts.cursor ? decodeCursor(opts.cursor, Cursor) : undefined;
    const rows = await this.deps.processingJobs.list(this.deps.db, tenantId, {
      status: opts.status,
      limit: opts.limit + 1,
      after: after && { createdAt: after.t, id: after.id },
    });
    return pageOf(rows, opts.limit, (last) => ({ t: last.createdAt.toISOString(), id: last.id }));
  }

  async get(tenantId: string, id: string): Promise<AnyJob> {
    const run = await this.deps.processingJobs.get(this.deps.db, tenantId, id);
    if (run) return { kind: 'enrichment', job: run };
    const background = await this.deps.backgroundJobs.get(this.deps.db, tenantId, id);
    if (background) return { kind: 'background', job: background };
    throw new NotFoundError(`job ${id} not found`);
  }

  /** Re-runs a failed (dead-lettered) or retrying enrichment run as a new queue job. */
  async retry(who: Actor, id: string): Promise<ProcessingJob> {
    const startedAt = new Date();
    const job = await this.deps.db.transaction(async (tx) => {
      const run = await this.deps.processingJobs.get(tx, who.tenantId, id);
      if (!run) throw new NotFoundError(`job ${id} not found`);
      if (run.status !== 'FAILED' && run.status !== 'RETRYING') {
        throw new ConflictError(`job ${id} is ${run.status}; only FAILED or RETRYING jobs can be retried`, {
          jobStatus: run.status,
        });
      }
      const asset = await this.deps.assets.findById(tx, who.tenantId, run.assetId, { forUpdate: true });
      if (!asset) throw new NotFoundError(`asset ${run.assetId} of job ${id} no longer exists`);
      await this.deps.assets.setStatus(tx, who.tenantId, asset.id, 'QUEUED', 'retry requested');
      const requeued = await this.deps.processingJobs.requeue(tx, who.tenantId, id);
      await this.deps.outbox.insertMany(tx, who.tenantId, [
        {
          type: 'asset.enrichment-requested',
          aggregateId: asset.id,
          payload: { assetId: asset.id, version: asset.version, nonce: `retry-${randomUUID().slice(0, 8)}` },
        },
      ]);
      await this.deps.actions.insertMany(tx, who.tenantId, [
        apiAction(
          who.actor,
          'JOB_RETRY',
          { jobId: id, previousStatus: run.status, lastError: run.lastError },
          { startedAt, assetId: asset.id },
        ),
      ]);
      return requeued!;
    });
    this.deps.nudge?.();
    return job;
  }

  /** Starts a throttled re-enrichment of every asset enriched by an older extractor version. */
  startBackfill(who: Actor, params: { assetsPerSecond: number }): Promise<BackgroundJob> {
    return this.start(who, BACKFILL_KIND, 'BACKFILL_START', params);
  }

  /**
   * Starts a tag change over many assets, named by id or by a search query. Each asset gets its
   * own version and audit row, as if edited alone; progress shows at GET /v1/jobs/{id}.
   */
  startBulkTags(who: Actor, params: BulkTagsParams): Promise<BackgroundJob> {
    return this.start(who, TAGS_BULK_KIND, 'TAGS_BULK_START', { ...params, actor: who.actor });
  }

  /**
   * Renames or merges a tag (or topic, speaker, brand, keyword) across the tenant. The rule holds
   * from the moment this returns: every enrichment after applies it. The job then rewrites and
   * re-projects each asset that carries an old name; it completes when none is left.
   */
  startTagRename(who: Actor, params: TagRenameParams): Promise<BackgroundJob> {
    const withActor = { ...params, actor: who.actor };
    return this.start(who, TAGS_RENAME_KIND, 'TAGS_RENAME_START', withActor, (tx) =>
      this.deps.renames.change(tx, who.tenantId, (rules) =>
        withRename(rules, params.type, params.sources, params.into),
      ),
    );
  }

  /** The tenant's renames in force, oldest first. */
  renames(tenantId: string): Promise<RenameRule[]> {
    return this.deps.renames.stored(this.deps.db, tenantId);
  }

  /** A background job, its outbox event and its audit row, in one transaction (with `within`). */
  private async start(
    who: Actor,
    kind: string,
    actionType: string,
    params: Record<string, unknown>,
    within: (tx: Sql) => Promise<void> = () => Promise.resolve(),
  ): Promise<BackgroundJob> {
    const startedAt = new Date();
    const job = await this.deps.db.transaction(async (tx) => {
      await within(tx);
      const created = await this.deps.backgroundJobs.insert(tx, who.tenantId, {
        id: randomUUID(),
        kind,
        params,
        createdBy: who.actor,
      });
      await this.deps.outbox.insertMany(tx, who.tenantId, [
        { type: 'background-job.created', aggregateId: created.id, payload: { jobId: created.id, kind } },
      ]);
      await this.deps.actions.insertMany(tx, who.tenantId, [
        apiAction(who.actor, actionType, { jobId: created.id, kind, ...params }, { startedAt }),
      ]);
      return created;
    });
    this.deps.nudge?.();
    return job;
  }
}
