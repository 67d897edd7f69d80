-- Links editors make from an asset to related ones (the `related_to` relation). Canonical and
-- versioned with the asset, like its other fields: [{ targetId, note, createdBy, createdAt }].
ALTER TABLE assets ADD COLUMN related_links jsonb NOT NULL DEFAULT '[]';
-- Which assets link to a given one (containment on targetId).
CREATE INDEX assets_related_links_idx ON assets USING gin (related_links jsonb_path_ops);
