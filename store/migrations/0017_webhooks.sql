-- Webhooks: a tenant's HTTP endpoints, told about asset events (docs/webhooks.md).
CREATE TABLE webhooks (
  tenant_id    text NOT NULL REFERENCES tenants (id),
  id           uuid NOT NULL,
  url          text NOT NULL,
  events       text[] NOT NULL CHECK (cardinality(events) > 0),
  description  text NOT NULL DEFAULT '',
  -- The signing secret (whsec_…), as issued. HMAC needs the secret itself, so it cannot be hashed
  -- like an API key; only the delivery worker reads this column, and the API never returns it
  -- after creation.
  secret       text NOT NULL,
  enabled      boolean NOT NULL DEFAULT true,
  created_by   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);

-- One delivery per event and webhook. Its id is the idempotency id sent as `webhook-id`, the same
-- on every attempt and redelivery; the body is fixed when the delivery is made, so every attempt
-- sends the same bytes.
CREATE TABLE webhook_deliveries (
  tenant_id         text NOT NULL,
  id                uuid NOT NULL,
  webhook_id        uuid NOT NULL,
  -- The outbox event it announces (outbox rows are pruned; this stays as a reference).
  event_id          bigint NOT NULL,
  event_type        text NOT NULL,
  body              text NOT NULL,
  status            text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED')),
  attempts          integer NOT NULL DEFAULT 0,
  redeliveries      integer NOT NULL DEFAULT 0,
  last_status_code  integer,
  last_error        text,
  -- At most a short, truncated snippet of the receiver's answer.
  last_response     text,
  last_duration_ms  real,
  -- To the millisecond, as JavaScript dates and so page cursors hold it: keyset paging on
  -- (created_at, id) then neither skips nor repeats rows.
  created_at        timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  last_attempt_at   timestamptz,
  completed_at      timestamptz,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, webhook_id, event_id, event_type),
  FOREIGN KEY (tenant_id, webhook_id) REFERENCES webhooks (tenant_id, id) ON DELETE CASCADE
);
-- A webhook's deliveries, newest first, keyset-paged on (created_at, id).
CREATE INDEX webhook_deliveries_listing_idx
  ON webhook_deliveries (tenant_id, webhook_id, created_at DESC, id DESC);
-- Pruning by age.
CREATE INDEX webhook_deliveries_created_idx ON webhook_deliveries (created_at);
