import type {
  EventMetric,
  MetricFilters,
  MetricGroupBy,
  MetricInterval,
  MetricQuery,
} from '../analytics-store.js';
import {
  ROLLUP_FAMILIES,
  TOTALS_TABLES,
  checkDatabaseName,
  type RollupFamily,
  type RollupGrain,
  type TotalsTable,
} from './statements.js';
import type { Params } from './params.js';

/*
 * The series statements, assembled from fixed pieces: a source (raw events or a rollup), a metric
 * (which rows, a numerator, a denominator), a group expression and the filters. Values are
 * parameters. A rollup answers an hour or day series whose range lies on the interval's
 * boundaries, when one family of rollups has every column the series needs (its group, its
 * filters, its metric); other series (minutes, ranges that cut a bucket, asset dimensions with
 * device or country) answer from the raw events, which are exact to the millisecond and cover
 * only the raw retention.
 */

/**
 * `viewers`: the viewers-only rollup (statements.ts), for unique viewers without groups or filters;
 * `totals`: a per-day totals table (a column per metric), for the top assets and tags and the
 * search metrics by country or device.
 */
export type Source =
  | { kind: 'raw' }
  | { kind: 'rollup'; family: RollupFamily | 'viewers'; grain: RollupGrain }
  | { kind: 'totals'; table: TotalsTable };

const STEP_MS: Record<MetricInterval, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
export const stepMs = (interval: MetricInterval) => STEP_MS[interval];

/** The part of a series a statement computes (click-through by rank divides two ungrouped parts). */
export type SeriesPart = 'metric' | 'rankedClicks' | 'searches';

/** Columns a metric reads besides event_type. */
const METRIC_COLUMNS: Record<EventMetric, readonly string[]> = {
  views: [],
  errors: [],
  searches: [],
  completionRate: [],
  uniqueViewers: ['viewers'],
  watchTime: ['watch_ms'],
  zeroResultSearches: ['zero_result'],
  zeroResultRate: ['zero_result'],
  clickThroughRate: ['clicked_rank'],
};
const GROUP_COLUMN: Record<MetricGroupBy, string> = {
  asset: 'asset_id',
  tag: 'tags',
  topic: 'topics',
  speaker: 'speakers',
  sourceSystem: 'source_system',
  type: 'asset_type',
  device: 'device',
  country: 'country',
  query: 'search_query',
  rank: 'clicked_rank',
};
const FILTER_COLUMN: Record<keyof MetricFilters, string> = {
  assetId: 'asset_id',
  tag: 'tags',
  topic: 'topics',
  speaker: 'speakers',
  sourceSystem: 'source_system',
  type: 'asset_type',
  device: 'device',
  country: 'country',
};
/** Smallest first. */
const FAMILY_ORDER: readonly RollupFamily[] = ['context', 'searches', 'assets'];

function familyColumns(family: RollupFamily): ReadonlySet<string> {
  const f = ROLLUP_FAMILIES[family];
  return new Set<string>([...f.key, 'watch_ms', ...(f.viewers ? ['viewers'] : [])]);
}

/** The smallest rollup family with every column the part needs, at the interval's grain; else raw. */
export function pickSource(
  query: MetricQuery,
  part: SeriesPart = 'metric',
  viewersFrom?: number,
  totalsFrom: (table: TotalsTable) => number | null = () => 0,
): Source {
  const step = STEP_MS[query.interval];
  const aligned = query.from.getTime() % step === 0 && query.to.getTime() % step === 0;
  if (!aligned || query.interval === 'minute') return { kind: 'raw' };
  const needs = new Set<string>(part === 'metric' ? METRIC_COLUMNS[query.metric] : []);
  if (part === 'rankedClicks') needs.add('clicked_rank');
  if (query.groupBy && part !== 'searches') needs.add(GROUP_COLUMN[query.groupBy]);
  for (const [key, values] of Object.entries(query.filters) as [
    keyof MetricFilters,
    string[] | undefined,
  ][]) {
    if (values) needs.add(FILTER_COLUMN[key]);
  }
  const grain: RollupGrain = query.interval === 'hour' ? 'hourly' : 'daily';
  // The totals tables, where they cover the range (`totalsFrom`: per table, the epoch second it
  // covers from; null while its generation's backfill is not done).
  if (part === 'metric' && grain === 'daily') {
    const table = pickTotals(query);
    const from = table ? totalsFrom(table) : null;
    if (table && from !== null && query.from.getTime() >= from * 1000) return { kind: 'totals', table };
  }
  // The viewers rollups, where they cover the range (`viewersFrom`: epoch seconds).
  if (
    part === 'metric' &&
    query.metric === 'uniqueViewers' &&
    needs.size === 1 &&
    viewersFrom !== undefined &&
    query.from.getTime() >= viewersFrom * 1000
  )
    return { kind: 'rollup', family: 'viewers', grain };
  for (const family of FAMILY_ORDER) {
    const has = familyColumns(family);
    if ([...needs].every((c) => has.has(c))) return { kind: 'rollup', family, grain };
  }
  return { kind: 'raw' };
}

/**
 * What each totals table answers: its metrics, the groups it holds, the filters it can apply, and
 * whether a series must need one of those groups or filters to be sent there (a series without
 * reads a smaller family, or one that covers more: search totals by country are filled from the raw
 * events only, docs/analytics-clickhouse.md).
 */
const PLAY_METRICS: readonly EventMetric[] = [
  'views',
  'uniqueViewers',
  'watchTime',
  'completionRate',
  'errors',
];

const TOTALS: Record<
  TotalsTable,
  {
    metrics: readonly EventMetric[];
    groups: readonly MetricGroupBy[];
    filters: readonly (keyof MetricFilters)[];
  }
> = {
  asset_totals_daily: { metrics: PLAY_METRICS, groups: ['asset'], filters: ['assetId'] },
  tag_totals_daily: { metrics: PLAY_METRICS, groups: ['tag'], filters: [] },
  topic_totals_daily: { metrics: PLAY_METRICS, groups: ['topic'], filters: [] },
  speaker_totals_daily: { metrics: PLAY_METRICS, groups: ['speaker'], filters: [] },
  source_totals_daily: { metrics: PLAY_METRICS, groups: ['sourceSystem'], filters: ['sourceSystem'] },
  type_totals_daily: { metrics: PLAY_METRICS, groups: ['type'], filters: ['type'] },
  search_context_daily: {
    // Not `searches`: the context family holds those for the whole history, while this table is
    // filled from the raw events only, which retention drops.
    metrics: ['zeroResultSearches', 'zeroResultRate', 'clickThroughRate'],
    groups: ['country', 'device'],
    filters: ['country', 'device'],
  },
  // Grouped by query only (the searches family has no other group either): `searches` too, as
  // the family's rows by query cover no more history than the raw events' query text.
  search_query_daily: {
    metrics: ['searches', 'zeroResultSearches', 'zeroResultRate', 'clickThroughRate'],
    groups: ['query'],
    filters: [],
  },
};

/** The totals table that answers a day series, if one does (see TOTALS). */
function pickTotals(query: MetricQuery): TotalsTable | null {
  const filters = (Object.entries(query.filters) as [keyof MetricFilters, string[] | undefined][])
    .filter(([, values]) => values !== undefined)
    .map(([key]) => key);
  for (const table of Object.keys(TOTALS) as TotalsTable[]) {
    const t = TOTALS[table];
    if (!t.metrics.includes(query.metric)) continue;
    if (query.groupBy && !t.groups.includes(query.groupBy)) continue;
    if (!filters.every((f) => t.filters.includes(f))) continue;
    const uses =
      (query.groupBy !== undefined && t.groups.includes(query.groupBy)) ||
      filters.some((f) => t.filters.includes(f));
    if (uses) return table;
  }
  return null;
}

/**
 * A metric over a totals table. `rows` keeps the rows that hold the metric's events (a group
 * exists where they do, as over the raw events); the counts of other rows are zero.
 */
function totalsMetricSql(metric: EventMetric, table: TotalsTable): MetricSql {
  const count = (column: string): MetricSql => ({
    rows: `${column} > 0`,
    num: `sum(${column})`,
    den: null,
    scale: 1,
  });
  switch (metric) {
    case 'views':
      return count('plays');
    case 'errors':
      return count('errors');
    case 'searches':
      return count('searches');
    case 'zeroResultSearches':
      return count('zero_searches');
    case 'uniqueViewers':
      return {
        rows: 'plays > 0',
        num: `${TOTALS_TABLES[table].viewers ?? 'uniq'}Merge(viewers)`,
        den: null,
        scale: 1,
      };
    case 'watchTime':
      return { rows: 'watched > 0', num: 'sum(watch_ms)', den: null, scale: 1000 };
    case 'completionRate':
      return { rows: '(plays > 0 OR completes > 0)', num: 'sum(completes)', den: 'sum(plays)', scale: 1 };
    case 'zeroResultRate':
      return { rows: 'searches > 0', num: 'sum(zero_searches)', den: 'sum(searches)', scale: 1 };
    case 'clickThroughRate':
      return {
        rows: '(searches > 0 OR ranked_clicks > 0)',
        num: 'sum(ranked_clicks)',
        den: 'sum(searches)',
        scale: 1,
      };
  }
}

interface SourceSql {
  table: string;
  bucket: string;
  range: string;
  /** Events matching a condition. */
  count(cond: string): string;
  watchMs: string;
  viewers: string;
}

const BUCKET_FN: Record<MetricInterval, string> = {
  minute: 'toStartOfMinute',
  hour: 'toStartOfHour',
  day: 'toStartOfDay',
};

function sourceSql(source: Source, interval: MetricInterval): SourceSql {
  if (source.kind === 'raw') {
    return {
      table: 'events',
      bucket: `toUnixTimestamp(${BUCKET_FN[interval]}(occurred_at))`,
      range: `occurred_at >= toDateTime({fromS:UInt32}, 'UTC') AND occurred_at <= toDateTime({toS:UInt32}, 'UTC')
        AND occurred_ms >= {fromMs:UInt64} AND occurred_ms < {toMs:UInt64}`,
      count: (cond) => `countIf(${cond})`,
      watchMs: 'sum(watch_increase_ms)',
      viewers: "uniqIf(user_token, consent = 1 AND user_token != '')",
    };
  }
  return {
    table: source.kind === 'totals' ? source.table : `${source.family}_${source.grain}`,
    bucket: 'toUnixTimestamp(bucket)',
    range: `bucket >= toDateTime({fromS:UInt32}, 'UTC') AND bucket < toDateTime({toS:UInt32}, 'UTC')`,
    count: (cond) => `sumIf(events, ${cond})`,
    watchMs: 'sum(watch_ms)',
    viewers: 'uniqMerge(viewers)',
  };
}

export interface MetricSql {
  /** Which rows the metric reads: also what makes a group exist. */
  rows: string;
  num: string;
  /** null: a count, not a rate. */
  den: string | null;
  /** The numerator's unit over the metric's (watch time: milliseconds to seconds). */
  scale: number;
}

const WATCHED = "event_type IN ('progress', 'pause', 'complete')";
const RANKED_CLICK = "event_type = 'click' AND clicked_rank > 0";

export function metricSql(metric: EventMetric, s: SourceSql): MetricSql {
  const all = s.count('1');
  switch (metric) {
    case 'views':
      return { rows: "event_type = 'play'", num: all, den: null, scale: 1 };
    case 'uniqueViewers':
      return { rows: "event_type = 'play'", num: s.viewers, den: null, scale: 1 };
    case 'watchTime':
      return { rows: WATCHED, num: s.watchMs, den: null, scale: 1000 };
    case 'completionRate':
      return {
        rows: "event_type IN ('play', 'complete')",
        num: s.count("event_type = 'complete'"),
        den: s.count("event_type = 'play'"),
        scale: 1,
      };
    case 'errors':
      return { rows: "event_type = 'error'", num: all, den: null, scale: 1 };
    case 'searches':
      return { rows: "event_type = 'search'", num: all, den: null, scale: 1 };
    case 'zeroResultSearches':
      return { rows: "event_type = 'search' AND zero_result = 1", num: all, den: null, scale: 1 };
    case 'zeroResultRate':
      return {
        rows: "event_type = 'search'",
        num: s.count('zero_result = 1'),
        den: all,
        scale: 1,
      };
    case 'clickThroughRate':
      return {
        rows: `(event_type = 'search' OR (${RANKED_CLICK}))`,
        num: s.count(RANKED_CLICK),
        den: s.count("event_type = 'search'"),
        scale: 1,
      };
  }
}

interface GroupSql {
  expr: string;
  /** Rows without a value in the dimension belong to no group. */
  present: string;
  /** An array column: one row per value (`arrayJoin`). */
  array: boolean;
}

const GROUPS: Record<MetricGroupBy, GroupSql> = {
  asset: { expr: 'asset_id', present: "asset_id != ''", array: false },
  tag: { expr: 'arrayJoin(tags)', present: 'notEmpty(tags)', array: true },
  topic: { expr: 'arrayJoin(topics)', present: 'notEmpty(topics)', array: true },
  speaker: { expr: 'arrayJoin(speakers)', present: 'notEmpty(speakers)', array: true },
  sourceSystem: { expr: 'source_system', present: "source_system != ''", array: false },
  type: { expr: 'asset_type', present: "asset_type != ''", array: false },
  device: { expr: 'device', present: "device != ''", array: false },
  country: { expr: 'country', present: "country != ''", array: false },
  query: { expr: 'search_query', present: "search_query != ''", array: false },
  rank: { expr: 'toString(clicked_rank)', present: 'clicked_rank > 0', array: false },
};

const FILTERS: Record<keyof MetricFilters, { param: string; sql: string }> = {
  assetId: { param: 'fAsset', sql: 'has({fAsset:Array(String)}, asset_id)' },
  tag: { param: 'fTag', sql: 'hasAny(tags, {fTag:Array(String)})' },
  topic: { param: 'fTopic', sql: 'hasAny(topics, {fTopic:Array(String)})' },
  speaker: { param: 'fSpeaker', sql: 'hasAny(speakers, {fSpeaker:Array(String)})' },
  sourceSystem: { param: 'fSource', sql: 'has({fSource:Array(String)}, source_system)' },
  type: { param: 'fType', sql: 'has({fType:Array(String)}, asset_type)' },
  device: { param: 'fDevice', sql: 'has({fDevice:Array(String)}, device)' },
  country: { param: 'fCountry', sql: 'has({fCountry:Array(String)}, country)' },
};

export interface SeriesStatements {
  /** Rows (g, num, den): the top groups by total, or the one total without groupBy. */
  totals: string;
  /** Rows (g, t, num, den): the buckets of the groups in {groups}. */
  points: string;
  metric: MetricSql;
  params: Params;
  source: Source;
  /** Whether `points` takes {groups} (the top groups from `totals`). */
  grouped: boolean;
  /**
   * Rows (g, t, num, den): the buckets of the top groups, chosen within the statement (`points`
   * without groupBy). Enough alone when the metric is `additive`.
   */
  top: string;
  /** A group's total is the sum of its buckets' numerators over theirs (every metric but unique viewers). */
  additive: boolean;
}

/**
 * The two statements of a series, or of a part of one: click-through by rank reads the ranked
 * clicks by rank and, ungrouped, the searches, and divides them.
 */
export function seriesStatements(
  database: string,
  query: MetricQuery,
  part: SeriesPart = 'metric',
  viewersFrom?: number,
  totalsFrom: (table: TotalsTable) => number | null = () => 0,
): SeriesStatements {
  const db = checkDatabaseName(database);
  const source = pickSource(query, part, viewersFrom, totalsFrom);
  const s = sourceSql(source, query.interval);
  let metric =
    source.kind === 'totals' ? totalsMetricSql(query.metric, source.table) : metricSql(query.metric, s);
  // The viewers rollup holds the plays' viewers only, without an event type, as HLL states.
  if (source.kind === 'rollup' && source.family === 'viewers')
    metric = { ...metric, rows: '1', num: 'uniqHLL12Merge(viewers)' };
  if (part === 'rankedClicks') metric = { rows: RANKED_CLICK, num: s.count('1'), den: null, scale: 1 };
  if (part === 'searches') metric = { rows: "event_type = 'search'", num: s.count('1'), den: null, scale: 1 };
  const groupBy = part === 'searches' ? undefined : query.groupBy;
  // A totals table by an array's element holds one row per element: the group is a plain column there.
  const arrayTotals = source.kind === 'totals' ? TOTALS_TABLES[source.table] : null;
  const group = groupBy
    ? arrayTotals?.arrayJoin
      ? { expr: arrayTotals.key[0], present: '1', array: false }
      : GROUPS[groupBy]
    : null;

  const fromMs = query.from.getTime();
  const toMs = query.to.getTime();
  const params: Params = {
    tenantId: query.tenantId,
    fromMs,
    toMs,
    fromS: Math.floor(fromMs / 1000),
    toS: source.kind === 'raw' ? Math.floor(toMs / 1000) : Math.ceil(toMs / 1000),
    limit: query.limit,
  };
  const where = ['tenant_id = {tenantId:String}', s.range, metric.rows];
  if (group) where.push(group.present);
  for (const [key, values] of Object.entries(query.filters) as [
    keyof MetricFilters,
    string[] | undefined,
  ][]) {
    if (!values) continue;
    const f = FILTERS[key];
    where.push(f.sql);
    params[f.param] = values;
  }
  const g = group ? `${group.expr} AS g` : "'' AS g";
  const den = metric.den ?? '1';
  const total = metric.den ? `if(den = 0, 0, num / den)` : 'num';
  const from = `FROM ${db}.${s.table} WHERE ${where.join('\n AND ')}`;
  const totals = `
    SELECT ${g}, ${metric.num} AS num, ${den} AS den
    ${from}
    GROUP BY g
    ORDER BY ${total} DESC, g
    LIMIT {limit:UInt32}`;
  const inGroups = group ? (group.array ? 'HAVING has({groups:Array(String)}, g)' : '') : '';
  const points = `
    SELECT ${g}, ${s.bucket} AS t, ${metric.num} AS num, ${den} AS den
    ${from}${group && !group.array ? `\n AND ${group.expr} IN (SELECT arrayJoin({groups:Array(String)}))` : ''}
    GROUP BY g, t
    ${inGroups}`;
  // The buckets of the top groups in one statement, the groups picked by the totals as a subquery:
  // one round trip instead of two in a row (under load each costs tens of ms).
  const topGroups = `(SELECT g FROM (${totals}))`;
  const top = group
    ? `
    SELECT ${g}, ${s.bucket} AS t, ${metric.num} AS num, ${den} AS den
    ${from}${group.array ? '' : `\n AND ${group.expr} IN ${topGroups}`}
    GROUP BY g, t
    ${group.array ? `HAVING g IN ${topGroups}` : ''}`
    : points;
  const additive = part !== 'metric' || query.metric !== 'uniqueViewers';
  return { totals, points, top, additive, metric, params, source, grouped: group !== null };
}
