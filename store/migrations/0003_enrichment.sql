-- Enrichment: learned label models, background jobs, retry-aware job statuses, technical metadata in search.

-- Classifiers learned from a tenant's own labelling (kind 'topics' or 'tags'); rebuildable by training.
CREATE TABLE label_models (
  tenant_id   text NOT NULL REFERENCES tenants (id),
  kind        text NOT NULL CHECK (kind IN ('topics', 'tags')),
  model       jsonb NOT NULL,
  labels      integer NOT NULL,
  examples    integer NOT NULL,
  trained_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, kind)
);

-- Long-running jobs that are not about one asset (backfills, bulk edits), with progress.
CREATE TABLE background_jobs (
  tenant_id    text NOT NULL REFERENCES tenants (id),
  id           uuid NOT NULL,
  kind         text NOT NULL,
  status       text NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'COMPLETED', 'FAILED')),
  params       jsonb NOT NULL DEFAULT '{}',
  total        integer,
  processed    integer NOT NULL DEFAULT 0,
  -- Where a paged job resumes after a restart.
  cursor       jsonb,
  last_error   text,
  created_by   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX background_jobs_status_idx ON background_jobs (tenant_id, status, created_at DESC);

-- RETRYING: an attempt failed and the queue will run it again; FAILED: past the last attempt (dead letter).
ALTER TABLE processing_jobs DROP CONSTRAINT processing_jobs_status_check;
ALTER TABLE processing_jobs ADD CONSTRAINT processing_jobs_status_check
  CHECK (status IN ('QUEUED', 'RUNNING', 'RETRYING', 'COMPLETED', 'FAILED'));
ALTER TABLE processing_jobs ADD COLUMN dead_lettered_at timestamptz;
CREATE INDEX processing_jobs_dead_letter_idx ON processing_jobs (tenant_id, dead_lettered_at DESC) WHERE dead_lettered_at IS NOT NULL;

ALTER TABLE search_documents ADD COLUMN duration_seconds real;
ALTER TABLE search_documents ADD COLUMN width integer;
ALTER TABLE search_documents ADD COLUMN height integer;
ALTER TABLE search_documents ADD COLUMN technical jsonb NOT NULL DEFAULT '{}';
