-- Interaction events' privacy settings (issue 21, docs/events.md "Privacy"): how long a tenant's
-- raw events are kept. A tenant without a row keeps them 90 days (the retention job's default).
CREATE TABLE event_settings (
  tenant_id           text PRIMARY KEY REFERENCES tenants (id),
  raw_retention_days  integer NOT NULL CHECK (raw_retention_days BETWEEN 1 AND 3650),
  updated_at          timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
);
