-- Popularity and trending per asset (issue 22, docs/popularity.md): computed on a schedule
-- from the analytics store's daily asset aggregates (services/popularity-service.ts) and carried
-- into the search and graph projections. Postgres holds them canonically; a rebuilt projection
-- takes them from here.
CREATE TABLE asset_popularity (
  tenant_id      text NOT NULL REFERENCES tenants (id),
  asset_id       uuid NOT NULL,
  -- Decayed views plus watch time in views (domain/popularity.ts).
  popularity     double precision NOT NULL,
  -- ln((recent views per day + k) / (baseline views per day + k)): 0 steady, > 0 rising.
  trending       double precision NOT NULL,
  -- The views and seconds watched in the window the popularity decays over (undecayed).
  views          bigint NOT NULL,
  watch_seconds  double precision NOT NULL,
  computed_at    timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, asset_id)
);
-- Pages of a tenant's rows not touched by a run (they decay to zero), and the trending list.
CREATE INDEX asset_popularity_computed_idx ON asset_popularity (tenant_id, computed_at, asset_id);
CREATE INDEX asset_popularity_trending_idx ON asset_popularity (tenant_id, trending DESC, asset_id);

-- Popularity reads the daily rollups a page of assets at a time, in asset order.
CREATE INDEX analytics_asset_rollups_asset_idx ON analytics_asset_rollups (tenant_id, grain, asset_id, bucket);

-- The search projection's copies (search/postgres/writer.ts): learned popularity and trending,
-- and the computed_at they come from, so that an older computation never overwrites a newer one.
-- `popularity` stays the source system's view count.
ALTER TABLE search_documents
  ADD COLUMN learned_popularity double precision NOT NULL DEFAULT 0,
  ADD COLUMN trending double precision NOT NULL DEFAULT 0,
  ADD COLUMN popularity_at timestamptz;
CREATE INDEX search_documents_learned_popularity_idx
  ON search_documents (tenant_id, learned_popularity DESC, popularity DESC, asset_id DESC);
CREATE INDEX search_documents_trending_idx
  ON search_documents (tenant_id, trending DESC, learned_popularity DESC, popularity DESC, asset_id DESC);

-- The graph's asset nodes carry the same two numbers (graph/postgres/popularity.ts).
ALTER TABLE graph_asset_projections
  ADD COLUMN popularity double precision NOT NULL DEFAULT 0,
  ADD COLUMN trending double precision NOT NULL DEFAULT 0,
  ADD COLUMN popularity_at timestamptz;
