-- The raw analytics events keep one index fewer on the write path (analytics/postgres/writer.ts,
-- docs/analytics.md): the primary key, which is the de-duplication, leads with the time after the
-- tenant, so that it also serves every read of the raw events (a tenant and a time range: minute
-- series, the viewers of an asset per hour, trending over raw events), and the separate time index
-- goes. Each insert of an event then maintains two indexes instead of three. The index on user
-- tokens stays: erasure reads it.
ALTER TABLE analytics_events DROP CONSTRAINT analytics_events_pkey;
ALTER TABLE analytics_events ADD PRIMARY KEY (tenant_id, occurred_at, id);
DROP INDEX analytics_events_time_idx;
