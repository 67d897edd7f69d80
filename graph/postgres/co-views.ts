import { run, type ProjectionTables } from '../../store/database.js';
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
