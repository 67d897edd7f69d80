import { describe, expect, it } from 'vitest';
import { PipelineStatusService } from '../../services/pipeline-status-service.js';
import type { Database, Sql } from '../../store/database.js';
import type { PipelineMinute, PipelineRepository } from '../../store/pipeline-repository.js';

const NOW = new Date('2026-12-06T18:30:40Z');
const minute = (hhmm: string) => new Date(`2026-12-06T${hhmm}:00Z`);

/** A repository answering these counts, remembering the `since` it was asked for. */
interface Read {
  byStatus?: Record<string, number>;
  jobs?: Record<string, number>;
  outboxPending?: number;
  minutes?: PipelineMinute[];
}

function aPipeline(read: Read) {
  const asked: Date[] = [];
  const sql: Sql = { query: () => Promise.reject(new Error('no SQL in a unit test')) };
  const db = { ...sql, transaction: <T>(fn: (tx: Sql) => Promise<T>) => fn(sql) } as unknown as Database;
  const pipeline: PipelineRepository = {
    assetsByStatus: () => Promise.resolve(new Map(Object.entries(read.byStatus ?? {}))),
    activeJobs: () => Promise.resolve(new Map(Object.entries(read.jobs ?? {}))),
    inFlight: () => Promise.reject(new Error('the status reads one tenant, not every one')),
    outboxPending: () => Promise.resolve(read.outboxPending ?? 0),
    lastIngestAt: () => Promise.resolve(read.minutes?.[0]?.minute ?? null),
    minutes: (_sql, _tenant, since) => {
      asked.push(since);
      return Promise.resolve(read.minutes ?? []);
    },
  };
  return { sut: new PipelineStatusService({ db, pipeline }), asked };
}

describe('PipelineStatusService', () => {
  it('lists every minute of the last hour, ending with the current one, zeros included', async () => {
    const { sut, asked } = aPipeline({
      minutes: [{ minute: minute('18:10'), ingested: 7, enriched: 2, failed: 0 }],
    });
    const s = await sut.status('t1', NOW);
    expect(asked).toEqual([minute('17:31')]);
    expect(s.minutes).toHaveLength(60);
    expect(s.minutes[0]!.minute).toEqual(minute('17:31'));
    expect(s.minutes.at(-1)!.minute).toEqual(minute('18:30'));
    expect(s.minutes.find((m) => m.ingested > 0)).toEqual({
      minute: minute('18:10'),
      ingested: 7,
      enriched: 2,
      failed: 0,
    });
    // Twenty minutes ago is outside the rate's five.
    expect(s.rates).toEqual({ ingestedPerMinute: 0, enrichedPerMinute: 0, failedPerMinute: 0 });
  });

  it('averages the last five minutes, and estimates the time left from the enrichment rate', async () => {
    const { sut } = aPipeline({
      byStatus: { QUEUED: 90, PROCESSING: 10, PROCESSED: 400, FAILED: 3 },
      jobs: { QUEUED: 95, RUNNING: 5 },
      minutes: [
        { minute: minute('18:25'), ingested: 500, enriched: 0, failed: 0 },
        { minute: minute('18:27'), ingested: 0, enriched: 200, failed: 1 },
        { minute: minute('18:30'), ingested: 0, enriched: 50, failed: 2 },
      ],
    });
    const s = await sut.status('t1', NOW);
    expect(s.idle).toBe(false);
    expect(s.assets).toEqual({
      total: 503,
      STAGED: 0,
      QUEUED: 90,
      PROCESSING: 10,
      PROCESSED: 400,
      FAILED: 3,
      ARCHIVED: 0,
    });
    expect(s.jobs).toEqual({ queued: 95, running: 5, retrying: 0 });
    // 18:26 to 18:30: the ingest at 18:25 has left the window.
    expect(s.rates).toEqual({ ingestedPerMinute: 0, enrichedPerMinute: 50, failedPerMinute: 0.6 });
    // 100 waiting at 50 a minute.
    expect(s.estimatedSecondsLeft).toBe(120);
  });

  it('is idle only when no asset, run or event waits', async () => {
    const done = aPipeline({ byStatus: { PROCESSED: 3 } });
    expect((await done.sut.status('t1', NOW)).idle).toBe(true);
    const busyOnes: Read[] = [
      { byStatus: { PROCESSED: 2, QUEUED: 1 } },
      { byStatus: { PROCESSED: 3 }, jobs: { RETRYING: 1 } },
      { byStatus: { PROCESSED: 3 }, outboxPending: 1 },
    ];
    for (const busy of busyOnes) {
      const s = await aPipeline(busy).sut.status('t1', NOW);
      expect(s.idle, JSON.stringify(busy)).toBe(false);
      expect(s.estimatedSecondsLeft).toBeNull();
    }
  });
});
