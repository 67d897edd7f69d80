/*
 * Every statement the ClickHouse analytics adapter runs. Values are `{name:Type}` parameters
 * (params.ts); the one piece of text built at run time is the database name, checked as an
 * identifier, and the metric expressions of series.ts, picked from fixed lists. Each statement
 * names its tenant. All of it runs on ClickHouse 18.16 (Debian's package) and on current ClickHouse:
 * docs/analytics-clickhouse.md lists what that rules out.
 *
 * Tables:
 * - `events`: the raw events, partitioned by month, ordered by (tenant, time, id) so that a
 *   tenant's time range (series from raw, retention) reads a contiguous slice.
 * - `event_ids`: (tenant, id) of every raw event, ordered by them: the de-duplication lookup reads a
 *   few granules instead of a tenant's whole id column. Filled by a materialized view, so it is
 *   written by the same INSERT as `events`.
 * - `events_hourly`, `events_daily`: rollups by bucket and every dimension a series groups or
 *   filters by, with counts, watch time and a `uniq` state of the viewers; SummingMergeTree adds
 *   the counts and merges the states of rows with the same key. Filled by materialized views, so
 *   erasing or expiring raw rows leaves them as they are.
 */

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export function checkDatabaseName(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`ClickHouse database name "${name}" is not a plain identifier`);
  return name;
}

/** The event types whose positions make watch time. */
export const WATCH_TYPES = ['progress', 'pause', 'complete'] as const;

const ROLLUP_KEY = `tenant_id, bucket, event_type, asset_id, asset_type, source_system, tags, topics, speakers,
      device, country, search_query, zero_result, clicked_rank`;

function rollup(db: string, table: string, bucket: string): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${db}.${table} (
      tenant_id String,
      bucket DateTime('UTC'),
      event_type String,
      asset_id String,
      asset_type String,
      source_system String,
      tags Array(String),
      topics Array(String),
      speakers Array(String),
      device String,
      country String,
      search_query String,
      zero_result UInt8,
      clicked_rank UInt8,
      events UInt64,
      watch_ms UInt64,
      viewers AggregateFunction(uniq, String)
    ) ENGINE = SummingMergeTree
    PARTITION BY toYYYYMM(bucket)
    ORDER BY (${ROLLUP_KEY})`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.${table}_mv TO ${db}.${table} AS
    SELECT tenant_id, ${bucket}(occurred_at) AS bucket, event_type, asset_id, asset_type, source_system, tags,
      topics, speakers, device, country, search_query, zero_result, clicked_rank,
      count() AS events,
      sum(watch_increase_ms) AS watch_ms,
      uniqStateIf(user_token, consent = 1 AND user_token != '') AS viewers
    FROM ${db}.events
    GROUP BY ${ROLLUP_KEY}`,
  ];
}

/** Creates the database, the tables and the views, each only when missing. In this order. */
export function schemaStatements(database: string): string[] {
  const db = checkDatabaseName(database);
  return [
    `CREATE DATABASE IF NOT EXISTS ${db}`,
    // Seconds in occurred_at (no DateTime64 on 18.16), milliseconds in occurred_ms for exact ranges.
    `CREATE TABLE IF NOT EXISTS ${db}.events (
      tenant_id String,
      id String,
      event_type String,
      asset_id String,
      user_token String,
      session_token String,
      consent UInt8,
      occurred_at DateTime('UTC'),
      occurred_ms UInt64,
      received_at DateTime('UTC'),
      position Nullable(UInt32),
      watch_increase_ms UInt64,
      search_text String,
      search_query String,
      total_hits Nullable(UInt32),
      zero_result UInt8,
      clicked_rank UInt8,
      result_ids Array(String),
      device String,
      network String,
      app String,
      referrer String,
      country String,
      properties String,
      asset_type String,
      source_system String,
      tags Array(String),
      topics Array(String),
      speakers Array(String),
      duration_seconds Nullable(Float64)
    ) ENGINE = MergeTree
    PARTITION BY toYYYYMM(occurred_at)
    ORDER BY (tenant_id, occurred_at, id)`,
    `CREATE TABLE IF NOT EXISTS ${db}.event_ids (
      tenant_id String,
      id String,
      occurred_at DateTime('UTC')
    ) ENGINE = MergeTree
    PARTITION BY toYYYYMM(occurred_at)
    ORDER BY (tenant_id, id)`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.event_ids_mv TO ${db}.event_ids AS
    SELECT tenant_id, id, occurred_at FROM ${db}.events`,
    ...rollup(db, 'events_hourly', 'toStartOfHour'),
    ...rollup(db, 'events_daily', 'toStartOfDay'),
  ];
}

/** The tables that hold raw rows (what erasure and retention touch). */
export const RAW_TABLES = ['events', 'event_ids'] as const;

export function statements(database: string) {
  const db = checkDatabaseName(database);
  return {
    /** Which of these ids the tenant already has. `IN (SELECT arrayJoin(…))`: 18.16 takes no array after IN. */
    knownIds: `
      SELECT id FROM ${db}.event_ids
      WHERE tenant_id = {tenantId:String} AND id IN (SELECT arrayJoin({ids:Array(String)}))`,

    /**
     * The furthest position of each of these sessions' assets so far. Bounded in time so that it
     * reads a slice of the raw table: a session is taken to last less than a day.
     */
    furthestPositions: `
      SELECT session_token, asset_id, max(position) AS furthest
      FROM ${db}.events
      WHERE tenant_id = {tenantId:String}
        AND occurred_at >= toDateTime({fromS:UInt32}, 'UTC') AND occurred_at <= toDateTime({toS:UInt32}, 'UTC')
        AND has({sessions:Array(String)}, session_token)
        AND has({types:Array(String)}, event_type)
        AND isNotNull(position)
      GROUP BY session_token, asset_id`,

    insertTable: `${db}.events`,

    countUser: `
      SELECT count() AS n FROM ${db}.events
      WHERE tenant_id = {tenantId:String} AND user_token = {userToken:String}`,

    /** A mutation: always sent with its values bound as literals (the statement is kept as text). */
    eraseUser: `
      ALTER TABLE ${db}.events DELETE
      WHERE tenant_id = {tenantId:String} AND user_token = {userToken:String}`,

    countBefore: `
      SELECT count() AS n FROM ${db}.events
      WHERE tenant_id = {tenantId:String}
        AND occurred_at <= toDateTime({beforeS:UInt32}, 'UTC') AND occurred_ms < {beforeMs:UInt64}`,

    /**
     * The months with rows before the cut, and whether another tenant has rows in them (a
     * partition holds every tenant's month: it may be dropped only when none does).
     */
    partitionsBefore: `
      SELECT toYYYYMM(occurred_at) AS month, max(occurred_ms) AS last_ms, countIf(tenant_id != {tenantId:String}) AS others
      FROM ${db}.events
      WHERE occurred_at <= toDateTime({beforeS:UInt32}, 'UTC')
      GROUP BY month`,

    /**
     * A mutation: values bound as literals. Raw rows by the millisecond; ids by the second below
     * the cut (an id kept a second longer only makes de-duplication stricter).
     */
    expire: (table: (typeof RAW_TABLES)[number]) =>
      table === 'events'
        ? `ALTER TABLE ${db}.events DELETE WHERE tenant_id = {tenantId:String} AND occurred_ms < {beforeMs:UInt64}`
        : `ALTER TABLE ${db}.event_ids DELETE
           WHERE tenant_id = {tenantId:String} AND occurred_at < toDateTime({beforeS:UInt32}, 'UTC')`,

    /** `month` is a YYYYMM number the adapter computed and checked; a partition takes no parameter. */
    dropPartition: (table: (typeof RAW_TABLES)[number], month: number) => {
      if (!Number.isInteger(month) || month < 197001 || month > 299912) throw new Error(`bad partition ${month}`);
      return `ALTER TABLE ${db}.${table} DROP PARTITION ${month}`;
    },

    pendingMutations: `
      SELECT count() AS n FROM system.mutations
      WHERE database = {database:String} AND is_done = 0`,

    /** Plays per asset in the recent window and in the baseline before it (`source` picks the table). */
    trending: (source: 'raw' | 'hourly') => {
      const time = source === 'raw' ? 'occurred_ms' : 'toUInt64(toUnixTimestamp(bucket)) * 1000';
      const views = source === 'raw' ? (cond: string) => `countIf(${cond})` : (cond: string) => `sumIf(events, ${cond})`;
      const table = source === 'raw' ? 'events' : 'events_hourly';
      const bounds =
        source === 'raw'
          ? `occurred_at >= toDateTime({fromS:UInt32}, 'UTC') AND occurred_at <= toDateTime({toS:UInt32}, 'UTC')`
          : `bucket >= toDateTime({fromS:UInt32}, 'UTC') AND bucket < toDateTime({toS:UInt32}, 'UTC')`;
      const recent = `${time} >= {recentMs:UInt64} AND ${time} < {atMs:UInt64}`;
      const baseline = `${time} >= {fromMs:UInt64} AND ${time} < {recentMs:UInt64}`;
      return `
        SELECT asset_id, recent, baseline
        FROM (
          SELECT asset_id, ${views(recent)} AS recent, ${views(baseline)} AS baseline
          FROM ${db}.${table}
          WHERE tenant_id = {tenantId:String} AND ${bounds}
            AND event_type = 'play' AND asset_id != ''
          GROUP BY asset_id
        )
        WHERE recent > 0
        ORDER BY (recent / {recentHours:Float64}) / (baseline / {baselineHours:Float64} + 1) DESC, asset_id
        LIMIT {limit:UInt32}`;
    },
  };
}
