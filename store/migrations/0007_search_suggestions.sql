-- Prefix suggestions: titles, tags, speakers and topics of the projected assets, each with how many
-- assets carry it, kept up to date by the search projection.
CREATE TABLE search_suggestions (
  tenant_id   text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('title', 'tag', 'speaker', 'topic')),
  normalized  text NOT NULL,
  value       text NOT NULL,
  assets      integer NOT NULL CHECK (assets >= 0),
  PRIMARY KEY (tenant_id, kind, normalized)
);
-- Prefix lookups need pattern ordering whatever the database collation.
CREATE INDEX search_suggestions_prefix_idx ON search_suggestions (tenant_id, normalized text_pattern_ops);
