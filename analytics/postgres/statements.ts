import { statement } from '../../store/database.js';

/*
 * Every SQL statement the Postgres analytics store runs, and nowhere else. Parameters by name
 * (`:tenantId`), bound by `run()` from store/database.ts; a batch of events travels as typed arrays, one
 * per column, read with unnest() (a server and PGlite both take them; parsing arrays of scalars is far
 * cheaper than a JSON document per batch), the few asset dimensions of a batch as JSON (their tag lists
 * are ragged). Every statement carries its tenant. The series statements are put together
 * from the constant fragments of `SERIES` (series.ts), never from request text; the partition
 * statements name partitions read from the catalog or made from a date (partitions.ts).
 *
 * The tables (migration 0032): analytics_events (raw, a range partition per UTC day),
 * analytics_asset_dims, analytics_asset_rollups, analytics_context_rollups, analytics_query_rollups,
 * analytics_rank_rollups (per hour `grain = 'h'` and per day `'d'`) and analytics_watch_progress;
 * analytics_dim_viewers and analytics_query_totals (migration 0040).
 */

/** The viewers of a group as a sketch: an empty one with each play's bit set, OR-ed. */
const SKETCH = `bit_or(set_bit(B'0'::bit(8192), e.sketch_bit, 1))`;
/** The watch progress of an event without an asset is kept under this asset. */
const NO_ASSET = `'00000000-0000-0000-0000-000000000000'::uuid`;
/** The values of an asset's dimensions `d`, each once: (dim, value). */
const DIM_VALUES = `(
        SELECT 'tag' AS dim, t AS value FROM unnest(d.tags) AS t
        UNION SELECT 'topic', t FROM unnest(d.topics) AS t
        UNION SELECT 'speaker', t FROM unnest(d.speakers) AS t
        UNION SELECT 'type', d.type
        UNION SELECT 'sourceSystem', d.source_system)`;
/** Event types whose position counts towards watch time. */
const WATCHING = `e.type IN ('progress', 'pause', 'complete') AND e.position IS NOT NULL`;
const PLAYBACK = `(e.views + e.completes + e.errors + e.watch_ms) > 0`;
const PLAYBACK_SUMS = `sum(e.views), sum(e.completes), sum(e.errors), sum(e.watch_ms)`;
const ALL_SUMS = `${PLAYBACK_SUMS}, sum(e.searches), sum(e.zero_searches), sum(e.clicks)`;
const ADD_PLAYBACK = `views = r.views + excluded.views, completes = r.completes + excluded.completes,
      errors = r.errors + excluded.errors, watch_ms = r.watch_ms + excluded.watch_ms`;
const ADD_SEARCH = `searches = r.searches + excluded.searches,
      zero_searches = r.zero_searches + excluded.zero_searches, clicks = r.clicks + excluded.clicks`;

/** The asset rollup columns top-assets.ts ranks by. */
const TOP_COLUMNS = ['views', 'errors', 'watch_ms'] as const;
const perTopColumn = (make: (column: string) => string) =>
  Object.fromEntries(TOP_COLUMNS.map((c) => [c, statement(make(c))])) as Record<
    (typeof TOP_COLUMNS)[number],
    ReturnType<typeof statement>
  >;

export const SQL = {
  // --- Recording (writer.ts) ---

  insertDims: statement(`
    INSERT INTO analytics_asset_dims (tenant_id, dims_key, type, source_system, tags, topics, speakers)
    SELECT :tenantId, x.dims_key, x.type, x.source_system, x.tags, x.topics, x.speakers
    FROM jsonb_to_recordset(:dims::jsonb) AS x(dims_key text, type text, source_system text, tags text[],
      topics text[], speakers text[])
    ORDER BY x.dims_key
    ON CONFLICT (tenant_id, dims_key) DO NOTHING`),

  /**
   * A batch in one statement: the events, one array per column, are inserted (ON CONFLICT DO NOTHING:
   * the primary key is the de-duplication), and only the rows the insert took (RETURNING) feed the
   * watch progress and every rollup, each aggregated in SQL and upserted in key order (so that
   * concurrent batches lock rollup rows in one order: no deadlocks). Returns the new events' ids.
   *
   * Watch time: per session and asset, what an event reaches past the furthest position held before
   * the batch and past the events before it (in time, then id order); an event without a session adds
   * its position. `sketchBits`: a play's viewer bit (analytics/postgres/sketch.ts), null for the rest.
   * Data-modifying CTEs all see the tables as they were before the statement (the held positions are
   * read locked, so as the latest committed); each table is written by one of them only.
   */
  /**
   * For the rest of the record transaction: no nested loops where there is a choice. The planner
   * cannot know how many rows a batch's CTEs hold and, guessing few, joined two of them (or a CTE
   * and a whole table) by a nested loop: 8,000 × 8,000 comparisons. Index lookups by key are written
   * as LATERAL subqueries, which stay nested loops.
   */
  hashJoins: statement(`SELECT set_config('enable_nestloop', 'off', true)`),

  recordEvents: statement(`
    WITH batch AS (
      SELECT * FROM unnest(:ids::uuid[], :occurredAt::timestamptz[], :receivedAt::timestamptz[],
        :types::text[], :assetIds::uuid[], :userTokens::text[], :sessionTokens::text[], :positions::bigint[],
        :consents::boolean[], :devices::text[], :countries::text[], :queries::text[], :totalHits::int[],
        :clickedRanks::int[], :searches::jsonb[], :contexts::jsonb[], :properties::jsonb[],
        :dimsKeys::text[], :sketchBits::int[])
      AS x(id, occurred_at, received_at, type, asset_id, user_token, session_token, position, consent,
        device, country, query, total_hits, clicked_rank, search, context, properties, dims_key, sketch_bit)
    ), fresh AS (
      INSERT INTO analytics_events (tenant_id, id, occurred_at, received_at, type, asset_id, user_token,
        session_token, position, consent, device, country, query, total_hits, clicked_rank, search, context,
        properties, dims_key)
      SELECT :tenantId, id, occurred_at, received_at, type, asset_id, user_token, session_token, position,
        consent, device, country, query, total_hits, clicked_rank, search, context, properties, dims_key
      FROM batch
      ON CONFLICT DO NOTHING
      RETURNING id, occurred_at
    ), fresh_batch AS (
      SELECT b.* FROM batch b JOIN fresh f ON f.id = b.id AND f.occurred_at = b.occurred_at
    ), held AS (
      -- The furthest positions of the sessions and assets the new events watch, each looked up by
      -- its key and locked, in key order: a batch of another consumer moving them waits, and the values
      -- read here are the latest committed (FOR UPDATE reads past the statement snapshot).
      SELECT h.* FROM (
        SELECT DISTINCT e.session_token, coalesce(e.asset_id, ${NO_ASSET}) AS asset_id
        FROM fresh_batch e WHERE ${WATCHING} AND e.session_token IS NOT NULL
        ORDER BY 1, 2) k
      CROSS JOIN LATERAL (
        SELECT p.session_token, p.asset_id, p.furthest_ms FROM analytics_watch_progress p
        WHERE p.tenant_id = :tenantId AND p.session_token = k.session_token AND p.asset_id = k.asset_id
        FOR UPDATE) h
    ), watched AS (
      SELECT b.*,
        CASE WHEN NOT (${WATCHING.replaceAll('e.', 'b.')}) THEN 0
          WHEN b.session_token IS NULL THEN b.position
          ELSE greatest(0, b.position - greatest(coalesce(h.furthest_ms, 0), coalesce(max(b.position)
            FILTER (WHERE ${WATCHING.replaceAll('e.', 'b.')}) OVER (
              PARTITION BY b.session_token, coalesce(b.asset_id, ${NO_ASSET}) ORDER BY b.occurred_at, b.id
              ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)))
        END AS watch_ms
      FROM fresh_batch b
      LEFT JOIN held h ON h.session_token = b.session_token AND h.asset_id = coalesce(b.asset_id, ${NO_ASSET})
    ), progress AS (
      INSERT INTO analytics_watch_progress AS r (tenant_id, session_token, asset_id, furthest_ms, updated_at)
      SELECT :tenantId, e.session_token, coalesce(e.asset_id, ${NO_ASSET}), max(e.position), max(e.occurred_at)
      FROM watched e
      WHERE ${WATCHING} AND e.session_token IS NOT NULL
      GROUP BY 2, 3 ORDER BY 2, 3
      ON CONFLICT (tenant_id, session_token, asset_id) DO UPDATE SET
        furthest_ms = greatest(r.furthest_ms, excluded.furthest_ms),
        updated_at = greatest(r.updated_at, excluded.updated_at)
    ), counted AS (
      -- The counts of each event, per grain; an event that counts nothing makes no rollup row.
      SELECT * FROM (
        SELECT w.asset_id, w.dims_key, w.query, w.clicked_rank, w.sketch_bit,
          coalesce(w.device, '') AS device, coalesce(w.country, '') AS country,
          g.grain, date_bin(g.unit, w.occurred_at, timestamptz 'epoch') AS bucket,
          (w.type = 'play')::int AS views, (w.type = 'complete')::int AS completes,
          (w.type = 'error')::int AS errors, w.watch_ms, (w.type = 'search')::int AS searches,
          (w.type = 'search' AND w.total_hits = 0)::int AS zero_searches,
          (w.type = 'click' AND w.clicked_rank IS NOT NULL)::int AS clicks
        FROM watched w
        CROSS JOIN (VALUES ('h'::"char", interval '1 hour'), ('d'::"char", interval '1 day')) AS g(grain, unit)
      ) c
      WHERE views + completes + errors + watch_ms + searches + zero_searches + clicks > 0
    ), assets AS (
      SELECT e.grain, e.bucket, e.asset_id, e.dims_key, sum(e.views) AS views, sum(e.completes) AS completes,
        sum(e.errors) AS errors, sum(e.watch_ms) AS watch_ms
      FROM counted e WHERE e.asset_id IS NOT NULL AND ${PLAYBACK}
      GROUP BY 1, 2, 3, 4
    ), asset_rollups AS (
      INSERT INTO analytics_asset_rollups AS r (tenant_id, grain, bucket, asset_id, dims_key, views, completes,
        errors, watch_ms)
      SELECT :tenantId, a.* FROM assets a ORDER BY a.grain, a.bucket, a.asset_id, a.dims_key
      ON CONFLICT (tenant_id, grain, bucket, asset_id, dims_key) DO UPDATE SET ${ADD_PLAYBACK}
    ), dim_rollups AS (
      -- Per value of the asset dimensions (each value once per asset), from the per-asset sums.
      INSERT INTO analytics_dim_rollups AS r (tenant_id, grain, bucket, dim, value, views, completes, errors,
        watch_ms)
      SELECT :tenantId, a.grain, a.bucket, v.dim, v.value, sum(a.views), sum(a.completes), sum(a.errors),
        sum(a.watch_ms)
      FROM assets a
      CROSS JOIN LATERAL (
        SELECT * FROM analytics_asset_dims d WHERE d.tenant_id = :tenantId AND d.dims_key = a.dims_key) d
      CROSS JOIN LATERAL ${DIM_VALUES} AS v
      GROUP BY a.grain, a.bucket, v.dim, v.value ORDER BY a.grain, a.bucket, v.dim, v.value
      ON CONFLICT (tenant_id, grain, bucket, dim, value) DO UPDATE SET ${ADD_PLAYBACK}
    ), asset_sketches AS (
      -- Per asset, viewer sketches per day only: viewers of an asset per hour are read from the raw events.
      SELECT e.grain, e.bucket, e.asset_id, e.dims_key, ${SKETCH} AS viewers
      FROM counted e WHERE e.grain = 'd' AND e.asset_id IS NOT NULL AND e.sketch_bit IS NOT NULL
      GROUP BY 1, 2, 3, 4
    ), asset_viewers AS (
      INSERT INTO analytics_asset_viewers AS r (tenant_id, grain, bucket, asset_id, dims_key, viewers)
      SELECT :tenantId, a.* FROM asset_sketches a ORDER BY a.grain, a.bucket, a.asset_id, a.dims_key
      ON CONFLICT (tenant_id, grain, bucket, asset_id, dims_key) DO UPDATE SET viewers = r.viewers | excluded.viewers
    ), dim_viewers AS (
      -- Per value of the asset dimensions, per day (migration 0040): the OR of the sketches of its assets.
      INSERT INTO analytics_dim_viewers AS r (tenant_id, grain, bucket, dim, value, viewers)
      SELECT :tenantId, a.grain, a.bucket, v.dim, v.value, bit_or(a.viewers)
      FROM asset_sketches a
      CROSS JOIN LATERAL (
        SELECT * FROM analytics_asset_dims d WHERE d.tenant_id = :tenantId AND d.dims_key = a.dims_key) d
      CROSS JOIN LATERAL ${DIM_VALUES} AS v
      GROUP BY 2, 3, 4, 5 ORDER BY 2, 3, 4, 5
      ON CONFLICT (tenant_id, grain, bucket, dim, value) DO UPDATE SET viewers = r.viewers | excluded.viewers
    ), tenant_rollups AS (
      INSERT INTO analytics_tenant_rollups AS r (tenant_id, grain, bucket, views, completes, errors, watch_ms,
        searches, zero_searches, clicks)
      SELECT :tenantId, e.grain, e.bucket, ${ALL_SUMS}
      FROM counted e GROUP BY 2, 3 ORDER BY 2, 3
      ON CONFLICT (tenant_id, grain, bucket) DO UPDATE SET ${ADD_PLAYBACK}, ${ADD_SEARCH}
    ), tenant_viewers AS (
      INSERT INTO analytics_tenant_viewers AS r (tenant_id, grain, bucket, viewers)
      SELECT :tenantId, e.grain, e.bucket, ${SKETCH}
      FROM counted e WHERE e.sketch_bit IS NOT NULL GROUP BY 2, 3 ORDER BY 2, 3
      ON CONFLICT (tenant_id, grain, bucket) DO UPDATE SET viewers = r.viewers | excluded.viewers
    ), context_rollups AS (
      INSERT INTO analytics_context_rollups AS r (tenant_id, grain, bucket, device, country, views, completes,
        errors, watch_ms, searches, zero_searches, clicks)
      SELECT :tenantId, e.grain, e.bucket, e.device, e.country, ${ALL_SUMS}
      FROM counted e GROUP BY 2, 3, 4, 5 ORDER BY 2, 3, 4, 5
      ON CONFLICT (tenant_id, grain, bucket, device, country) DO UPDATE SET ${ADD_PLAYBACK}, ${ADD_SEARCH}
    ), context_viewers AS (
      INSERT INTO analytics_context_viewers AS r (tenant_id, grain, bucket, device, country, viewers)
      SELECT :tenantId, e.grain, e.bucket, e.device, e.country, ${SKETCH}
      FROM counted e WHERE e.sketch_bit IS NOT NULL GROUP BY 2, 3, 4, 5 ORDER BY 2, 3, 4, 5
      ON CONFLICT (tenant_id, grain, bucket, device, country) DO UPDATE SET viewers = r.viewers | excluded.viewers
    ), query_rollups AS (
      INSERT INTO analytics_query_rollups AS r (tenant_id, grain, bucket, query, device, country, searches,
        zero_searches, clicks)
      SELECT :tenantId, e.grain, e.bucket, e.query, e.device, e.country, sum(e.searches), sum(e.zero_searches),
        sum(e.clicks)
      FROM counted e WHERE e.query IS NOT NULL AND (e.searches > 0 OR e.clicks > 0)
      GROUP BY 2, 3, 4, 5, 6 ORDER BY 2, 3, 4, 5, 6
      ON CONFLICT (tenant_id, grain, bucket, query, device, country) DO UPDATE SET ${ADD_SEARCH}
    ), query_totals AS (
      -- Per query without device and country (migration 0040): the top queries without filters.
      INSERT INTO analytics_query_totals AS r (tenant_id, grain, bucket, query, searches, zero_searches, clicks)
      SELECT :tenantId, e.grain, e.bucket, e.query, sum(e.searches), sum(e.zero_searches), sum(e.clicks)
      FROM counted e WHERE e.query IS NOT NULL AND (e.searches > 0 OR e.clicks > 0)
      GROUP BY 2, 3, 4 ORDER BY 2, 3, 4
      ON CONFLICT (tenant_id, grain, bucket, query) DO UPDATE SET ${ADD_SEARCH}
    ), rank_rollups AS (
      INSERT INTO analytics_rank_rollups AS r (tenant_id, grain, bucket, rank, device, country, clicks)
      SELECT :tenantId, e.grain, e.bucket, e.clicked_rank, e.device, e.country, sum(e.clicks)
      FROM counted e WHERE e.clicks > 0
      GROUP BY 2, 3, 4, 5, 6 ORDER BY 2, 3, 4, 5, 6
      ON CONFLICT (tenant_id, grain, bucket, rank, device, country) DO UPDATE SET clicks = r.clicks + excluded.clicks
    )
    SELECT id::text AS id FROM fresh`),

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

  /**
   * Person erasure (`eraseNames`): the values of the tenant's tag, topic and speaker dimensions that
   * the matcher's pre-filter (a POSIX regular expression) finds, from the dimensions of its events
   * and from the rollups per value, each once. The matcher then judges them in the process.
   */
  dimensionValuesLike: statement(`
    SELECT value FROM (
      SELECT unnest(d.tags || d.topics || d.speakers) AS value
      FROM analytics_asset_dims d WHERE d.tenant_id = :tenantId
      UNION SELECT r.value FROM analytics_dim_rollups r
      WHERE r.tenant_id = :tenantId AND r.dim IN ('tag', 'topic', 'speaker')
      UNION SELECT v.value FROM analytics_dim_viewers v
      WHERE v.tenant_id = :tenantId AND v.dim IN ('tag', 'topic', 'speaker')) AS x
    WHERE value ~ :pattern
    ORDER BY value`),
  /**
   * The values taken out of the asset dimensions the events and asset rollups point at (`dims_key`
   * stays: it names the row, and a later event of the erased asset hashes its new dimensions).
   */
  eraseDimsValues: statement(`
    WITH changed AS (
      UPDATE analytics_asset_dims d SET
        tags = ARRAY(SELECT t FROM unnest(d.tags) WITH ORDINALITY AS u(t, i) WHERE t <> ALL(:values::text[]) ORDER BY i),
        topics = ARRAY(SELECT t FROM unnest(d.topics) WITH ORDINALITY AS u(t, i) WHERE t <> ALL(:values::text[]) ORDER BY i),
        speakers = ARRAY(SELECT t FROM unnest(d.speakers) WITH ORDINALITY AS u(t, i) WHERE t <> ALL(:values::text[]) ORDER BY i)
      WHERE d.tenant_id = :tenantId
        AND (d.tags && :values::text[] OR d.topics && :values::text[] OR d.speakers && :values::text[])
      RETURNING 1)
    SELECT count(*)::int AS n FROM changed`),
  eraseDimRollups: statement(`
    WITH gone AS (
      DELETE FROM analytics_dim_rollups
      WHERE tenant_id = :tenantId AND dim IN ('tag', 'topic', 'speaker') AND value = ANY(:values::text[])
      RETURNING 1)
    SELECT count(*)::int AS n FROM gone`),
  eraseDimViewers: statement(`
    WITH gone AS (
      DELETE FROM analytics_dim_viewers
      WHERE tenant_id = :tenantId AND dim IN ('tag', 'topic', 'speaker') AND value = ANY(:values::text[])
      RETURNING 1)
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

  /** These assets' viewer sketches merged over the range (analytics_asset_viewers_d_asset_idx). */
  assetViewerTotals: statement(`
    SELECT asset_id::text AS asset_id, varbit_send(bit_or(viewers)) AS sketch
    FROM analytics_asset_viewers
    WHERE tenant_id = :tenantId AND grain = 'd' AND asset_id = ANY(:assets::uuid[])
      AND bucket >= :from AND bucket < :to
    GROUP BY asset_id`),

  assetViewerPoints: statement(`
    SELECT asset_id::text AS g, bucket AS t, varbit_send(bit_or(viewers)) AS sketch
    FROM analytics_asset_viewers
    WHERE tenant_id = :tenantId AND grain = 'd' AND asset_id = ANY(:assets::uuid[])
      AND bucket >= :from AND bucket < :to
    GROUP BY asset_id, bucket`),

  /** The catalogue statements (no tenant data): is the schema there. */
  // --- Read paths of migration 0040, recomputed (read-paths.ts) ---

  /**
   * For the rest of the transaction no `record` writes the recomputed tables (it takes ROW EXCLUSIVE
   * on them when its statement starts, and writes their sources in that same statement): what the
   * recompute reads from the sources is then what those tables must hold. Two recomputes take turns.
   * In the order `recordEvents` takes them (its CTEs are locked as they come: dim_viewers first), or
   * the two deadlock.
   */
  lockReadPaths: statement(
    `LOCK TABLE analytics_dim_viewers, analytics_query_totals IN SHARE ROW EXCLUSIVE MODE`,
  ),
  /** `:tenantId` null: every tenant. Buckets in [:from, :to). */
  clearQueryTotals: statement(`
    DELETE FROM analytics_query_totals
    WHERE (:tenantId::text IS NULL OR tenant_id = :tenantId) AND bucket >= :from AND bucket < :to`),
  /** What `record` adds to the query totals is the sum of what it adds to the query rollups. */
  fillQueryTotals: statement(`
    INSERT INTO analytics_query_totals (tenant_id, grain, bucket, query, searches, zero_searches, clicks)
    SELECT tenant_id, grain, bucket, query, sum(searches), sum(zero_searches), sum(clicks)
    FROM analytics_query_rollups
    WHERE (:tenantId::text IS NULL OR tenant_id = :tenantId) AND bucket >= :from AND bucket < :to
    GROUP BY tenant_id, grain, bucket, query`),
  clearDimViewers: statement(`
    DELETE FROM analytics_dim_viewers
    WHERE (:tenantId::text IS NULL OR tenant_id = :tenantId) AND grain = 'd' AND bucket >= :from AND bucket < :to`),
  /** What `record` ORs into a dimension value's sketch is the OR of its assets' daily sketches. */
  fillDimViewers: statement(`
    INSERT INTO analytics_dim_viewers (tenant_id, grain, bucket, dim, value, viewers)
    SELECT a.tenant_id, 'd', a.bucket, v.dim, v.value, bit_or(a.viewers)
    FROM analytics_asset_viewers a
    JOIN analytics_asset_dims d ON d.tenant_id = a.tenant_id AND d.dims_key = a.dims_key
    CROSS JOIN LATERAL ${DIM_VALUES} AS v
    WHERE (:tenantId::text IS NULL OR a.tenant_id = :tenantId) AND a.grain = 'd'
      AND a.bucket >= :from AND a.bucket < :to
    GROUP BY a.tenant_id, a.bucket, v.dim, v.value`),

  ready: statement(`SELECT to_regclass('analytics_events') IS NOT NULL AS ready`),
};
