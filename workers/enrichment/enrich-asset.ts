import { randomUUID } from 'node:crypto';
import type { Asset, Enrichment, Speaker, Tag } from '../../domain/asset.js';
import { normalizeEntityName } from '../../domain/entities.js';
import { actionsRepository } from '../../store/actions-repository.js';
import { assetsRepository, snapshotOf } from '../../store/assets-repository.js';
import type { Database, Sql } from '../../store/db.js';
import { outboxRepository } from '../../store/outbox-repository.js';
import { processingJobsRepository } from '../../store/processing-jobs-repository.js';
import { termStatsRepository } from '../../store/term-stats-repository.js';
import { versionsRepository } from '../../store/versions-repository.js';
import type { JobHandler } from '../jobs.js';
import { countTerms, KEYWORD_EXTRACTOR_VERSION, scoreKeywords } from './keywords.js';

export const ENRICHMENT_WORKFLOW = 'default-enrichment';
export const ENRICHMENT_CAPABILITIES = ['keywords', 'speakers', 'tags'] as const;
const ACTOR = 'worker:enrichment';

/** Given names, first spelling kept, duplicates by normalized name dropped. */
function distinct(names: string[]): string[] {
  const seen = new Set<string>();
  return names.filter((n) => {
    const key = normalizeEntityName(n);
    if (key === '' || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export interface EnrichmentDeps {
  db: Database;
  retryConfig: Record<string, unknown>;
}

/**
 * Enriches one asset: QUEUED → PROCESSING → PROCESSED (or FAILED past the last attempt).
 * The result is a new asset version, written with its audit row and an outbox event for the
 * projections in one transaction. A redelivered job for an already-enriched version does nothing.
 */
export function createEnrichAssetHandler(deps: EnrichmentDeps): JobHandler<'enrich-asset'> {
  const { db } = deps;
  return async ({ tenantId, assetId, version }, ctx) => {
    const asset = await assetsRepository.findById(db, tenantId, assetId);
    if (!asset || (asset.enrichedFromVersion !== null && asset.enrichedFromVersion >= version)) return;

    const startedAt = new Date();
    const audit = (tx: Sql, status: 'SUCCEEDED' | 'FAILED', details: Record<string, unknown>) =>
      actionsRepository.insertMany(tx, tenantId, [
        {
          assetId,
          actionType: 'ENRICH',
          direction: 'INTERNAL',
          controller: ENRICHMENT_WORKFLOW,
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
        workflow: ENRICHMENT_WORKFLOW,
        capabilities: [...ENRICHMENT_CAPABILITIES],
        attempt: ctx.attempt,
        retryConfig: deps.retryConfig,
        queueJobId: ctx.jobId,
      });
    });

    try {
      await db.transaction(async (tx) => {
        const current = await assetsRepository.findById(tx, tenantId, assetId, { forUpdate: true });
        if (!current) return;
        const timings: Record<string, number> = {};
        const timed = async <T>(capability: string, fn: () => T | Promise<T>): Promise<T> => {
          const t0 = performance.now();
          const result = await fn();
          timings[capability] = Math.round((performance.now() - t0) * 100) / 100;
          return result;
        };

        const counts = countTerms(current);
        const keywords = await timed('keywords', async () =>
          scoreKeywords(
            counts,
            await termStatsRepository.replaceAssetTerms(tx, tenantId, assetId, [...counts.tf.keys()]),
          ),
        );
        const speakers = await timed('speakers', () => extractSpeakers(current));
        const tags = await timed('tags', () => extractTags(current));
        const enrichment: Enrichment = {
          keywords,
          topics: [],
          speakers,
          brands: [],
          tags,
          extractors: { keywords: KEYWORD_EXTRACTOR_VERSION, speakers: 1, tags: 1 },
        };

        const versionId = randomUUID();
        const saved = await assetsRepository.saveEnrichment(tx, {
          tenantId,
          id: assetId,
          expectedVersion: current.version,
          newVersionId: versionId,
          enrichment,
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
        await outboxRepository.insertMany(tx, tenantId, [
          { type: 'asset.enriched', aggregateId: assetId, payload: { assetId, version: saved.version } },
        ]);
        await audit(tx, 'SUCCEEDED', {
          fromVersion: current.version,
          toVersion: saved.version,
          attempt: ctx.attempt,
        });
        await processingJobsRepository.finish(tx, tenantId, run.id, {
          status: 'COMPLETED',
          completed: [...ENRICHMENT_CAPABILITIES],
          failed: [],
          timings,
        });
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const final = ctx.attempt >= ctx.maxAttempts;
      await db.transaction(async (tx) => {
        await assetsRepository.setStatus(
          tx,
          tenantId,
          assetId,
          final ? 'FAILED' : 'QUEUED',
          final ? message : `attempt ${ctx.attempt} of ${ctx.maxAttempts} failed, retrying: ${message}`,
        );
        await processingJobsRepository.finish(tx, tenantId, run.id, {
          status: 'FAILED',
          completed: [],
          failed: [...ENRICHMENT_CAPABILITIES],
          timings: {},
          error: message,
        });
        await audit(tx, 'FAILED', { error: message, attempt: ctx.attempt, final });
      });
      // Rethrown so the queue retries it.
      throw err;
    }
  };
}

function extractSpeakers(asset: Asset): Speaker[] {
  return distinct(asset.speakers).map((name) => ({ name, source: 'manual' }));
}

function extractTags(asset: Asset): Tag[] {
  return distinct(asset.tags).map((name) => ({ name, source: 'manual', locked: false }));
}
