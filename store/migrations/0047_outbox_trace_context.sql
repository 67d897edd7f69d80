-- Tracing (issue 24): an outbox event keeps the W3C trace context of the work that wrote it
-- (`{"traceparent": "00-…", "tracestate": "…"}`), so the relay can hand it to the job the event
-- starts and one ingest is one trace from the request to its last projection. NULL when tracing
-- was off, and for every event written before this migration.
ALTER TABLE outbox ADD COLUMN trace_context jsonb;
