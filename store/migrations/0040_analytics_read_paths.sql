-- Faster reads of the Postgres analytics store over millions of events (docs/analytics.md, "Reading
-- at scale"; measured in bench/RESULTS.md): unique viewers grouped by an asset dimension merge that
-- dimension's own daily sketches instead of every asset's, unique viewers by asset read a few candidate
-- assets' sketches, and the top queries sum one row per query and bucket.

-- Viewer sketches per value of an asset dimension (tag, topic, speaker, type, sourceSystem), per day:
-- unique viewers grouped by one of them merge a few rows per value and day instead of every asset's.
-- Backfilled from the assets' daily sketches, which is what `record` ORs into them.
CREATE TABLE analytics_dim_viewers (
  tenant_id  text NOT NULL,
  grain      "char" NOT NULL CHECK (grain = 'd'),
  bucket     timestamptz NOT NULL,
  dim        text NOT NULL,
  value      text NOT NULL,
  viewers    bit(8192) NOT NULL,
  PRIMARY KEY (tenant_id, grain, bucket, dim, value)
) PARTITION BY LIST (grain);
CREATE TABLE analytics_dim_viewers_d PARTITION OF analytics_dim_viewers FOR VALUES IN ('d');
INSERT INTO analytics_dim_viewers (tenant_id, grain, bucket, dim, value, viewers)
SELECT a.tenant_id, 'd', a.bucket, v.dim, v.value, bit_or(a.viewers)
FROM analytics_asset_viewers a
JOIN analytics_asset_dims d ON d.tenant_id = a.tenant_id AND d.dims_key = a.dims_key
CROSS JOIN LATERAL (
  SELECT 'tag', t FROM unnest(d.tags) AS t
  UNION SELECT 'topic', t FROM unnest(d.topics) AS t
  UNION SELECT 'speaker', t FROM unnest(d.speakers) AS t
  UNION SELECT 'type', d.type
  UNION SELECT 'sourceSystem', d.source_system) AS v(dim, value)
WHERE a.grain = 'd'
GROUP BY a.tenant_id, a.bucket, v.dim, v.value;

-- Unique viewers by asset read the daily sketches of a few candidate assets (analytics/postgres/
-- top-assets.ts): by asset, then day.
CREATE INDEX analytics_asset_viewers_d_asset_idx ON analytics_asset_viewers_d (tenant_id, asset_id, bucket);

-- Searches per query without device and country, per hour and per day: the top queries without
-- filters sum one row per query and bucket instead of one per query, device and country.
CREATE TABLE analytics_query_totals (
  tenant_id      text NOT NULL,
  grain          "char" NOT NULL CHECK (grain IN ('h', 'd')),
  bucket         timestamptz NOT NULL,
  query          text NOT NULL,
  searches       bigint NOT NULL,
  zero_searches  bigint NOT NULL,
  clicks         bigint NOT NULL,
  PRIMARY KEY (tenant_id, grain, bucket, query)
) PARTITION BY LIST (grain);
CREATE TABLE analytics_query_totals_h PARTITION OF analytics_query_totals FOR VALUES IN ('h');
CREATE TABLE analytics_query_totals_d PARTITION OF analytics_query_totals FOR VALUES IN ('d');
INSERT INTO analytics_query_totals (tenant_id, grain, bucket, query, searches, zero_searches, clicks)
SELECT tenant_id, grain, bucket, query, sum(searches), sum(zero_searches), sum(clicks)
FROM analytics_query_rollups
GROUP BY tenant_id, grain, bucket, query;
