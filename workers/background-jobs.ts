import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { backgroundJobsRepository } from '../store/background-jobs-repository.js';
import type { Database } from '../store/db.js';
import { outboxRepository } from '../store/outbox-repository.js';
import { EXTRACTOR_VERSIONS } from './enrichment/extract.js';

export const BACKFILL_KIND = 'enrichment-backfill';
const PAGE_SIZE = 100;

/** Assets whose enrichment was made by an older extractor version than the current ones. */
const OUTDATED = `(enriched_metadata IS NULL OR NOT (enriched_metadata->'extractors' @> $2::jsonb))`;

/**
 * Runs a background job to its end. Resumable: progress and the paging cursor are committed with
 * each page, so a job that was interrupted continues where it stopped.
 */
export async function runBackgroundJob(db: Database, tenantId: string, jobId: string): Promise<void> {
  const job = await backgroundJobsRepository.get(db, tenantId, jobId);
  if (!job || job.status === 'COMPLETED' || job.status === 'FAILED') return;
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
  let after = (job.cursor as { id?: string } | null)?.id ?? '00000000-0000-0000-0000-000000000000';
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
