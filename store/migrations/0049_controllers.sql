-- Ingress controllers (issue 25): feeds a tenant's assets are pulled from on a schedule, the runs
-- that pulled them, and which asset each item of a source became.
CREATE TABLE controllers (
  tenant_id             text NOT NULL REFERENCES tenants (id),
  id                    uuid NOT NULL,
  name                  text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
  kind                  text NOT NULL,
  -- Validated per kind by the service (domain/controllers.ts), stored as given.
  config                jsonb NOT NULL,
  -- The assets' sourceSystem: with an item's id, what makes a sync idempotent.
  source_system         text NOT NULL,
  sync_interval_minutes integer NOT NULL DEFAULT 15 CHECK (sync_interval_minutes BETWEEN 1 AND 10080),
  logging_level         text NOT NULL DEFAULT 'info'
                        CHECK (logging_level IN ('critical', 'error', 'warning', 'info')),
  enabled               boolean NOT NULL DEFAULT true,
  -- Where the next sync starts: ETag, Last-Modified, a listing's cursor. Written only by a run that
  -- got that far, so a failed run leaves the state the one before it left.
  sync_state            jsonb NOT NULL DEFAULT '{}',
  health                text NOT NULL DEFAULT 'unknown' CHECK (health IN ('unknown', 'healthy', 'unhealthy')),
  last_error            text,
  -- When the last run started (the schedule counts the interval from it) and when one last succeeded.
  last_run_at           timestamptz,
  last_sync_at          timestamptz,
  -- A run holds the controller until it ends or its lease runs out (a process that died mid-sync).
  lease_until           timestamptz,
  lease_run_id          uuid,
  created_by            text NOT NULL,
  created_at            timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  updated_at            timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX controllers_listing_idx ON controllers (tenant_id, created_at DESC, id);
-- The schedule's tick, across tenants: the enabled ones.
CREATE INDEX controllers_due_idx ON controllers (last_run_at NULLS FIRST) WHERE enabled;

CREATE TABLE controller_runs (
  tenant_id       text NOT NULL,
  id              uuid NOT NULL,
  controller_id   uuid NOT NULL,
  trigger         text NOT NULL CHECK (trigger IN ('schedule', 'manual')),
  status          text NOT NULL CHECK (status IN ('RUNNING', 'SUCCEEDED', 'FAILED', 'INTERRUPTED')),
  started_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
  finished_at     timestamptz,
  duration_ms     integer,
  fetch_ms        integer,
  not_modified    boolean NOT NULL DEFAULT false,
  pages           integer NOT NULL DEFAULT 0,
  new_count       integer NOT NULL DEFAULT 0,
  updated_count   integer NOT NULL DEFAULT 0,
  unchanged_count integer NOT NULL DEFAULT 0,
  failed_count    integer NOT NULL DEFAULT 0,
  gone_count      integer NOT NULL DEFAULT 0,
  error           text,
  -- The first item failures, each { sourceId, error }.
  failures        jsonb NOT NULL DEFAULT '[]',
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, controller_id) REFERENCES controllers (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX controller_runs_history_idx ON controller_runs (tenant_id, controller_id, started_at DESC, id);

-- Which asset an item of a source became, and the digest of what it said last: an item seen again
-- unchanged is left alone, a changed one updates its asset. Keyed by source system and source id,
-- so two controllers of one source system share their items.
CREATE TABLE controller_items (
  tenant_id     text NOT NULL,
  source_system text NOT NULL,
  source_id     text NOT NULL,
  controller_id uuid NOT NULL,
  asset_id      uuid NOT NULL,
  content_hash  text NOT NULL,
  present       boolean NOT NULL DEFAULT true,
  last_run_id   uuid NOT NULL,
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  gone_at       timestamptz,
  PRIMARY KEY (tenant_id, source_system, source_id),
  FOREIGN KEY (tenant_id, controller_id) REFERENCES controllers (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX controller_items_by_controller_idx ON controller_items (tenant_id, controller_id) WHERE present;
