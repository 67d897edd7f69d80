-- Lifecycle rules (issue 25, docs/lifecycle.md#lifecycle-rules): a tenant's rules that archive or
-- delete assets by age. 0001 made a `lifecycle_rules` table of another shape (conditions as JSON,
-- one action of four) that nothing ever read or wrote: it is replaced, not altered. Rows put there by
-- hand stop the migration rather than vanish with the table.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM lifecycle_rules) THEN
    RAISE EXCEPTION 'lifecycle_rules holds rows of the unused 0001 shape: move them away, then migrate';
  END IF;
END $$;
DROP TABLE lifecycle_rules;

CREATE TABLE lifecycle_rules (
  tenant_id           text NOT NULL REFERENCES tenants (id),
  id                  uuid NOT NULL,
  name                text NOT NULL,
  -- Which assets the rule is about; null: any.
  asset_type          text CHECK (asset_type IN ('VIDEO', 'IMAGE', 'AUDIO', 'TEXT')),
  source_system       text,
  archive_after_days  integer CHECK (archive_after_days >= 1),
  delete_after_days   integer CHECK (delete_after_days >= 1),
  -- Higher first; ties by name.
  priority            integer NOT NULL DEFAULT 0,
  active              boolean NOT NULL DEFAULT true,
  created_by          text NOT NULL,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, name),
  CHECK (archive_after_days IS NOT NULL OR delete_after_days IS NOT NULL),
  CHECK (archive_after_days IS NULL OR delete_after_days IS NULL OR delete_after_days > archive_after_days)
);

-- The schedule's question: which tenants have an active rule.
CREATE INDEX lifecycle_rules_active_idx ON lifecycle_rules (tenant_id) WHERE active;
