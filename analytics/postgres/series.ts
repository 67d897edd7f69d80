import { ValidationError } from '../../domain/errors.js';
import { bind, run, statement, type NamedStatement, type Sql } from '../../store/database.js';
import type {
  EventMetric,
  MetricFilters,
  MetricGroupBy,
  MetricInterval,
  MetricQuery,
  MetricResult,
  MetricSeries,
  TrendingAsset,
  TrendingQuery,
} from '../analytics-store.js';
import { estimateViewers, rankByViewers, withPoints } from './sketch.js';
import { SQL } from './statements.js';
import { TOP_ASSET_METRICS, topAssets, topAssetViewers, type TopAssetDays } from './top-assets.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const UNIT_MS: Record<MetricInterval, number> = { minute: MINUTE, hour: HOUR, day: DAY };
/** Minute series read the raw events: at most this long a range. */
export const MINUTE_RANGE_MAX_MS = 48 * HOUR;

type Source = 'tenant' | 'dim' | 'asset' | 'context' | 'query' | 'queryTotal' | 'rank' | 'raw';
type Grain = 'h' | 'd';

const ASSET_DIMS: ReadonlySet<string> = new Set(['asset', 'tag', 'topic', 'speaker', 'sourceSystem', 'type']);
/** The asset dimensions with rollups of their own (analytics_dim_rollups), for playback without filters. */
const DIM_GROUPS: ReadonlySet<string> = new Set(['tag', 'topic', 'speaker', 'sourceSystem', 'type']);
const CONTEXT_DIMS: ReadonlySet<string> = new Set(['device', 'country']);
const PLAYBACK: ReadonlySet<EventMetric> = new Set([
  'views',
  'uniqueViewers',
  'watchTime',
  'completionRate',
  'errors',
]);
const FILTER_DIM: Record<keyof MetricFilters, string> = {
  assetId: 'asset',
  tag: 'tag',
  topic: 'topic',
  speaker: 'speaker',
  sourceSystem: 'sourceSystem',
  type: 'type',
  device: 'device',
  country: 'country',
};

/*
 * The constant fragments a series statement is made of (see statements.ts): per source, the table,
 * each metric's numerator, denominator or sketch column, each group's expression and each filter's
 * condition. Nothing from a request is written into the text: the values are parameters.
 */
interface MetricParts {
  num?: string;
  den?: string;
  /** Rollups: a viewer sketch column (bit_or, estimated); raw: a token counted distinct. */
  sketch?: string;
}
/** The port's metrics, and the clicks of the click-through split by rank (divided by searches after). */
type Measure = EventMetric | 'clicks';
const ROLLUP_METRICS: Record<Measure, MetricParts> = {
  clicks: { num: 'r.clicks' },
  views: { num: 'r.views' },
  uniqueViewers: { sketch: 'r.viewers' }, // read from the *_viewers tables
  watchTime: { num: 'r.watch_ms / 1000.0' },
  completionRate: { num: 'r.completes', den: 'r.views' },
  errors: { num: 'r.errors' },
  searches: { num: 'r.searches' },
  zeroResultSearches: { num: 'r.zero_searches' },
  zeroResultRate: { num: 'r.zero_searches', den: 'r.searches' },
  clickThroughRate: { num: 'r.clicks', den: 'r.searches' },
};
const RAW_METRICS: Record<Measure, MetricParts> = {
  clicks: { num: `(r.type = 'click' AND r.clicked_rank IS NOT NULL)::int` },
  views: { num: `(r.type = 'play')::int` },
  uniqueViewers: { sketch: `CASE WHEN r.type = 'play' AND r.consent THEN r.user_token END` },
  watchTime: { num: 'r.watch_ms / 1000.0' },
  completionRate: { num: `(r.type = 'complete')::int`, den: `(r.type = 'play')::int` },
  errors: { num: `(r.type = 'error')::int` },
  searches: { num: `(r.type = 'search')::int` },
  zeroResultSearches: { num: `(r.type = 'search' AND r.total_hits = 0)::int` },
  zeroResultRate: { num: `(r.type = 'search' AND r.total_hits = 0)::int`, den: `(r.type = 'search')::int` },
  clickThroughRate: {
    num: `(r.type = 'click' AND r.clicked_rank IS NOT NULL)::int`,
    den: `(r.type = 'search')::int`,
  },
};
const TABLES: Record<Exclude<Source, 'raw'>, string> = {
  tenant: 'analytics_tenant_rollups',
  dim: 'analytics_dim_rollups',
  asset: 'analytics_asset_rollups',
  context: 'analytics_context_rollups',
  query: 'analytics_query_rollups',
  queryTotal: 'analytics_query_totals',
  rank: 'analytics_rank_rollups',
};
const VIEWER_TABLES = {
  tenant: 'analytics_tenant_viewers',
  dim: 'analytics_dim_viewers',
  asset: 'analytics_asset_viewers',
  context: 'analytics_context_viewers',
};
/** Watch time from raw events: what each event adds past its session's furthest position so far. */
const RAW_WITH_WATCH = `(
  SELECT e.*, CASE WHEN e.type IN ('progress', 'pause', 'complete') AND e.position IS NOT NULL
    THEN greatest(0, e.position - coalesce(max(e.position) FILTER (WHERE e.type IN ('progress', 'pause', 'complete'))
      OVER (PARTITION BY coalesce(e.session_token, e.id::text), e.asset_id ORDER BY e.occurred_at, e.id
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0))
    ELSE 0 END AS watch_ms
  FROM analytics_events e WHERE e.tenant_id = :tenantId AND e.occurred_at >= :from AND e.occurred_at < :to)`;

const ROLLUP_GROUPS: Record<MetricGroupBy, { expr: string; join?: string }> = {
  asset: { expr: 'r.asset_id' },
  tag: { expr: 'g.v', join: 'CROSS JOIN LATERAL unnest(d.tags) AS g(v)' },
  topic: { expr: 'g.v', join: 'CROSS JOIN LATERAL unnest(d.topics) AS g(v)' },
  speaker: { expr: 'g.v', join: 'CROSS JOIN LATERAL unnest(d.speakers) AS g(v)' },
  sourceSystem: { expr: 'd.source_system' },
  type: { expr: 'd.type' },
  device: { expr: `nullif(r.device, '')` },
  country: { expr: `nullif(r.country, '')` },
  query: { expr: 'r.query' },
  rank: { expr: 'r.rank' },
};
/** The raw events carry the same dims_key: their asset dimensions come from the same table. */
const RAW_GROUPS: Record<MetricGroupBy, { expr: string; join?: string }> = {
  ...ROLLUP_GROUPS,
  device: { expr: 'r.device' },
  country: { expr: 'r.country' },
  rank: { expr: 'r.clicked_rank' },
};
const ROLLUP_FILTERS: Record<keyof MetricFilters, string> = {
  assetId: 'r.asset_id = ANY(:assetId::uuid[])',
  tag: 'd.tags && :tag::text[]',
  topic: 'd.topics && :topic::text[]',
  speaker: 'd.speakers && :speaker::text[]',
  sourceSystem: 'd.source_system = ANY(:sourceSystem::text[])',
  type: 'd.type = ANY(:type::text[])',
  device: 'r.device = ANY(:device::text[])',
  country: 'r.country = ANY(:country::text[])',
};
const RAW_FILTERS = ROLLUP_FILTERS;

interface Shape {
  source: Source;
  grain: Grain | null;
  metric: Measure;
  groupBy: MetricGroupBy | null;
  filters: (keyof MetricFilters)[];
}

const cache = new Map<string, NamedStatement>();

/** The rows a series reads: bucket `t`, group `g`, and the metric's `num`, `den` or sketch `sk`. */
function rowsOf(shape: Shape): string {
  const raw = shape.source === 'raw';
  const parts = (raw ? RAW_METRICS : ROLLUP_METRICS)[shape.metric];
  const group = shape.groupBy
    ? shape.source === 'dim'
      ? { expr: 'r.value' }
      : (raw ? RAW_GROUPS : ROLLUP_GROUPS)[shape.groupBy]
    : null;
  const dimsUsed = new Set<string>(['tag', 'topic', 'speaker', 'sourceSystem', 'type']);
  const needsDims =
    (shape.source === 'asset' || raw) &&
    (shape.filters.some((f) => dimsUsed.has(f)) || (shape.groupBy !== null && dimsUsed.has(shape.groupBy)));
  const from = raw
    ? shape.metric === 'watchTime'
      ? `${RAW_WITH_WATCH} r`
      : 'analytics_events r'
    : shape.metric === 'uniqueViewers'
      ? `${VIEWER_TABLES[shape.source as keyof typeof VIEWER_TABLES]} r`
      : `${TABLES[shape.source as Exclude<Source, 'raw'>]} r`;
  const joins = [
    needsDims ? 'JOIN analytics_asset_dims d ON d.tenant_id = r.tenant_id AND d.dims_key = r.dims_key' : '',
    group?.join ?? '',
  ].join(' ');
  const time = raw ? 'r.occurred_at' : 'r.bucket';
  const where = [
    'r.tenant_id = :tenantId',
    `${time} >= :from`,
    `${time} < :to`,
    raw ? '' : `r.grain = :grain`,
    // The dimension's name is one of DIM_GROUPS, written in as the constant it is.
    shape.source === 'dim' ? `r.dim = '${shape.groupBy}'` : '',
    group ? `${group.expr} IS NOT NULL` : '',
    ...shape.filters.map((f) => (raw ? RAW_FILTERS : ROLLUP_FILTERS)[f]),
  ].filter(Boolean);
  // Counts as float8 (exact to 2^53): summing them is cheaper than numeric sums of bigint.
  const columns = [
    // Buckets from the epoch: UTC boundaries, by arithmetic (date_trunc with a time zone costs more).
    `date_bin(:step::interval, ${time}, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS t`,
    // Without groups, one constant group (answered as null).
    `${group ? group.expr : '0'} AS g`,
    parts.num ? `(${parts.num})::float8 AS num` : '',
    parts.den ? `(${parts.den})::float8 AS den` : '',
    parts.sketch ? `${parts.sketch} AS sk` : '',
  ].filter(Boolean);
  return `SELECT ${columns.join(', ')} FROM ${from} ${joins} WHERE ${where.join(' AND ')}`;
}

/** The statement for one shape of series query (sums, or raw distinct viewers), made once. */
function seriesStatement(shape: Shape): NamedStatement {
  const key = JSON.stringify(shape);
  const cached = cache.get(key);
  if (cached) return cached;
  const raw = shape.source === 'raw';
  const parts = (raw ? RAW_METRICS : ROLLUP_METRICS)[shape.metric];
  const rows = rowsOf(shape);
  const valueOf = (n: string, d: string) =>
    parts.den ? `coalesce(${n}::float8 / nullif(${d}, 0), 0)` : `coalesce(${n}, 0)`;
  // A group is there when something counts towards it: its denominator for a rate.
  const presentOf = (n: string, d: string) => (parts.den ? `${d} > 0` : `${n} > 0`);
  const text = parts.sketch
    ? // Distinct tokens do not add up across buckets: the total is counted over the rows again.
      `
    WITH rows AS MATERIALIZED (${rows}),
    tot AS (
      SELECT g, count(DISTINCT sk)::float8 AS total FROM rows GROUP BY g HAVING count(sk) > 0
      ORDER BY total DESC, g LIMIT :limit
    ), per AS (
      SELECT g, t, count(DISTINCT sk)::float8 AS value FROM rows WHERE g IN (SELECT g FROM tot) GROUP BY g, t
    )
    SELECT tot.g::text AS g, tot.total, per.t, per.value FROM tot JOIN per ON per.g = tot.g
    ORDER BY tot.total DESC, tot.g, per.t`
    : raw
      ? // Raw events are read once: summed per group and bucket, the groups' totals from those sums
        // (a second scan of the events' heap cost more than the whole rest of the statement).
        `
    WITH per AS MATERIALIZED (
      SELECT ${['g', 't', parts.num ? 'sum(num) AS n' : '', parts.den ? 'sum(den) AS d' : ''].filter(Boolean).join(', ')}
      FROM (${rows}) rows GROUP BY g, t
    ), tot AS (
      SELECT g, ${valueOf('sum(n)', 'sum(d)')}::float8 AS total FROM per GROUP BY g
      HAVING ${presentOf('sum(n)', 'sum(d)')}
      ORDER BY total DESC, g LIMIT :limit
    )
    SELECT tot.g::text AS g, tot.total, per.t, ${valueOf('per.n', 'per.d')}::float8 AS value
    FROM tot JOIN per ON per.g = tot.g
    ORDER BY tot.total DESC, tot.g, per.t`
      : // Sums merge. The groups' totals first, straight from the rows; then the buckets of the top
        // groups only (two scans of the rollup rows cost less than keeping them all).
        `
    WITH tot AS (
      SELECT g, ${valueOf('sum(num)', 'sum(den)')}::float8 AS total FROM (${rows}) rows GROUP BY g
      HAVING ${presentOf('sum(num)', 'sum(den)')}
      ORDER BY total DESC, g LIMIT :limit
    ), per AS (
      SELECT ${['g', 't', parts.num ? 'sum(num) AS n' : '', parts.den ? 'sum(den) AS d' : ''].filter(Boolean).join(', ')}
      FROM (${rows}) rows WHERE g IN (SELECT g FROM tot) GROUP BY g, t
    )
    SELECT tot.g::text AS g, tot.total, per.t, ${valueOf('per.n', 'per.d')}::float8 AS value
    FROM tot JOIN per ON per.g = tot.g
    ORDER BY tot.total DESC, tot.g, per.t`;
  const st = statement(text);
  cache.set(key, st);
  return st;
}

/**
 * Unique viewers from the rollups' sketches, in two statements: each group's sketch merged over the
 * range (estimated and ranked here, sketch.ts), then the daily or hourly sketches of the top groups.
 * Sketches travel in their binary form (1 kB each).
 */
function viewerStatements(shape: Shape): { totals: NamedStatement; points: NamedStatement } {
  const key = `viewers:${JSON.stringify(shape)}`;
  const rows = rowsOf(shape);
  const totals =
    cache.get(key) ??
    statement(`
    SELECT g::text AS g, varbit_send(bit_or(sk)) AS sketch FROM (${rows}) rows GROUP BY g`);
  const points =
    cache.get(`${key}:points`) ??
    statement(`
    SELECT g::text AS g, t, varbit_send(bit_or(sk)) AS sketch FROM (${rows}) rows
    WHERE g::text = ANY(:groups::text[]) GROUP BY g, t`);
  cache.set(key, totals);
  cache.set(`${key}:points`, points);
  return { totals, points };
}

const aligned = (d: Date, unit: number) => d.getTime() % unit === 0;

/** Where a query is answered from: the rollups whenever they hold what it asks, else the raw events. */
function plan(q: MetricQuery): Shape | 'empty' {
  const filters = (Object.keys(FILTER_DIM) as (keyof MetricFilters)[]).filter(
    (f) => (q.filters[f]?.length ?? 0) > 0,
  );
  const dims = new Set(filters.map((f) => FILTER_DIM[f]));
  if (q.groupBy) dims.add(q.groupBy);
  const groupBy = q.groupBy ?? null;
  const playback = PLAYBACK.has(q.metric);
  // Playback events carry no query or rank; search metrics' rank groups are click-through's.
  if (playback && (groupBy === 'query' || groupBy === 'rank')) return 'empty';
  if (!playback && groupBy === 'rank' && q.metric !== 'clickThroughRate') return 'empty';
  const shape = (source: Source, grain: Grain | null): Shape => ({
    source,
    grain,
    metric: q.metric,
    groupBy,
    filters,
  });
  let grain: Grain | null = null;
  if (q.interval === 'day' && aligned(q.from, DAY) && aligned(q.to, DAY)) grain = 'd';
  else if (q.interval !== 'minute' && aligned(q.from, HOUR) && aligned(q.to, HOUR)) grain = 'h';
  if (grain === null) return shape('raw', null);
  if (dims.size === 0) return shape('tenant', grain);
  const only = (allowed: ReadonlySet<string>) => [...dims].every((d) => allowed.has(d));
  const contextOnly = only(CONTEXT_DIMS);
  if (playback) {
    if (contextOnly) return shape('context', grain);
    // Dimension sketches are kept per day only.
    if (
      filters.length === 0 &&
      groupBy &&
      DIM_GROUPS.has(groupBy) &&
      (q.metric !== 'uniqueViewers' || grain === 'd')
    ) {
      return shape('dim', grain);
    }
    // Asset rollups keep viewer sketches per day only.
    if (only(ASSET_DIMS) && (q.metric !== 'uniqueViewers' || grain === 'd')) return shape('asset', grain);
    return shape('raw', null);
  }
  const otherDims = [...dims].filter((d) => d !== groupBy);
  const filtersContextOnly = otherDims.every((d) => CONTEXT_DIMS.has(d));
  if (groupBy === 'query' && filters.length === 0) return shape('queryTotal', grain);
  if (groupBy === 'query' && filtersContextOnly) return shape('query', grain);
  if (groupBy === 'rank' && filtersContextOnly) return shape('rank', grain);
  if (contextOnly) return shape('context', grain);
  return shape('raw', null);
}

/** `topDays`: the store's day lists for top assets (top-assets.ts); without them every row is summed. */
export async function series(sql: Sql, q: MetricQuery, topDays?: TopAssetDays): Promise<MetricResult> {
  const unit = UNIT_MS[q.interval];
  if (q.interval === 'minute' && q.to.getTime() - q.from.getTime() > MINUTE_RANGE_MAX_MS) {
    throw new ValidationError(
      `a minute series may span at most ${MINUTE_RANGE_MAX_MS / HOUR} hours: use interval=hour or a shorter range`,
    );
  }
  const starts: number[] = [];
  for (let t = Math.floor(q.from.getTime() / unit) * unit; t < q.to.getTime(); t += unit) starts.push(t);
  const shaped = plan(q);
  let found: MetricSeries[] = [];
  if (shaped !== 'empty') {
    if (shaped.source === 'rank') {
      // Clicks per rank over all searches: the rank rollups' clicks, the tenant's searches (per
      // device and country when filtered by them).
      const clicks = await read(sql, { ...shaped, metric: 'clicks' }, q, starts);
      const source = shaped.filters.length > 0 ? 'context' : 'tenant';
      const searches = await read(sql, { ...shaped, source, metric: 'searches', groupBy: null }, q, starts);
      found = clicks.map((s) => divide(s, searches[0]));
    } else if (shaped.source === 'raw' && shaped.groupBy === 'rank') {
      const clicks = await read(sql, { ...shaped, metric: 'clicks' }, q, starts);
      const searches = await read(sql, { ...shaped, metric: 'searches', groupBy: null }, q, starts);
      found = clicks.map((s) => divide(s, searches[0]));
    } else {
      const byTopLists =
        topDays &&
        shaped.source === 'asset' &&
        shaped.grain === 'd' &&
        shaped.groupBy === 'asset' &&
        shaped.filters.length === 0 &&
        TOP_ASSET_METRICS.has(shaped.metric);
      const top = byTopLists ? await topAssets(sql, topDays, q, starts) : null;
      if (top) found = top;
      else if (shaped.metric === 'uniqueViewers' && shaped.source !== 'raw') {
        const byCandidates =
          topDays && shaped.source === 'asset' && shaped.groupBy === 'asset' && shaped.filters.length === 0;
        found =
          (byCandidates ? await topAssetViewers(sql, topDays, q, starts) : null) ??
          (await readViewers(sql, shaped, q, starts));
      } else found = await read(sql, shaped, q, starts);
    }
  }
  if (!q.groupBy && found.length === 0) {
    found = [{ group: null, total: 0, points: starts.map((t) => ({ t: new Date(t), value: 0 })) }];
  }
  return { series: found };
}

function paramsOf(shape: Shape, q: MetricQuery): Record<string, unknown> {
  const params: Record<string, unknown> = {
    tenantId: q.tenantId,
    from: q.from,
    to: q.to,
    step: `1 ${q.interval}`,
    limit: shape.groupBy ? q.limit : 1,
  };
  if (shape.grain) params.grain = shape.grain;
  for (const f of shape.filters) params[f] = q.filters[f];
  return params;
}

/** The top `limit` groups by estimated viewers and their points, from the rollups' sketches. */
async function readViewers(
  sql: Sql,
  shape: Shape,
  q: MetricQuery,
  starts: number[],
): Promise<MetricSeries[]> {
  const st = viewerStatements(shape);
  const params = paramsOf(shape, q);
  const groups = await sql.query<{ g: string; sketch: Uint8Array }>(st.totals.text, bind(st.totals, params));
  const ranked = rankByViewers(
    groups.map((r) => ({ group: r.g, total: Math.round(estimateViewers(r.sketch)) })),
    shape.groupBy ? q.limit : 1,
  );
  if (ranked.length === 0) return [];
  const points = await sql.query<{ g: string; t: Date | string; sketch: Uint8Array }>(
    st.points.text,
    bind(st.points, { ...params, groups: ranked.map((r) => r.group) }),
  );
  return withPoints(ranked, points, starts, shape.groupBy !== null);
}

async function read(sql: Sql, shape: Shape, q: MetricQuery, starts: number[]): Promise<MetricSeries[]> {
  const st = seriesStatement(shape);
  const params = paramsOf(shape, q);
  const rows = await sql.query<{ g: string | null; total: number; t: Date | string; value: number }>(
    st.text,
    bind(st, params),
  );
  const out: MetricSeries[] = [];
  let last: string | null = null;
  for (const row of rows) {
    let s = out[out.length - 1];
    if (!s || last !== row.g) {
      s = { group: shape.groupBy ? row.g : null, total: Number(row.total), points: [] };
      out.push(s);
      last = row.g;
    }
    s.points.push({ t: new Date(row.t), value: Number(row.value) });
  }
  return out.map((s) => {
    const byTime = new Map(s.points.map((p) => [p.t.getTime(), p.value]));
    return { ...s, points: starts.map((t) => ({ t: new Date(t), value: byTime.get(t) ?? 0 })) };
  });
}

function divide(clicks: MetricSeries, searches: MetricSeries | undefined): MetricSeries {
  const den = new Map(searches?.points.map((p) => [p.t.getTime(), p.value]) ?? []);
  const total = searches?.total ?? 0;
  return {
    group: clicks.group,
    total: total > 0 ? clicks.total / total : 0,
    points: clicks.points.map((p) => {
      const d = den.get(p.t.getTime()) ?? 0;
      return { t: p.t, value: d > 0 ? p.value / d : 0 };
    }),
  };
}

export async function trending(sql: Sql, q: TrendingQuery): Promise<TrendingAsset[]> {
  const recentFrom = new Date(q.at.getTime() - q.recentHours * HOUR);
  const baselineFrom = new Date(recentFrom.getTime() - q.baselineDays * DAY);
  const fromRollups = [q.at, recentFrom, baselineFrom].every((d) => aligned(d, HOUR));
  const baselineHours = q.baselineDays * 24;
  const rows = await run<{ asset_id: string; recent: number; baseline: number; score: number }>(
    sql,
    fromRollups ? SQL.trendingFromRollups : SQL.trendingFromRaw,
    {
      tenantId: q.tenantId,
      at: q.at,
      recentFrom,
      baselineFrom,
      recentHours: q.recentHours,
      baselineHours,
      limit: q.limit,
    },
  );
  return rows.map((r) => ({
    assetId: r.asset_id,
    recentViews: Number(r.recent),
    baselineViewsPerHour: Number(r.baseline) / baselineHours,
    score: Number(r.score),
  }));
}
