-- Time-coded feedback as search holds it (issue 27, docs/comments.md "Discovery"), on the asset's
-- search document: written with it by every projection (so a rebuild, which copies search_* tables
-- and loads documents built from Postgres, carries it), and never part of its postings or
-- statistics: a comment's words find its asset at a moment, and rank or relate nothing of it.
-- feedback: [{ "commentId", "startMs", "text", "open" }], at most 50 of 1,000 characters each.
ALTER TABLE search_documents
  ADD COLUMN feedback jsonb NOT NULL DEFAULT '[]',
  ADD COLUMN feedback_terms tsvector NOT NULL DEFAULT ''::tsvector,
  ADD COLUMN open_issues integer NOT NULL DEFAULT 0 CHECK (open_issues >= 0),
  ADD COLUMN feedback_revision bigint NOT NULL DEFAULT 0;
CREATE INDEX search_documents_feedback_idx ON search_documents USING gin (feedback_terms);
CREATE INDEX search_documents_open_issues_idx ON search_documents (tenant_id, asset_id) WHERE open_issues > 0;
