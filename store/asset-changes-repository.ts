import type { AssetChange, AssetChangeType } from '../domain/asset-changes.js';
import type { Sql } from './db.js';

/** A place in a tenant's change log: the writing transaction's id, then the entry's. */
export interface ChangePosition {
  /** xid8 as decimal text: it may pass 2^53. */
  xid: string;
  id: number;
}

export type StoredChange = Omit<AssetChange, 'cursor'> & { position: ChangePosition };

/**
 * The asset change log (`asset_changes`, migration 0059). Entries are written by
 * `outboxRepository.insertMany` with the events they stand for; this reads them.
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
      xid: string;
      asset_id: string;
      change: AssetChangeType;
      version: number;
      fields: string[] | null;
      changed_at: Date;
    }>(
      `SELECT id, xid::text AS xid, asset_id, change, version, fields, changed_at FROM asset_changes
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
      position: { xid: r.xid, id: Number(r.id) },
      assetId: r.asset_id,
      change: r.change,
      version: r.version,
      fields: r.fields,
      changedAt: new Date(r.changed_at),
    }));
  },
};

export type AssetChangesRepository = typeof assetChangesRepository;
