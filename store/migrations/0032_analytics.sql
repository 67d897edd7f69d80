-- The Postgres analytics store (analytics/postgres-analytics-store.ts, docs/analytics.md): raw
-- interaction events partitioned by day, and rollups per hour and per day that each batch updates in
-- the transaction that inserts its new events. Every rollup table is list-partitioned by its grain,
-- so that a series over days never reads the hour rows.

-- Raw events. One range partition per UTC day, created on demand by the store for the days a batch
-- touches (analytics_events_pYYYYMMDD), so that retention drops whole days. The primary key is the
-- de-duplication: a retried or redelivered event has the same tenant, id and time.
CREATE TABLE analytics_events (
  tenant_id      text NOT NULL,
  id             uuid NOT NULL,
  occurred_at    timestamptz NOT NULL,
  received_at    timestamptz NOT NULL,
  type           text NOT NULL,
  asset_id       uuid,
  user_token     text,
  session_token  text,
  position       bigint,
  consent        boolean NOT NULL,
  device         text,
  country        text,
  -- The search text normalized (trimmed, lower case, single spaces), for search and click events.
  query          text,
  total_hits     integer,
  clicked_rank   integer,
  search         jsonb,
  -- The rest of the context (network, app, referrer), when reported.
  context        jsonb,
  properties     jsonb,
  -- The asset's dimensions at the time (analytics_asset_dims); '' without them.
  dims_key       text NOT NULL,
  PRIMARY KEY (tenant_id, id, occurred_at)
) PARTITION BY RANGE (occurred_at);
CREATE INDEX analytics_events_time_idx ON analytics_events (tenant_id, occurred_at);
-- Erasure finds a person's events by token.
CREATE INDEX analytics_events_user_idx ON analytics_events (tenant_id, user_token) WHERE user_token IS NOT NULL;

-- An asset's dimensions at the time of its events, by a hash of them: the asset rollups carry the
-- hash, so a series by tag, topic, speaker, source system or type joins this small table.
CREATE TABLE analytics_asset_dims (
  tenant_id      text NOT NULL,
  dims_key       text NOT NULL,
  type           text NOT NULL,
  source_system  text NOT NULL,
  tags           text[] NOT NULL,
  topics         text[] NOT NULL,
  speakers       text[] NOT NULL,
  PRIMARY KEY (tenant_id, dims_key)
);

-- Playback per asset, per hour (grain 'h') and per day ('d').
CREATE TABLE analytics_asset_rollups (
  tenant_id  text NOT NULL,
  grain      "char" NOT NULL CHECK (grain IN ('h', 'd')),
  bucket     timestamptz NOT NULL,
  asset_id   uuid NOT NULL,
  dims_key   text NOT NULL,
  views      bigint NOT NULL,
  completes  bigint NOT NULL,
  errors     bigint NOT NULL,
  watch_ms   bigint NOT NULL,
  PRIMARY KEY (tenant_id, grain, bucket, asset_id, dims_key)
) PARTITION BY LIST (grain);
CREATE TABLE analytics_asset_rollups_h PARTITION OF analytics_asset_rollups FOR VALUES IN ('h');
CREATE TABLE analytics_asset_rollups_d PARTITION OF analytics_asset_rollups FOR VALUES IN ('d');

-- Playback per value of an asset dimension (tag, topic, speaker, type, sourceSystem), per hour and
-- per day: the series grouped by one of them without filters read these instead of every asset's rows.
CREATE TABLE analytics_dim_rollups (
  tenant_id  text NOT NULL,
  grain      "char" NOT NULL CHECK (grain IN ('h', 'd')),
  bucket     timestamptz NOT NULL,
  dim        text NOT NULL,
  value      text NOT NULL,
  views      bigint NOT NULL,
  completes  bigint NOT NULL,
  errors     bigint NOT NULL,
  watch_ms   bigint NOT NULL,
  PRIMARY KEY (tenant_id, grain, bucket, dim, value)
) PARTITION BY LIST (grain);
CREATE TABLE analytics_dim_rollups_h PARTITION OF analytics_dim_rollups FOR VALUES IN ('h');
CREATE TABLE analytics_dim_rollups_d PARTITION OF analytics_dim_rollups FOR VALUES IN ('d');

-- Everything per tenant, per hour and per day: the series without groups or filters, which most
-- dashboards ask for, read one row per bucket.
CREATE TABLE analytics_tenant_rollups (
  tenant_id      text NOT NULL,
  grain          "char" NOT NULL CHECK (grain IN ('h', 'd')),
  bucket         timestamptz NOT NULL,
  views          bigint NOT NULL,
  completes      bigint NOT NULL,
  errors         bigint NOT NULL,
  watch_ms       bigint NOT NULL,
  searches       bigint NOT NULL,
  zero_searches  bigint NOT NULL,
  clicks         bigint NOT NULL,
  PRIMARY KEY (tenant_id, grain, bucket)
) PARTITION BY LIST (grain);
CREATE TABLE analytics_tenant_rollups_h PARTITION OF analytics_tenant_rollups FOR VALUES IN ('h');
CREATE TABLE analytics_tenant_rollups_d PARTITION OF analytics_tenant_rollups FOR VALUES IN ('d');

-- Everything per device and country (empty: not reported), per hour and per day: the series
-- without asset dimensions, and the denominators of the search rates.
CREATE TABLE analytics_context_rollups (
  tenant_id      text NOT NULL,
  grain          "char" NOT NULL CHECK (grain IN ('h', 'd')),
  bucket         timestamptz NOT NULL,
  device         text NOT NULL,
  country        text NOT NULL,
  views          bigint NOT NULL,
  completes      bigint NOT NULL,
  errors         bigint NOT NULL,
  watch_ms       bigint NOT NULL,
  searches       bigint NOT NULL,
  zero_searches  bigint NOT NULL,
  clicks         bigint NOT NULL,
  PRIMARY KEY (tenant_id, grain, bucket, device, country)
) PARTITION BY LIST (grain);
CREATE TABLE analytics_context_rollups_h PARTITION OF analytics_context_rollups FOR VALUES IN ('h');
CREATE TABLE analytics_context_rollups_d PARTITION OF analytics_context_rollups FOR VALUES IN ('d');

-- Unique viewers: a PCSA sketch of the consenting viewers' tokens (256 bitmaps of 32 bits, merged
-- with bit_or; analytics/postgres/sketch.ts), in tables of their own so that the count rollups stay
-- narrow. Per tenant, and per device and country, per hour and per day; per asset per day only.
CREATE TABLE analytics_tenant_viewers (
  tenant_id  text NOT NULL,
  grain      "char" NOT NULL CHECK (grain IN ('h', 'd')),
  bucket     timestamptz NOT NULL,
  viewers    bit(8192) NOT NULL,
  PRIMARY KEY (tenant_id, grain, bucket)
) PARTITION BY LIST (grain);
CREATE TABLE analytics_tenant_viewers_h PARTITION OF analytics_tenant_viewers FOR VALUES IN ('h');
CREATE TABLE analytics_tenant_viewers_d PARTITION OF analytics_tenant_viewers FOR VALUES IN ('d');
CREATE TABLE analytics_context_viewers (
  tenant_id  text NOT NULL,
  grain      "char" NOT NULL CHECK (grain IN ('h', 'd')),
  bucket     timestamptz NOT NULL,
  device     text NOT NULL,
  country    text NOT NULL,
  viewers    bit(8192) NOT NULL,
  PRIMARY KEY (tenant_id, grain, bucket, device, country)
) PARTITION BY LIST (grain);
CREATE TABLE analytics_context_viewers_h PARTITION OF analytics_context_viewers FOR VALUES IN ('h');
CREATE TABLE analytics_context_viewers_d PARTITION OF analytics_context_viewers FOR VALUES IN ('d');
CREATE TABLE analytics_asset_viewers (
  tenant_id  text NOT NULL,
  grain      "char" NOT NULL CHECK (grain = 'd'),
  bucket     timestamptz NOT NULL,
  asset_id   uuid NOT NULL,
  dims_key   text NOT NULL,
  viewers    bit(8192) NOT NULL,
  PRIMARY KEY (tenant_id, grain, bucket, asset_id, dims_key)
) PARTITION BY LIST (grain);
CREATE TABLE analytics_asset_viewers_d PARTITION OF analytics_asset_viewers FOR VALUES IN ('d');

-- Searches per normalized query (top queries, zero-result queries, click-through by query).
CREATE TABLE analytics_query_rollups (
  tenant_id      text NOT NULL,
  grain          "char" NOT NULL CHECK (grain IN ('h', 'd')),
  bucket         timestamptz NOT NULL,
  query          text NOT NULL,
  device         text NOT NULL,
  country        text NOT NULL,
  searches       bigint NOT NULL,
  zero_searches  bigint NOT NULL,
  clicks         bigint NOT NULL,
  PRIMARY KEY (tenant_id, grain, bucket, query, device, country)
) PARTITION BY LIST (grain);
CREATE TABLE analytics_query_rollups_h PARTITION OF analytics_query_rollups FOR VALUES IN ('h');
CREATE TABLE analytics_query_rollups_d PARTITION OF analytics_query_rollups FOR VALUES IN ('d');

-- Clicks by the clicked result's rank.
CREATE TABLE analytics_rank_rollups (
  tenant_id  text NOT NULL,
  grain      "char" NOT NULL CHECK (grain IN ('h', 'd')),
  bucket     timestamptz NOT NULL,
  rank       integer NOT NULL,
  device     text NOT NULL,
  country    text NOT NULL,
  clicks     bigint NOT NULL,
  PRIMARY KEY (tenant_id, grain, bucket, rank, device, country)
) PARTITION BY LIST (grain);
CREATE TABLE analytics_rank_rollups_h PARTITION OF analytics_rank_rollups FOR VALUES IN ('h');
CREATE TABLE analytics_rank_rollups_d PARTITION OF analytics_rank_rollups FOR VALUES IN ('d');

-- The furthest position each session has reached in each asset: watch time adds only what goes past
-- it, so a replay or a redelivered progress event adds nothing. Trimmed with the raw events.
CREATE TABLE analytics_watch_progress (
  tenant_id      text NOT NULL,
  session_token  text NOT NULL,
  asset_id       uuid NOT NULL,
  furthest_ms    bigint NOT NULL,
  updated_at     timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, session_token, asset_id)
);

-- The PCSA estimate of a merged viewer sketch (Flajolet and Martin, with their small-range
-- correction; linear counting of the empty bitmaps while it is below 2.5 m). Relative standard
-- error about 0.78 / sqrt(256), 5 %.
CREATE FUNCTION analytics_viewers_estimate(sketch bit(8192)) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  WITH maps AS (
    SELECT substring(sketch FROM i * 32 + 1 FOR 32) AS bits FROM generate_series(0, 255) AS i
  ), stats AS (
    SELECT avg(coalesce(nullif(position(B'0' IN bits), 0), 33) - 1) AS mean_rank,
           count(*) FILTER (WHERE bits = B'0'::bit(32)) AS empty
    FROM maps
  )
  SELECT CASE
    WHEN sketch IS NULL THEN 0
    WHEN empty > 0 AND 256 * ln(256.0 / empty) <= 640 THEN 256 * ln(256.0 / empty)
    ELSE 256 / 0.77351 * (power(2, mean_rank) - power(2, -1.75 * mean_rank))
  END FROM stats
$$;
