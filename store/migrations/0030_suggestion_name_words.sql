-- A suggestion prefix matches any word of a tag, speaker or topic name ("robin" finds "Ken Robinson"),
-- not only its first: each later word of a name, with the rest of the name from it (`tail`), points
-- at the name's row in search_suggestions, which keeps the counts. Byte order ("C"), as there, so a
-- prefix is a range on the primary key. Rows are never removed: a name no asset carries has a count of
-- 0 in search_suggestions, which the lookup skips.
CREATE TABLE search_suggestion_words (
  tenant_id  text NOT NULL,
  tail       text COLLATE "C" NOT NULL,
  kind       text NOT NULL CHECK (kind IN ('tag', 'speaker', 'topic')),
  normalized text NOT NULL,
  PRIMARY KEY (tenant_id, tail, kind, normalized)
);

INSERT INTO search_suggestion_words (tenant_id, tail, kind, normalized)
SELECT DISTINCT s.tenant_id, substr(s.normalized, i + 1), s.kind, s.normalized
FROM search_suggestions s, generate_series(1, length(s.normalized) - 1) AS i
WHERE s.kind IN ('tag', 'speaker', 'topic') AND substr(s.normalized, i, 1) = ' '
ON CONFLICT DO NOTHING;
