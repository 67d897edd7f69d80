-- Masked metadata: the token stored in place of a value, and the value sealed (AES-256-GCM, bound
-- to its tenant and token) so that an ADMIN can resolve it. key_id names the key that sealed it, so a
-- changed MASK_KEY is reported as such rather than as a corrupt value.
CREATE TABLE masking_tokens (
  tenant_id     text NOT NULL REFERENCES tenants (id),
  token         text NOT NULL CHECK (token ~ '^tok_[0-9a-f]{32}$'),
  sealed_value  text NOT NULL,
  key_id        text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, token)
);
