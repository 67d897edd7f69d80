-- Issue 19. What a bulk tag job changed, per asset: the job's record, listed at
-- GET /v1/jobs/{id}/changes. `ord` is the asset's place in the job's list (resuming re-writes none).
CREATE TABLE background_job_changes (
  tenant_id   text NOT NULL REFERENCES tenants (id),
  job_id      uuid NOT NULL,
  ord         integer NOT NULL,
  asset_id    uuid NOT NULL,
  outcome     text NOT NULL CHECK (outcome IN ('CHANGED', 'UNCHANGED', 'SKIPPED')),
  added       jsonb NOT NULL DEFAULT '[]',
  removed     jsonb NOT NULL DEFAULT '[]',
  locked      jsonb NOT NULL DEFAULT '[]',
  unlocked    jsonb NOT NULL DEFAULT '[]',
  version     integer,
  error       text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, job_id, ord),
  FOREIGN KEY (tenant_id, job_id) REFERENCES background_jobs (tenant_id, id) ON DELETE CASCADE
);

-- The jobs list merges background jobs with enrichment runs, newest first.
CREATE INDEX background_jobs_listing_idx ON background_jobs (tenant_id, created_at DESC, id DESC);

-- Each asset's events are numbered in the transaction that writes them: a row lock per asset makes
-- the numbers follow commit order, so a webhook receiver can tell an older event from a newer one
-- whatever order the deliveries arrive in. Kept apart from the outbox, which is pruned.
CREATE TABLE asset_event_sequences (
  tenant_id      text NOT NULL REFERENCES tenants (id),
  asset_id       uuid NOT NULL,
  last_sequence  bigint NOT NULL,
  PRIMARY KEY (tenant_id, asset_id)
);
ALTER TABLE outbox ADD COLUMN sequence bigint;

-- Background jobs page with enrichment runs on (created_at, id), to the millisecond (as 0021 did
-- for processing_jobs), so the cursor names a row exactly.
ALTER TABLE background_jobs ALTER COLUMN created_at SET DEFAULT date_trunc('milliseconds', now());
UPDATE background_jobs SET created_at = date_trunc('milliseconds', created_at)
  WHERE created_at <> date_trunc('milliseconds', created_at);
