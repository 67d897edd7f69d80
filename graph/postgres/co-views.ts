import { run, type ProjectionTables, type Sql } from '../../store/database.js';
import type { CoViewedEdges } from '../graph-store.js';
import { SQL } from './statements.js';

/*
 * CO_VIEWED relationships in the Postgres graph: rows of graph_relationships of type `co_viewed`
 * (weight: the score; reason: {sessions}), replaced per source asset. Through `tables.write`, so
 * that an online rebuild's set receives them too; a rebuild re-applies them from asset_co_views.
 */
export async function replaceCoViewed(
  tables: ProjectionTables,
  tenantId: string,
  edges: CoViewedEdges[],
): Promise<void> {
  if (edges.length === 0) return;
  const assetIds = [...new Set(edges.map((e) => e.assetId))].sort();
  const rows = edges.flatMap((e) =>
    e.partners.map((p) => ({ source: e.assetId, target: p.relatedId, sessions: p.sessions, score: p.score })),
  );
  await tables.write(async (tx) => {
    await run(tx, SQL.deleteCoViewed, { tenantId, assetIds });
    if (rows.length > 0) await run(tx, SQL.insertCoViewed, { tenantId, edges: JSON.stringify(rows) });
  });
}

/** The CO_VIEWED relationships of these assets, as replaceCoViewed takes them (drift checks). */
export async function coViewedOf(db: Sql, tenantId: string, assetIds: string[]): Promise<CoViewedEdges[]> {
  if (assetIds.length === 0) return [];
  const rows = await run<{ asset_id: string; related_id: string; sessions: number; score: number }>(
    db,
    SQL.coViewedOf,
    { tenantId, assetIds },
  );
  const edges = new Map<string, CoViewedEdges>();
  for (const r of rows) {
    const e = edges.get(r.asset_id) ?? { assetId: r.asset_id, partners: [] };
    e.partners.push({ relatedId: r.related_id, sessions: Number(r.sessions), score: Number(r.score) });
    edges.set(r.asset_id, e);
  }
  return [...edges.values()];
}

/** A page of the assets with CO_VIEWED relationships, in id order. */
export async function coViewedSourcesAfter(
  db: Sql,
  tenantId: string,
  afterId: string | null,
  limit: number,
): Promise<string[]> {
  const rows = await run<{ asset_id: string }>(db, SQL.coViewedSourcesAfter, { tenantId, afterId, limit });
  return rows.map((r) => r.asset_id);
}
