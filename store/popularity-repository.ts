import type { AssetPopularity } from '../domain/popularity.js';
import type { Sql } from './db.js';
import { tenantsRepository } from './tenants-repository.js';

/*
 * asset_popularity (migration 0035): each asset's learned popularity and trending, the canonical
 * copy the projections are updated from and rebuilt with. Every statement names its tenant, and
 * pages are bounded by the caller.
 */

type Row = {
  asset_id: string;
  popularity: number;
  trending: number;
  views: string | number;
  watch_seconds: number;
  computed_at: Date;
};

const toPopularity = (r: Row): AssetPopularity => ({
  assetId: r.asset_id,
  popularity: Number(r.popularity),
  trending: Number(r.trending),
  views: Number(r.views),
  watchSeconds: Number(r.watch_seconds),
  computedAt: new Date(r.computed_at),
});

const COLUMNS = 'asset_id::text AS asset_id, popularity, trending, views, watch_seconds, computed_at';

export const popularityRepository = {
  /** Writes these rows, each only over an older computation (or none). */
  async upsertMany(sql: Sql, tenantId: string, rows: AssetPopularity[]): Promise<void> {
    if (rows.length === 0) return;
    const sorted = [...rows].sort((a, b) => (a.assetId < b.assetId ? -1 : a.assetId > b.assetId ? 1 : 0));
    await sql.query(
      `INSERT INTO asset_popularity (tenant_id, asset_id, popularity, trending, views, watch_seconds, computed_at)
       SELECT $1, x.asset_id, x.popularity, x.trending, x.views, x.watch_seconds, x.computed_at
       FROM jsonb_to_recordset($2::jsonb) AS x(asset_id uuid, popularity float8, trending float8, views bigint,
         watch_seconds float8, computed_at timestamptz)
       ON CONFLICT (tenant_id, asset_id) DO UPDATE
         SET popularity = EXCLUDED.popularity, trending = EXCLUDED.trending, views = EXCLUDED.views,
             watch_seconds = EXCLUDED.watch_seconds, computed_at = EXCLUDED.computed_at
         WHERE asset_popularity.computed_at <= EXCLUDED.computed_at`,
      [
        tenantId,
        JSON.stringify(
          sorted.map((r) => ({
            asset_id: r.assetId,
            popularity: r.popularity,
            trending: r.trending,
            views: r.views,
            watch_seconds: r.watchSeconds,
            computed_at: r.computedAt.toISOString(),
          })),
        ),
      ],
    );
  },

  /** Rows computed before `before` (a run did not reach them: no activity left), in id order. */
  async computedBefore(sql: Sql, tenantId: string, before: Date, limit: number): Promise<AssetPopularity[]> {
    const rows = await sql.query<Row>(
      `SELECT ${COLUMNS} FROM asset_popularity
       WHERE tenant_id = $1 AND computed_at < $2 ORDER BY computed_at, asset_id LIMIT $3`,
      [tenantId, before, limit],
    );
    return rows.map(toPopularity);
  },

  /** Deletes these assets' rows if still computed before `before` (a later run may have written them). */
  async deleteComputedBefore(sql: Sql, tenantId: string, assetIds: string[], before: Date): Promise<void> {
    if (assetIds.length === 0) return;
    await sql.query(
      `DELETE FROM asset_popularity WHERE tenant_id = $1 AND asset_id = ANY($2::uuid[]) AND computed_at < $3`,
      [tenantId, assetIds, before],
    );
  },

  /** A page of the tenant's rows in id order (rebuilds re-apply them). */
  async pageAfter(
    sql: Sql,
    tenantId: string,
    afterId: string | null,
    limit: number,
  ): Promise<AssetPopularity[]> {
    const rows = await sql.query<Row>(
      `SELECT ${COLUMNS} FROM asset_popularity
       WHERE tenant_id = $1 AND ($2::uuid IS NULL OR asset_id > $2::uuid) ORDER BY asset_id LIMIT $3`,
      [tenantId, afterId, limit],
    );
    return rows.map(toPopularity);
  },

  async forAssets(sql: Sql, tenantId: string, assetIds: string[]): Promise<AssetPopularity[]> {
    if (assetIds.length === 0) return [];
    const rows = await sql.query<Row>(
      `SELECT ${COLUMNS} FROM asset_popularity WHERE tenant_id = $1 AND asset_id = ANY($2::uuid[])`,
      [tenantId, assetIds],
    );
    return rows.map(toPopularity);
  },

  tenantIds: (sql: Sql) => tenantsRepository.allIds(sql),
};

export type PopularityRepository = typeof popularityRepository;
