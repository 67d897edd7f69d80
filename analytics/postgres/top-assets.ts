import { run, type Sql } from '../../store/database.js';
import type { MetricQuery, MetricSeries } from '../analytics-store.js';
import {
  estimateViewers,
  rankByViewers,
  SKETCH_BITMAPS,
  SKETCH_RELATIVE_ERROR,
  withPoints,
} from './sketch.js';
import { SQL } from './statements.js';

/*
 * Top assets by a count over whole days, without reading every asset's daily rollup rows (10
 * million events over 5,000 assets and 30 days leave 150,000; summing them took 110–340 ms).
 *
 * The threshold algorithm (Fagin, Lotem and Naor 2001) over per-day top lists: for each day, the
 * DAY_TOP assets with the largest totals that day and `bound`, the total of the next one (no asset
 * outside the list had more that day). The candidates are the assets of the days' lists; their exact
 * totals over the range come from their own rows (an index by asset). An asset in no list has at
 * most the sum of the days' bounds: when the `limit`-th candidate has more than that, the
 * candidates' top is the top. Otherwise (flat popularity, a large limit) it answers null and the
 * caller sums every row as before.
 *
 * The day lists are kept in memory per store, each with the day's fingerprint: the tenant's daily
 * rollup row (views, completes, errors, watch time). Every event that changes an asset's daily row
 * raises that row in the same transaction, and counters only grow (erasure and retention leave the
 * rollups as they are), so an unchanged fingerprint means an unchanged day. The fingerprint is read
 * before the day's rows, so a list is never older than its fingerprint; a stale day (today, a late
 * event) is summed again, alone.
 */

/** Assets kept per day and metric. */
const DAY_TOP = 200;
/** Limits up to this use the threshold algorithm (a limit near DAY_TOP would rarely be proved). */
export const TOP_ASSETS_MAX_LIMIT = 50;
/** Day lists kept per store before the oldest half is dropped. */
const MAX_ENTRIES = 20_000;

/** The asset rollup column each metric sums (watch time in seconds, as series.ts sums it). */
const COLUMNS = {
  views: { column: 'views', scale: 1 },
  errors: { column: 'errors', scale: 1 },
  watchTime: { column: 'watch_ms', scale: 1000 },
} as const;
export const TOP_ASSET_METRICS: ReadonlySet<string> = new Set(Object.keys(COLUMNS));

interface DayList {
  fingerprint: string;
  /** The day's top assets and their totals that day (the column's unit), largest first. */
  assets: string[];
  totals: number[];
  /** The total of the next asset: no asset outside the list had more that day. */
  bound: number;
}

export class TopAssetDays {
  private readonly days = new Map<string, DayList>();

  get(key: string): DayList | undefined {
    const hit = this.days.get(key);
    if (hit) {
      // Most recently used last.
      this.days.delete(key);
      this.days.set(key, hit);
    }
    return hit;
  }

  set(key: string, list: DayList): void {
    this.days.set(key, list);
    if (this.days.size > MAX_ENTRIES) {
      let drop = this.days.size / 2;
      for (const k of this.days.keys()) {
        if (drop-- <= 0) break;
        this.days.delete(k);
      }
    }
  }
}

/**
 * The top `limit` assets of a day series (from, to on UTC midnights, no filters) by views, errors
 * or watch time, with their daily points; null when the day lists cannot prove the top.
 */
export async function topAssets(
  sql: Sql,
  cache: TopAssetDays,
  q: MetricQuery,
  starts: number[],
): Promise<MetricSeries[] | null> {
  const spec = COLUMNS[q.metric as keyof typeof COLUMNS];
  if (!spec || q.limit > TOP_ASSETS_MAX_LIMIT) return null;
  const range = { tenantId: q.tenantId, from: q.from, to: q.to };
  const { known, outside } = await bounds(sql, cache, q, spec);
  if (known.size === 0) return [];
  // Only assets that may still reach the top are read: those whose most is at least the
  // limit-th largest least.
  const lows = [...known.values()].map((k) => k.low).sort((a, b) => b - a);
  const floor = lows[Math.min(q.limit, lows.length) - 1]!;
  const contenders = [...known.entries()].filter(([, k]) => k.high >= floor).map(([asset]) => asset);
  const totals = await run<{ asset_id: string; total: number }>(sql, SQL.topAssetsTotals[spec.column], {
    ...range,
    assets: contenders,
    scale: spec.scale,
  });
  const ranked = totals
    .map((r) => ({ asset: r.asset_id, total: Number(r.total) }))
    .filter((r) => r.total > 0)
    .sort((a, b) => b.total - a.total || (a.asset < b.asset ? -1 : a.asset > b.asset ? 1 : 0));
  // Listed assets left out have less than `floor`, which the limit-th contender reaches; an asset
  // in no list must have less than the limit-th too, or the lists prove nothing.
  const unlisted = outside / spec.scale;
  if (lows.length < q.limit && outside > 0) return null;
  if (outside > 0 && (ranked.length < q.limit || ranked[q.limit - 1]!.total <= unlisted)) return null;
  const top = ranked.slice(0, q.limit);
  if (top.length === 0) return [];
  const points = await run<{ asset_id: string; t: Date | string; value: number }>(
    sql,
    SQL.topAssetsPoints[spec.column],
    { ...range, assets: top.map((r) => r.asset), scale: spec.scale },
  );
  const byAsset = new Map<string, Map<number, number>>();
  for (const p of points) {
    const m = byAsset.get(p.asset_id) ?? new Map<number, number>();
    m.set(new Date(p.t).getTime(), Number(p.value));
    byAsset.set(p.asset_id, m);
  }
  return top.map((r) => ({
    group: r.asset,
    total: r.total,
    points: starts.map((t) => ({ t: new Date(t), value: byAsset.get(r.asset)?.get(t) ?? 0 })),
  }));
}

/**
 * The top `limit` assets of a day series of unique viewers (no filters), from the daily sketches of
 * a few candidates instead of every asset's: an asset's viewers are at most its plays, which the
 * views day lists bound. Candidates are estimated in order of their most plays, a batch at a time,
 * until no asset left (listed or not) could have an estimate above the limit-th so far; null when
 * the assets outside the lists could (the caller then merges every asset's sketches).
 *
 * The bound on an estimate from a number of distinct viewers v: while the sketch estimates by
 * linear counting (v under 256), it cannot exceed 256·ln(256 / (256 − v)); above that, v plus
 * three standard errors (about 15 %), so a candidate left out has under a 0.2 % chance to belong.
 */
export async function topAssetViewers(
  sql: Sql,
  cache: TopAssetDays,
  q: MetricQuery,
  starts: number[],
): Promise<MetricSeries[] | null> {
  if (q.limit > TOP_ASSETS_MAX_LIMIT) return null;
  const { known, outside } = await bounds(sql, cache, q, COLUMNS.views);
  if (known.size === 0) return [];
  const queue = [...known.entries()]
    .map(([asset, k]) => ({ asset, most: estimateBound(k.high) }))
    .sort((a, b) => b.most - a.most);
  const batch = Math.max(4 * q.limit, 40);
  let estimated: { group: string; total: number }[] = [];
  const range = { tenantId: q.tenantId, from: q.from, to: q.to };
  for (let next = 0; next < queue.length;) {
    const floor = estimated.length >= q.limit ? estimated[q.limit - 1]!.total : 0;
    // Ties with the limit-th could still enter by their id: read while the most reaches the floor.
    if (estimated.length >= q.limit && queue[next]!.most < floor) break;
    const assets = queue.slice(next, next + batch).map((c) => c.asset);
    next += assets.length;
    const rows = await run<{ asset_id: string; sketch: Uint8Array }>(sql, SQL.assetViewerTotals, {
      ...range,
      assets,
    });
    estimated = rankByViewers(
      [
        ...estimated,
        ...rows.map((r) => ({ group: r.asset_id, total: Math.round(estimateViewers(r.sketch)) })),
      ],
      q.limit,
    );
  }
  const floor = estimated.length >= q.limit ? estimated[q.limit - 1]!.total : 0;
  if (outside > 0 && (estimated.length < q.limit || estimateBound(outside) >= floor)) return null;
  if (estimated.length === 0) return [];
  const points = await run<{ g: string; t: Date | string; sketch: Uint8Array }>(sql, SQL.assetViewerPoints, {
    ...range,
    assets: estimated.map((e) => e.group),
  });
  return withPoints(estimated, points, starts, true);
}

/** The most a sketch of `viewers` distinct tokens estimates (see topAssetViewers). */
export function estimateBound(viewers: number): number {
  const n = SKETCH_BITMAPS;
  if (viewers < n) return Math.max(viewers, Math.ceil(n * Math.log(n / (n - viewers))));
  return Math.ceil(Math.max(640, viewers * (1 + 3 * SKETCH_RELATIVE_ERROR)));
}

async function bounds(
  sql: Sql,
  cache: TopAssetDays,
  q: MetricQuery,
  spec: (typeof COLUMNS)[keyof typeof COLUMNS],
): Promise<{ known: Map<string, { low: number; high: number }>; outside: number }> {
  const range = { tenantId: q.tenantId, from: q.from, to: q.to };
  const prints = await run<{ bucket: Date | string; fingerprint: string }>(
    sql,
    SQL.topAssetsFingerprints,
    range,
  );
  const lists: DayList[] = [];
  const stale: { key: string; bucket: Date; fingerprint: string }[] = [];
  for (const p of prints) {
    const bucket = new Date(p.bucket);
    const key = `${q.tenantId}\u0000${spec.column}\u0000${bucket.getTime()}`;
    const hit = cache.get(key);
    if (hit && hit.fingerprint === p.fingerprint) lists.push(hit);
    else stale.push({ key, bucket, fingerprint: p.fingerprint });
  }
  if (stale.length > 0) {
    const rows = await run<{ bucket: Date | string; asset_id: string; total: number }>(
      sql,
      SQL.topAssetsOfDays[spec.column],
      { tenantId: q.tenantId, days: stale.map((s) => s.bucket), keep: DAY_TOP + 1 },
    );
    const byDay = new Map<number, { asset_id: string; total: number }[]>();
    for (const r of rows) {
      const t = new Date(r.bucket).getTime();
      const list = byDay.get(t) ?? [];
      list.push({ asset_id: r.asset_id, total: Number(r.total) });
      byDay.set(t, list);
    }
    for (const s of stale) {
      const ranked = byDay.get(s.bucket.getTime()) ?? [];
      const list: DayList = {
        fingerprint: s.fingerprint,
        assets: ranked.slice(0, DAY_TOP).map((r) => r.asset_id),
        totals: ranked.slice(0, DAY_TOP).map((r) => r.total),
        bound: ranked[DAY_TOP]?.total ?? 0,
      };
      cache.set(s.key, list);
      lists.push(list);
    }
  }
  // What the lists say of each listed asset: at least the days it is listed on, at most that plus
  // the bounds of the other days. An asset in no list has at most every day's bound.
  const outside = lists.reduce((sum, l) => sum + l.bound, 0);
  const known = new Map<string, { low: number; high: number }>();
  for (const l of lists) {
    l.assets.forEach((asset, i) => {
      const k = known.get(asset) ?? { low: 0, high: outside };
      k.low += l.totals[i]!;
      k.high += l.totals[i]! - l.bound;
      known.set(asset, k);
    });
  }
  return { known, outside };
}
