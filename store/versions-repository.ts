import type { Sql } from './db.js';

export type ChangeKind = 'INGEST' | 'ENRICHMENT' | 'EDIT' | 'ROLLBACK';

export interface NewVersion {
  id: string;
  assetId: string;
  version: number;
  snapshot: Record<string, unknown>;
  changeKind: ChangeKind;
  changedBy: string;
  reason?: string | null;
}

export const versionsRepository = {
  async insertMany(sql: Sql, tenantId: string, versions: NewVersion[]): Promise<void> {
    if (versions.length === 0) return;
    await sql.query(
      `INSERT INTO asset_versions (tenant_id, id, asset_id, version, snapshot, change_kind, changed_by, reason)
       SELECT $1, x.id, x.asset_id, x.version, x.snapshot, x.change_kind, x.changed_by, x.reason
       FROM jsonb_to_recordset($2::jsonb) AS x(id uuid, asset_id uuid, version int, snapshot jsonb,
         change_kind text, changed_by text, reason text)`,
      [
        tenantId,
        JSON.stringify(
          versions.map((v) => ({
            id: v.id,
            asset_id: v.assetId,
            version: v.version,
            snapshot: v.snapshot,
            change_kind: v.changeKind,
            changed_by: v.changedBy,
            reason: v.reason ?? null,
          })),
        ),
      ],
    );
  },

  async listForAsset(
    sql: Sql,
    tenantId: string,
    assetId: string,
  ): Promise<{ version: number; changeKind: ChangeKind; changedBy: string; createdAt: Date }[]> {
    const rows = await sql.query<{
      version: number;
      change_kind: ChangeKind;
      changed_by: string;
      created_at: Date;
    }>(
      `SELECT version, change_kind, changed_by, created_at FROM asset_versions
       WHERE tenant_id = $1 AND asset_id = $2 ORDER BY version`,
      [tenantId, assetId],
    );
    return rows.map((r) => ({
      version: r.version,
      changeKind: r.change_kind,
      changedBy: r.changed_by,
      createdAt: new Date(r.created_at),
    }));
  },
};
