import type { PopularityUpdate } from '../../domain/popularity.js';
import { run, statement, type ProjectionTables } from '../../store/database.js';

/*
 * Learned popularity on the Postgres graph's asset nodes (graph_asset_projections, migration 0035):
 * set without a new version, and only over an older computation (or none), so that applying the
 * same or an older run again changes nothing.
 */
const APPLY = statement(`
  UPDATE graph_asset_projections p
  SET popularity = x.popularity, trending = x.trending, popularity_at = x.computed_at
  FROM jsonb_to_recordset(:rows::jsonb) AS x(asset_id uuid, popularity float8, trending float8, computed_at timestamptz)
  WHERE p.tenant_id = :tenantId AND p.asset_id = x.asset_id
    AND (p.popularity_at IS NULL OR p.popularity_at <= x.computed_at)`);

export async function applyPopularity(
  tables: Pick<ProjectionTables, 'write'>,
  tenantId: string,
  rows: PopularityUpdate[],
): Promise<void> {
  if (rows.length === 0) return;
  // In asset order: concurrent updates of overlapping pages lock rows in the same order.
  const sorted = [...rows].sort((a, b) => (a.assetId < b.assetId ? -1 : a.assetId > b.assetId ? 1 : 0));
  const json = JSON.stringify(
    sorted.map((r) => ({
      asset_id: r.assetId,
      popularity: r.popularity,
      trending: r.trending,
      computed_at: r.computedAt.toISOString(),
    })),
  );
  await tables.write((tx) => run(tx, APPLY, { tenantId, rows: json }));
}
