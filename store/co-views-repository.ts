import type { CoViewPartner } from '../domain/co-views.js';
import type { Sql } from './db.js';

/** An asset's partners as kept in asset_co_views (migration 0036). */
export interface StoredCoViews {
  assetId: string;
  partners: CoViewPartner[];
}

/**
 * The canonical "viewers also watched" table (asset_co_views) and each tenant's recomputation
 * position (co_view_progress). A recomputation replaces a range of source assets at a time, so an
 * asset no longer viewed loses its rows when its range comes round.
 */
export const coViewsRepository = {
  /** Where the tenant's recomputation has got to (null: the start). */
  async position(sql: Sql, tenantId: string): Promise<string | null> {
    const [row] = await sql.query<{ after_asset_id: string | null }>(
      'SELECT after_asset_id FROM co_view_progress WHERE tenant_id = $1',
      [tenantId],
    );
    return row?.after_asset_id ?? null;
  },

  async savePosition(sql: Sql, tenantId: string, afterAssetId: string | null): Promise<void> {
    await sql.query(
      `INSERT INTO co_view_progress (tenant_id, after_asset_id) VALUES ($1, $2)
       ON CONFLICT (tenant_id) DO UPDATE SET after_asset_id = EXCLUDED.after_asset_id, updated_at = now()`,
      [tenantId, afterAssetId],
    );
  },

  /**
   * Replaces the rows of the source assets in (`afterId`, `lastId`] (to the end when `lastId` is
   * null; from the first when `afterId` is) with `rows`, which must lie in that range. Returns the
   * sources in the range that had rows before, so their graph relationships can be cleared too.
   */
  async replaceRange(
    sql: Sql,
    tenantId: string,
    range: { afterId: string | null; lastId: string | null },
    rows: StoredCoViews[],
    computedAt: Date,
  ): Promise<string[]> {
    const removed = await sql.query<{ asset_id: string }>(
      `WITH gone AS (
         DELETE FROM asset_co_views
         WHERE tenant_id = $1 AND ($2::uuid IS NULL OR asset_id > $2::uuid) AND ($3::uuid IS NULL OR asset_id <= $3::uuid)
         RETURNING asset_id)
       SELECT DISTINCT asset_id FROM gone ORDER BY asset_id`,
      [tenantId, range.afterId, range.lastId],
    );
    const flat = rows.flatMap((r) =>
      r.partners.map((p) => ({
        asset_id: r.assetId,
        related_id: p.relatedId,
        sessions: p.sessions,
        score: p.score,
      })),
    );
    if (flat.length > 0) {
      await sql.query(
        `INSERT INTO asset_co_views (tenant_id, asset_id, related_id, sessions, score, computed_at)
         SELECT $1, x.asset_id, x.related_id, x.sessions, x.score, $3
         FROM jsonb_to_recordset($2::jsonb) AS x(asset_id uuid, related_id uuid, sessions int, score real)`,
        [tenantId, JSON.stringify(flat), computedAt],
      );
    }
    return removed.map((r) => r.asset_id);
  },

  /** The partners of the first `limit` source assets after `afterId` (from the first when null), in id order. */
  async ofAssetsAfter(
    sql: Sql,
    tenantId: string,
    afterId: string | null,
    limit: number,
  ): Promise<StoredCoViews[]> {
    const ids = await sql.query<{ asset_id: string }>(
      `SELECT DISTINCT asset_id FROM asset_co_views
       WHERE tenant_id = $1 AND ($2::uuid IS NULL OR asset_id > $2::uuid)
       ORDER BY asset_id LIMIT $3`,
      [tenantId, afterId, limit],
    );
    return coViewsRepository.ofAssets(
      sql,
      tenantId,
      ids.map((r) => r.asset_id),
    );
  },

  /** The partners kept for these assets, best first (an asset without any is absent). */
  async ofAssets(sql: Sql, tenantId: string, assetIds: string[]): Promise<StoredCoViews[]> {
    if (assetIds.length === 0) return [];
    const rows = await sql.query<{ asset_id: string; related_id: string; sessions: number; score: number }>(
      `SELECT asset_id, related_id, sessions, score FROM asset_co_views
       WHERE tenant_id = $1 AND asset_id = ANY($2::uuid[])
       ORDER BY asset_id, score DESC, related_id`,
      [tenantId, assetIds],
    );
    const out = new Map<string, CoViewPartner[]>();
    for (const r of rows) {
      const list = out.get(r.asset_id) ?? [];
      list.push({ relatedId: r.related_id, sessions: r.sessions, score: Number(r.score) });
      out.set(r.asset_id, list);
    }
    return [...out].map(([assetId, partners]) => ({ assetId, partners }));
  },
};

export type CoViewsRepository = typeof coViewsRepository;
