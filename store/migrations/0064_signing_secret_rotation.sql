-- Signing secrets sealed at rest and rotated with a grace period (issue 25, docs/webhooks.md).
-- `secret` now holds the secret sealed under SECRETS_KEY (`enc:v1:…`, domain/secret-box.ts); rows
-- from before hold it in plain text until the first start with this code seals them
-- (services/signing-secrets.ts), and read as they are meanwhile.
-- After a rotation the secret it replaced keeps signing beside the new one until
-- `previous_secret_expires_at`, so a receiver can switch without refusing a delivery.
ALTER TABLE webhooks
  ADD COLUMN previous_secret text,
  ADD COLUMN previous_secret_expires_at timestamptz;
ALTER TABLE controllers
  ADD COLUMN previous_secret text,
  ADD COLUMN previous_secret_expires_at timestamptz;
