-- GET /v1/jobs pages on (created_at, id) with a cursor that carries created_at to the millisecond
-- (JavaScript dates hold no more). Rows stored to the microsecond could fall between two pages;
-- stored to the millisecond, the cursor names them exactly.
ALTER TABLE processing_jobs ALTER COLUMN created_at SET DEFAULT date_trunc('milliseconds', now());
UPDATE processing_jobs SET created_at = date_trunc('milliseconds', created_at)
  WHERE created_at <> date_trunc('milliseconds', created_at);
