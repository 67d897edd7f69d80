import type { Database } from '../store/database.js';
import type { AssetsRepository } from '../store/assets-repository.js';
import type { BackgroundJobsRepository } from '../store/background-jobs-repository.js';
import type { OutboxRepository } from '../store/outbox-repository.js';
import type { ProcessingJobsRepository } from '../store/processing-jobs-repository.js';
import type { WebhooksRepository } from '../store/webhooks-repository.js';

const INTERRUPTED = 'interrupted: the process running it stopped; queued again at start-up';

/** What start-up found left over by the process before, and asked to run again. */
export interface Resumed {
  /** Enrichment runs left RUNNING, now RETRYING (their assets QUEUED). */
  runs: number;
  /** Assets left PROCESSING, now QUEUED. */
  assets: number;
  /** Background jobs (backfills, bulk edits, renames) not finished, asked to continue. */
  backgroundJobs: number;
  /** Webhook deliveries still PENDING, asked to be sent. */
  deliveries: number;
}

/**
 * Work the in-process queue held in memory when its process stopped (a crash, kill -9, a shutdown
 * cut short): the queue lost it, though the outbox had marked it dispatched. The database still says
 * what was unfinished, and this asks for it again at start-up, before the workers start. Assets left
 * QUEUED or PROCESSING are asked for by the start-up drift check, with the projections it repairs.
 *
 * Only for the in-process queue: BullMQ keeps its jobs in Redis and gives a dead worker's job to
 * another one, which may be running it at this moment. Every job is safe to run twice.
 */
export class RecoveryService {
  constructor(
    private readonly deps: {
      db: Database;
      assets: Pick<AssetsRepository, 'requeueInterrupted'>;
      processingJobs: Pick<ProcessingJobsRepository, 'reclaimRunning'>;
      backgroundJobs: Pick<BackgroundJobsRepository, 'unfinished'>;
      webhooks: Pick<WebhooksRepository, 'pendingDeliveries'>;
      outbox: Pick<OutboxRepository, 'insertMany'>;
    },
  ) {}

  async resumeInterruptedWork(): Promise<Resumed> {
    const { db, assets, processingJobs, backgroundJobs, webhooks, outbox } = this.deps;
    return db.transaction(async (tx) => {
      const runs = await processingJobs.reclaimRunning(tx, INTERRUPTED);
      const requeued = await assets.requeueInterrupted(tx, INTERRUPTED);
      const jobs = await backgroundJobs.unfinished(tx);
      const deliveries = await webhooks.pendingDeliveries(tx);
      // A new run number names a new queue job; the receiver de-duplicates by the delivery's id.
      const run = Date.now();
      const events = [
        ...jobs.map((j) => ({
          tenantId: j.tenantId,
          event: {
            type: 'background-job.created' as const,
            aggregateId: j.id,
            payload: { jobId: j.id, kind: j.kind },
          },
        })),
        ...deliveries.map((d) => ({
          tenantId: d.tenantId,
          event: {
            type: 'webhook.delivery-requested' as const,
            aggregateId: d.id,
            payload: { deliveryId: d.id, run },
          },
        })),
      ];
      for (const [tenantId, ofTenant] of byTenant(events)) {
        await outbox.insertMany(
          tx,
          tenantId,
          ofTenant.map((e) => e.event),
        );
      }
      return {
        runs: runs.length,
        assets: requeued,
        backgroundJobs: jobs.length,
        deliveries: deliveries.length,
      };
    });
  }
}

function byTenant<T extends { tenantId: string }>(items: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(item.tenantId, [...(groups.get(item.tenantId) ?? []), item]);
  return groups;
}
