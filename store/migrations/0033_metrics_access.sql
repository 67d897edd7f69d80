-- Key restrictions for keys that browsers and players carry (docs/security.md, "Restricted keys"):
-- the Origins a key is accepted from (scheme://host[:port]) and the client address ranges (CIDR).
-- Empty: no restriction, as every key made before this migration.
ALTER TABLE api_keys ADD COLUMN allowed_origins text[] NOT NULL DEFAULT '{}'
  CHECK (cardinality(allowed_origins) <= 50);
ALTER TABLE api_keys ADD COLUMN allowed_ip_ranges text[] NOT NULL DEFAULT '{}'
  CHECK (cardinality(allowed_ip_ranges) <= 50);

-- Projection lag (GET /v1/metrics?metric=projectionLag): how long after an asset's canonical change
-- its projection job projected it, counted per tenant, minute and lag bucket (`le_ms`: the bucket's
-- upper bound in milliseconds, as a Prometheus histogram's `le`). Nothing else in the canonical
-- store dates a projection on every backend (Elasticsearch and Neo4j keep no row here).
CREATE TABLE projection_lag_minutes (
  tenant_id  text NOT NULL REFERENCES tenants (id),
  minute     timestamptz NOT NULL,
  le_ms      integer NOT NULL CHECK (le_ms > 0),
  n          integer NOT NULL CHECK (n > 0),
  PRIMARY KEY (tenant_id, minute, le_ms)
);

-- Operational metrics date a run by its end: runs that ended in a range, of any status.
CREATE INDEX processing_jobs_ended_idx ON processing_jobs (tenant_id, updated_at);
