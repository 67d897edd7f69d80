-- Exact title and speaker matches are found through an index instead of by reading every candidate
-- document: each document keeps its lower-cased title and speakers as keys.
ALTER TABLE search_documents ADD COLUMN exact_keys text[] NOT NULL DEFAULT '{}';
UPDATE search_documents
SET exact_keys = ARRAY[lower(btrim(title))] || ARRAY(SELECT lower(btrim(s)) FROM unnest(speakers) s);
CREATE INDEX search_documents_exact_idx ON search_documents USING gin (exact_keys);
