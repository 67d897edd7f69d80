import type { Database } from '../store/db.js';
import { outboxRepository } from '../store/outbox-repository.js';
import { webhooksRepository } from '../store/webhooks-repository.js';
import { jobForEvent, type JobRequest } from '../queue/jobs.js';
import type { JobQueue } from '../queue/job-queue.js';
import { fanOutWebhooks } from './webhooks/fan-out.js';

export interface RelayLogger {
  warn(obj: object, msg: string): void;
}

const BATCH_SIZE = 500;
const PRUNE_EVERY_MS = 60 * 60 * 1000;
/** Completed webhook deliveries are listed this long (GET /v1/webhooks/{id}/deliveries). */
const DELIVERY_RETENTION_DAYS = 30;

/**
 * Moves outbox events onto the job queue, at least once. Events stay in the outbox until the
 * queue has accepted them, so a queue outage delays work but loses none; job ids de-duplicate.
 * In the same transaction it makes the webhook deliveries the events call for.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private lastPrune = 0;

  constructor(
    private readonly db: Database,
    private readonly queue: JobQueue,
    private readonly options: { pollMs: number; log?: RelayLogger },
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Relays now instead of at the next poll; called after a transaction wrote events. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Relays every pending event; returns how many moved. */
  async drain(): Promise<number> {
    let moved = 0;
    for (;;) {
      const { relayed, deliveries } = await this.relayBatch();
      moved += relayed;
      // New deliveries wrote events of their own: relay them now rather than at the next poll.
      if (relayed < BATCH_SIZE && deliveries === 0) return moved;
    }
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.tick().finally(() => {
        this.running = null;
        const again = this.again;
        this.again = false;
        this.schedule(again ? 0 : this.options.pollMs);
      });
    }, delay);
  }

  private async tick(): Promise<void> {
    try {
      await this.drain();
      if (Date.now() - this.lastPrune > PRUNE_EVERY_MS) {
        this.lastPrune = Date.now();
        await outboxRepository.pruneDispatched(this.db, 24 * 7);
        await webhooksRepository.pruneDeliveries(this.db, DELIVERY_RETENTION_DAYS);
      }
    } catch (err) {
      this.options.log?.warn({ err }, 'outbox relay failed; events stay pending and are retried');
    }
  }

  private relayBatch(): Promise<{ relayed: number; deliveries: number }> {
    return this.db.transaction(async (tx) => {
      const events = await outboxRepository.claimPending(tx, BATCH_SIZE);
      if (events.length === 0) return { relayed: 0, deliveries: 0 };
      const deliveries = await fanOutWebhooks(tx, events);
      await this.queue.enqueue(events.map(jobForEvent).filter((j): j is JobRequest => j !== null));
      await outboxRepository.markDispatched(
        tx,
        events.map((e) => e.id),
      );
      return { relayed: events.length, deliveries };
    });
  }
}
