-- Top assets by day (analytics/postgres/top-assets.ts) read the daily rollup rows of a few candidate
-- assets over a range: by asset, then day. The daily partition only; the hourly one is not read so.
CREATE INDEX analytics_asset_rollups_d_asset_idx ON analytics_asset_rollups_d (tenant_id, asset_id, bucket);
