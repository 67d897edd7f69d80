-- "Viewers also watched" (issue 22, docs/graph.md "Co-views"): for each asset, the assets most often
-- played in the same sessions, normalised (domain/co-views.ts). Canonical: computed from the analytics
-- store on a schedule (services/co-view-service.ts) and projected from here into the graph as
-- CO_VIEWED relationships, which a graph rebuild re-applies from this table.
CREATE TABLE asset_co_views (
  tenant_id    text NOT NULL REFERENCES tenants (id),
  asset_id     uuid NOT NULL,
  related_id   uuid NOT NULL,
  -- Sessions that played both assets within the window.
  sessions     integer NOT NULL CHECK (sessions > 0),
  -- Cosine of the two assets' session sets, shrunk towards 0 for little support: in (0, 1].
  score        real NOT NULL CHECK (score > 0 AND score <= 1),
  computed_at  timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, asset_id, related_id),
  CHECK (asset_id <> related_id)
);

-- Where each tenant's recomputation has got to: runs page through the viewed assets in id order,
-- a bounded number of pages per run, and start over after the last.
CREATE TABLE co_view_progress (
  tenant_id       text PRIMARY KEY REFERENCES tenants (id),
  after_asset_id  uuid,
  updated_at      timestamptz NOT NULL DEFAULT now()
);

-- The graph projection's CO_VIEWED relationships live with the editors' links.
ALTER TABLE graph_relationships DROP CONSTRAINT graph_relationships_type_check;
ALTER TABLE graph_relationships ADD CONSTRAINT graph_relationships_type_check
  CHECK (type IN ('shared_keyword', 'shared_topic', 'same_contributor', 'temporal', 'related_to', 'co_viewed'));
