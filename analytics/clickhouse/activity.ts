import { checkDatabaseName } from './statements.js';

/*
 * Popularity's read of the ClickHouse analytics store: per asset and UTC day, plays and watch time
 * from the daily asset rollup (`assets_daily`, statements.ts), for a page of assets in id order.
 * The page's ids come from the same table and range, so the outer read touches only their rows.
 * The page size is `limit`, written as a literal (params.ts). Runs on 18.16 (sumIf, IN a subquery, LIMIT in a subquery) as on current releases.
 */
export function assetActivityStatement(database: string): string {
  const db = checkDatabaseName(database);
  const range = `tenant_id = {tenantId:String}
      AND bucket >= toDateTime({fromS:UInt32}, 'UTC') AND bucket < toDateTime({toS:UInt32}, 'UTC')`;
  return `
    SELECT asset_id, toUInt32(toUnixTimestamp(bucket)) AS day_s,
      sumIf(events, event_type = 'play') AS views, sum(watch_ms) AS watch_ms
    FROM ${db}.assets_daily
    WHERE ${range}
      AND asset_id IN (
        SELECT DISTINCT asset_id FROM ${db}.assets_daily
        WHERE ${range} AND asset_id > {after:String}
        ORDER BY asset_id LIMIT {limit:UInt32})
    GROUP BY asset_id, bucket
    ORDER BY asset_id, bucket`;
}
