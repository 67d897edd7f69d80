/*
 * Every statement the ClickHouse analytics adapter runs. Values are `{name:Type}` parameters
 * (params.ts); the one piece of text built at run time is the database name, checked as an
 * identifier, and the metric expressions of series.ts, picked from fixed lists. Each statement
 * names its tenant. All of it runs on ClickHouse 18.16 (Debian's package) and on current ClickHouse:
 * docs/analytics-clickhouse.md lists what that rules out.
 *
 * Tables:
 * - `events`: the raw events, partitioned by month, ordered by (tenant, time, id) so that a
 *   tenant's time range reads a contiguous slice: series from raw, retention, and the
 *   de-duplication look-up, which reads the batch's time ranges (a repeated event has its time)
 *   instead of a tenant's whole id column (ids are random: every granule holds some).
 * - `watch_positions`: per session, asset and hour, the furthest position (watch time counts
 *   each increase once), keyed by time for the look-up `record` makes.
 * - `{context,assets,searches}_{hourly,daily}`: rollups by bucket and a family of dimensions, with
 *   counts, watch time and a `uniq` state of the viewers; SummingMergeTree adds the counts and
 *   merges the states of rows with the same key. Filled by materialized views, so erasing or
 *   expiring raw rows leaves them as they are.
 * - `viewers_{hourly,daily}`: the viewers alone, one `uniqHLL12` state per tenant and bucket
 *   (AggregatingMergeTree), for unique viewers without groups or filters: merging 30 days of `uniq`
 *   states costs seconds on 18.16, of 2.5 KiB HLL states tens of ms (docs/analytics-clickhouse.md).
 *   `viewers_since`: per tenant, from when they cover (added to a database holding events).
 * - `{asset,tag}_totals_daily`, `search_context_daily`: per day and group, a column per count; their
 *   views count the raw rows inserted from a cutoff (`events.inserted_at`), their backfill the rows
 *   before it (`totalsSchema`, `totalsBackfill`: one SELECT); `totals_backfill` marks what the
 *   backfill wrote, `totals_since` from when they cover each tenant. The same per topic, speaker,
 *   source system and type (`{topic,speaker,source,type}_totals_daily`) and per search query
 *   (`search_query_daily`).
 */

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export function checkDatabaseName(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`ClickHouse database name "${name}" is not a plain identifier`);
  return name;
}

/** The event types whose positions make watch time. */
export const WATCH_TYPES = ['progress', 'pause', 'complete'] as const;

/**
 * The rollups: each a family of dimensions, at two grains. A series reads the smallest family that
 * has every column it needs (series.ts); a row per bucket and distinct key, so a family stays small
 * only if its dimensions are few: asset dimensions follow the asset (no extra rows), context and
 * search text are families of their own.
 */
export const ROLLUP_FAMILIES = {
  /** Every event: by type, device and country. */
  context: { key: ['event_type', 'device', 'country'], where: '1', viewers: true },
  /** Events with an asset: by the asset and its dimensions at the time of the event. */
  assets: {
    key: ['event_type', 'asset_id', 'asset_type', 'source_system', 'tags', 'topics', 'speakers'],
    where: "asset_id != ''",
    viewers: true,
  },
  /** Searches and clicks: by normalized text, zero result, clicked rank. */
  searches: {
    key: ['event_type', 'search_query', 'zero_result', 'clicked_rank'],
    where: "event_type IN ('search', 'click')",
    viewers: false,
  },
} as const;
export type RollupFamily = keyof typeof ROLLUP_FAMILIES;
export const ROLLUP_GRAINS = { hourly: 'toStartOfHour', daily: 'toStartOfDay' } as const;
export type RollupGrain = keyof typeof ROLLUP_GRAINS;

const COLUMN_TYPES: Record<string, string> = {
  event_type: 'String',
  device: 'String',
  country: 'String',
  asset_id: 'String',
  asset_type: 'String',
  source_system: 'String',
  tags: 'Array(String)',
  topics: 'Array(String)',
  speakers: 'Array(String)',
  search_query: 'String',
  zero_result: 'UInt8',
  clicked_rank: 'UInt8',
};

function rollup(db: string, family: RollupFamily, grain: RollupGrain): string[] {
  const { key, where, viewers } = ROLLUP_FAMILIES[family];
  const table = `${db}.${family}_${grain}`;
  const keyList = ['tenant_id', 'bucket', ...key].join(', ');
  return [
    `CREATE TABLE IF NOT EXISTS ${table} (
      tenant_id String,
      bucket DateTime('UTC'),
      ${key.map((c) => `${c} ${COLUMN_TYPES[c]}`).join(',\n      ')},
      events UInt64,
      watch_ms UInt64${viewers ? ',\n      viewers AggregateFunction(uniq, String)' : ''}
    ) ENGINE = SummingMergeTree
    PARTITION BY toYYYYMM(bucket)
    ORDER BY (${keyList})`,
    // Named after the table; a view's columns reach the table by name (so no alias may reuse a
    // source column's name: 18.16 then reads `sum(x) AS x` as an unknown identifier).
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${table}_mv TO ${table} AS
    SELECT tenant_id, ${ROLLUP_GRAINS[grain]}(occurred_at) AS bucket, ${key.join(', ')},
      count() AS events,
      sum(watch_increase_ms) AS watch_ms${
        viewers
          ? ",\n      uniqStateIf(user_token, event_type = 'play' AND consent = 1 AND user_token != '') AS viewers"
          : ''
      }
    FROM ${db}.events
    WHERE ${where}
    GROUP BY ${keyList}`,
  ];
}

/**
 * Per-day totals by one grouping, a column per metric instead of a row per event type, ordered by
 * tenant, day and the group: the top assets, tags and search countries of a range read one row per
 * group and day (about 150,000 rows for 5,000 assets over 30 days) instead of the assets family's
 * row per type, asset and dimension (900,000 at 10 million events, 2-3 s on 18.16 under load).
 * The same for each asset dimension (topic, speaker, source system, type: the assets family's rows
 * for 30 days at 10 million events are 550,000, these tables' a few thousand) and for the searches by
 * query (a row per query and day instead of one per type, zero result and clicked rank).
 * `viewers`: the function of the viewers' states (play kinds): `uniq` in the first generation's,
 * `uniqHLL12` in the dimensions' of the second, whose groups have many viewers each: a day's `uniq`
 * state of a topic holds up to 65,536 hashes (256 KiB), merging 30 of them per group cost seconds on
 * 18.16; an HLL12 state is 2.5 KiB whatever the viewers (1.63 % error instead of under 1 %).
 * Day grain only: hour series keep to the families. `key`: the group's columns; `arrayJoin`: the
 * group is an element of that array column (a row per tag, as `arrayJoin(tags)` over the raw events
 * counts).
 */
export const TOTALS_TABLES = {
  asset_totals_daily: {
    generation: 1,
    viewers: 'uniq',
    key: ['asset_id'],
    arrayJoin: null,
    where: "asset_id != ''",
    kind: 'play',
  },
  tag_totals_daily: {
    generation: 1,
    viewers: 'uniq',
    key: ['tag'],
    arrayJoin: 'tags',
    where: 'notEmpty(tags)',
    kind: 'play',
  },
  topic_totals_daily: {
    generation: 2,
    viewers: 'uniqHLL12',
    key: ['topic'],
    arrayJoin: 'topics',
    where: 'notEmpty(topics)',
    kind: 'play',
  },
  speaker_totals_daily: {
    generation: 2,
    viewers: 'uniqHLL12',
    key: ['speaker'],
    arrayJoin: 'speakers',
    where: 'notEmpty(speakers)',
    kind: 'play',
  },
  source_totals_daily: {
    generation: 2,
    viewers: 'uniqHLL12',
    key: ['source_system'],
    arrayJoin: null,
    where: "source_system != ''",
    kind: 'play',
  },
  type_totals_daily: {
    generation: 2,
    viewers: 'uniqHLL12',
    key: ['asset_type'],
    arrayJoin: null,
    where: "asset_type != ''",
    kind: 'play',
  },
  // Search totals by country keep the device beside it (a handful of values: few more rows).
  search_context_daily: {
    generation: 1,
    viewers: null,
    key: ['country', 'device'],
    arrayJoin: null,
    where: "event_type IN ('search', 'click')",
    kind: 'search',
  },
  search_query_daily: {
    generation: 2,
    viewers: null,
    key: ['search_query'],
    arrayJoin: null,
    where: "event_type IN ('search', 'click') AND search_query != ''",
    kind: 'search',
  },
} as const;
export type TotalsTable = keyof typeof TOTALS_TABLES;

/**
 * The totals tables come in generations, each added to databases by its own upgrade (cutoff, views,
 * backfill, marks, coverage), so that adding tables leaves those of an earlier generation in place:
 * processes of the version before read and record through them throughout. Each generation's marks
 * in `totals_backfill`: its cutoff checked (`checked`, day 0), all done (`done`); its coverage per
 * tenant in `since`. The first generation's names are those of the version that had only it.
 */
export const TOTALS_GENERATIONS = {
  1: { checked: '', done: '*', since: 'totals_since' },
  2: { checked: ':2', done: '*2', since: 'totals_since_2' },
} as const;
export type TotalsGeneration = keyof typeof TOTALS_GENERATIONS;
export const totalsOf = (generation: TotalsGeneration): TotalsTable[] =>
  (Object.keys(TOTALS_TABLES) as TotalsTable[]).filter((t) => TOTALS_TABLES[t].generation === generation);

/** The counted columns of each kind of totals table: column, the raw events it counts. */
export const TOTALS_COUNTS = {
  play: {
    plays: "event_type = 'play'",
    completes: "event_type = 'complete'",
    errors: "event_type = 'error'",
    watched: "event_type IN ('progress', 'pause', 'complete')",
  },
  search: {
    searches: "event_type = 'search'",
    zero_searches: "event_type = 'search' AND zero_result = 1",
    ranked_clicks: "event_type = 'click' AND clicked_rank > 0",
  },
} as const;

function totalsKey(table: TotalsTable): string[] {
  return ['tenant_id', 'bucket', ...TOTALS_TABLES[table].key];
}

/** Seconds since the epoch written into a statement: a cutoff or a day the adapter computed. */
function seconds(n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new Error(`bad time ${n}`);
  return n;
}

/** The columns a totals table is written by: its key, its counts, and `backfilled`. */
function totalsColumns(table: TotalsTable): string[] {
  const t = TOTALS_TABLES[table];
  return [
    ...totalsKey(table),
    ...Object.keys(TOTALS_COUNTS[t.kind]),
    ...(t.kind === 'play' ? ['watch_ms', 'viewers'] : []),
    'backfilled',
  ];
}

/**
 * The one definition of a totals table's rows: raw events aggregated by its key. The view runs it
 * on every inserted block (`backfilled` 0, events inserted from the cutoff on); the backfill on the
 * raw events inserted before the cutoff, a day at a time (`backfilled` 1).
 */
function totalsSelect(db: string, table: TotalsTable, where: string, backfilled: 0 | 1): string {
  const t = TOTALS_TABLES[table];
  const key = totalsKey(table);
  const counts = Object.entries(TOTALS_COUNTS[t.kind]);
  return `SELECT tenant_id, toStartOfDay(occurred_at) AS bucket, ${key.slice(2).join(', ')},
      ${counts.map(([c, cond]) => `countIf(${cond}) AS ${c}`).join(',\n      ')}${
        t.viewers
          ? `,\n      sum(watch_increase_ms) AS watch_ms,\n      ${t.viewers}StateIf(user_token, ${VIEWER_ROWS}) AS viewers`
          : ''
      },
      toUInt8(${backfilled}) AS backfilled
    FROM ${db}.events${t.arrayJoin ? ` ARRAY JOIN ${t.arrayJoin} AS ${t.key[0]}` : ''}
    WHERE ${t.where} AND ${where}
    GROUP BY ${key.join(', ')}`;
}

/**
 * A totals table and its view. Rows the view wrote and rows the backfill wrote differ in
 * `backfilled` (part of the key, so SummingMergeTree never adds one to the other): a backfill cut
 * short is undone by deleting its rows alone. The view counts the events inserted from `cutoffS`
 * on (`inserted_at`, the server's clock at the insert), the backfill those before: each raw row
 * counts once, whichever process inserted it and when (docs/analytics-clickhouse.md, "Totals tables").
 */
export function totalsSchema(database: string, table: TotalsTable, cutoffS: number): string[] {
  const db = checkDatabaseName(database);
  const t = TOTALS_TABLES[table];
  const key = totalsKey(table);
  const counts = Object.keys(TOTALS_COUNTS[t.kind]);
  return [
    `CREATE TABLE IF NOT EXISTS ${db}.${table} (
      tenant_id String,
      bucket DateTime('UTC'),
      ${key
        .slice(2)
        .map((c) => `${c} String`)
        .join(',\n      ')},
      ${counts.map((c) => `${c} UInt64`).join(',\n      ')}${
        t.viewers ? `,\n      watch_ms UInt64,\n      viewers AggregateFunction(${t.viewers}, String)` : ''
      },
      backfilled UInt8
    ) ENGINE = SummingMergeTree
    PARTITION BY toYYYYMM(bucket)
    ORDER BY (${[...key, 'backfilled'].join(', ')})`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.${totalsView(table)} TO ${db}.${table} AS
    ${totalsSelect(db, table, `toUInt32(inserted_at) >= ${seconds(cutoffS)}`, 0)}`,
  ];
}

/** The cutoff a totals view was made with, read back from its definition (`create_table_query`). */
export function cutoffOf(createStatement: string): number | null {
  const m = /toUInt32\(inserted_at\) >= (\d+)/.exec(createStatement);
  return m ? Number(m[1]) : null;
}

/** One day (`dayS`, a UTC midnight) of a totals table from the raw events inserted before the cutoff. */
export function totalsBackfill(database: string, table: TotalsTable, cutoffS: number, dayS: number): string {
  const db = checkDatabaseName(database);
  const day = seconds(dayS);
  const where = `toUInt32(inserted_at) < ${seconds(cutoffS)}
      AND occurred_at >= toDateTime(${day}, 'UTC') AND occurred_at < toDateTime(${day + 86_400}, 'UTC')`;
  return `INSERT INTO ${db}.${table} (${totalsColumns(table).join(', ')})
    ${totalsSelect(db, table, where, 1)}`;
}

/** The view whose absence says a totals table is new. */
export const totalsView = (table: TotalsTable) => `${table}_mv`;

/** The viewers-only rollup of a grain: its table and its view. */
function viewersRollup(db: string, grain: RollupGrain): string[] {
  const table = `${db}.viewers_${grain}`;
  return [
    `CREATE TABLE IF NOT EXISTS ${table} (
      tenant_id String,
      bucket DateTime('UTC'),
      viewers AggregateFunction(uniqHLL12, String)
    ) ENGINE = AggregatingMergeTree
    PARTITION BY toYYYYMM(bucket)
    ORDER BY (tenant_id, bucket)`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${table}_mv TO ${table} AS
    SELECT tenant_id, ${ROLLUP_GRAINS[grain]}(occurred_at) AS bucket, uniqHLL12State(user_token) AS viewers
    FROM ${db}.events
    WHERE ${VIEWER_ROWS}
    GROUP BY tenant_id, bucket`,
  ];
}

const VIEWER_ROWS = "event_type = 'play' AND consent = 1 AND user_token != ''";

/**
 * The viewers rollups made after events were recorded are filled from the raw events (the context
 * rollups' `uniq` states do not convert to `uniqHLL12`). Harmless if repeated or run while events
 * arrive: merging a viewer twice counts it once.
 */
export function viewersBackfill(database: string, grain: RollupGrain): string {
  const db = checkDatabaseName(database);
  return `INSERT INTO ${db}.viewers_${grain} (tenant_id, bucket, viewers)
    SELECT tenant_id, ${ROLLUP_GRAINS[grain]}(occurred_at) AS bucket, uniqHLL12State(user_token)
    FROM ${db}.events
    WHERE ${VIEWER_ROWS}
    GROUP BY tenant_id, bucket`;
}

/**
 * Per tenant that had rollups when the viewers rollups were added, the first UTC day they cover
 * (epoch seconds): the day after its first raw event still kept (unless that was a midnight), or
 * the day after its last rollup bucket when no raw event was left. Older ranges read the context
 * rollups. A tenant without a row is covered from the start.
 */
export function viewersCoverage(
  database: string,
  target: 'viewers_since' | (typeof TOTALS_GENERATIONS)[TotalsGeneration]['since'] = 'viewers_since',
): string {
  const db = checkDatabaseName(database);
  return `INSERT INTO ${db}.${target} (tenant_id, since)
    SELECT tenant_id, if(first_raw = 0, last_bucket + 86400, intDiv(first_raw + 86399, 86400) * 86400)
    FROM (SELECT tenant_id, toUInt64(max(bucket)) AS last_bucket FROM ${db}.context_daily GROUP BY tenant_id)
    ANY LEFT JOIN (SELECT tenant_id, toUInt64(min(occurred_at)) AS first_raw FROM ${db}.events GROUP BY tenant_id)
    USING tenant_id`;
}

/** The view whose absence says a viewers rollup is new (and needs `viewersBackfill`). */
export const viewersView = (grain: RollupGrain) => `viewers_${grain}_mv`;

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
      duration_seconds Nullable(Float64),
      -- The server's clock when the row was inserted (never sent: MATERIALIZED), which splits the raw
      -- rows between the totals tables' views and their backfill. ensureInsertedAt adds it to an
      -- older table.
      inserted_at DateTime MATERIALIZED now()
    ) ENGINE = MergeTree
    PARTITION BY toYYYYMM(occurred_at)
    ORDER BY (tenant_id, occurred_at, id)`,
    // Per session and asset, the furthest position so far, by the hour it was reached: the
    // watch-time look-up reads the last day of a tenant's hours (a session is taken to last less
    // than a day), not every session it ever had (session tokens are random).
    `CREATE TABLE IF NOT EXISTS ${db}.watch_positions (
      tenant_id String,
      seen_hour DateTime('UTC'),
      session_token String,
      asset_id String,
      user_token String,
      furthest AggregateFunction(max, UInt32)
    ) ENGINE = AggregatingMergeTree
    PARTITION BY toYYYYMM(seen_hour)
    ORDER BY (tenant_id, seen_hour, session_token, asset_id, user_token)`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.watch_positions_mv TO ${db}.watch_positions AS
    SELECT tenant_id, toStartOfHour(occurred_at) AS seen_hour, session_token, asset_id, user_token,
      maxState(assumeNotNull(position)) AS furthest
    FROM ${db}.events
    WHERE session_token != '' AND asset_id != '' AND event_type IN ('progress', 'pause', 'complete')
      AND isNotNull(position)
    GROUP BY tenant_id, seen_hour, session_token, asset_id, user_token`,
    ...(Object.keys(ROLLUP_FAMILIES) as RollupFamily[])
      .flatMap((family) =>
        (Object.keys(ROLLUP_GRAINS) as RollupGrain[]).map((grain) => rollup(db, family, grain)),
      )
      .flat(),
    `CREATE TABLE IF NOT EXISTS ${db}.viewers_since (tenant_id String, since UInt64) ENGINE = TinyLog`,
    ...(Object.keys(ROLLUP_GRAINS) as RollupGrain[]).flatMap((grain) => viewersRollup(db, grain)),
    // What the totals tables' backfill has done, by cutoff (ClickHouseAnalyticsStore.completeTotals):
    // a generation's cutoff checked (its `checked`, day 0), a table's day filled (table, day), a
    // generation done (its `done`): TOTALS_GENERATIONS.
    `CREATE TABLE IF NOT EXISTS ${db}.totals_backfill (cutoff UInt32, table_name String, day UInt32)
    ENGINE = MergeTree ORDER BY (cutoff, table_name, day)`,
    ...Object.values(TOTALS_GENERATIONS).map(
      (g) => `CREATE TABLE IF NOT EXISTS ${db}.${g.since} (tenant_id String, since UInt64) ENGINE = TinyLog`,
    ),
  ];
}

/**
 * The statements of the totals tables' backfill (ClickHouseAnalyticsStore.completeTotals). Values are
 * parameters, except the cutoff and days, which the adapter computed and `seconds` checks.
 */
export function totalsStatements(database: string) {
  const db = checkDatabaseName(database);
  return {
    /** How `events.inserted_at` is defined: '' (missing), 'DEFAULT' (being added), 'MATERIALIZED'. */
    insertedAtKind: `
      SELECT default_kind AS kind FROM system.columns
      WHERE database = {database:String} AND table = 'events' AND name = 'inserted_at'`,
    /**
     * Adding `inserted_at` to a table that has rows, in three steps: a column whose missing values
     * read as 0 (an insert meanwhile, which does not send it, writes 0 too), those written out as 0
     * (a mutation: the parts that were there before it), then its definition for new rows. Without
     * the middle step a part written before the column would read `now()` at every read.
     */
    addInsertedAt: `ALTER TABLE ${db}.events ADD COLUMN inserted_at DateTime DEFAULT toDateTime(0)`,
    writeInsertedAt: `ALTER TABLE ${db}.events UPDATE inserted_at = toDateTime(0) WHERE 1`,
    materializeInsertedAt: `ALTER TABLE ${db}.events MODIFY COLUMN inserted_at DateTime MATERIALIZED now()`,
    /**
     * Unfinished rewrites of `inserted_at`: one issued by a run that stopped waiting for it (its
     * timeout, or the process stopped) goes on in the server, and is waited for, not issued again.
     */
    insertedAtWriting: `
      SELECT count() AS n FROM system.mutations
      WHERE database = {database:String} AND table = 'events' AND is_done = 0
        AND position(command, 'inserted_at') > 0`,
    /** The totals views: their definitions (the cutoff, statements.ts `cutoffOf`) and when made. */
    views: `
      SELECT name, create_table_query AS definition, toUInt32(metadata_modification_time) AS made_at
      FROM system.tables
      WHERE database = {database:String} AND name IN (SELECT arrayJoin({names:Array(String)}))`,
    serverNow: `SELECT toUInt32(now()) AS now`,
    /** INSERTs into the raw table running for at least {age} seconds (started before a moment). */
    insertsOlderThan: `
      SELECT count() AS n FROM system.processes
      WHERE elapsed >= {age:Float64}
        AND match(query, {pattern:String})`,
    /** `query` text of an INSERT into the raw table, as system.processes shows it. */
    insertPattern: `(?i)^[[:space:]]*insert[[:space:]]+into[[:space:]]+\`?${db}\`?[.]\`?events\`?[[:space:](]`,
    /** The marks of a cutoff (table, day). */
    marks: `SELECT table_name, day FROM ${db}.totals_backfill WHERE cutoff = {cutoff:UInt32}`,
    mark: `${db}.totals_backfill`,
    /** Whether a generation is done ({done}: its mark). */
    done: `SELECT count() AS n FROM ${db}.totals_backfill WHERE table_name = {done:String}`,
    /** The days of raw rows before the cutoff. */
    daysBefore: `
      SELECT DISTINCT toUInt32(toStartOfDay(occurred_at)) AS day FROM ${db}.events
      WHERE toUInt32(inserted_at) < {cutoff:UInt32} ORDER BY day`,
    /** Days that hold rows of a backfill (of a run cut short, when not marked). */
    backfilledDays: (table: TotalsTable) => `
      SELECT DISTINCT toUInt32(bucket) AS day FROM ${db}.${table} WHERE backfilled = 1`,
    /** A mutation, values bound as literals: the rows a backfill wrote for a day. */
    dropBackfilled: (table: TotalsTable) => `
      ALTER TABLE ${db}.${table} DELETE
      WHERE backfilled = 1 AND bucket = toDateTime({day:UInt32}, 'UTC')`,
    dropView: (table: TotalsTable) => `DROP TABLE IF EXISTS ${db}.${totalsView(table)}`,
    dropTable: (table: TotalsTable) => `DROP TABLE IF EXISTS ${db}.${table}`,
    /** A mutation, values bound as literals: a generation's marks (its tables' and its own). */
    clearMarks: `ALTER TABLE ${db}.totals_backfill DELETE WHERE has({names:Array(String)}, table_name)`,
    since: (generation: TotalsGeneration) =>
      `SELECT tenant_id, since FROM ${db}.${TOTALS_GENERATIONS[generation].since}`,
  };
}

/** The asset dimensions a person's name can be a value of (person erasure). */
export const ERASABLE_DIMENSIONS = ['tags', 'topics', 'speakers'] as const;
const NAMES_ANY = ERASABLE_DIMENSIONS.map((c) => `hasAny(${c}, {values:Array(String)})`).join(' OR ');

/** The totals tables grouped by an element of an erasable dimension (a row per name). */
export const NAMED_TOTALS = ['tag_totals_daily', 'topic_totals_daily', 'speaker_totals_daily'] as const;
export type NamedTotalsTable = (typeof NAMED_TOTALS)[number];

/** The tables that hold raw rows (what retention touches). */
export const RAW_TABLES = ['events', 'watch_positions'] as const;
/** The tables that hold user tokens (what erasure touches). */
export const USER_TABLES = ['events', 'watch_positions'] as const;

export function statements(database: string) {
  const db = checkDatabaseName(database);
  return {
    /**
     * Which of these ids the tenant already has, among events in the given time ranges (seconds,
     * inclusive; parameters r0from, r0to, r1from…). `IN (SELECT arrayJoin(…))`: 18.16 takes no
     * array after IN.
     */
    knownIds: (ranges: number) => {
      if (!Number.isInteger(ranges) || ranges < 1) throw new Error('knownIds needs at least one range');
      const within = Array.from(
        { length: ranges },
        (_, i) =>
          `(occurred_at >= toDateTime({r${i}from:UInt32}, 'UTC') AND occurred_at <= toDateTime({r${i}to:UInt32}, 'UTC'))`,
      ).join(' OR ');
      return `
      SELECT id FROM ${db}.events
      WHERE tenant_id = {tenantId:String} AND (${within})
        AND id IN (SELECT arrayJoin({ids:Array(String)}))`;
    },

    /** The furthest position of each of these sessions' assets, reached in the given hours. */
    furthestPositions: `
      SELECT session_token, asset_id, maxMerge(furthest) AS furthest
      FROM ${db}.watch_positions
      WHERE tenant_id = {tenantId:String}
        AND seen_hour >= toDateTime({fromS:UInt32}, 'UTC') AND seen_hour <= toDateTime({toS:UInt32}, 'UTC')
        AND session_token IN (SELECT arrayJoin({sessions:Array(String)}))
      GROUP BY session_token, asset_id`,

    insertTable: `${db}.events`,

    countUser: `
      SELECT count() AS n FROM ${db}.events
      WHERE tenant_id = {tenantId:String} AND user_token = {userToken:String}`,

    /** A mutation: always sent with its values bound as literals (the statement is kept as text). */
    eraseUser: (table: (typeof USER_TABLES)[number]) => `
      ALTER TABLE ${db}.${table} DELETE
      WHERE tenant_id = {tenantId:String} AND user_token = {userToken:String}`,

    /**
     * Person erasure by name (`eraseDimensionValues`): the tenant's tag, topic and speaker values,
     * each once, from the raw events and the assets rollups (which outlive them); the matcher
     * judges them in the process. The named totals tables (`NAMED_TOTALS`) hold the values of one of
     * those two.
     */
    dimensionValues: `
      SELECT DISTINCT value FROM (
        SELECT arrayJoin(arrayConcat(tags, topics, speakers)) AS value FROM ${db}.events
        WHERE tenant_id = {tenantId:String}
        UNION ALL SELECT arrayJoin(arrayConcat(tags, topics, speakers)) AS value FROM ${db}.assets_hourly
        WHERE tenant_id = {tenantId:String}
        UNION ALL SELECT arrayJoin(arrayConcat(tags, topics, speakers)) AS value FROM ${db}.assets_daily
        WHERE tenant_id = {tenantId:String})`,
    /**
     * A mutation, values bound as literals: the values out of the raw rows' dimensions (not key
     * columns of `events`, so an UPDATE may rewrite them).
     */
    eraseEventDimensions: `
      ALTER TABLE ${db}.events UPDATE ${ERASABLE_DIMENSIONS.map(
        (c) => `${c} = arrayFilter(x -> NOT has({values:Array(String)}, x), ${c})`,
      ).join(', ')}
      WHERE tenant_id = {tenantId:String} AND (${NAMES_ANY})`,
    /**
     * The dimensions are part of an assets rollup's key, which no mutation may rewrite: its rows
     * that hold a value are written again without it (SummingMergeTree adds them to their new key's
     * rows as it merges), then `eraseRollupRows` deletes the old ones.
     */
    rewriteRollupRows: (grain: RollupGrain) => {
      const key = ROLLUP_FAMILIES.assets.key;
      const columns = ['tenant_id', 'bucket', ...key, 'events', 'watch_ms', 'viewers'];
      const select = columns.map((c) =>
        (ERASABLE_DIMENSIONS as readonly string[]).includes(c)
          ? `arrayFilter(x -> NOT has({values:Array(String)}, x), ${c})`
          : c,
      );
      return `INSERT INTO ${db}.assets_${grain} (${columns.join(', ')})
        SELECT ${select.join(', ')} FROM ${db}.assets_${grain}
        WHERE tenant_id = {tenantId:String} AND (${NAMES_ANY})`;
    },
    /** A mutation, values bound as literals. */
    eraseRollupRows: (grain: RollupGrain) => `
      ALTER TABLE ${db}.assets_${grain} DELETE WHERE tenant_id = {tenantId:String} AND (${NAMES_ANY})`,
    /** A mutation, values bound as literals: a tag's, topic's or speaker's own totals go with it. */
    eraseNamedTotals: (table: NamedTotalsTable) => `
      ALTER TABLE ${db}.${table} DELETE
      WHERE tenant_id = {tenantId:String} AND has({values:Array(String)}, ${TOTALS_TABLES[table].key[0]})`,
    tableExists: `
      SELECT count() AS n FROM system.tables WHERE database = {database:String} AND name = {name:String}`,

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

    /** A mutation: values bound as literals. Raw rows by the millisecond; positions by the second. */
    expire: (table: (typeof RAW_TABLES)[number]) =>
      table === 'events'
        ? `ALTER TABLE ${db}.events DELETE WHERE tenant_id = {tenantId:String} AND occurred_ms < {beforeMs:UInt64}`
        : `ALTER TABLE ${db}.watch_positions DELETE
           WHERE tenant_id = {tenantId:String} AND seen_hour < toDateTime({beforeS:UInt32}, 'UTC')`,

    /** `month` is a YYYYMM number the adapter computed and checked; a partition takes no parameter. */
    dropPartition: (table: (typeof RAW_TABLES)[number], month: number) => {
      if (!Number.isInteger(month) || month < 197001 || month > 299912)
        throw new Error(`bad partition ${month}`);
      return `ALTER TABLE ${db}.${table} DROP PARTITION ${month}`;
    },

    /** Unfinished mutations of the database, or of one of its tables ({table}; '' for every one). */
    pendingMutations: `
      SELECT count() AS n FROM system.mutations
      WHERE database = {database:String} AND is_done = 0 AND (empty({table:String}) OR table = {table:String})`,

    /** Plays per asset in the recent window and in the baseline before it (`source` picks the table). */
    trending: (source: 'raw' | 'hourly') => {
      const time = source === 'raw' ? 'occurred_ms' : 'toUInt64(toUnixTimestamp(bucket)) * 1000';
      const views =
        source === 'raw' ? (cond: string) => `countIf(${cond})` : (cond: string) => `sumIf(events, ${cond})`;
      const table = source === 'raw' ? 'events' : 'assets_hourly';
      const bounds =
        source === 'raw'
          ? `occurred_at >= toDateTime({fromS:UInt32}, 'UTC') AND occurred_at <= toDateTime({toS:UInt32}, 'UTC')`
          : `bucket >= toDateTime({fromS:UInt32}, 'UTC') AND bucket < toDateTime({toS:UInt32}, 'UTC')`;
      const recent = `${time} >= {recentMs:UInt64} AND ${time} < {atMs:UInt64}`;
      const baseline = `${time} >= {fromMs:UInt64} AND ${time} < {recentMs:UInt64}`;
      return `
        SELECT asset_id, recent, baseline,
          (recent / {recentHours:Float64} + 1) / (baseline / {baselineHours:Float64} + 1) AS score
        FROM (
          SELECT asset_id, ${views(recent)} AS recent, ${views(baseline)} AS baseline
          FROM ${db}.${table}
          WHERE tenant_id = {tenantId:String} AND ${bounds}
            AND event_type = 'play' AND asset_id != ''
          GROUP BY asset_id
        )
        WHERE recent > 0
        ORDER BY score DESC, recent DESC, asset_id
        LIMIT {limit:UInt32}`;
    },
  };
}
