import { outsideRequests } from '../domain/request-ids.js';
import { untraced } from '../domain/tracing.js';
import type { OutboxRelayService } from '../services/outbox-relay-service.js';

export interface RelayLogger {
  warn(obj: object, msg: string): void;
}

const BATCH_SIZE = 500;
const PRUNE_EVERY_MS = 60 * 60 * 1000;
/**
 * How long a nudge waits before relaying: writes that commit one asset at a time, close together,
 * then reach the queue as one batch job instead of one job each. An ingest batch's events are
 * committed together and need no wait; this only groups what arrives one by one.
 */
export const NUDGE_LINGER_MS = 20;

/**
 * Moves outbox events onto the job queue, at least once: polls, and relays at once when nudged.
 * Each batch (claim, webhook deliveries, enqueue, mark relayed) is one transaction of the relay
 * service; a failed batch leaves its events pending for the next poll.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | null = null;
  /** When the scheduled relay runs (Date.now() time). */
  private dueAt = 0;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private lastPrune = 0;

  constructor(
    private readonly relay: Pick<OutboxRelayService, 'relayBatch' | 'prune'>,
    private readonly options: { pollMs: number; lingerMs?: number; log?: RelayLogger },
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /**
   * Relays soon (after the linger) instead of at the next poll; called after a transaction wrote
   * events. A relay already due sooner is not put off, so steady nudges cannot starve it.
   */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else {
      const linger = this.options.lingerMs ?? NUDGE_LINGER_MS;
      if (!this.timer || this.dueAt > Date.now() + linger) this.schedule(linger);
    }
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
      const { relayed, deliveries } = await this.relay.relayBatch(BATCH_SIZE);
      moved += relayed;
      // New deliveries wrote events of their own: relay them now rather than at the next poll.
      if (relayed < BATCH_SIZE && deliveries === 0) return moved;
    }
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.dueAt = Date.now() + delay;
    this.timer = setTimeout(() => {
      this.timer = null;
      // Polls make no spans (a batch it relays makes its own trace), whoever's nudge woke it; nor
      // do they serve that request (each event carries its own request ids).
      this.running = outsideRequests(() => untraced(() => this.tick())).finally(() => {
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
        await this.relay.prune();
      }
    } catch (err) {
      this.options.log?.warn({ err }, 'outbox relay failed; events stay pending and are retried');
    }
  }
}
