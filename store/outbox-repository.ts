import { changeTypeOf, type UpdateChangeType } from '../domain/asset-changes.js';
import {
  SEQUENCED_EVENT_TYPES,
  type OutboxEvent,
  type OutboxEventType,
  type OutboxEvents,
} from '../domain/events.js';
import { currentRequestIds } from '../domain/request-ids.js';
import { currentTraceCarrier, type TraceCarrier } from '../domain/tracing.js';
import type { Sql } from './db.js';

export type NewOutboxEvent = {
  [T in OutboxEventType]: {
    type: T;
    aggregateId: string;
    payload: OutboxEvents[T];
    /** The change log's name for an `asset.updated` that is an archive, a restore or an erasure. */
    change?: T extends 'asset.updated' ? UpdateChangeType : never;
  };
}[OutboxEventType];

/** The active trace context as the `trace_context` column holds it. */
const traceContext = (): string | null => {
  const carrier = currentTraceCarrier();
  return carrier ? JSON.stringify(carrier) : null;
};

/** The ids of the requests the current work serves, as the `request_ids` column holds them. */
const requestIds = (): readonly string[] | null => currentRequestIds() ?? null;

export const outboxRepository = {
  /**
   * Writes the events in the caller's transaction. An asset's webhook-visible events are numbered
   * by `asset_event_sequences`: the upsert locks the asset's row until commit, so a concurrent
   * writer of the same asset waits and takes the next number, and numbers follow commit order.
   * The upsert takes the rows in asset id order, so two writers of several assets cannot deadlock.
   * Each event keeps the active trace context (null with tracing off) and the ids of the requests
   * the work serves (domain/request-ids.ts), for the job it starts.
   *
   * An event that announces a change of an asset also writes that change's entry in the change log
   * (`asset_changes`, GET /v1/changes) in the same statement: every canonical change writes its
   * event here, so the log has each change once, committed or rolled back with it.
   */
  async insertMany(sql: Sql, tenantId: string, events: NewOutboxEvent[]): Promise<void> {
    if (events.length === 0) return;
    await sql.query(
      `WITH x AS (
         SELECT x.ord, x.event_type, x.aggregate_id, x.payload::jsonb AS payload,
                x.event_type = ANY($2::text[]) AS numbered
         FROM unnest($3::text[], $4::uuid[], $5::text[]) WITH ORDINALITY AS x(event_type, aggregate_id, payload, ord)
       ),
       taken AS (
         INSERT INTO asset_event_sequences AS s (tenant_id, asset_id, last_sequence)
         SELECT $1, aggregate_id, count(*) FROM x WHERE numbered GROUP BY aggregate_id ORDER BY aggregate_id
         ON CONFLICT (tenant_id, asset_id) DO UPDATE SET last_sequence = s.last_sequence + EXCLUDED.last_sequence
         RETURNING asset_id, last_sequence
       ),
       numbered AS (
         SELECT x.ord, x.event_type, x.aggregate_id, x.payload,
                CASE WHEN x.numbered THEN taken.last_sequence
                  - count(*) OVER (PARTITION BY x.aggregate_id, x.numbered)
                  + row_number() OVER (PARTITION BY x.aggregate_id, x.numbered ORDER BY x.ord) END AS sequence
         FROM x LEFT JOIN taken ON x.numbered AND taken.asset_id = x.aggregate_id
       ),
       changes AS (
         INSERT INTO asset_changes (tenant_id, asset_id, change, version, fields)
         SELECT $1, x.aggregate_id, c.change, (x.payload->>'version')::int,
                CASE WHEN jsonb_typeof(x.payload->'fields') = 'array'
                  THEN ARRAY(SELECT jsonb_array_elements_text(x.payload->'fields')) END
         FROM x JOIN unnest($8::text[]) WITH ORDINALITY AS c(change, ord) ON c.ord = x.ord
         WHERE c.change IS NOT NULL
         ORDER BY x.ord
       )
       INSERT INTO outbox (tenant_id, event_type, aggregate_id, payload, sequence, trace_context, request_ids)
       SELECT $1, event_type, aggregate_id, payload, sequence, $6::jsonb, $7::text[] FROM numbered ORDER BY ord`,
      [
        tenantId,
        SEQUENCED_EVENT_TYPES,
        events.map((e) => e.type),
        events.map((e) => e.aggregateId),
        events.map((e) => JSON.stringify(e.payload)),
        traceContext(),
        requestIds(),
        events.map((e) => changeTypeOf(e)),
      ],
    );
  },

  /**
   * Writes one event that carries no asset sequence number (a delivery request) and returns its
   * id, for a row that must name the event that announces it.
   */
  async insertOne(sql: Sql, tenantId: string, event: NewOutboxEvent): Promise<number> {
    const rows = await sql.query<{ id: string | number }>(
      `INSERT INTO outbox (tenant_id, event_type, aggregate_id, payload, trace_context, request_ids)
       VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6::text[]) RETURNING id`,
      [tenantId, event.type, event.aggregateId, JSON.stringify(event.payload), traceContext(), requestIds()],
    );
    return Number(rows[0]!.id);
  },

  /** Locks the oldest pending events; concurrent relays skip each other's rows. Call inside a transaction. */
  async claimPending(tx: Sql, limit: number): Promise<OutboxEvent[]> {
    const rows = await tx.query<{
      id: number;
      tenant_id: string;
      event_type: OutboxEventType;
      aggregate_id: string;
      payload: OutboxEvents[OutboxEventType];
      sequence: string | number | null;
      trace_context: TraceCarrier | null;
      request_ids: string[] | null;
    }>(
      `SELECT id, tenant_id, event_type, aggregate_id, payload, sequence, trace_context, request_ids FROM outbox
       WHERE dispatched_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    // The payload was written for its type by insertMany; the cast restores that pairing.
    return rows.map(
      (r) =>
        ({
          id: r.id,
          tenantId: r.tenant_id,
          type: r.event_type,
          aggregateId: r.aggregate_id,
          payload: r.payload,
          // bigint: a string from some drivers; far below 2^53 for any one asset.
          sequence: r.sequence === null ? null : Number(r.sequence),
          ...(r.trace_context ? { trace: r.trace_context } : {}),
          ...(r.request_ids && r.request_ids.length > 0 ? { requestIds: r.request_ids } : {}),
        }) as OutboxEvent,
    );
  },

  /** When each event was written: when the change it announces happened. */
  async createdAt(sql: Sql, ids: number[]): Promise<Map<number, Date>> {
    const rows = await sql.query<{ id: number; created_at: Date }>(
      'SELECT id, created_at FROM outbox WHERE id = ANY($1::bigint[])',
      [ids],
    );
    return new Map(rows.map((r) => [r.id, new Date(r.created_at)]));
  },

  async markDispatched(tx: Sql, ids: number[]): Promise<void> {
    await tx.query(
      'UPDATE outbox SET dispatched_at = now(), attempts = attempts + 1 WHERE id = ANY($1::bigint[])',
      [ids],
    );
  },

  async recordFailure(sql: Sql, ids: number[], error: string): Promise<void> {
    await sql.query(
      'UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1::bigint[])',
      [ids, error.slice(0, 2000)],
    );
  },

  async pendingCount(sql: Sql): Promise<number> {
    const rows = await sql.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM outbox WHERE dispatched_at IS NULL',
    );
    return rows[0]?.n ?? 0;
  },

  /** How far the relay is behind: pending events and the age of the oldest (0 when none). */
  async lag(sql: Sql): Promise<{ pending: number; oldestAgeSeconds: number }> {
    const [row] = await sql.query<{ pending: number; age: number }>(
      `SELECT count(*)::int AS pending,
              COALESCE(extract(epoch FROM now() - min(created_at)), 0)::float8 AS age
       FROM outbox WHERE dispatched_at IS NULL`,
    );
    return { pending: row?.pending ?? 0, oldestAgeSeconds: Math.max(0, row?.age ?? 0) };
  },

  /** Dispatched events are kept a while for debugging, then pruned. */
  async pruneDispatched(sql: Sql, olderThanHours: number): Promise<void> {
    await sql.query(`DELETE FROM outbox WHERE dispatched_at < now() - make_interval(hours => $1)`, [
      olderThanHours,
    ]);
  },
};

export type OutboxRepository = typeof outboxRepository;
