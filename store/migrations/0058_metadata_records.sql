-- Metadata records (issue 26, docs/metadata.md): facts the service and its partners record about
-- their work (an ingest batch's volume, an enrichment run's timings, a connector sync), each about a
-- target, of a kind whose JSON Schema validated it. The table is also the append-only log that
-- GET /v1/metadata/log tails: `seq` is its position, never reused; a writer takes the tenant's
-- log lock (pg_advisory_xact_lock) before its rows get their seq, so a tenant's rows commit in
-- seq order and a reader resuming after a seq misses none.
CREATE TABLE metadata_records (
  tenant_id      text NOT NULL REFERENCES tenants (id),
  seq            bigserial NOT NULL,
  id             uuid NOT NULL,
  target_type    text NOT NULL CHECK (char_length(target_type) BETWEEN 1 AND 64),
  target_id      text NOT NULL CHECK (char_length(target_id) BETWEEN 1 AND 256),
  target_extras  jsonb NOT NULL DEFAULT '{}',
  kind           text NOT NULL CHECK (char_length(kind) BETWEEN 1 AND 64),
  -- The version of the kind's schema the payload was validated against.
  schema_version text NOT NULL,
  payload        jsonb NOT NULL,
  produced_at    timestamptz NOT NULL,
  producer_id    text NOT NULL CHECK (char_length(producer_id) BETWEEN 1 AND 128),
  -- jobId, runId, namespace, extras; the tenant is tenant_id.
  context        jsonb NOT NULL DEFAULT '{}',
  version        text,
  quality        double precision,
  extras         jsonb,
  recorded_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, seq)
);
CREATE UNIQUE INDEX metadata_records_id_idx ON metadata_records (tenant_id, id);
-- latest (LIMIT 1) and history of a target's kind, newest first.
CREATE INDEX metadata_records_target_idx
  ON metadata_records (tenant_id, target_type, target_id, kind, produced_at DESC, seq DESC);
-- query by kind over a time window; retention by kind and age.
CREATE INDEX metadata_records_kind_idx ON metadata_records (tenant_id, kind, produced_at DESC, seq DESC);

-- Schemas of the kinds a tenant registered, one row per semantic version. The built-in kinds'
-- schemas live in code (domain/metadata-kinds.ts) and are not stored.
CREATE TABLE metadata_kind_schemas (
  tenant_id      text NOT NULL REFERENCES tenants (id),
  kind           text NOT NULL CHECK (char_length(kind) BETWEEN 1 AND 64),
  version        text NOT NULL CHECK (char_length(version) BETWEEN 5 AND 64),
  -- Sortable form of the version (major, minor, patch) so the newest is found by an index.
  major          integer NOT NULL,
  minor          integer NOT NULL,
  patch          integer NOT NULL,
  schema         jsonb NOT NULL,
  -- Days a record of the kind is kept (the latest per target always is); null: full history.
  retention_days integer CHECK (retention_days IS NULL OR retention_days BETWEEN 1 AND 36500),
  -- Registered although not backward compatible with the version before (audited).
  forced         boolean NOT NULL DEFAULT false,
  created_by     text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  PRIMARY KEY (tenant_id, kind, version)
);
CREATE INDEX metadata_kind_schemas_newest_idx
  ON metadata_kind_schemas (tenant_id, kind, major DESC, minor DESC, patch DESC);
