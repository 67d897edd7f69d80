-- The audit trail is listed newest first by when each action started, keyset-paged on
-- (started_at, id): for the tenant, for one asset, and for one action type. The created_at
-- indexes served no query.
DROP INDEX action_records_time_idx;
DROP INDEX action_records_asset_idx;
CREATE INDEX action_records_started_idx ON action_records (tenant_id, started_at DESC, id DESC);
CREATE INDEX action_records_asset_started_idx ON action_records (tenant_id, asset_id, started_at DESC, id DESC)
  WHERE asset_id IS NOT NULL;
CREATE INDEX action_records_type_started_idx ON action_records (tenant_id, action_type, started_at DESC, id DESC);
