-- The text signal of related content kept per asset version (issue 22, docs/graph.md "The text
-- signal, kept per asset version"): an asset's more-like-this neighbours depend only on its indexed
-- text and the corpus, so they are computed once (on a request that finds none, or by the refresh
-- schedule) instead of by two more-like-this lookups on every request. A projection of the search
-- index, never the truth: any row may be deleted and is computed again (services/related-text-service.ts).
CREATE TABLE related_text_neighbours (
  tenant_id    text NOT NULL REFERENCES tenants (id),
  asset_id     uuid NOT NULL,
  -- The asset's version the search index held when they were computed: served only while it is the
  -- asset's current version.
  version      integer NOT NULL CHECK (version >= 1),
  -- [{ "assetId", "contribution", "terms" }], best first, at most RELATED_TEXT.depth of them.
  neighbours   jsonb NOT NULL,
  computed_at  timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, asset_id)
);

-- The refresh schedule takes the oldest first.
CREATE INDEX related_text_neighbours_by_age ON related_text_neighbours (tenant_id, computed_at);
