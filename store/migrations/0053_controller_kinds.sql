-- The watched-folder and egress controller kinds (issue 25).
--
-- An egress run counts what it pushed to a partner or wrote to a folder.
ALTER TABLE controller_runs
  ADD COLUMN pushed_count integer NOT NULL DEFAULT 0,
  ADD COLUMN written_count integer NOT NULL DEFAULT 0;

-- A partner push signs its requests like a webhook: the secret is answered once, when the controller
-- is created, and read back only by the run that signs (never by the API's reads).
ALTER TABLE controllers ADD COLUMN secret text;

-- A watched folder's file, as last hashed: its size and modification time, and the SHA-256 of its
-- content, so a file unchanged since is not read again to be hashed.
ALTER TABLE controller_items
  ADD COLUMN file_size bigint,
  ADD COLUMN file_mtime_ms double precision,
  ADD COLUMN file_sha256 text;

-- An egress controller walks a tenant's assets in the order they changed, from its cursor on.
CREATE INDEX assets_changes_idx ON assets (tenant_id, updated_at, id);
