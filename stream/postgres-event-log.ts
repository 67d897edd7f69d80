import type { StoredEvent } from '../domain/interaction-events.js';
import type { Database } from '../store/database.js';
import type { EventLog, EventLogEntry, ReadOptions } from './event-log.js';
import { byPartition, decodeEvents, encodeEvents } from './partitions.js';

export interface PostgresEventLogOptions {
  partitions: number;
  /** How long a partition stays a consumer's after its last read; then another may take it. */
  leaseMs: number;
}

/**
 * The event log on the canonical database (the embedded default): a row per partition of an
 * appended batch in `event_log`, deleted when acknowledged. A consumer holds a partition by a lease
 * row in `event_log_leases` (renewed by each read); it reads the oldest rows of its partitions, so an
 * entry it did not acknowledge comes back to it, or, once its lease lapsed, to the next consumer.
 * Appends resolve when their transaction committed: as durable as the database.
 */
export class PostgresEventLog implements EventLog {
  /** Readers of this process waiting for an append (blocking reads without polling). */
  private readonly waiting = new Set<() => void>();
  private closed = false;
  /** The consumers that read through this log, whose leases `close` gives up. */
  private readonly consumers = new Set<string>();

  private constructor(
    private readonly db: Database,
    private readonly options: PostgresEventLogOptions,
  ) {}

  static async open(db: Database, options: PostgresEventLogOptions): Promise<PostgresEventLog> {
    await db.query(
      `INSERT INTO event_log_leases (partition) SELECT generate_series(0, $1::int - 1)
       ON CONFLICT (partition) DO NOTHING`,
      [options.partitions],
    );
    return new PostgresEventLog(db, options);
  }

  async append(events: StoredEvent[]): Promise<void> {
    if (events.length === 0) return;
    const parts = byPartition(events, this.options.partitions);
    const tenant = events[0]!.tenantId;
    if (events.some((e) => e.tenantId !== tenant)) throw new Error('an append holds one tenant');
    await this.db.query(
      `INSERT INTO event_log (tenant_id, partition, events)
       SELECT $1, p, e::jsonb FROM unnest($2::int[], $3::text[]) AS x(p, e)`,
      [tenant, [...parts.keys()], [...parts.values()].map((list) => encodeEvents(list))],
    );
    for (const wake of this.waiting) wake();
  }

  async read(consumer: string, opts: ReadOptions): Promise<EventLogEntry[]> {
    const deadline = Date.now() + opts.blockMs;
    for (;;) {
      const held = await this.lease(consumer, opts.maxPartitions ?? this.options.partitions);
      if (held.length > 0) {
        const rows = await this.db.query<{ partition: number; sequence: number; events: object }>(
          `SELECT partition, sequence, events FROM event_log WHERE partition = ANY($1::smallint[])
           ORDER BY sequence LIMIT $2`,
          [held, opts.maxEntries],
        );
        if (rows.length > 0)
          return rows.map((r) => ({
            id: String(r.sequence),
            partition: r.partition,
            events: decodeEvents(r.events),
          }));
      }
      const left = deadline - Date.now();
      if (left <= 0 || this.closed) return [];
      // Woken by an append in this process; polls for appends of other processes.
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.waiting.delete(done);
          resolve();
        };
        const timer = setTimeout(done, Math.min(left, 250));
        this.waiting.add(done);
      });
    }
  }

  /**
   * Renews this consumer's partitions and takes free or lapsed ones up to `cap` held in all (its own
   * first); returns those it holds. Rows another consumer is renewing meanwhile are skipped.
   */
  private async lease(consumer: string, cap: number): Promise<number[]> {
    this.consumers.add(consumer);
    const rows = await this.db.query<{ partition: number }>(
      `UPDATE event_log_leases l SET consumer = $1, expires_at = now() + make_interval(secs => $2::float8 / 1000)
       FROM (
         SELECT partition FROM event_log_leases
         WHERE partition < $3 AND (consumer = $1 OR expires_at < now())
         ORDER BY consumer IS NOT DISTINCT FROM $1 DESC, partition
         LIMIT greatest((SELECT count(*) FROM event_log_leases WHERE partition < $3 AND consumer = $1), $4)
         FOR UPDATE SKIP LOCKED) t
       WHERE l.partition = t.partition
       RETURNING l.partition`,
      [consumer, this.options.leaseMs, this.options.partitions, cap],
    );
    return rows.map((r) => r.partition);
  }

  async ack(_consumer: string, entries: EventLogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.db.query(
      `DELETE FROM event_log e USING unnest($1::smallint[], $2::bigint[]) AS x(p, s)
       WHERE e.partition = x.p AND e.sequence = x.s`,
      [entries.map((e) => e.partition), entries.map((e) => e.id)],
    );
  }

  async lag(): Promise<{ entries: number; oldestMs: number | null }> {
    const [row] = await this.db.query<{ n: number; age: number | null }>(
      `SELECT count(*)::int AS n, (extract(epoch FROM now() - min(appended_at)) * 1000)::float8 AS age
       FROM event_log`,
    );
    return { entries: row?.n ?? 0, oldestMs: row?.age === null || !row ? null : Math.max(0, row.age) };
  }

  /** Gives up this process's leases, so that another consumer takes the partitions at once. */
  async close(): Promise<void> {
    this.closed = true;
    for (const wake of this.waiting) wake();
    if (this.consumers.size === 0) return;
    await this.db.query(
      `UPDATE event_log_leases SET consumer = NULL, expires_at = '-infinity' WHERE consumer = ANY($1::text[])`,
      [[...this.consumers]],
    );
  }
}
