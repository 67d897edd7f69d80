-- Online rebuilds of the Postgres projections (`npm run reindex`, services/rebuild-service.ts): one
-- row per projection, the latest rebuild. While it says `building` every write of that projection
-- also goes to the shadow table set (schema `<target>_rebuild`), and while it says `switched` to the
-- previous set (`<target>_old`), so that either can be swapped in. Writers read it FOR SHARE first
-- in their transaction; the switch locks it FOR UPDATE, so no dual write is in flight across it.
CREATE TABLE projection_rebuilds (
  target         text PRIMARY KEY CHECK (target IN ('search', 'graph')),
  state          text NOT NULL CHECK (state IN ('building', 'switched', 'done', 'failed')),
  -- Where the backfill has got to (tenant, then asset id order): a restart continues after it.
  last_tenant_id text,
  last_asset_id  uuid,
  copied         bigint NOT NULL DEFAULT 0,
  expected       bigint NOT NULL DEFAULT 0,
  -- { "missing": n, "stale": n, "orphaned": n } of the check after the switch.
  drift          jsonb,
  error          text,
  started_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  finished_at    timestamptz
);
