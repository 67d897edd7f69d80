-- Filterable and sortable fields of the search projection.
ALTER TABLE search_documents ADD COLUMN brands text[] NOT NULL DEFAULT '{}';
ALTER TABLE search_documents ADD COLUMN people text[] NOT NULL DEFAULT '{}';
-- Fed by other parts of the platform (views, engagement); sorts when asked, never ranks.
ALTER TABLE search_documents ADD COLUMN popularity real NOT NULL DEFAULT 0;
CREATE INDEX search_documents_created_idx ON search_documents (tenant_id, created_at DESC, asset_id DESC);
CREATE INDEX search_documents_popularity_idx ON search_documents (tenant_id, popularity DESC, asset_id DESC);
