-- Learning from clicks (issue 22, docs/clicks.md): what the click-learning run derives from the
-- analytics store's searches and clicks, per tenant, replaced whole by each run.

-- Per normalized query, the documents whose score is multiplied by (1 + boost) (bounded).
CREATE TABLE click_boosts (
  tenant_id     text NOT NULL REFERENCES tenants (id),
  query         text NOT NULL,
  asset_id      uuid NOT NULL,
  boost         real NOT NULL CHECK (boost BETWEEN -0.5 AND 1),
  voters        integer NOT NULL,
  click_voters  integer NOT NULL,
  attractiveness real NOT NULL,
  PRIMARY KEY (tenant_id, query, asset_id)
);

-- Per normalized query: how often it was searched, found nothing, was clicked; by how many people.
-- Suggestions (popular queries) and the curators' lists (zero results, few clicks) read it.
CREATE TABLE search_query_stats (
  tenant_id            text NOT NULL REFERENCES tenants (id),
  query                text NOT NULL,
  display              text NOT NULL,
  searches             integer NOT NULL,
  zero_result_searches integer NOT NULL,
  clicked_searches     integer NOT NULL,
  voters               integer NOT NULL,
  PRIMARY KEY (tenant_id, query)
);
-- Suggestions complete a prefix of the query.
CREATE INDEX search_query_stats_prefix_idx ON search_query_stats (tenant_id, query text_pattern_ops);

-- The last run per tenant: its window and what it used.
CREATE TABLE click_learning_runs (
  tenant_id    text PRIMARY KEY REFERENCES tenants (id),
  computed_at  timestamptz NOT NULL,
  window_from  timestamptz NOT NULL,
  window_to    timestamptz NOT NULL,
  events_used  integer NOT NULL,
  events_skipped integer NOT NULL,
  boosts       integer NOT NULL,
  queries      integer NOT NULL
);
