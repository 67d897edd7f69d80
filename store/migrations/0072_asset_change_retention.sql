-- Retention of the asset change log (docs/change-feeds.md, "Retention"): entries older than
-- CHANGES_RETENTION_DAYS are deleted in bounded batches by a background run, and each tenant's
-- horizon records the last position deleted, so that a reader whose cursor is below it is told to
-- resync (410) instead of silently missing what was deleted after its cursor.
--
-- The horizon only moves forward. Every deleted entry is at or below it; an entry still kept below
-- it (one whose transaction started later than a deleted one's but took an xid earlier) can only be
-- reached from a cursor below the horizon, which is refused, and goes in a later run.
CREATE TABLE asset_change_horizons (
  tenant_id  text PRIMARY KEY REFERENCES tenants (id),
  xid        xid8 NOT NULL,
  id         bigint NOT NULL,
  pruned_at  timestamptz NOT NULL DEFAULT now()
);

-- The pruning reads a tenant's oldest entries by age: without this it would scan the tenant's whole
-- log, in feed order, each run, to find none.
CREATE INDEX asset_changes_age_idx ON asset_changes (tenant_id, changed_at);

-- Readers that follow the log (GET /v1/changes?follow=true) on a Postgres server are woken by a
-- notification on `asset_changes`, its payload the tenant, sent when the writing transaction
-- commits (one per tenant and transaction: Postgres folds equal notifications); they poll besides,
-- more slowly, and on PGlite they only poll.
CREATE FUNCTION asset_changes_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('asset_changes', t.tenant_id) FROM (SELECT DISTINCT tenant_id FROM new_rows) t;
  RETURN NULL;
END
$$;
CREATE TRIGGER asset_changes_notify AFTER INSERT ON asset_changes
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION asset_changes_notify();
