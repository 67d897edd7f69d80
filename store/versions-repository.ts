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

  /** Newest first, keyset-paged on the version number. */
  async list(
    sql: Sql,
    tenantId: string,
    assetId: string,
    opts: { limit: number; before?: number | undefined },
  ): Promise<VersionEntry[]> {
    const rows = await sql.query<VersionRow>(
      `SELECT version, change_kind, changed_by, reason, created_at FROM asset_versions
       WHERE tenant_id = $1 AND asset_id = $2 AND version < $3
       ORDER BY version DESC LIMIT $4`,
      [tenantId, assetId, opts.before ?? 2_147_483_647, opts.limit],
    );
    return rows.map(toEntry);
  },

  /**
   * The given versions' snapshots with the transcript as a digest: enough to say what each version
   * changed without reading every transcript of a page of history.
   */
  async digests(
    sql: Sql,
    tenantId: string,
    assetId: string,
    versions: number[],
  ): Promise<Map<number, Record<string, unknown>>> {
    if (versions.length === 0) return new Map();
    const rows = await sql.query<{ version: number; snapshot: Record<string, unknown> }>(
      `SELECT version,
         CASE WHEN snapshot->>'transcript' <> ''
           THEN (snapshot - 'transcript') || jsonb_build_object('transcript', md5(snapshot->>'transcript'))
           ELSE snapshot END AS snapshot
       FROM asset_versions
       WHERE tenant_id = $1 AND asset_id = $2 AND version = ANY($3::int[])`,
      [tenantId, assetId, versions],
    );
    return new Map(rows.map((r) => [r.version, r.snapshot]));
  },

  /** The given versions of one asset that exist, with their snapshots. */
  async find(
    sql: Sql,
    tenantId: string,
    assetId: string,
    versions: number[],
  ): Promise<Map<number, StoredVersion>> {
    if (versions.length === 0) return new Map();
    const rows = await sql.query<VersionRow & { snapshot: Record<string, unknown> }>(
      `SELECT version, change_kind, changed_by, reason, created_at, snapshot FROM asset_versions
       WHERE tenant_id = $1 AND asset_id = $2 AND version = ANY($3::int[])`,
      [tenantId, assetId, versions],
    );
    return new Map(rows.map((r) => [r.version, { ...toEntry(r), snapshot: r.snapshot }]));
  },
};

/** One entry of an asset's history. */
export interface VersionEntry {
  version: number;
  changeKind: ChangeKind;
  changedBy: string;
  reason: string | null;
  createdAt: Date;
}

export interface StoredVersion extends VersionEntry {
  snapshot: Record<string, unknown>;
}

interface VersionRow {
  version: number;
  change_kind: ChangeKind;
  changed_by: string;
  reason: string | null;
  created_at: Date;
}

const toEntry = (r: VersionRow): VersionEntry => ({
  version: r.version,
  changeKind: r.change_kind,
  changedBy: r.changed_by,
  reason: r.reason,
  createdAt: new Date(r.created_at),
});

export type VersionsRepository = typeof versionsRepository;
