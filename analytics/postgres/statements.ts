import { statement } from '../../store/database.js';

/*
 * Every SQL statement the Postgres analytics store runs, and nowhere else. Parameters by name
 * (`:tenantId`), bound by `run()` from store/database.ts; batches travel as one JSON parameter read
 * with jsonb_to_recordset. Every statement carries its tenant. The series statements are put together
 * from the constant fragments of `SERIES` (series.ts), never from request text; the partition
 * statements name partitions read from the catalog or made from a date (partitions.ts).
 *
 * The tables (migration 0032): analytics_events (raw, a range partition per UTC day),
 * analytics_asset_dims, analytics_asset_rollups, analytics_context_rollups, analytics_query_rollups,
 * analytics_rank_rollups (per hour `grain = 'h'` and per day `'d'`) and analytics_watch_progress.
 */

/** An empty viewer sketch, OR-ed with one bit per viewer. */
const SKETCH_OF_BITS = `(SELECT bit_or(set_bit(B'0'::bit(8192), b, 1)) FROM unnest(x.bits) AS b)`;

/** The asset rollup columns top-assets.ts ranks by. */
const TOP_COLUMNS = ['views', 'errors', 'watch_ms'] as const;
const perTopColumn = (make: (column: string) => string) =>
  Object.fromEntries(TOP_COLUMNS.map((c) => [c, statement(make(c))])) as Record<
    (typeof TOP_COLUMNS)[number],
    ReturnType<typeof statement>
  >;

export const SQL = {
  // --- Recording (writer.ts) ---

  /** A batch's events; returns the ids of those not held before (the new ones). */
  insertEvents: statement(`
    INSERT INTO analytics_events (tenant_id, id, occurred_at, received_at, type, asset_id, user_token,
      session_token, position, consent, device, country, query, total_hits, clicked_rank, search, context,
      properties, dims_key)
    SELECT :tenantId, x.id, x.occurred_at, x.received_at, x.type, x.asset_id, x.user_token, x.session_token,
      x.position, x.consent, x.device, x.country, x.query, x.total_hits, x.clicked_rank, x.search, x.context,
      x.properties, x.dims_key
    FROM jsonb_to_recordset(:events::jsonb) AS x(id uuid, occurred_at timestamptz, received_at timestamptz,
      type text, asset_id uuid, user_token text, session_token text, position bigint, consent boolean,
      device text, country text, query text, total_hits integer, clicked_rank integer, search jsonb,
      context jsonb, properties jsonb, dims_key text)
    ON CONFLICT DO NOTHING
    RETURNING id::text AS id`),

  insertDims: statement(`
    INSERT INTO analytics_asset_dims (tenant_id, dims_key, type, source_system, tags, topics, speakers)
    SELECT :tenantId, x.dims_key, x.type, x.source_system, x.tags, x.topics, x.speakers
    FROM jsonb_to_recordset(:dims::jsonb) AS x(dims_key text, type text, source_system text, tags text[],
      topics text[], speakers text[])
    ORDER BY x.dims_key
    ON CONFLICT (tenant_id, dims_key) DO NOTHING`),

  /** The furthest positions held for a batch's sessions and assets, locked. */
  lockProgress: statement(`
    SELECT p.session_token, p.asset_id::text AS asset_id, p.furthest_ms
    FROM analytics_watch_progress p
    JOIN jsonb_to_recordset(:keys::jsonb) AS k(session_token text, asset_id uuid)
      ON k.session_token = p.session_token AND k.asset_id = p.asset_id
    WHERE p.tenant_id = :tenantId
    ORDER BY p.session_token, p.asset_id FOR UPDATE OF p`),

  upsertProgress: statement(`
    INSERT INTO analytics_watch_progress AS r (tenant_id, session_token, asset_id, furthest_ms, updated_at)
    SELECT :tenantId, x.session_token, x.asset_id, x.furthest_ms, x.updated_at
    FROM jsonb_to_recordset(:rows::jsonb) AS x(session_token text, asset_id uuid, furthest_ms bigint,
      updated_at timestamptz)
    ORDER BY x.session_token, x.asset_id
    ON CONFLICT (tenant_id, session_token, asset_id) DO UPDATE SET
      furthest_ms = greatest(r.furthest_ms, excluded.furthest_ms),
      updated_at = greatest(r.updated_at, excluded.updated_at)`),

  upsertAssetRollups: statement(`
    INSERT INTO analytics_asset_rollups AS r (tenant_id, grain, bucket, asset_id, dims_key, views, completes,
      errors, watch_ms)
    SELECT :tenantId, x.grain, x.bucket, x.asset_id, x.dims_key, x.views, x.completes, x.errors, x.watch_ms
    FROM jsonb_to_recordset(:rows::jsonb) AS x(grain "char", bucket timestamptz, asset_id uuid,
      dims_key text, views bigint, completes bigint, errors bigint, watch_ms bigint, n bigint)
    ORDER BY x.n
    ON CONFLICT (tenant_id, grain, bucket, asset_id, dims_key) DO UPDATE SET
      views = r.views + excluded.views, completes = r.completes + excluded.completes,
      errors = r.errors + excluded.errors, watch_ms = r.watch_ms + excluded.watch_ms`),

  upsertDimRollups: statement(`
    INSERT INTO analytics_dim_rollups AS r (tenant_id, grain, bucket, dim, value, views, completes, errors,
      watch_ms)
    SELECT :tenantId, x.grain, x.bucket, x.dim, x.value, x.views, x.completes, x.errors, x.watch_ms
    FROM jsonb_to_recordset(:rows::jsonb) AS x(grain "char", bucket timestamptz, dim text, value text,
      views bigint, completes bigint, errors bigint, watch_ms bigint, n bigint)
    ORDER BY x.n
    ON CONFLICT (tenant_id, grain, bucket, dim, value) DO UPDATE SET
      views = r.views + excluded.views, completes = r.completes + excluded.completes,
      errors = r.errors + excluded.errors, watch_ms = r.watch_ms + excluded.watch_ms`),

  upsertTenantRollups: statement(`
    INSERT INTO analytics_tenant_rollups AS r (tenant_id, grain, bucket, views, completes, errors, watch_ms,
      searches, zero_searches, clicks)
    SELECT :tenantId, x.grain, x.bucket, x.views, x.completes, x.errors, x.watch_ms, x.searches,
      x.zero_searches, x.clicks
    FROM jsonb_to_recordset(:rows::jsonb) AS x(grain "char", bucket timestamptz, views bigint,
      completes bigint, errors bigint, watch_ms bigint, searches bigint, zero_searches bigint, clicks bigint,
      n bigint)
    ORDER BY x.n
    ON CONFLICT (tenant_id, grain, bucket) DO UPDATE SET
      views = r.views + excluded.views, completes = r.completes + excluded.completes,
      errors = r.errors + excluded.errors, watch_ms = r.watch_ms + excluded.watch_ms,
      searches = r.searches + excluded.searches, zero_searches = r.zero_searches + excluded.zero_searches,
      clicks = r.clicks + excluded.clicks`),

  upsertTenantViewers: statement(`
    INSERT INTO analytics_tenant_viewers AS r (tenant_id, grain, bucket, viewers)
    SELECT :tenantId, x.grain, x.bucket, ${SKETCH_OF_BITS}
    FROM jsonb_to_recordset(:rows::jsonb) AS x(grain "char", bucket timestamptz, bits int[], n bigint)
    ORDER BY x.n
    ON CONFLICT (tenant_id, grain, bucket) DO UPDATE SET viewers = r.viewers | excluded.viewers`),

  upsertContextRollups: statement(`
    INSERT INTO analytics_context_rollups AS r (tenant_id, grain, bucket, device, country, views, completes,
      errors, watch_ms, searches, zero_searches, clicks)
    SELECT :tenantId, x.grain, x.bucket, x.device, x.country, x.views, x.completes, x.errors, x.watch_ms,
      x.searches, x.zero_searches, x.clicks
    FROM jsonb_to_recordset(:rows::jsonb) AS x(grain "char", bucket timestamptz, device text,
      country text, views bigint, completes bigint, errors bigint, watch_ms bigint, searches bigint,
      zero_searches bigint, clicks bigint, n bigint)
    ORDER BY x.n
    ON CONFLICT (tenant_id, grain, bucket, device, country) DO UPDATE SET
      views = r.views + excluded.views, completes = r.completes + excluded.completes,
      errors = r.errors + excluded.errors, watch_ms = r.watch_ms + excluded.watch_ms,
      searches = r.searches + excluded.searches, zero_searches = r.zero_searches + excluded.zero_searches,
      clicks = r.clicks + excluded.clicks`),

  /** The viewers' bits, OR-ed into the sketches. */
  upsertContextViewers: statement(`
    INSERT INTO analytics_context_viewers AS r (tenant_id, grain, bucket, device, country, viewers)
    SELECT :tenantId, x.grain, x.bucket, x.device, x.country, ${SKETCH_OF_BITS}
    FROM jsonb_to_recordset(:rows::jsonb) AS x(grain "char", bucket timestamptz, device text, country text,
      bits int[], n bigint)
    ORDER BY x.n
    ON CONFLICT (tenant_id, grain, bucket, device, country) DO UPDATE SET viewers = r.viewers | excluded.viewers`),

  upsertAssetViewers: statement(`
    INSERT INTO analytics_asset_viewers AS r (tenant_id, grain, bucket, asset_id, dims_key, viewers)
    SELECT :tenantId, x.grain, x.bucket, x.asset_id, x.dims_key, ${SKETCH_OF_BITS}
    FROM jsonb_to_recordset(:rows::jsonb) AS x(grain "char", bucket timestamptz, asset_id uuid, dims_key text,
      bits int[], n bigint)
    ORDER BY x.n
    ON CONFLICT (tenant_id, grain, bucket, asset_id, dims_key) DO UPDATE SET viewers = r.viewers | excluded.viewers`),

  upsertQueryRollups: statement(`
    INSERT INTO analytics_query_rollups AS r (tenant_id, grain, bucket, query, device, country, searches,
      zero_searches, clicks)
    SELECT :tenantId, x.grain, x.bucket, x.query, x.device, x.country, x.searches, x.zero_searches, x.clicks
    FROM jsonb_to_recordset(:rows::jsonb) AS x(grain "char", bucket timestamptz, query text,
      device text, country text, searches bigint, zero_searches bigint, clicks bigint, n bigint)
    ORDER BY x.n
    ON CONFLICT (tenant_id, grain, bucket, query, device, country) DO UPDATE SET
      searches = r.searches + excluded.searches, zero_searches = r.zero_searches + excluded.zero_searches,
      clicks = r.clicks + excluded.clicks`),

  upsertRankRollups: statement(`
    INSERT INTO analytics_rank_rollups AS r (tenant_id, grain, bucket, rank, device, country, clicks)
    SELECT :tenantId, x.grain, x.bucket, x.rank, x.device, x.country, x.clicks
    FROM jsonb_to_recordset(:rows::jsonb) AS x(grain "char", bucket timestamptz, rank integer,
      device text, country text, clicks bigint, n bigint)
    ORDER BY x.n
    ON CONFLICT (tenant_id, grain, bucket, rank, device, country) DO UPDATE SET clicks = r.clicks + excluded.clicks`),

  // --- Erasure and retention (writer.ts, partitions.ts) ---

  /** The watch positions of a person's sessions (before their events, which name the sessions, go). */
  eraseProgress: statement(`
    DELETE FROM analytics_watch_progress
    WHERE tenant_id = :tenantId AND session_token IN (
      SELECT session_token FROM analytics_events
      WHERE tenant_id = :tenantId AND user_token = :userToken AND session_token IS NOT NULL)`),

  eraseEvents: statement(`
    WITH gone AS (
      DELETE FROM analytics_events WHERE tenant_id = :tenantId AND user_token = :userToken RETURNING 1)
    SELECT count(*)::int AS n FROM gone`),

  expireEvents: statement(`
    WITH gone AS (
      DELETE FROM analytics_events WHERE tenant_id = :tenantId AND occurred_at < :before RETURNING 1)
    SELECT count(*)::int AS n FROM gone`),

  expireProgress: statement(`
    DELETE FROM analytics_watch_progress WHERE tenant_id = :tenantId AND updated_at < :before`),

  /** The raw partitions, by name (analytics_events_pYYYYMMDD). */
  partitions: statement(`
    SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'analytics_events'::regclass
    ORDER BY c.relname`),

  // --- Reading (series.ts) ---

  trendingFromRollups: statement(`
    SELECT asset_id::text AS asset_id, recent::int AS recent, baseline::int AS baseline,
      (recent / :recentHours::float8 + 1) / (baseline / :baselineHours::float8 + 1) AS score
    FROM (
      SELECT asset_id, sum(views) FILTER (WHERE bucket >= :recentFrom) AS recent,
        coalesce(sum(views) FILTER (WHERE bucket < :recentFrom), 0) AS baseline
      FROM analytics_asset_rollups
      WHERE tenant_id = :tenantId AND grain = 'h' AND bucket >= :baselineFrom AND bucket < :at
      GROUP BY asset_id) a
    WHERE recent > 0
    ORDER BY score DESC, recent DESC, asset_id LIMIT :limit`),

  trendingFromRaw: statement(`
    SELECT asset_id::text AS asset_id, recent::int AS recent, baseline::int AS baseline,
      (recent / :recentHours::float8 + 1) / (baseline / :baselineHours::float8 + 1) AS score
    FROM (
      SELECT asset_id, count(*) FILTER (WHERE occurred_at >= :recentFrom) AS recent,
        count(*) FILTER (WHERE occurred_at < :recentFrom) AS baseline
      FROM analytics_events
      WHERE tenant_id = :tenantId AND type = 'play' AND asset_id IS NOT NULL
        AND occurred_at >= :baselineFrom AND occurred_at < :at
      GROUP BY asset_id) a
    WHERE recent > 0
    ORDER BY score DESC, recent DESC, asset_id LIMIT :limit`),

  // --- Top assets (top-assets.ts) ---

  /** Each day's fingerprint: the tenant's daily counters, which grow with every asset row's. */
  topAssetsFingerprints: statement(`
    SELECT bucket, concat_ws(':', views, completes, errors, watch_ms) AS fingerprint
    FROM analytics_tenant_rollups
    WHERE tenant_id = :tenantId AND grain = 'd' AND bucket >= :from AND bucket < :to
    ORDER BY bucket`),

  /** Per day, the assets with the largest totals (the first :keep of each day). */
  topAssetsOfDays: perTopColumn(
    (c) => `
    SELECT bucket, asset_id::text AS asset_id, total FROM (
      SELECT bucket, asset_id, total,
        row_number() OVER (PARTITION BY bucket ORDER BY total DESC, asset_id) AS n
      FROM (
        SELECT bucket, asset_id, sum(${c})::float8 AS total FROM analytics_asset_rollups
        WHERE tenant_id = :tenantId AND grain = 'd' AND bucket = ANY(:days::timestamptz[])
        GROUP BY bucket, asset_id) a) ranked
    WHERE n <= :keep
    ORDER BY bucket, n`,
  ),

  /** These assets' totals over the range, as series.ts sums them (analytics_asset_rollups_d_asset_idx). */
  topAssetsTotals: perTopColumn(
    (c) => `
    SELECT asset_id::text AS asset_id, sum((${c} / :scale::numeric)::float8) AS total
    FROM analytics_asset_rollups
    WHERE tenant_id = :tenantId AND grain = 'd' AND asset_id = ANY(:assets::uuid[])
      AND bucket >= :from AND bucket < :to
    GROUP BY asset_id`,
  ),

  topAssetsPoints: perTopColumn(
    (c) => `
    SELECT asset_id::text AS asset_id, bucket AS t, sum((${c} / :scale::numeric)::float8) AS value
    FROM analytics_asset_rollups
    WHERE tenant_id = :tenantId AND grain = 'd' AND asset_id = ANY(:assets::uuid[])
      AND bucket >= :from AND bucket < :to
    GROUP BY asset_id, bucket`,
  ),

  /** The catalogue statements (no tenant data): is the schema there. */
  ready: statement(`SELECT to_regclass('analytics_events') IS NOT NULL AS ready`),
};
