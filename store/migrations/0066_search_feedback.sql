-- Time-coded feedback as search holds it (issue 27, docs/comments.md "Discovery"): one row per live
-- top-level comment with a timestamp. Beside the search documents, never in their postings: a
-- comment's words find its asset at its moment, and rank, relate or describe nothing of the asset.
-- Part of the search projection (search_*): rebuilt with it, written by the feedback projection.
CREATE TABLE search_feedback (
  tenant_id   text NOT NULL REFERENCES tenants (id),
  asset_id    uuid NOT NULL,
  comment_id  uuid NOT NULL,
  start_ms    integer NOT NULL CHECK (start_ms >= 0),
  body        text NOT NULL CHECK (char_length(body) <= 5000),
  terms       tsvector NOT NULL,
  PRIMARY KEY (tenant_id, asset_id, comment_id)
);
CREATE INDEX search_feedback_terms_idx ON search_feedback USING gin (terms);
