import { randomUUID } from 'node:crypto';
import type { Sql } from './db.js';

export interface ActionRecord {
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

/** The audit trail: one row per action, written in the transaction of the action itself. */
export const actionsRepository = {
  async insertMany(sql: Sql, tenantId: string, records: ActionRecord[]): Promise<void> {
    if (records.length === 0) return;
    await sql.query(
      `INSERT INTO action_records (tenant_id, id, asset_id, action_type, direction, controller, actor, status,
         details, started_at, duration_ms)
       SELECT $1, x.id, x.asset_id, x.action_type, x.direction, x.controller, x.actor, x.status, x.details,
         x.started_at, x.duration_ms
       FROM jsonb_to_recordset($2::jsonb) AS x(id uuid, asset_id uuid, action_type text, direction text,
         controller text, actor text, status text, details jsonb, started_at timestamptz, duration_ms real)`,
      [
        tenantId,
        JSON.stringify(
          records.map((r) => ({
            id: randomUUID(),
            asset_id: r.assetId ?? null,
            action_type: r.actionType,
            direction: r.direction,
            controller: r.controller,
            actor: r.actor,
            status: r.status,
            details: r.details ?? {},
            started_at: r.startedAt.toISOString(),
            duration_ms: r.durationMs,
          })),
        ),
      ],
    );
  },

  async listForAsset(
    sql: Sql,
    tenantId: string,
    assetId: string,
  ): Promise<{ actionType: string; status: string; actor: string; details: Record<string, unknown> }[]> {
    const rows = await sql.query<{
      action_type: string;
      status: string;
      actor: string;
      details: Record<string, unknown>;
    }>(
      `SELECT action_type, status, actor, details FROM action_records
       WHERE tenant_id = $1 AND asset_id = $2 ORDER BY created_at, id`,
      [tenantId, assetId],
    );
    return rows.map((r) => ({
      actionType: r.action_type,
      status: r.status,
      actor: r.actor,
      details: r.details,
    }));
  },
};
