-- Issue 24, dashboards and log correlation.
--
-- 1. Drift per tenant: a drift check's counts were kept for all tenants together, so no tenant could
--    be shown its own. Each run now keeps one row per tenant it checked: that tenant's drift by
--    projection and kind, its stuck assets, and the drifted assets a repair could not put right
--    (their count, and the first few with the error, for the analytics page).
CREATE TABLE drift_run_tenants (
  run_id      bigint NOT NULL REFERENCES drift_runs (id) ON DELETE CASCADE,
  tenant_id   text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  -- { "<projection>": { "missing": n, "stale": n, "orphaned": n } }
  counts      jsonb NOT NULL,
  stuck       integer NOT NULL DEFAULT 0,
  unrepaired  integer NOT NULL DEFAULT 0,
  -- At most 20 of them: [{ "assetId": "…", "projections": ["search"], "error": "…" }]
  unrepaired_samples jsonb NOT NULL DEFAULT '[]',
  PRIMARY KEY (run_id, tenant_id)
);
-- The tenant's row of the latest run that checked it.
CREATE INDEX drift_run_tenants_tenant_idx ON drift_run_tenants (tenant_id, run_id DESC);

-- 2. An outbox event keeps the ids of the requests whose work wrote it (Fastify's request id, the
--    x-request-id header when the caller sent one), as it keeps their trace context (0047): the relay
--    hands them to the job, whose log lines carry them. At most 10; NULL for work no request caused
--    (a schedule, a controller run) and for every event written before this migration.
ALTER TABLE outbox ADD COLUMN request_ids text[];
