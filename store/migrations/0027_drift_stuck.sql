-- Assets stuck before projection (issue 18): QUEUED or PROCESSING past a grace period, with no job
-- left to move them on. Each drift check counts them; its repair asks for their enrichment again.
ALTER TABLE drift_runs ADD COLUMN stuck integer NOT NULL DEFAULT 0;

-- The assets on their way through enrichment: few next to the library, found without a scan of it.
CREATE INDEX assets_in_flight_idx ON assets (tenant_id, id) WHERE status IN ('QUEUED', 'PROCESSING');
