import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { normalizeEntityName } from '../domain/entities.js';
import { DomainError } from '../domain/errors.js';
import type { EditableType, TagPatch } from '../domain/tag-overrides.js';
import { EXTRACTOR_VERSIONS } from '../enrichment/extract.js';
import type { GraphWriter } from '../graph/graph-store.js';
import type { JobPayloads } from '../queue/jobs.js';
import { parseQuery } from '../search/query-parser.js';
import type { SearchIndexReader, SearchIndexWriter } from '../search/search-index.js';
import type { BackgroundJob, BackgroundJobsRepository } from '../store/background-jobs-repository.js';
import type { Database } from '../store/database.js';
import type { OutboxRepository } from '../store/outbox-repository.js';
import type { CurationService } from './curation-service.js';
import type { ProjectionService } from './projection-service.js';

export const BACKFILL_KIND = 'enrichment-backfill';
export const TAGS_BULK_KIND = 'tags-bulk';
export const TAGS_RENAME_KIND = 'tags-rename';
const PAGE_SIZE = 100;
/** Below every uuid: where paging by id starts. */
const NO_ID = '00000000-0000-0000-0000-000000000000';

/** A tag change for many assets: the ones listed, or every one a search query matches. */
export interface BulkTagsParams {
  patch: TagPatch;
  ids?: string[] | undefined;
  q?: string | undefined;
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
    'get' | 'update' | 'countOutdated' | 'outdatedPage' | 'countRenameCandidates' | 'renameCandidatesPage'
  >;
  outbox: Pick<OutboxRepository, 'insertMany'>;
  /** Edits tags and renames on each asset, as an editor's edit would. */
  curation: Pick<CurationService, 'editTags' | 'rename'>;
  projection: Pick<ProjectionService, 'project'>;
  /** Finds the assets of a bulk change given by a query; respells renamed names. */
  search: Pick<SearchIndexReader, 'search'> & Pick<SearchIndexWriter, 'respell'>;
  graph: Pick<GraphWriter, 'respell'>;
}

/** Long tenant-wide jobs: the enrichment backfill, bulk tag changes and tag renames. */
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
   * Applies a tag change to each asset of the job, one version and audit row per asset, a page at a
   * time. An asset the change cannot apply to (a locked tag, an asset deleted meanwhile) is counted
   * and named in the job's last error; the others go on. Resumable from the committed cursor.
   */
  private async runBulkTags(tenantId: string, job: BackgroundJob): Promise<void> {
    const { db, jobs, curation, search } = this.deps;
    const params = job.params as unknown as BulkTagsParams & { actor: string };
    const who = { tenantId: tenantId, actor: params.actor };
    let cursor = (job.cursor ?? {}) as { i?: number; search?: string | null };
    if (job.status !== 'RUNNING') {
      await jobs.update(db, tenantId, job.id, {
        status: 'RUNNING',
        ...(params.ids ? { total: params.ids.length } : {}),
      });
    }
    let skipped = 0;
    for (;;) {
      let ids: string[];
      let next: typeof cursor;
      if (params.ids) {
        const i = cursor.i ?? 0;
        ids = params.ids.slice(i, i + PAGE_SIZE);
        next = { i: i + ids.length };
      } else {
        if (cursor.search === null) break;
        const page = await search.search(tenantId, {
          query: parseQuery(params.q ?? ''),
          limit: PAGE_SIZE,
          ...(cursor.search ? { cursor: cursor.search } : {}),
        });
        ids = page.hits.map((h) => h.assetId);
        next = { search: page.nextCursor };
      }
      if (ids.length === 0) break;
      let lastError: string | null = null;
      for (const id of ids) {
        try {
          await curation.editTags(who, id, params.patch);
        } catch (err) {
          if (!(err instanceof DomainError)) throw err;
          skipped++;
          lastError = `${id}: ${err.message}`;
        }
      }
      cursor = next;
      await jobs.update(db, tenantId, job.id, {
        processedDelta: ids.length,
        cursor,
        ...(lastError ? { error: lastError } : {}),
      });
    }
    const done = await jobs.get(db, tenantId, job.id);
    await jobs.update(db, tenantId, job.id, {
      status: 'COMPLETED',
      total: done?.processed ?? 0,
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
