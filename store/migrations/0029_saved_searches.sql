-- Saved searches: a tenant's named searches (the search page's query string with its filters),
-- stored server-side so they follow the user across devices. Shared by the tenant's keys; each row
-- remembers the key that saved it.
CREATE TABLE saved_searches (
  tenant_id   text NOT NULL REFERENCES tenants (id),
  id          uuid NOT NULL,
  name        text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
  -- The search page's query string (q=…&tag=…), without the leading '?'.
  query       text NOT NULL CHECK (char_length(query) <= 2000),
  created_by  text NOT NULL,
  -- To the millisecond, so the listing's order is the order the API reports.
  created_at  timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX saved_searches_listing_idx ON saved_searches (tenant_id, created_at DESC, id);

-- The pipeline status (GET /v1/pipeline/status) counts assets ingested per minute over the last
-- hour: ingest time is the INGEST version's created_at (assets.created_at is the source's date).
CREATE INDEX asset_versions_ingested_idx ON asset_versions (tenant_id, created_at)
  WHERE change_kind = 'INGEST';
