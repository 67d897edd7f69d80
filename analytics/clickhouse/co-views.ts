import type { CoViewQuery } from '../analytics-store.js';
import { windowParams, type Params } from './params.js';
import { checkDatabaseName } from './statements.js';

/*
 * Co-view counts on ClickHouse (CoViewQuery), in three statements per page of anchors: the anchors,
 * their pairs, and the session counts of the anchors and partners. Each reads the window's play and
 * complete events of the tenant (partitions outside it pruned by occurred_at) as distinct (session,
 * asset) rows, without the sessions over the cap. Written for 18.16: no window functions (`LIMIT n
 * BY` keeps each anchor's best pairs), `IN (SELECT arrayJoin(…))` for lists.
 */

export function coViewStatements(database: string) {
  const db = checkDatabaseName(database);
  const within = `tenant_id = {tenantId:String} AND event_type IN ('play', 'complete')
      AND session_token != '' AND asset_id != ''
      AND occurred_at >= toDateTime({fromS:UInt32}, 'UTC') AND occurred_at <= toDateTime({toS:UInt32}, 'UTC')
      AND occurred_ms >= {fromMs:UInt64} AND occurred_ms < {toMs:UInt64}`;
  const counted = `
    SELECT session_token, asset_id FROM ${db}.events
    WHERE ${within}
      AND session_token IN (
        SELECT session_token FROM ${db}.events WHERE ${within}
        GROUP BY session_token HAVING uniqExact(asset_id) <= {maxAssetsPerSession:UInt32})
    GROUP BY session_token, asset_id`;
  return {
    anchors: `
      SELECT DISTINCT asset_id FROM (${counted})
      WHERE asset_id > {afterId:String}
      ORDER BY asset_id
      LIMIT {limit:UInt32}`,
    pairs: `
      SELECT asset_id, related_id, count() AS sessions
      FROM (
        SELECT session_token, asset_id FROM (${counted})
        WHERE asset_id IN (SELECT arrayJoin({anchors:Array(String)}))
      ) ALL INNER JOIN (
        SELECT session_token, asset_id AS related_id FROM (${counted})
      ) USING session_token
      WHERE asset_id != related_id
      GROUP BY asset_id, related_id
      HAVING count() >= {minSessions:UInt32}
      ORDER BY asset_id, sessions DESC, related_id
      LIMIT {pairsPerAsset:UInt32} BY asset_id`,
    sessions: `
      SELECT asset_id, count() AS sessions FROM (${counted})
      WHERE asset_id IN (SELECT arrayJoin({assets:Array(String)}))
      GROUP BY asset_id`,
  };
}

/** The parameters of each statement (params.ts): the window's, and what the statement adds. */
export function coViewParams(q: CoViewQuery) {
  const window: Params = {
    tenantId: q.tenantId,
    ...windowParams(q.from, q.to),
    maxAssetsPerSession: q.maxAssetsPerSession,
  };
  return {
    anchors: (): Params => ({ ...window, afterId: q.afterAssetId ?? '', limit: q.assetLimit }),
    pairs: (anchors: string[]): Params => ({
      ...window,
      anchors,
      minSessions: q.minSessions,
      pairsPerAsset: q.pairsPerAsset,
    }),
    sessions: (assets: string[]): Params => ({ ...window, assets }),
  };
}
