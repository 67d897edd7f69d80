-- Canonical truth. Every tenant-owned table carries tenant_id and is keyed by it,
-- so foreign keys cannot join rows of two tenants.

CREATE TABLE tenants (
  id          text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
  name        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  tenant_id     text NOT NULL REFERENCES tenants (id),
  id            uuid NOT NULL,
  email         text NOT NULL,
  display_name  text,
  role          text NOT NULL CHECK (role IN ('ADMIN', 'CONTENT_MANAGER', 'EDITOR', 'DEVELOPER', 'VIEWER')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, email)
);

CREATE TABLE api_keys (
  tenant_id     text NOT NULL REFERENCES tenants (id),
  id            uuid NOT NULL,
  user_id       uuid,
  name          text NOT NULL,
  -- The first characters of the secret, so a leaked key can be recognized; never enough to use it.
  prefix        text NOT NULL,
  -- SHA-256 of the secret, hex. The secret itself is never stored.
  key_hash      text NOT NULL UNIQUE CHECK (key_hash ~ '^[0-9a-f]{64}$'),
  role          text NOT NULL CHECK (role IN ('ADMIN', 'CONTENT_MANAGER', 'EDITOR', 'DEVELOPER', 'VIEWER')),
  permissions   text[] NOT NULL,
  status        text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'REVOKED')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_used_at  timestamptz,
  revoked_at    timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);

CREATE TABLE assets (
  tenant_id           text NOT NULL REFERENCES tenants (id),
  id                  uuid NOT NULL,
  type                text NOT NULL CHECK (type IN ('VIDEO', 'IMAGE', 'AUDIO', 'TEXT')),
  title               text NOT NULL,
  description         text NOT NULL DEFAULT '',
  transcript          text NOT NULL DEFAULT '',
  file_hash           text NOT NULL CHECK (file_hash ~ '^[0-9a-f]{64}$'),
  source_system       text NOT NULL,
  source_id           text,
  given_tags          jsonb NOT NULL DEFAULT '[]',
  given_speakers      jsonb NOT NULL DEFAULT '[]',
  operational_tags    jsonb NOT NULL DEFAULT '[]',
  technical_metadata  jsonb NOT NULL DEFAULT '{}',
  enriched_metadata   jsonb,
  status              text NOT NULL CHECK (status IN ('STAGED', 'QUEUED', 'PROCESSING', 'PROCESSED', 'FAILED', 'ARCHIVED')),
  status_detail       text,
  version             integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  version_id          uuid NOT NULL,
  -- The content version the current enrichment was computed from.
  enriched_from_version integer,
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, file_hash)
);
CREATE INDEX assets_listing_idx ON assets (tenant_id, created_at DESC, id DESC);
CREATE INDEX assets_source_idx ON assets (tenant_id, source_system, source_id);

CREATE TABLE asset_versions (
  tenant_id          text NOT NULL,
  id                 uuid NOT NULL,
  asset_id           uuid NOT NULL,
  version            integer NOT NULL,
  snapshot           jsonb NOT NULL,
  change_kind        text NOT NULL CHECK (change_kind IN ('INGEST', 'ENRICHMENT', 'EDIT', 'ROLLBACK')),
  changed_by         text NOT NULL,
  reason             text,
  conflict_resolved  boolean NOT NULL DEFAULT false,
  created_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, asset_id, version),
  FOREIGN KEY (tenant_id, asset_id) REFERENCES assets (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE workflow_definitions (
  tenant_id            text NOT NULL REFERENCES tenants (id),
  id                   uuid NOT NULL,
  name                 text NOT NULL,
  description          text NOT NULL DEFAULT '',
  -- Routing rules, e.g. [{"field": "type", "op": "equals", "value": "VIDEO"}].
  preprocessing_logic  jsonb NOT NULL DEFAULT '[]',
  capabilities         text[] NOT NULL,
  enabled              boolean NOT NULL DEFAULT true,
  priority             integer NOT NULL DEFAULT 0,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, name)
);

CREATE TABLE processing_jobs (
  tenant_id               text NOT NULL,
  id                      uuid NOT NULL,
  asset_id                uuid NOT NULL,
  asset_version           integer NOT NULL,
  workflow                text NOT NULL,
  status                  text NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'COMPLETED', 'FAILED')),
  capabilities_requested  text[] NOT NULL DEFAULT '{}',
  capabilities_completed  text[] NOT NULL DEFAULT '{}',
  capabilities_failed     text[] NOT NULL DEFAULT '{}',
  progress                real NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1),
  timings                 jsonb NOT NULL DEFAULT '{}',
  retry_count             integer NOT NULL DEFAULT 0,
  retry_config            jsonb NOT NULL DEFAULT '{}',
  last_error              text,
  queue_job_id            text,
  started_at              timestamptz,
  finished_at             timestamptz,
  created_at              timestamptz NOT NULL DEFAULT now(),
  updated_at              timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  -- One run record per asset version and workflow: redelivered jobs update it instead of adding rows.
  UNIQUE (tenant_id, asset_id, asset_version, workflow),
  FOREIGN KEY (tenant_id, asset_id) REFERENCES assets (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX processing_jobs_status_idx ON processing_jobs (tenant_id, status, updated_at DESC);

CREATE TABLE action_records (
  tenant_id    text NOT NULL REFERENCES tenants (id),
  id           uuid NOT NULL,
  asset_id     uuid,
  action_type  text NOT NULL,
  direction    text NOT NULL CHECK (direction IN ('INBOUND', 'OUTBOUND', 'INTERNAL')),
  controller   text NOT NULL,
  actor        text NOT NULL,
  status       text NOT NULL CHECK (status IN ('SUCCEEDED', 'FAILED', 'DENIED')),
  details      jsonb NOT NULL DEFAULT '{}',
  started_at   timestamptz NOT NULL,
  duration_ms  real NOT NULL DEFAULT 0,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX action_records_time_idx ON action_records (tenant_id, created_at DESC);
CREATE INDEX action_records_asset_idx ON action_records (tenant_id, asset_id, created_at DESC);

CREATE TABLE lifecycle_rules (
  tenant_id   text NOT NULL REFERENCES tenants (id),
  id          uuid NOT NULL,
  name        text NOT NULL,
  conditions  jsonb NOT NULL DEFAULT '[]',
  action      text NOT NULL CHECK (action IN ('ARCHIVE', 'DELETE', 'REENRICH', 'NOTIFY')),
  enabled     boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, name)
);

CREATE TABLE controller_configs (
  tenant_id   text NOT NULL REFERENCES tenants (id),
  controller  text NOT NULL,
  config      jsonb NOT NULL DEFAULT '{}',
  enabled     boolean NOT NULL DEFAULT true,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, controller)
);

-- Transactional outbox: written in the same transaction as the change it announces,
-- relayed to the job queue at least once.
CREATE TABLE outbox (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id      text NOT NULL REFERENCES tenants (id),
  event_type     text NOT NULL,
  aggregate_id   uuid NOT NULL,
  payload        jsonb NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  dispatched_at  timestamptz,
  attempts       integer NOT NULL DEFAULT 0,
  last_error     text
);
CREATE INDEX outbox_pending_idx ON outbox (id) WHERE dispatched_at IS NULL;

-- Corpus statistics for TF-IDF keyword extraction, kept per tenant and updated incrementally.
CREATE TABLE tenant_corpus_stats (
  tenant_id       text PRIMARY KEY REFERENCES tenants (id),
  document_count  integer NOT NULL DEFAULT 0 CHECK (document_count >= 0)
);
CREATE TABLE term_document_frequencies (
  tenant_id  text NOT NULL REFERENCES tenants (id),
  term       text NOT NULL,
  df         integer NOT NULL CHECK (df >= 0),
  PRIMARY KEY (tenant_id, term)
);
-- The term set each asset contributed, so re-enrichment adjusts frequencies by the difference.
CREATE TABLE asset_terms (
  tenant_id  text NOT NULL,
  asset_id   uuid NOT NULL,
  terms      text[] NOT NULL,
  PRIMARY KEY (tenant_id, asset_id),
  FOREIGN KEY (tenant_id, asset_id) REFERENCES assets (tenant_id, id) ON DELETE CASCADE
);
