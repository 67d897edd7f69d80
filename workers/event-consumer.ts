import type { AnalyticsStore, RecordResult } from '../analytics/analytics-store.js';
import type { StoredEvent } from '../domain/interaction-events.js';
import type { EventLog } from '../stream/event-log.js';

export interface EventConsumerLogger {
  warn(obj: object, msg: string): void;
}

export interface EventConsumerOptions {
  /** This consumer's name in the stream: unique per process (a dead one's entries are reclaimed by name). */
  name: string;
  /** Entries per read (each holds one partition's events of one batch). */
  maxEntries: number;
  /** A read waits this long for new entries. */
  blockMs: number;
  /**
   * The most partitions this consumer holds (several consumers of one process share them, each
   * partition still read by one at a time); default all it can take.
   */
  maxPartitions?: number;
  /**
   * After a batch of fewer events than this, wait `lingerMs` before the next read, so that the store
   * gets fewer, larger batches (ClickHouse makes parts per insert); default: read again at once.
   */
  minEvents?: number;
  lingerMs?: number;
  /** After a failure (the store or the stream away), wait this long before reading again. */
  retryMs: number;
  log?: EventConsumerLogger;
}

/**
 * Moves interaction events from the stream into the analytics store: read → record → derived
 * webhook events → acknowledge. An entry is acknowledged only after the store committed it and its
 * derived events are in the outbox; a failure anywhere leaves it unacknowledged, to be read again
 * (by this consumer, or after the reclaim time by another), and the store's de-duplication by
 * event id counts it once.
 */
export class EventConsumer {
  private running: Promise<void> | null = null;
  private stopped = true;

  constructor(
    private readonly deps: {
      log: Pick<EventLog, 'read' | 'ack'>;
      store: Pick<AnalyticsStore, 'record'>;
      derived: { record(events: readonly StoredEvent[]): Promise<unknown> };
      /** Told what each committed batch added and skipped (metrics), after its acknowledgement. */
      onRecorded?: (result: RecordResult) => void;
    },
    private readonly options: EventConsumerOptions,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.running = this.loop();
  }

  /** Finishes the batch in hand (its read waits at most blockMs), then stops. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
    this.running = null;
  }

  /** One read, record and acknowledge; returns how many events it recorded (0: nothing to read). */
  async runOnce(): Promise<number> {
    const { log, store, derived } = this.deps;
    const { name, maxEntries, blockMs, maxPartitions } = this.options;
    const entries = await log.read(name, {
      maxEntries,
      blockMs,
      ...(maxPartitions !== undefined ? { maxPartitions } : {}),
    });
    if (entries.length === 0) return 0;
    const events = entries.flatMap((e) => e.events);
    const result = await store.record(events);
    await derived.record(events);
    await log.ack(name, entries);
    this.deps.onRecorded?.(result);
    return events.length;
  }

  private async loop(): Promise<void> {
    const { minEvents = 0, lingerMs = 0 } = this.options;
    while (!this.stopped) {
      try {
        const recorded = await this.runOnce();
        if (recorded > 0 && recorded < minEvents && lingerMs > 0)
          await new Promise((resolve) => setTimeout(resolve, lingerMs));
      } catch (err) {
        this.options.log?.warn(
          { err },
          'event consumer failed; its entries stay unacknowledged and are read again',
        );
        await new Promise((resolve) => setTimeout(resolve, this.options.retryMs));
      }
    }
  }
}
