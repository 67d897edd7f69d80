-- Typo tolerance: query terms missing from the dictionary expand to similar indexed terms (trigrams).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX search_term_stats_trgm_idx ON search_term_stats USING gin (term gin_trgm_ops);
