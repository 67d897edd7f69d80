-- An item gone from a controller's feed whose asset the controller has yet to archive or delete
-- (`whenGone`): the attempt failed (a legal hold, enrichment still running) or the run stopped
-- before it. Each run tries these again until they succeed (issue 25), without counting them gone again.
ALTER TABLE controller_items ADD COLUMN leave_pending boolean NOT NULL DEFAULT false;
CREATE INDEX controller_items_leave_pending_idx ON controller_items (tenant_id, controller_id, source_id)
  WHERE leave_pending;
