-- The asset change log behind GET /v1/changes (issue 26, docs/change-feeds.md): one row per change
-- of an asset, written by the statement that writes the change's outbox event, so in the same
-- transaction as the canonical write. Unlike the outbox it is not pruned.
--
-- Readers page by (xid, id), not by id alone: `id` is taken from a sequence when the row is
-- inserted, but rows become visible when their transaction commits, so a reader past id 7 could
-- miss a row 6 that committed after it read. `xid` is the writing transaction's id; a reader only
-- serves rows whose xid is below its snapshot's xmin (every transaction that old has ended, and no
-- new one can get an xid below it), so the set it serves from is final when it reads it.
CREATE TABLE asset_changes (
  tenant_id   text NOT NULL REFERENCES tenants (id),
  id          bigint GENERATED ALWAYS AS IDENTITY,
  xid         xid8 NOT NULL DEFAULT pg_current_xact_id(),
  asset_id    uuid NOT NULL,
  change      text NOT NULL CHECK (change IN ('ingested', 'enriched', 'updated', 'archived', 'restored',
                                              'failed', 'deleted', 'purged', 'erased')),
  version     integer NOT NULL,
  -- What an update changed (as in a version diff), when the writer said.
  fields      text[],
  changed_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX asset_changes_feed_idx ON asset_changes (tenant_id, xid, id);

-- Assets that existed before the log began appear once, as ingested at the version they had then,
-- oldest first, so that a reader starting from the beginning sees every live asset.
INSERT INTO asset_changes (tenant_id, asset_id, change, version, changed_at)
SELECT tenant_id, id, 'ingested', version, updated_at FROM assets
WHERE deleted_at IS NULL
ORDER BY created_at, id;
