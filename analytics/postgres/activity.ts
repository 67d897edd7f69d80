import { run, statement, type Sql } from '../../store/database.js';
import type { AssetActivityQuery, AssetDayActivity } from '../analytics-store.js';

/*
 * Popularity's read of the Postgres analytics store: per asset and UTC day, views and watch time
 * from the daily asset rollups (migration 0032), a page of assets at a time. The page's assets are
 * found through the (tenant, grain, asset, bucket) index of migration 0035, so each page reads its
 * own assets' rows instead of every row of the range.
 */
const ACTIVITY = statement(`
  WITH page AS (
    SELECT DISTINCT asset_id FROM analytics_asset_rollups
    WHERE tenant_id = :tenantId AND grain = 'd' AND bucket >= :from AND bucket < :to
      AND (:after::uuid IS NULL OR asset_id > :after::uuid)
    ORDER BY asset_id LIMIT :assets)
  SELECT r.asset_id::text AS asset_id, r.bucket AS day, sum(r.views)::float8 AS views,
    sum(r.watch_ms)::float8 / 1000 AS watch_seconds
  FROM analytics_asset_rollups r JOIN page p ON p.asset_id = r.asset_id
  WHERE r.tenant_id = :tenantId AND r.grain = 'd' AND r.bucket >= :from AND r.bucket < :to
  GROUP BY r.asset_id, r.bucket
  ORDER BY r.asset_id, r.bucket`);

export async function assetActivity(sql: Sql, q: AssetActivityQuery): Promise<AssetDayActivity[]> {
  const rows = await run<{ asset_id: string; day: Date; views: number; watch_seconds: number }>(
    sql,
    ACTIVITY,
    {
      tenantId: q.tenantId,
      from: q.from,
      to: q.to,
      after: q.afterAssetId,
      assets: q.assets,
    },
  );
  return rows.map((r) => ({
    assetId: r.asset_id,
    day: new Date(r.day),
    views: Number(r.views),
    watchSeconds: Number(r.watch_seconds),
  }));
}
