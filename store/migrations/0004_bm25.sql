-- BM25 for the Postgres search adapter: postings and statistics, maintained on every projection.

ALTER TABLE search_documents ADD COLUMN doc_length real NOT NULL DEFAULT 0;

-- One row per (term, document): the field-weighted term frequency, the document's field-weighted
-- length, and the term's BM25 weight when indexed (impact), so top-k can read the strongest postings
-- of a frequent term first instead of scoring all of them.
CREATE TABLE search_postings (
  tenant_id   text NOT NULL,
  term        text NOT NULL,
  asset_id    uuid NOT NULL,
  tf          real NOT NULL,
  doc_length  real NOT NULL,
  impact      real NOT NULL,
  PRIMARY KEY (tenant_id, term, asset_id)
);
CREATE INDEX search_postings_impact_idx ON search_postings (tenant_id, term, impact DESC, asset_id);
CREATE INDEX search_postings_asset_idx ON search_postings (tenant_id, asset_id);

CREATE TABLE search_term_stats (
  tenant_id  text NOT NULL,
  term       text NOT NULL,
  df         integer NOT NULL CHECK (df >= 0),
  PRIMARY KEY (tenant_id, term)
);

CREATE TABLE search_corpus_stats (
  tenant_id     text PRIMARY KEY,
  doc_count     integer NOT NULL DEFAULT 0 CHECK (doc_count >= 0),
  total_length  double precision NOT NULL DEFAULT 0
);
