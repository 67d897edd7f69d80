-- Asset lifecycle (issue 25): delete, archive, purge, legal hold.
--
-- A deleted asset keeps its row as a tombstone (deleted_at) until it is purged: every reader of
-- live assets leaves tombstones out, the projections drop them, and drift holds them "must be
-- absent". Its file hash is free again: ingesting the same content after a delete makes a new
-- asset, so the hash is unique among live assets only (the ingest names this index's predicate in
-- its ON CONFLICT).
--
-- An archived asset keeps its pipeline status in `status` (enrichment and the drift check's stuck
-- page go on reading it) and is shown as ARCHIVED while archived_at is set: restoring it brings
-- back the status it had, without a second column saying what that was.
ALTER TABLE assets
  ADD COLUMN deleted_at timestamptz,
  ADD COLUMN archived_at timestamptz,
  ADD COLUMN legal_hold boolean NOT NULL DEFAULT false;

ALTER TABLE assets DROP CONSTRAINT assets_tenant_id_file_hash_key;
CREATE UNIQUE INDEX assets_live_file_hash_key ON assets (tenant_id, file_hash) WHERE deleted_at IS NULL;

-- Whether a tenant has archived assets at all: search hides them by default, and only a tenant
-- that has some pays for the filter.
CREATE INDEX assets_archived_idx ON assets (tenant_id) WHERE archived_at IS NOT NULL AND deleted_at IS NULL;
