import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { normalizeEntityName } from '../domain/entities.js';
import { DomainError } from '../domain/errors.js';
import type { EditableType, TagPatch } from '../domain/tag-overrides.js';
import type { GraphStore } from '../graph/graph-store.js';
import { projectAsset } from '../indexers/project-asset.js';
import type { SearchIndex } from '../search/search-index.js';
import type { CurationService } from '../services/curation-service.js';
import { backgroundJobsRepository, type BackgroundJob } from '../store/background-jobs-repository.js';
import type { Database } from '../store/db.js';
import { outboxRepository } from '../store/outbox-repository.js';
import { EXTRACTOR_VERSIONS } from '../enrichment/extract.js';

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

export interface BackgroundJobDeps {
  db: Database;
  search: SearchIndex;
  graph: GraphStore;
  curation: CurationService;
}

/** Assets whose enrichment was made by an older extractor version than the current ones. */
const OUTDATED = `(enriched_metadata IS NULL OR NOT (enriched_metadata->'extractors' @> $2::jsonb))`;

/**
 * Runs a background job to its end. Resumable: progress and the paging cursor are committed with
 * each page, so a job that was interrupted continues where it stopped.
 */
export async function runBackgroundJob(
  deps: BackgroundJobDeps,
  tenantId: string,
  jobId: string,
): Promise<void> {
  const { db } = deps;
  const job = await backgroundJobsRepository.get(db, tenantId, jobId);
  if (!job || job.status === 'COMPLETED' || job.status === 'FAILED') return;
  if (job.kind === TAGS_BULK_KIND) return runBulkTags(deps, tenantId, job);
  if (job.kind === TAGS_RENAME_KIND) return runTagRename(deps, tenantId, job);
  if (job.kind !== BACKFILL_KIND) {
    await backgroundJobsRepository.update(db, tenantId, jobId, {
      status: 'FAILED',
      error: `unknown job kind ${job.kind}`,
    });
    return;
  }
  const versions = JSON.stringify(EXTRACTOR_VERSIONS);
  const perSecond = Number(job.params.assetsPerSecond ?? 50);
  if (job.total === null) {
    const [count] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM assets WHERE tenant_id = $1 AND status <> 'ARCHIVED' AND ${OUTDATED}`,
      [tenantId, versions],
    );
    await backgroundJobsRepository.update(db, tenantId, jobId, { status: 'RUNNING', total: count?.n ?? 0 });
  }
  let after = (job.cursor as { id?: string } | null)?.id ?? NO_ID;
  for (;;) {
    const started = Date.now();
    const page = await db.query<{ id: string; version: number }>(
      `SELECT id, version FROM assets
       WHERE tenant_id = $1 AND status NOT IN ('ARCHIVED', 'QUEUED', 'PROCESSING') AND ${OUTDATED} AND id > $3
       ORDER BY id LIMIT ${PAGE_SIZE}`,
      [tenantId, versions, after],
    );
    if (page.length === 0) break;
    after = page[page.length - 1]!.id;
    await db.transaction(async (tx) => {
      await outboxRepository.insertMany(
        tx,
        tenantId,
        page.map((a) => ({
          type: 'asset.enrichment-requested',
          aggregateId: a.id,
          payload: {
            assetId: a.id,
            version: a.version,
            nonce: `backfill-${jobId.slice(0, 8)}-${randomUUID().slice(0, 4)}`,
          },
        })),
      );
      await backgroundJobsRepository.update(tx, tenantId, jobId, {
        processedDelta: page.length,
        cursor: { id: after },
      });
    });
    // Throttled, so a backfill never crowds out fresh ingest.
    const budget = (page.length / perSecond) * 1000 - (Date.now() - started);
    if (budget > 0) await sleep(budget);
  }
  await backgroundJobsRepository.update(db, tenantId, jobId, { status: 'COMPLETED' });
}

/**
 * Applies a tag change to each asset of the job, one version and audit row per asset, a page at a
 * time. An asset the change cannot apply to (a locked tag, an asset deleted meanwhile) is counted
 * and named in the job's last error; the others go on. Resumable from the committed cursor.
 */
async function runBulkTags(
  { db, search, curation }: BackgroundJobDeps,
  tenantId: string,
  job: BackgroundJob,
): Promise<void> {
  const params = job.params as unknown as BulkTagsParams & { actor: string };
  const who = { tenantId: tenantId, actor: params.actor };
  let cursor = (job.cursor ?? {}) as { i?: number; search?: string | null };
  if (job.status !== 'RUNNING') {
    await backgroundJobsRepository.update(db, tenantId, job.id, {
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
        text: params.q ?? '',
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
    await backgroundJobsRepository.update(db, tenantId, job.id, {
      processedDelta: ids.length,
      cursor,
      ...(lastError ? { error: lastError } : {}),
    });
  }
  const done = await backgroundJobsRepository.get(db, tenantId, job.id);
  await backgroundJobsRepository.update(db, tenantId, job.id, {
    status: 'COMPLETED',
    total: done?.processed ?? 0,
    ...(skipped > 0 ? { error: `${skipped} assets skipped; last: ${done?.lastError ?? ''}` } : {}),
  });
}

/**
 * The assets of tenant $1 past id $2 that may carry one of the names in $3 (each name as its words):
 * their names folded once per row, like normalizeEntityName folds them (lower case, no accents),
 * and holding every word of some name. A cheap superset; the rename itself decides.
 */
const CANDIDATES = `FROM assets a
  CROSS JOIN LATERAL (SELECT regexp_replace(normalize(lower(coalesce(a.enriched_metadata::text, '')
    || ' ' || a.given_tags::text || ' ' || a.given_speakers::text), NFKD), '[\u0300-\u036f]', '', 'g') AS names) n
  WHERE a.tenant_id = $1 AND a.id > $2
    AND EXISTS (SELECT 1 FROM jsonb_array_elements($3::jsonb) name
                WHERE NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(name.value) word
                                  WHERE strpos(n.names, word) = 0))`;

/**
 * Rewrites every asset of the tenant that carries a renamed name, each as its own version with an
 * audit row, and projects it before going on: when the job completes, no search document or graph
 * edge has an old name. Candidates come from a substring test on the canonical rows; the rename
 * itself decides (an asset it does not change gets no version). Resumable from the committed cursor.
 */
async function runTagRename(deps: BackgroundJobDeps, tenantId: string, job: BackgroundJob): Promise<void> {
  const { db, curation } = deps;
  const params = job.params as unknown as TagRenameParams & { actor: string };
  const who = { tenantId, actor: params.actor };
  const words = JSON.stringify(params.sources.map((s) => normalizeEntityName(s).split(' ').filter(Boolean)));
  if (job.total === null) {
    const [count] = await db.query<{ n: number }>(`SELECT count(*)::int AS n ${CANDIDATES}`, [
      tenantId,
      NO_ID,
      words,
    ]);
    await backgroundJobsRepository.update(db, tenantId, job.id, { status: 'RUNNING', total: count?.n ?? 0 });
  }
  let after = (job.cursor as { id?: string } | null)?.id ?? NO_ID;
  for (;;) {
    const page = await db.query<{ id: string }>(
      `SELECT a.id ${CANDIDATES} ORDER BY a.id LIMIT ${PAGE_SIZE}`,
      [tenantId, after, words],
    );
    if (page.length === 0) break;
    for (const { id } of page) {
      const out = await curation.rename(who, id, {
        type: params.type,
        sources: params.sources,
        into: params.into,
      });
      if (!out.changed) continue;
      // Projected here, not only through the outbox, so that completion means nothing stale is left.
      await projectAsset(deps, tenantId, id);
    }
    after = page[page.length - 1]!.id;
    await backgroundJobsRepository.update(db, tenantId, job.id, {
      processedDelta: page.length,
      cursor: { id: after },
    });
  }
  // Where the new name existed already under another spelling, it is now written the new way.
  const spelled = [{ type: params.type, name: params.into }];
  await Promise.all([deps.graph.respell(tenantId, spelled), deps.search.respell(tenantId, spelled)]);
  const done = await backgroundJobsRepository.get(db, tenantId, job.id);
  await backgroundJobsRepository.update(db, tenantId, job.id, {
    status: 'COMPLETED',
    total: done?.processed ?? 0,
  });
}
