-- Entity lookups by name whatever the type: prefix listings (GET /v1/entities?q=) and the
-- entities a search query names (blended search). Pattern ops serve LIKE 'prefix%' in any collation.
CREATE INDEX graph_nodes_name_idx ON graph_nodes (tenant_id, normalized_name text_pattern_ops);
