import type { Database } from '../store/db.js';
import type { PipelineMinute, PipelineRepository } from '../store/pipeline-repository.js';

export const ASSET_STATUSES = ['STAGED', 'QUEUED', 'PROCESSING', 'PROCESSED', 'FAILED', 'ARCHIVED'] as const;
export type AssetStatus = (typeof ASSET_STATUSES)[number];

/** The minutes of history the status carries: enough to see an import's pace. */
export const PIPELINE_WINDOW_MINUTES = 60;
/** The rates are averaged over this many minutes: recent, yet not one minute's noise. */
export const PIPELINE_RATE_MINUTES = 5;

export interface PipelineStatus {
  checkedAt: Date;
  /** Nothing waits: no asset queued or processing, no enrichment run open, no event unrelayed. */
  idle: boolean;
  assets: Record<AssetStatus, number> & { total: number };
  jobs: { queued: number; running: number; retrying: number };
  outboxPending: number;
  lastIngestAt: Date | null;
  /** Per minute, oldest first, every minute of the window (zeros included). */
  minutes: PipelineMinute[];
  rates: { ingestedPerMinute: number; enrichedPerMinute: number; failedPerMinute: number };
  /** Assets still to enrich at the recent enrichment rate; null without a rate or work. */
  estimatedSecondsLeft: number | null;
}

const MINUTE_MS = 60_000;

/**
 * What an import looks like from the tenant's side: how many assets are where in the pipeline,
 * at what pace they arrive and are enriched, and whether all of it is done.
 */
export class PipelineStatusService {
  constructor(private readonly deps: { db: Database; pipeline: PipelineRepository }) {}

  async status(tenantId: string, now: Date = new Date()): Promise<PipelineStatus> {
    const { pipeline } = this.deps;
    const start = new Date(
      Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS - (PIPELINE_WINDOW_MINUTES - 1) * MINUTE_MS,
    );
    // One snapshot: the counts agree with one another.
    const read = await this.deps.db.transaction(async (tx) => ({
      byStatus: await pipeline.assetsByStatus(tx, tenantId),
      jobs: await pipeline.activeJobs(tx, tenantId),
      outboxPending: await pipeline.outboxPending(tx, tenantId),
      lastIngestAt: await pipeline.lastIngestAt(tx, tenantId),
      minutes: await pipeline.minutes(tx, tenantId, start),
    }));
    const assets = Object.fromEntries(ASSET_STATUSES.map((s) => [s, read.byStatus.get(s) ?? 0])) as Record<
      AssetStatus,
      number
    >;
    const total = ASSET_STATUSES.reduce((n, s) => n + assets[s], 0);
    const jobs = {
      queued: read.jobs.get('QUEUED') ?? 0,
      running: read.jobs.get('RUNNING') ?? 0,
      retrying: read.jobs.get('RETRYING') ?? 0,
    };
    const minutes = denseMinutes(read.minutes, start);
    const recent = minutes.slice(-PIPELINE_RATE_MINUTES);
    const perMinute = (pick: (m: PipelineMinute) => number) =>
      Math.round((recent.reduce((n, m) => n + pick(m), 0) / PIPELINE_RATE_MINUTES) * 10) / 10;
    const rates = {
      ingestedPerMinute: perMinute((m) => m.ingested),
      enrichedPerMinute: perMinute((m) => m.enriched),
      failedPerMinute: perMinute((m) => m.failed),
    };
    const waiting = assets.QUEUED + assets.PROCESSING;
    const idle =
      waiting === 0 && jobs.queued + jobs.running + jobs.retrying === 0 && read.outboxPending === 0;
    return {
      checkedAt: now,
      idle,
      assets: { ...assets, total },
      jobs,
      outboxPending: read.outboxPending,
      lastIngestAt: read.lastIngestAt,
      minutes,
      rates,
      estimatedSecondsLeft:
        waiting > 0 && rates.enrichedPerMinute > 0
          ? Math.ceil((waiting / rates.enrichedPerMinute) * 60)
          : null,
    };
  }
}

/** Every minute from `start`, in order, with zeros where nothing happened. */
function denseMinutes(sparse: PipelineMinute[], start: Date): PipelineMinute[] {
  const byTime = new Map(sparse.map((m) => [m.minute.getTime(), m]));
  return Array.from({ length: PIPELINE_WINDOW_MINUTES }, (_, i) => {
    const minute = new Date(start.getTime() + i * MINUTE_MS);
    return byTime.get(minute.getTime()) ?? { minute, ingested: 0, enriched: 0, failed: 0 };
  });
}
