-- Sentence embeddings of assets (issue 29, docs/semantic-search.md): the truth the vector indexes
-- are built from and rebuilt from. One row per passage: 0 is the title with the description,
-- 1, 2, … the transcript's moments (start and end in seconds), or its opening when it has no times.
CREATE TABLE asset_embeddings (
  tenant_id          text NOT NULL REFERENCES tenants (id),
  asset_id           uuid NOT NULL,
  passage            integer NOT NULL CHECK (passage >= 0),
  -- The asset version embedded: a newer version is embedded again, an older write is refused.
  version            integer NOT NULL CHECK (version >= 1),
  -- The model and the extractor version: vectors of two models do not compare, and a raised
  -- EMBEDDING_EXTRACTOR_VERSION makes the backfill embed again.
  model              text NOT NULL,
  extractor_version  integer NOT NULL,
  start_seconds      real,
  end_seconds        real,
  vector             real[] NOT NULL CHECK (cardinality(vector) BETWEEN 1 AND 4096),
  embedded_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, asset_id, passage)
);

-- The backfill and a rebuild page through a tenant's assets by id.
CREATE INDEX asset_embeddings_by_version ON asset_embeddings (tenant_id, asset_id, version, extractor_version)
  WHERE passage = 0;
