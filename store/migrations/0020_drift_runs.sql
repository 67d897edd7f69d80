-- What each drift check found: projections against the canonical assets (services/drift-service.ts).
-- Counts only, across tenants; the metrics endpoint reports the latest run.
CREATE TABLE drift_runs (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  started_at   timestamptz NOT NULL,
  finished_at  timestamptz NOT NULL DEFAULT now(),
  repaired     boolean NOT NULL,
  -- { "<projection>": { "missing": n, "stale": n, "orphaned": n } }
  counts       jsonb NOT NULL
);
