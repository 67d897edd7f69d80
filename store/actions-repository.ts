import { randomUUID } from 'node:crypto';
import type { Sql } from './db.js';

export interface ActionRecord {
  /** Given when the action is recorded before it ends, to `finish` it later. */
  id?: string;
  assetId?: string | null;
  actionType: string;
  direction: 'INBOUND' | 'OUTBOUND' | 'INTERNAL';
  controller: string;
  actor: string;
  status: 'SUCCEEDED' | 'FAILED' | 'DENIED';
  details?: Record<string, unknown>;
  startedAt: Date;
  durationMs: number;
}

/** An audit row as stored. */
export interface StoredActionRecord extends Required<ActionRecord> {
  id: string;
  assetId: string | null;
}

interface ActionRow {
  id: string;
  asset_id: string | null;
  action_type: string;
  direction: ActionRecord['direction'];
  controller: string;
  actor: string;
  status: ActionRecord['status'];
  details: Record<string, unknown>;
  started_at: Date;
  duration_ms: number;
}

/** The audit trail: one row per action, written in the transaction of the action itself. */
export const actionsRepository = {
  async insertMany(sql: Sql, tenantId: string, records: ActionRecord[]): Promise<void> {
    if (records.length === 0) return;
    await sql.query(
      `INSERT INTO action_records (tenant_id, id, asset_id, action_type, direction, controller, actor, status,
         details, started_at, duration_ms)
       SELECT $1, x.id, x.asset_id, x.action_type, x.direction, x.controller, x.actor, x.status,
         x.details::jsonb, x.started_at, x.duration_ms
       FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
         $9::text[], $10::timestamptz[], $11::real[])
         AS x(id, asset_id, action_type, direction, controller, actor, status, details, started_at, duration_ms)`,
      [
        tenantId,
        records.map((r) => r.id ?? randomUUID()),
        records.map((r) => r.assetId ?? null),
        records.map((r) => r.actionType),
        records.map((r) => r.direction),
        records.map((r) => r.controller),
        records.map((r) => r.actor),
        records.map((r) => r.status),
        records.map((r) => JSON.stringify(r.details ?? {})),
        records.map((r) => r.startedAt.toISOString()),
        records.map((r) => r.durationMs),
      ],
    );
  },

  /**
   * Records an action that may repeat many times (a denied request) as one row per minute: the
   * first of the minute is inserted with `count: 1` in its details, each repeat of the same actor,
   * type, status and details in that minute adds one to the count and sets `lastAt`. Takes an
   * advisory lock for the actor until the transaction ends, so parallel repeats count into one row.
   */
  async recordRepeated(tx: Sql, tenantId: string, record: ActionRecord): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `actions:${tenantId}:${record.actor}:${record.actionType}`,
    ]);
    const details = record.details ?? {};
    const counted = await tx.query(
      `UPDATE action_records
       SET details = details || jsonb_build_object('count', coalesce((details->>'count')::int, 1) + 1, 'lastAt', now())
       WHERE tenant_id = $1 AND created_at >= date_trunc('minute', now()) AND action_type = $2 AND actor = $3
         AND status = $4 AND details - 'count' - 'lastAt' = $5::jsonb
       RETURNING id`,
      [tenantId, record.actionType, record.actor, record.status, JSON.stringify(details)],
    );
    if (counted.length === 0) {
      await this.insertMany(tx, tenantId, [{ ...record, details: { ...details, count: 1 } }]);
    }
  },

  /**
   * Records how a long action (an export) ended: its status, duration and details added to those
   * it was recorded with when it started.
   */
  async finish(
    sql: Sql,
    tenantId: string,
    id: string,
    outcome: { status: ActionRecord['status']; durationMs: number; details: Record<string, unknown> },
  ): Promise<void> {
    await sql.query(
      `UPDATE action_records SET status = $3, duration_ms = $4, details = details || $5::jsonb
       WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id, outcome.status, outcome.durationMs, JSON.stringify(outcome.details)],
    );
  },

  /**
   * Newest first by start time, keyset-paged on (started_at, id); optionally one asset's rows, one
   * action type, and a time range (`from` inclusive, `to` exclusive).
   */
  async list(
    sql: Sql,
    tenantId: string,
    opts: {
      limit: number;
      assetId?: string | undefined;
      actionType?: string | undefined;
      from?: string | undefined;
      to?: string | undefined;
      after?: { startedAt: string; id: string } | undefined;
    },
  ): Promise<StoredActionRecord[]> {
    const params: unknown[] = [tenantId, opts.limit];
    const where = ['tenant_id = $1'];
    const add = (clause: (n: string) => string, value: unknown) => {
      params.push(value);
      where.push(clause(`$${params.length}`));
    };
    if (opts.assetId !== undefined) add((n) => `asset_id = ${n}::uuid`, opts.assetId);
    if (opts.actionType !== undefined) add((n) => `action_type = ${n}`, opts.actionType);
    if (opts.from !== undefined) add((n) => `started_at >= ${n}::timestamptz`, opts.from);
    if (opts.to !== undefined) add((n) => `started_at < ${n}::timestamptz`, opts.to);
    if (opts.after) {
      params.push(opts.after.startedAt, opts.after.id);
      where.push(`(started_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    const rows = await sql.query<ActionRow>(
      `SELECT id, asset_id, action_type, direction, controller, actor, status, details, started_at, duration_ms
       FROM action_records WHERE ${where.join(' AND ')}
       ORDER BY started_at DESC, id DESC LIMIT $2`,
      params,
    );
    return rows.map((r) => ({
      id: r.id,
      assetId: r.asset_id,
      actionType: r.action_type,
      direction: r.direction,
      controller: r.controller,
      actor: r.actor,
      status: r.status,
      details: r.details,
      startedAt: new Date(r.started_at),
      durationMs: r.duration_ms,
    }));
  },

  /**
   * The tenant's audit records whose details match the POSIX regex `pattern` (a person's erasure
   * pre-filter), in id order after `afterId`, at most `limit`.
   */
  async erasureCandidates(
    sql: Sql,
    tenantId: string,
    pattern: string,
    opts: { afterId: string | null; limit: number },
  ): Promise<{ id: string; details: Record<string, unknown> }[]> {
    return sql.query<{ id: string; details: Record<string, unknown> }>(
      `SELECT id, details FROM action_records
       WHERE tenant_id = $1 AND ($3::uuid IS NULL OR id > $3::uuid) AND details::text ~ $2
       ORDER BY id LIMIT $4`,
      [tenantId, pattern, opts.afterId, opts.limit],
    );
  },

  /** Replaces the details of these audit records, in one statement (a person's erasure). */
  async rewriteDetails(sql: Sql, tenantId: string, rows: { id: string; details: Record<string, unknown> }[]) {
    if (rows.length === 0) return;
    await sql.query(
      `UPDATE action_records r SET details = x.details
       FROM jsonb_to_recordset($2::jsonb) AS x(id uuid, details jsonb)
       WHERE r.tenant_id = $1 AND r.id = x.id`,
      [tenantId, JSON.stringify(rows)],
    );
  },
};

export type ActionsRepository = typeof actionsRepository;
