-- Editors' links to an asset are read by their target on every related request (graph/postgres
-- statements.ts, manualLinks). The index on (tenant_id, target_asset_id) also held every CO_VIEWED
-- relationship, and a popular asset is the partner of many: at a million assets the most viewed one
-- was the target of tens of thousands, and its lookup read each of them (one heap page apiece) to
-- find its few editors' links. Nothing reads CO_VIEWED rows by their target, so the index keeps the
-- editors' links only.
DROP INDEX graph_relationships_target_idx;
CREATE INDEX graph_relationships_target_idx ON graph_relationships (tenant_id, target_asset_id)
  WHERE type = 'related_to';
