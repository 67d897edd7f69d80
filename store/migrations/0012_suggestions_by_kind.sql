-- Suggestions per kind: tags, speakers and topics ranked by how many assets carry them, titles read
-- in index order, so a one-letter prefix over a million titles stops after a page instead of sorting
-- every title that starts with it. Byte order ("C") lets one index serve both LIKE 'prefix%' and the
-- ordering, whatever the database collation.
DROP INDEX search_suggestions_prefix_idx;
CREATE INDEX search_suggestions_prefix_idx ON search_suggestions (tenant_id, kind, (normalized COLLATE "C"));
