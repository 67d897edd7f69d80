import { randomUUID } from 'node:crypto';
import { dateTime } from '../domain/ranges.js';
import { z } from 'zod';
import { decodeCursor, pageOf } from '../domain/cursor.js';
import {
  BULK_TAG_CONFIRM_ABOVE,
  BULK_TAG_MAX_ASSETS,
  BULK_TAG_SAMPLE_SIZE,
  tagPatchEffect,
  type TagPatchEffect,
} from '../domain/bulk-tags.js';
import { ConflictError, NotFoundError } from '../domain/errors.js';
import { withRename, type RenameRule } from '../domain/tag-renames.js';
import type { ActionsRepository } from '../store/actions-repository.js';
import type { AssetsRepository } from '../store/assets-repository.js';
import type { SearchIndexReader } from '../search/search-index.js';
import type {
  BackgroundJob,
  BackgroundJobsRepository,
  JobChange,
} from '../store/background-jobs-repository.js';
import type { Database, Sql } from '../store/database.js';
import type { OutboxRepository } from '../store/outbox-repository.js';
import type {
  ProcessingJob,
  ProcessingJobStatus,
  ProcessingJobsRepository,
} from '../store/processing-jobs-repository.js';
import {
  BACKFILL_KIND,
  bulkTagTargets,
  EMBEDDINGS_BACKFILL_KIND,
  LIFECYCLE_KIND,
  TAGS_BULK_KIND,
  TAGS_RENAME_KIND,
  type BulkTagsParams,
  type TagRenameParams,
} from './background-jobs-service.js';
import type { EmbeddingService } from './embedding-service.js';
import type { Actor } from './ingest-service.js';
import type { RenameRules } from './rename-rules.js';
import { apiAction } from './api-action.js';

const Cursor = z.object({ t: dateTime(), id: z.uuid() });
const ChangesCursor = z.object({ ord: z.number().int().min(-1) });

export type AnyJob = { kind: 'enrichment'; job: ProcessingJob } | { kind: 'background'; job: BackgroundJob };

/** What a bulk tag change would do: how many assets it names, and the first few with their changes. */
export interface BulkTagsPreview {
  matched: number;
  confirmAbove: number;
  maxAssets: number;
  confirmationRequired: boolean;
  sample: ({ assetId: string; title: string | null } & TagPatchEffect)[];
}

/** Which jobs a list holds: enrichment runs, background jobs (of one kind), or both. */
export interface JobListFilter {
  status?: ProcessingJobStatus | undefined;
  kind?: 'enrichment' | 'background' | undefined;
  backgroundKind?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** Only a change by query can surprise its author with its size; ids are named one by one. */
const needsConfirmation = (params: BulkTagsParams, matched: number) =>
  params.ids === undefined && matched > BULK_TAG_CONFIRM_ABOVE;

/** Enrichment runs (one per asset version and workflow), background jobs, retries and the dead letters. */
export class JobsService {
  constructor(
    private readonly deps: {
      db: Database;
      actions: Pick<ActionsRepository, 'insertMany'>;
      assets: Pick<AssetsRepository, 'findById' | 'findByIds' | 'setStatus'>;
      backgroundJobs: Pick<
        BackgroundJobsRepository,
        'get' | 'insert' | 'list' | 'listChanges' | 'changeCounts' | 'lockUnfinished'
      >;
      outbox: Pick<OutboxRepository, 'insertMany'>;
      processingJobs: Pick<ProcessingJobsRepository, 'list' | 'get' | 'requeue'>;
      renames: Pick<RenameRules, 'change' | 'stored'>;
      /** Resolves a bulk change's query to its assets. */
      search: Pick<SearchIndexReader, 'search'>;
      /** Whether a tenant has semantic search on (the embeddings backfill); absent: off for all. */
      semantic?: Pick<EmbeddingService, 'enabled'>;
      /** Told when a transaction wrote outbox events, so the relay moves them at once. */
      nudge?: () => void;
    },
  ) {}

  /**
   * Enrichment runs and background jobs (bulk tag changes, renames, backfills), newest first, in one
   * list keyset-paged on (createdAt, id): each source is read past the cursor and the two merged.
   */
  async list(tenantId: string, opts: JobListFilter): Promise<{ items: AnyJob[]; nextCursor: string | null }> {
    const after = opts.cursor ? decodeCursor(opts.cursor, Cursor) : undefined;
    const from = after && { createdAt: after.t, id: after.id };
    const wantRuns = opts.kind !== 'background' && opts.backgroundKind === undefined;
    const wantBackground = opts.kind !== 'enrichment' && opts.status !== 'RETRYING';
    const [runs, background] = await Promise.all([
      wantRuns
        ? this.deps.processingJobs.list(this.deps.db, tenantId, {
            status: opts.status,
            limit: opts.limit + 1,
            after: from,
          })
        : [],
      wantBackground
        ? this.deps.backgroundJobs.list(this.deps.db, tenantId, {
            status: opts.status,
            kind: opts.backgroundKind,
            limit: opts.limit + 1,
            after: from,
          })
        : [],
    ]);
    const merged: AnyJob[] = [
      ...runs.map((job) => ({ kind: 'enrichment' as const, job })),
      ...background.map((job) => ({ kind: 'background' as const, job })),
    ].sort((a, b) => b.job.createdAt.getTime() - a.job.createdAt.getTime() || (a.job.id < b.job.id ? 1 : -1));
    return pageOf(merged.slice(0, opts.limit + 1), opts.limit, (last) => ({
      t: last.job.createdAt.toISOString(),
      id: last.job.id,
    }));
  }

  /** What a bulk tag job did, asset by asset in the job's order, with counts per outcome. */
  async changes(
    tenantId: string,
    jobId: string,
    opts: { limit: number; cursor?: string | undefined; outcome?: JobChange['outcome'] | undefined },
  ): Promise<{
    items: JobChange[];
    nextCursor: string | null;
    counts: Record<JobChange['outcome'], number>;
  }> {
    const job = await this.deps.backgroundJobs.get(this.deps.db, tenantId, jobId);
    if (!job || job.kind !== TAGS_BULK_KIND) throw new NotFoundError(`bulk tag job ${jobId} not found`);
    const after = opts.cursor ? decodeCursor(opts.cursor, ChangesCursor) : { ord: -1 };
    const [rows, counts] = await Promise.all([
      this.deps.backgroundJobs.listChanges(this.deps.db, tenantId, jobId, {
        afterOrd: after.ord,
        limit: opts.limit + 1,
        outcome: opts.outcome,
      }),
      this.deps.backgroundJobs.changeCounts(this.deps.db, tenantId, jobId),
    ]);
    return { ...pageOf(rows, opts.limit, (last) => ({ ord: last.ord })), counts };
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
   * Starts embedding the tenant's library for semantic search (what was there before it was turned
   * on, or embedded by another model), throttled, as a background job; or answers the one queued or
   * running already: one at a time per tenant, so asking again starts nothing. 409 while the tenant
   * has semantic search off, since nothing would be embedded.
   */
  async startEmbeddingsBackfill(who: Actor, params: { assetsPerSecond: number }): Promise<BackgroundJob> {
    if (!(await this.deps.semantic?.enabled(who.tenantId)))
      throw new ConflictError('semantic search is off for this tenant: there is nothing to embed', {
        semanticSearch: false,
      });
    return this.start(who, EMBEDDINGS_BACKFILL_KIND, 'EMBEDDINGS_BACKFILL_START', params, undefined, {
      oneAtATime: true,
    });
  }

  /**
   * What a bulk tag change would do, changing nothing: how many assets it names, whether that needs
   * `confirm`, and the first BULK_TAG_SAMPLE_SIZE of them with what would change on each.
   */
  async previewBulkTags(who: Actor, params: BulkTagsParams): Promise<BulkTagsPreview> {
    const ids = await bulkTagTargets(this.deps.search, who.tenantId, params);
    return this.preview(who.tenantId, params, ids);
  }

  private async preview(tenantId: string, params: BulkTagsParams, ids: string[]): Promise<BulkTagsPreview> {
    const sampleIds = ids.slice(0, BULK_TAG_SAMPLE_SIZE);
    const found = new Map(
      (await this.deps.assets.findByIds(this.deps.db, tenantId, sampleIds)).map((a) => [a.id, a]),
    );
    const none = { added: [], removed: [], locked: [], unlocked: [] };
    return {
      matched: ids.length,
      confirmAbove: BULK_TAG_CONFIRM_ABOVE,
      maxAssets: BULK_TAG_MAX_ASSETS,
      confirmationRequired: needsConfirmation(params, ids.length),
      sample: sampleIds.map((id) => {
        const asset = found.get(id);
        if (!asset) return { assetId: id, title: null, ...none, skipped: 'asset not found' };
        return { assetId: id, title: asset.title, ...tagPatchEffect(asset, params.patch) };
      }),
    };
  }

  /**
   * Starts a tag change over many assets, named by id or by a search query and filters. A query is
   * resolved to its assets here, and the job changes exactly those. Above BULK_TAG_CONFIRM_ABOVE
   * assets by query, `confirm` must repeat the previewed count: otherwise, or when the matches
   * changed since, a 409 with the current count, and nothing changes. Each asset gets its own
   * version and audit row, as if edited alone; progress and changes show at GET /v1/jobs/{id}.
   */
  async startBulkTags(who: Actor, params: BulkTagsParams, confirm?: number): Promise<BackgroundJob> {
    const ids = await bulkTagTargets(this.deps.search, who.tenantId, params);
    if (needsConfirmation(params, ids.length) && confirm !== ids.length) {
      throw new ConflictError(
        confirm === undefined
          ? `the change names ${ids.length} assets, more than ${BULK_TAG_CONFIRM_ABOVE}: preview it and send confirm: ${ids.length}`
          : `the change names ${ids.length} assets now, not the ${confirm} confirmed: preview it again`,
        { matched: ids.length, confirmAbove: BULK_TAG_CONFIRM_ABOVE },
      );
    }
    // The job keeps the resolved ids; the query and filters stay as the caller wrote them, for the record.
    const { ids: _given, filters: _resolved, filtersAsGiven, ...rest } = params;
    return this.start(who, TAGS_BULK_KIND, 'TAGS_BULK_START', {
      ...rest,
      ...(filtersAsGiven ? { filters: filtersAsGiven } : {}),
      ids,
      matched: ids.length,
      actor: who.actor,
    });
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

  /**
   * Starts a run of the tenant's lifecycle rules (LifecycleRulesService decides when), its
   * `guard` checked in the transaction that starts it: a guard that throws starts nothing.
   */
  startLifecycleRun(
    who: Actor,
    params: Record<string, unknown>,
    guard: (tx: Sql) => Promise<void>,
  ): Promise<BackgroundJob> {
    return this.start(who, LIFECYCLE_KIND, 'LIFECYCLE_RUN_START', params, guard);
  }

  /** The tenant's renames in force, oldest first. */
  renames(tenantId: string): Promise<RenameRule[]> {
    return this.deps.renames.stored(this.deps.db, tenantId);
  }

  /**
   * A background job, its outbox event and its audit row, in one transaction (with `within`). With
   * `oneAtATime`, the tenant's unfinished job of the kind if it has one, and nothing new.
   */
  private async start(
    who: Actor,
    kind: string,
    actionType: string,
    params: Record<string, unknown>,
    within: (tx: Sql) => Promise<void> = () => Promise.resolve(),
    opts: { oneAtATime?: boolean } = {},
  ): Promise<BackgroundJob> {
    const startedAt = new Date();
    const job = await this.deps.db.transaction(async (tx) => {
      if (opts.oneAtATime) {
        const unfinished = await this.deps.backgroundJobs.lockUnfinished(tx, who.tenantId, kind);
        if (unfinished) return unfinished;
      }
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
