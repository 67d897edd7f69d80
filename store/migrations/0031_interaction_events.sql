-- Interaction events (issue 21): the tenant's custom event types, the embedded event log, and the
-- de-duplication keys of the webhook events derived from interaction events.

-- Event types a tenant registered beside the built-in ones (POST /v1/events accepts them).
CREATE TABLE event_types (
  tenant_id    text NOT NULL REFERENCES tenants (id),
  name         text NOT NULL CHECK (name ~ '^[a-z][a-z0-9_.-]{0,63}$'),
  description  text NOT NULL DEFAULT '' CHECK (char_length(description) <= 500),
  created_at   timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  updated_at   timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  PRIMARY KEY (tenant_id, name)
);

-- The embedded default's event stream (stream/postgres-event-log.ts): one row per partition of an
-- accepted batch, holding that partition's events (stream/partitions.ts encodes them); deleted once
-- the analytics store committed them.
-- A row per partition rather than per event: one tuple and one index entry for many events.
CREATE TABLE event_log (
  partition    smallint NOT NULL,
  sequence     bigint GENERATED ALWAYS AS IDENTITY,
  tenant_id    text NOT NULL,
  appended_at  timestamptz NOT NULL DEFAULT now(),
  events       jsonb NOT NULL,
  PRIMARY KEY (partition, sequence)
);

-- One consumer at a time per partition: whoever holds an unexpired lease reads it.
CREATE TABLE event_log_leases (
  partition    smallint PRIMARY KEY,
  consumer     text,
  expires_at   timestamptz NOT NULL DEFAULT '-infinity'
);

-- A derived webhook event (asset.watched, asset.playback-error) is written to the outbox only with
-- a new key here, in one transaction: a redelivered stream entry announces nothing twice.
CREATE TABLE derived_event_keys (
  tenant_id    text NOT NULL REFERENCES tenants (id),
  key          text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, key)
);
CREATE INDEX derived_event_keys_age_idx ON derived_event_keys (created_at);
