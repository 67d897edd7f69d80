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

/** An ingest's first version: it refers to its asset row instead of repeating it (migration 0042). */
export interface NewIngestVersion {
  id: string;
  assetId: string;
  changedBy: string;
}

/**
 * A version's snapshot as stored, or the one its asset row stands for when the version is an
 * ingest's that refers to the row (no snapshot of its own). `a` is the version's asset, joined only then.
 */
const SNAPSHOT = 'COALESCE(v.snapshot, asset_ingest_snapshot(a))';
const SNAPSHOT_SOURCE = `asset_versions v
  LEFT JOIN assets a ON v.snapshot IS NULL AND a.tenant_id = v.tenant_id AND a.id = v.asset_id`;

export const versionsRepository = {
  async insertMany(sql: Sql, tenantId: string, versions: NewVersion[]): Promise<void> {
    if (versions.length === 0) return;
    const col = <T>(f: (v: NewVersion) => T) => versions.map(f);
    await sql.query(
      `INSERT INTO asset_versions (tenant_id, id, asset_id, version, snapshot, change_kind, changed_by, reason)
       SELECT $1, x.id, x.asset_id, x.version, x.snapshot::jsonb, x.change_kind, x.changed_by, x.reason
       FROM unnest($2::uuid[], $3::uuid[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[])
         AS x(id, asset_id, version, snapshot, change_kind, changed_by, reason)`,
      [
        tenantId,
        col((v) => v.id),
        col((v) => v.assetId),
        col((v) => v.version),
        col((v) => JSON.stringify(v.snapshot)),
        col((v) => v.changeKind),
        col((v) => v.changedBy),
        col((v) => v.reason ?? null),
      ],
    );
  },

  /**
   * The first versions of newly ingested assets, written without a snapshot: each stands for its
   * asset row as ingested, and a trigger gives it its snapshot before the row's given fields first
   * change (migration 0042). Readers resolve it (`find`, `digests`).
   */
  async insertIngested(sql: Sql, tenantId: string, versions: NewIngestVersion[]): Promise<void> {
    if (versions.length === 0) return;
    await sql.query(
      `INSERT INTO asset_versions (tenant_id, id, asset_id, version, snapshot, change_kind, changed_by)
       SELECT $1, x.id, x.asset_id, 1, NULL, 'INGEST', x.changed_by
       FROM unnest($2::uuid[], $3::uuid[], $4::text[]) AS x(id, asset_id, changed_by)`,
      [tenantId, versions.map((v) => v.id), versions.map((v) => v.assetId), versions.map((v) => v.changedBy)],
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
       FROM (SELECT v.version, ${SNAPSHOT} AS snapshot FROM ${SNAPSHOT_SOURCE}
             WHERE v.tenant_id = $1 AND v.asset_id = $2 AND v.version = ANY($3::int[])) s`,
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
      `SELECT v.version, v.change_kind, v.changed_by, v.reason, v.created_at, ${SNAPSHOT} AS snapshot
       FROM ${SNAPSHOT_SOURCE}
       WHERE v.tenant_id = $1 AND v.asset_id = $2 AND v.version = ANY($3::int[])`,
      [tenantId, assetId, versions],
    );
    return new Map(rows.map((r) => [r.version, { ...toEntry(r), snapshot: r.snapshot }]));
  },

  /**
   * The stored snapshots and reasons of every version of these assets (an ingest's version by
   * reference has no snapshot of its own: it stands for the row), for a person's erasure.
   */
  async ofAssetsForErasure(
    sql: Sql,
    tenantId: string,
    assetIds: string[],
  ): Promise<
    { assetId: string; version: number; snapshot: Record<string, unknown> | null; reason: string | null }[]
  > {
    if (assetIds.length === 0) return [];
    const rows = await sql.query<{
      asset_id: string;
      version: number;
      snapshot: Record<string, unknown> | null;
      reason: string | null;
    }>(
      `SELECT asset_id, version, snapshot, reason FROM asset_versions
       WHERE tenant_id = $1 AND asset_id = ANY($2::uuid[]) ORDER BY asset_id, version`,
      [tenantId, assetIds],
    );
    return rows.map((r) => ({
      assetId: r.asset_id,
      version: r.version,
      snapshot: r.snapshot,
      reason: r.reason,
    }));
  },

  /** Rewrites versions' snapshots and reasons in place, in one statement (a person's erasure). */
  async rewriteInPlace(
    sql: Sql,
    tenantId: string,
    rows: {
      assetId: string;
      version: number;
      snapshot: Record<string, unknown> | null;
      reason: string | null;
    }[],
  ): Promise<void> {
    if (rows.length === 0) return;
    await sql.query(
      `UPDATE asset_versions v SET snapshot = COALESCE(x.snapshot, v.snapshot), reason = x.reason
       FROM jsonb_to_recordset($2::jsonb) AS x(asset_id uuid, version int, snapshot jsonb, reason text)
       WHERE v.tenant_id = $1 AND v.asset_id = x.asset_id AND v.version = x.version`,
      [
        tenantId,
        JSON.stringify(
          rows.map((r) => ({
            asset_id: r.assetId,
            version: r.version,
            snapshot: r.snapshot,
            reason: r.reason,
          })),
        ),
      ],
    );
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
