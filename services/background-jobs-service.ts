import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { normalizeEntityName } from '../domain/entities.js';
import { BULK_TAG_MAX_ASSETS, tagPatchEffect } from '../domain/bulk-tags.js';
import { DomainError, ValidationError } from '../domain/errors.js';
import type { QuerySyntax } from '../domain/query-syntax.js';
import type { EditableType, TagPatch } from '../domain/tag-overrides.js';
import { EXTRACTOR_VERSIONS } from '../enrichment/extract.js';
import type { GraphWriter } from '../graph/graph-store.js';
import type { JobPayloads } from '../queue/jobs.js';
import { parseQuery } from '../search/query-parser.js';
import type { SearchFilters, SearchIndexReader, SearchIndexWriter } from '../search/search-index.js';
import type { AssetsRepository } from '../store/assets-repository.js';
import type {
  BackgroundJob,
  BackgroundJobsRepository,
  JobChange,
} from '../store/background-jobs-repository.js';
import type { Database } from '../store/database.js';
import type { OutboxRepository } from '../store/outbox-repository.js';
import type { CurationService } from './curation-service.js';
import type { BackfillPosition, EmbeddingService } from './embedding-service.js';
import type { LifecycleRulesService } from './lifecycle-rules-service.js';
import type { ProjectionService } from './projection-service.js';

export const BACKFILL_KIND = 'enrichment-backfill';
export const TAGS_BULK_KIND = 'tags-bulk';
export const TAGS_RENAME_KIND = 'tags-rename';
/** A run of the tenant's lifecycle rules (LifecycleRulesService.runJob). */
export const LIFECYCLE_KIND = 'lifecycle-rules';
/** Embedding the tenant's library for semantic search (EmbeddingService.backfill). */
export const EMBEDDINGS_BACKFILL_KIND = 'embeddings-backfill';
const PAGE_SIZE = 100;
/** Below every uuid: where paging by id starts. */
const NO_ID = '00000000-0000-0000-0000-000000000000';

/**
 * A tag change for many assets: the ones listed, or every one a search query and filters match.
 * Jobs started since issue 19 hold `ids` always: the matches resolved when the job was started,
 * so it changes what was previewed and confirmed, not what the query matches after its own edits.
 */
export interface BulkTagsParams {
  patch: TagPatch;
  ids?: string[] | undefined;
  q?: string | undefined;
  syntax?: QuerySyntax | undefined;
  filters?: SearchFilters | undefined;
  /** The filters as the caller wrote them (the API's names), kept with the job for people to read. */
  filtersAsGiven?: Record<string, unknown> | undefined;
}

/** Search hits read per page while resolving a bulk change's query. */
const TARGETS_PAGE_SIZE = 500;

/**
 * The assets a bulk tag change names, in the order the job takes them: its ids (first occurrence
 * of each), or every asset its query and filters match, in the search's order. Refuses more than
 * BULK_TAG_MAX_ASSETS without reading further.
 */
export async function bulkTagTargets(
  search: Pick<SearchIndexReader, 'search'>,
  tenantId: string,
  params: BulkTagsParams,
): Promise<string[]> {
  if (params.ids) return [...new Set(params.ids)];
  const query = parseQuery(params.q ?? '', params.syntax);
  const ids = new Set<string>();
  let cursor: string | undefined;
  for (;;) {
    const page = await search.search(tenantId, {
      query,
      limit: TARGETS_PAGE_SIZE,
      ...(cursor ? { cursor } : {}),
      ...(params.filters ? { filters: params.filters } : {}),
      highlight: false,
    });
    for (const h of page.hits) ids.add(h.assetId);
    if (ids.size > BULK_TAG_MAX_ASSETS) {
      throw new ValidationError(
        `the query matches more than ${BULK_TAG_MAX_ASSETS} assets, the most one bulk change may touch; narrow it or split it`,
        { maxAssets: BULK_TAG_MAX_ASSETS },
      );
    }
    if (!page.nextCursor || page.hits.length === 0) break;
    cursor = page.nextCursor;
  }
  return [...ids];
}

/** A tenant-wide rename (one source) or merge (several) of one entity type. */
export interface TagRenameParams {
  type: EditableType;
  sources: string[];
  into: string;
}

export interface BackgroundJobsDeps {
  db: Database;
  jobs: Pick<
    BackgroundJobsRepository,
    | 'get'
    | 'update'
    | 'countOutdated'
    | 'countLive'
    | 'outdatedPage'
    | 'countRenameCandidates'
    | 'renameCandidatesPage'
    | 'insertChanges'
  >;
  /** Reads each asset of a bulk change before editing it, for the job's record of what changed. */
  assets: Pick<AssetsRepository, 'findById'>;
  outbox: Pick<OutboxRepository, 'insertMany'>;
  /** Edits tags and renames on each asset, as an editor's edit would. */
  curation: Pick<CurationService, 'editTags' | 'rename'>;
  projection: Pick<ProjectionService, 'project'>;
  /** Finds the assets of a bulk change given by a query; respells renamed names. */
  search: Pick<SearchIndexReader, 'search'> & Pick<SearchIndexWriter, 'respell'>;
  graph: Pick<GraphWriter, 'respell'>;
  /** Runs the lifecycle rules' jobs; absent, such a job fails. */
  lifecycleRules?: Pick<LifecycleRulesService, 'runJob'>;
  /** Runs the embeddings backfill's jobs; absent, such a job fails. */
  embeddings?: Pick<EmbeddingService, 'backfill'>;
}

/**
 * Long tenant-wide jobs: the enrichment backfill, bulk tag changes, tag renames, lifecycle runs and
 * the embeddings backfill.
 */
export class BackgroundJobsService {
  constructor(private readonly deps: BackgroundJobsDeps) {}

  /**
   * The `run-background-job` job: runs a background job to its end. Resumable: progress and the
   * paging cursor are committed with each page, so a job that was interrupted continues where it stopped.
   */
  async runBackgroundJob({ tenantId, jobId }: JobPayloads['run-background-job']): Promise<void> {
    const { db, jobs } = this.deps;
    const job = await jobs.get(db, tenantId, jobId);
    if (!job || job.status === 'COMPLETED' || job.status === 'FAILED') return;
    if (job.kind === TAGS_BULK_KIND) return this.runBulkTags(tenantId, job);
    if (job.kind === TAGS_RENAME_KIND) return this.runTagRename(tenantId, job);
    if (job.kind === LIFECYCLE_KIND && this.deps.lifecycleRules) {
      return this.deps.lifecycleRules.runJob(tenantId, job);
    }
    if (job.kind === EMBEDDINGS_BACKFILL_KIND && this.deps.embeddings) {
      return this.runEmbeddingsBackfill(tenantId, job, this.deps.embeddings);
    }
    if (job.kind !== BACKFILL_KIND) {
      await jobs.update(db, tenantId, jobId, { status: 'FAILED', error: `unknown job kind ${job.kind}` });
      return;
    }
    return this.runBackfill(tenantId, job);
  }

  /** Asks for the re-enrichment of every asset enriched by an older extractor version, throttled. */
  private async runBackfill(tenantId: string, job: BackgroundJob): Promise<void> {
    const { db, jobs, outbox } = this.deps;
    const perSecond = Number(job.params.assetsPerSecond ?? 50);
    if (job.total === null) {
      const total = await jobs.countOutdated(db, tenantId, EXTRACTOR_VERSIONS);
      await jobs.update(db, tenantId, job.id, { status: 'RUNNING', total });
    }
    let after = (job.cursor as { id?: string } | null)?.id ?? NO_ID;
    for (;;) {
      const started = Date.now();
      const page = await jobs.outdatedPage(db, tenantId, EXTRACTOR_VERSIONS, after, PAGE_SIZE);
      if (page.length === 0) break;
      after = page[page.length - 1]!.id;
      await db.transaction(async (tx) => {
        await outbox.insertMany(
          tx,
          tenantId,
          page.map((a) => ({
            type: 'asset.enrichment-requested',
            aggregateId: a.id,
            payload: {
              assetId: a.id,
              version: a.version,
              nonce: `backfill-${job.id.slice(0, 8)}-${randomUUID().slice(0, 4)}`,
            },
          })),
        );
        await jobs.update(tx, tenantId, job.id, { processedDelta: page.length, cursor: { id: after } });
      });
      // Throttled, so a backfill never crowds out fresh ingest.
      const budget = (page.length / perSecond) * 1000 - (Date.now() - started);
      if (budget > 0) await sleep(budget);
    }
    await jobs.update(db, tenantId, job.id, { status: 'COMPLETED' });
  }

  /**
   * Embeds the tenant's assets that have no current vectors, throttled (EmbeddingService.backfill).
   * `total` is the live assets when it starts and `processed` those read so far; the position is
   * committed after each page, so an interrupted job continues from there, and an asset embedded
   * already is not embedded again.
   */
  private async runEmbeddingsBackfill(
    tenantId: string,
    job: BackgroundJob,
    embeddings: Pick<EmbeddingService, 'backfill'>,
  ): Promise<void> {
    const { db, jobs } = this.deps;
    if (job.total === null) {
      await jobs.update(db, tenantId, job.id, {
        status: 'RUNNING',
        total: await jobs.countLive(db, tenantId),
      });
    }
    const cursor = (job.cursor ?? {}) as { after?: BackfillPosition; embedded?: number };
    let embedded = cursor.embedded ?? 0;
    await embeddings.backfill(tenantId, {
      assetsPerSecond: Number(job.params.assetsPerSecond ?? 20),
      after: cursor.after,
      onPage: async (page) => {
        embedded += page.embedded;
        await jobs.update(db, tenantId, job.id, {
          processedDelta: page.assets,
          cursor: { after: page.after, embedded },
        });
      },
    });
    await jobs.update(db, tenantId, job.id, { status: 'COMPLETED' });
  }

  /**
   * Applies a tag change to each asset of the job, one version and audit row per asset, a page at a
   * time, and records per asset what it added, removed, locked and unlocked there. An asset the change
   * cannot apply to (a locked tag, an asset deleted meanwhile) is recorded as SKIPPED with the reason,
   * counted and named in the job's last error; the others go on. Resumable from the committed cursor
   * (the record of a page is committed with it).
   */
  private async runBulkTags(tenantId: string, job: BackgroundJob): Promise<void> {
    const { db, jobs, curation, search, assets } = this.deps;
    const params = job.params as unknown as BulkTagsParams & { actor: string };
    const who = { tenantId: tenantId, actor: params.actor };
    // Jobs from before issue 19 name their assets by query only: resolved once, here.
    const ids = params.ids ?? (await bulkTagTargets(search, tenantId, params));
    const cursor = (job.cursor ?? {}) as { i?: number };
    if (job.status !== 'RUNNING' || job.total === null) {
      await jobs.update(db, tenantId, job.id, { status: 'RUNNING', total: ids.length });
    }
    let skipped = 0;
    let lastError: string | null = null;
    for (let i = cursor.i ?? 0; i < ids.length; i += PAGE_SIZE) {
      const page = ids.slice(i, i + PAGE_SIZE);
      const changes: Omit<JobChange, 'title'>[] = [];
      for (const [k, id] of page.entries()) {
        const ord = i + k;
        const none = { added: [], removed: [], locked: [], unlocked: [] };
        const before = await assets.findById(db, tenantId, id);
        if (!before) {
          skipped++;
          lastError = `${id}: asset not found`;
          changes.push({
            ord,
            assetId: id,
            outcome: 'SKIPPED',
            ...none,
            version: null,
            error: 'asset not found',
          });
          continue;
        }
        const effect = tagPatchEffect(before, params.patch);
        try {
          const { asset } = await curation.editTags(who, id, params.patch, {}, { jobId: job.id });
          const changed = asset.version !== before.version;
          changes.push({
            ord,
            assetId: id,
            outcome: changed ? 'CHANGED' : 'UNCHANGED',
            ...(changed ? effect : none),
            version: asset.version,
            error: null,
          });
        } catch (err) {
          if (!(err instanceof DomainError)) throw err;
          skipped++;
          lastError = `${id}: ${err.message}`;
          changes.push({
            ord,
            assetId: id,
            outcome: 'SKIPPED',
            ...none,
            version: before.version,
            error: err.message,
          });
        }
      }
      await db.transaction(async (tx) => {
        await jobs.insertChanges(tx, tenantId, job.id, changes);
        await jobs.update(tx, tenantId, job.id, {
          processedDelta: page.length,
          cursor: { i: i + page.length },
          ...(lastError ? { error: lastError } : {}),
        });
      });
    }
    const done = await jobs.get(db, tenantId, job.id);
    await jobs.update(db, tenantId, job.id, {
      status: 'COMPLETED',
      total: ids.length,
      ...(skipped > 0 ? { error: `${skipped} assets skipped; last: ${done?.lastError ?? ''}` } : {}),
    });
  }

  /**
   * Rewrites every asset of the tenant that carries a renamed name, each as its own version with an
   * audit row, and projects it before going on: when the job completes, no search document or graph
   * edge has an old name. Candidates come from a substring test on the canonical rows; the rename
   * itself decides (an asset it does not change gets no version). Resumable from the committed cursor.
   */
  private async runTagRename(tenantId: string, job: BackgroundJob): Promise<void> {
    const { db, jobs, curation, projection } = this.deps;
    const params = job.params as unknown as TagRenameParams & { actor: string };
    const who = { tenantId, actor: params.actor };
    const words = params.sources.map((s) => normalizeEntityName(s).split(' ').filter(Boolean));
    if (job.total === null) {
      const total = await jobs.countRenameCandidates(db, tenantId, NO_ID, words);
      await jobs.update(db, tenantId, job.id, { status: 'RUNNING', total });
    }
    let after = (job.cursor as { id?: string } | null)?.id ?? NO_ID;
    for (;;) {
      const page = await jobs.renameCandidatesPage(db, tenantId, after, words, PAGE_SIZE);
      if (page.length === 0) break;
      for (const id of page) {
        const out = await curation.rename(who, id, {
          type: params.type,
          sources: params.sources,
          into: params.into,
        });
        if (!out.changed) continue;
        // Projected here, not only through the outbox, so that completion means nothing stale is left.
        await projection.project(tenantId, id);
      }
      after = page[page.length - 1]!;
      await jobs.update(db, tenantId, job.id, { processedDelta: page.length, cursor: { id: after } });
    }
    // Where the new name existed already under another spelling, it is now written the new way.
    const spelled = [{ type: params.type, name: params.into }];
    await Promise.all([
      this.deps.graph.respell(tenantId, spelled),
      this.deps.search.respell(tenantId, spelled),
    ]);
    const done = await jobs.get(db, tenantId, job.id);
    await jobs.update(db, tenantId, job.id, { status: 'COMPLETED', total: done?.processed ?? 0 });
  }
}
