import type { StoredEvent } from '../domain/interaction-events.js';

/**
 * The durable event stream between `POST /v1/events` and the analytics store: Redis Streams
 * when `REDIS_URL` is set, a Postgres table on the embedded default. An append that resolved is
 * never lost; an entry is acknowledged only after the store committed it.
 */

export interface EventLogEntry {
  /** The entry's position in its partition (a Redis stream id, a table sequence). */
  id: string;
  partition: number;
  events: StoredEvent[];
}

export interface ReadOptions {
  maxEntries: number;
  blockMs: number;
  /** The most partitions this consumer holds at once; without it, every free one. */
  maxPartitions?: number;
}

export interface EventLog {
  /**
   * Appends the events, split by partition (a hash of the user token, else of the event id, so
   * that every copy of an event lands in the same partition). Resolves once they are durable.
   */
  append(events: StoredEvent[]): Promise<void>;
  /**
   * The next entries for `consumer`: entries another consumer took and left unacknowledged for
   * longer than the reclaim time first, then new ones, waiting up to `blockMs` for any. A partition
   * is read by one consumer at a time; a consumer holds at most `maxPartitions` of them (default
   * all), so that several consumers share the partitions and record in parallel.
   */
  read(consumer: string, opts: ReadOptions): Promise<EventLogEntry[]>;
  ack(consumer: string, entries: EventLogEntry[]): Promise<void>;
  /** Entries appended and not yet acknowledged, and the age of the oldest. */
  lag(): Promise<{ entries: number; oldestMs: number | null }>;
  close(): Promise<void>;
}
