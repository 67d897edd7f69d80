-- Early termination needs the strongest postings of a term read in impact order, from the index
-- alone: a covering index lets the planner stop after the first N entries instead of fetching every
-- posting of a frequent term and sorting them.
DROP INDEX search_postings_impact_idx;
CREATE INDEX search_postings_impact_idx ON search_postings (tenant_id, term, impact DESC, asset_id) INCLUDE (tf, doc_length);
