-- A posting is unique by construction (an asset's postings are rewritten whole, under its document's
-- row lock), and the impact index already leads with (tenant_id, term): the primary key only cost
-- a third index write per posting.
ALTER TABLE search_postings DROP CONSTRAINT search_postings_pkey;
