import type { AssetChange, AssetChangeType } from '../domain/asset-changes.js';
import type { Database, Sql } from './db.js';

/** A place in a tenant's change log: the writing transaction's id, then the entry's. */
export interface ChangePosition {
  /** xid8 as decimal text: it may pass 2^53. */
  xid: string;
  id: number;
}

export type StoredChange = Omit<AssetChange, 'cursor'> & { position: ChangePosition };

/**
 * The asset change log (`asset_changes`, migration 0059). Entries are written by
 * `outboxRepository.insertMany` with the events they stand for; this reads them, and prunes them
 * past their retention behind each tenant's horizon (`asset_change_horizons`, migration 0072).
 */
export const assetChangesRepository = {
  /**
   * The tenant's entries after `after` (from the start when null), in log order, at most `limit`.
   * Only entries of transactions older than every transaction still running are read: those are
   * all committed (or gone), and every later entry sorts after them, so a reader that moves its
   * position to the last entry it was given never skips one that commits late. A long-running
   * transaction anywhere on the server holds the log back (not its entries) until it ends.
   */
  async page(
    sql: Sql,
    tenantId: string,
    after: ChangePosition | null,
    limit: number,
    types: readonly AssetChangeType[] | null,
  ): Promise<StoredChange[]> {
    const rows = await sql.query<{
      id: number;
      xid_text: string;
      asset_id: string;
      change: AssetChangeType;
      version: number;
      fields: string[] | null;
      changed_at: Date;
    }>(
      // The text gets a name of its own: ORDER BY xid would otherwise sort the text (…99 after …100).
      `SELECT id, xid::text AS xid_text, asset_id, change, version, fields, changed_at FROM asset_changes
       WHERE tenant_id = $1
         AND xid < pg_snapshot_xmin(pg_current_snapshot())
         AND (xid, id) > ($2::xid8, $3::bigint)
         AND ($5::text[] IS NULL OR change = ANY($5::text[]))
       ORDER BY xid, id
       LIMIT $4`,
      // From the start: before every entry (no transaction has xid 0).
      [tenantId, after?.xid ?? '0', after?.id ?? 0, limit, types],
    );
    return rows.map((r) => ({
      position: { xid: r.xid_text, id: Number(r.id) },
      assetId: r.asset_id,
      change: r.change,
      version: r.version,
      fields: r.fields,
      changedAt: new Date(r.changed_at),
    }));
  },

  /**
   * Calls `onTenant` with the tenant of each transaction that wrote to the log, as it commits (the
   * trigger of migration 0072), until the returned function is called. Null where the database
   * cannot (PGlite): readers poll there.
   */
  listen(db: Database, onTenant: (tenantId: string) => void): Promise<() => Promise<void>> | null {
    return db.listen ? db.listen('asset_changes', onTenant) : null;
  },

  /** The last position pruned from the tenant's log, or null while nothing was. */
  async horizon(sql: Sql, tenantId: string): Promise<ChangePosition | null> {
    const [row] = await sql.query<{ xid: string; id: number }>(
      'SELECT xid::text AS xid, id FROM asset_change_horizons WHERE tenant_id = $1',
      [tenantId],
    );
    return row ? { xid: row.xid, id: Number(row.id) } : null;
  },

  /**
   * The position of the tenant's last final entry (as `page` would serve it), else its horizon,
   * else null: every entry not yet served sorts after it.
   */
  async head(sql: Sql, tenantId: string): Promise<ChangePosition | null> {
    // Ordered by the xid8, not its text (…99 would sort after …100).
    const [row] = await sql.query<{ xid_text: string; id: number }>(
      `SELECT xid::text AS xid_text, id FROM (
         (SELECT xid, id FROM asset_changes
          WHERE tenant_id = $1 AND xid < pg_snapshot_xmin(pg_current_snapshot())
          ORDER BY xid DESC, id DESC LIMIT 1)
         UNION ALL
         (SELECT xid, id FROM asset_change_horizons WHERE tenant_id = $1)) last
       ORDER BY last.xid DESC, last.id DESC LIMIT 1`,
      [tenantId],
    );
    return row ? { xid: row.xid_text, id: Number(row.id) } : null;
  },

  /**
   * Deletes up to `limit` of the tenant's entries written before `before` (only final ones: a
   * transaction still running keeps its entries), and moves the tenant's horizon up to the last
   * position deleted, in one statement. Returns how many were deleted.
   */
  async prune(sql: Sql, tenantId: string, before: Date, limit: number): Promise<number> {
    const [row] = await sql.query<{ removed: number }>(
      `WITH gone AS (
         DELETE FROM asset_changes c
         WHERE c.tenant_id = $1 AND c.id IN (
           SELECT id FROM asset_changes
           WHERE tenant_id = $1 AND changed_at < $2
             AND xid < pg_snapshot_xmin(pg_current_snapshot())
           ORDER BY changed_at LIMIT $3)
         RETURNING c.xid, c.id
       ), last AS (
         SELECT xid, id FROM gone ORDER BY xid DESC, id DESC LIMIT 1
       ), moved AS (
         INSERT INTO asset_change_horizons AS h (tenant_id, xid, id)
         SELECT $1, xid, id FROM last
         ON CONFLICT (tenant_id) DO UPDATE SET xid = excluded.xid, id = excluded.id, pruned_at = now()
           WHERE (h.xid, h.id) < (excluded.xid, excluded.id)
         RETURNING 1
       )
       SELECT count(*)::int AS removed FROM gone`,
      [tenantId, before.toISOString(), limit],
    );
    return row?.removed ?? 0;
  },
};

export type AssetChangesRepository = typeof assetChangesRepository;
