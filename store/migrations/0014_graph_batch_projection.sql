-- Graph projection in batches, and what related content needs without counting rows per query.

-- The number of projected assets per tenant (the N of the rarity weight ln(1 + N / df)), kept by
-- the projection: counting graph_asset_projections per query grows with the library.
CREATE TABLE graph_tenant_stats (
  tenant_id    text PRIMARY KEY,
  asset_count  bigint NOT NULL DEFAULT 0 CHECK (asset_count >= 0)
);
INSERT INTO graph_tenant_stats (tenant_id, asset_count)
SELECT tenant_id, count(*) FROM graph_asset_projections GROUP BY tenant_id;

-- When the asset was created: the temporal signal of related content.
ALTER TABLE graph_asset_projections ADD COLUMN created_at timestamptz;
