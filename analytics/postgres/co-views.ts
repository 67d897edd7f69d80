import { run, statement, type Database } from '../../store/database.js';
import type { CoViewCounts, CoViewQuery } from '../analytics-store.js';

/*
 * Co-view counts in Postgres (CoViewQuery): one statement per page of anchors. It reads the window's
 * play and complete events once (the (tenant_id, occurred_at) index, partitions outside the window
 * pruned), each session's assets once; sessions over the cap are dropped before any pair is formed,
 * so a page forms at most assetLimit × maxAssetsPerSession pairs per session of its anchors, and
 * returns at most assetLimit × pairsPerAsset pairs.
 */
export const CO_VIEW_SQL = statement(`
  WITH views AS MATERIALIZED (
    SELECT session_token, asset_id FROM analytics_events
    WHERE tenant_id = :tenantId AND type IN ('play', 'complete') AND session_token IS NOT NULL
      AND asset_id IS NOT NULL AND occurred_at >= :from AND occurred_at < :to
    GROUP BY session_token, asset_id
  ),
  counted AS MATERIALIZED (
    SELECT v.session_token, v.asset_id FROM views v
    WHERE v.session_token IN (
      SELECT session_token FROM views GROUP BY session_token HAVING count(*) <= :maxAssetsPerSession)
  ),
  anchors AS MATERIALIZED (
    SELECT DISTINCT asset_id FROM counted
    WHERE :afterId::uuid IS NULL OR asset_id > :afterId::uuid
    ORDER BY asset_id LIMIT :assetLimit
  ),
  pairs AS MATERIALIZED (
    SELECT asset_id, related_id, sessions FROM (
      SELECT asset_id, related_id, sessions,
             row_number() OVER (PARTITION BY asset_id ORDER BY sessions DESC, related_id) AS r
      FROM (
        SELECT a.asset_id, b.asset_id AS related_id, count(*)::int AS sessions
        FROM counted a
        JOIN anchors USING (asset_id)
        JOIN counted b ON b.session_token = a.session_token AND b.asset_id <> a.asset_id
        GROUP BY a.asset_id, b.asset_id
        HAVING count(*) >= :minSessions
      ) p
    ) ranked
    WHERE r <= :pairsPerAsset
  ),
  assets AS (
    SELECT asset_id FROM anchors UNION SELECT related_id FROM pairs
  )
  SELECT asset_id::text AS asset_id, related_id::text AS related_id, sessions, false AS anchor FROM pairs
  UNION ALL
  SELECT c.asset_id::text, NULL, count(*)::int, bool_or(c.asset_id IN (SELECT asset_id FROM anchors))
  FROM counted c WHERE c.asset_id IN (SELECT asset_id FROM assets)
  GROUP BY c.asset_id`);

interface Row {
  asset_id: string;
  related_id: string | null;
  sessions: number;
  anchor: boolean;
}

export async function coViewCounts(db: Database, query: CoViewQuery): Promise<CoViewCounts> {
  const rows = await run<Row>(db, CO_VIEW_SQL, {
    tenantId: query.tenantId,
    from: query.from,
    to: query.to,
    afterId: query.afterAssetId,
    assetLimit: query.assetLimit,
    maxAssetsPerSession: query.maxAssetsPerSession,
    minSessions: query.minSessions,
    pairsPerAsset: query.pairsPerAsset,
  });
  const out: CoViewCounts = { anchors: [], pairs: [], sessionsPerAsset: new Map() };
  for (const r of rows) {
    if (r.related_id !== null)
      out.pairs.push({ assetId: r.asset_id, relatedId: r.related_id, sessions: Number(r.sessions) });
    else {
      out.sessionsPerAsset.set(r.asset_id, Number(r.sessions));
      if (r.anchor) out.anchors.push(r.asset_id);
    }
  }
  out.anchors.sort();
  return out;
}
