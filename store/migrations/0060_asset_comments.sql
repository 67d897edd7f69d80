-- Comments and time-coded feedback on assets (docs/comments.md). A comment's author is the calling
-- integration's user, kept as a masking token (tok_…, the same HMAC as interaction events' user
-- ids) and the display name it gave. Rows are never deleted by the API: a deletion is a tombstone
-- (text emptied, deleted_at set) so that replies keep their place in the thread.
CREATE TABLE asset_comments (
  tenant_id        text NOT NULL REFERENCES tenants (id),
  id               uuid NOT NULL,
  asset_id         uuid NOT NULL,
  -- The comment replied to, and the thread's top-level comment (itself for a top-level comment).
  parent_id        uuid,
  root_id          uuid NOT NULL,
  depth            smallint NOT NULL CHECK (depth BETWEEN 0 AND 5),
  author_token     text NOT NULL,
  author_name      text NOT NULL CHECK (char_length(author_name) <= 100),
  body             text NOT NULL CHECK (char_length(body) <= 5000),
  -- [{ "token": "tok_…", "displayName": "…" }]
  mentions         jsonb NOT NULL DEFAULT '[]',
  -- [{ "url": "https://…", "name": "…" }]
  attachments      jsonb NOT NULL DEFAULT '[]',
  -- Time-coded feedback (top-level comments only): ms on the 100 ms grid, and a region of the frame.
  timestamp_ms     integer CHECK (timestamp_ms >= 0 AND timestamp_ms % 100 = 0),
  region           jsonb,
  kind             text CHECK (kind IN ('note', 'issue', 'question', 'approval')),
  status           text CHECK (status IN ('open', 'in_progress', 'resolved', 'wont_fix')),
  assignee_token   text,
  assignee_name    text,
  -- Analysis (enrichment/comment-analysis.ts): AFINN sentiment, keywords, topics.
  sentiment_score  real,
  sentiment        text CHECK (sentiment IN ('positive', 'neutral', 'negative')),
  keywords         text[] NOT NULL DEFAULT '{}',
  topics           text[] NOT NULL DEFAULT '{}',
  edits            integer NOT NULL DEFAULT 0,
  created_at       timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  updated_at       timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  deleted_at       timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, asset_id) REFERENCES assets (tenant_id, id) ON DELETE CASCADE,
  CHECK ((depth = 0) = (parent_id IS NULL)),
  CHECK (depth = 0 OR (kind IS NULL AND status IS NULL AND timestamp_ms IS NULL AND region IS NULL))
);
-- The listing: an asset's top-level comments newest first, paged by (created_at, id).
CREATE INDEX asset_comments_listing_idx ON asset_comments (tenant_id, asset_id, created_at DESC, id DESC)
  WHERE depth = 0;
-- A thread's replies.
CREATE INDEX asset_comments_thread_idx ON asset_comments (tenant_id, root_id, created_at, id);
-- An author's comments (erasure, the author filter).
CREATE INDEX asset_comments_author_idx ON asset_comments (tenant_id, author_token);

-- One reaction per author per emoji; counts are counted.
CREATE TABLE asset_comment_reactions (
  tenant_id     text NOT NULL REFERENCES tenants (id),
  comment_id    uuid NOT NULL,
  emoji         text NOT NULL CHECK (char_length(emoji) BETWEEN 1 AND 32),
  author_token  text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, comment_id, emoji, author_token),
  FOREIGN KEY (tenant_id, comment_id) REFERENCES asset_comments (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX asset_comment_reactions_author_idx ON asset_comment_reactions (tenant_id, author_token);

-- Edits kept as history: the text each edit replaced.
CREATE TABLE asset_comment_edits (
  tenant_id     text NOT NULL REFERENCES tenants (id),
  comment_id    uuid NOT NULL,
  revision      integer NOT NULL,
  body          text NOT NULL,
  edited_at     timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  PRIMARY KEY (tenant_id, comment_id, revision),
  FOREIGN KEY (tenant_id, comment_id) REFERENCES asset_comments (tenant_id, id) ON DELETE CASCADE
);

-- Every change to an asset's comments, numbered: the live stream sends them with their number as
-- the SSE id, and a client that reconnects with Last-Event-ID gets the ones after it. Writers of
-- one asset's comments take the asset's advisory lock, so numbers follow commit order per asset.
CREATE TABLE asset_comment_events (
  tenant_id     text NOT NULL REFERENCES tenants (id),
  seq           bigint GENERATED ALWAYS AS IDENTITY,
  asset_id      uuid NOT NULL,
  comment_id    uuid NOT NULL,
  type          text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, asset_id, seq),
  FOREIGN KEY (tenant_id, asset_id) REFERENCES assets (tenant_id, id) ON DELETE CASCADE
);
