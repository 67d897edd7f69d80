import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { EVENT_MAX_AGE_MS, type StoredEvent } from '../domain/interaction-events.js';
import {
  interactionLimit,
  interactionPage,
  interactionParams,
  searchInteractionsStatement,
  type InteractionRow,
} from './clickhouse/search-interactions.js';
import type {
  AnalyticsStore,
  CoViewCounts,
  CoViewQuery,
  DimensionValueMatcher,
  AssetActivityQuery,
  AssetDayActivity,
  MetricQuery,
  MetricResult,
  MetricSeries,
  RecordResult,
  SearchInteractionPage,
  SearchInteractionQuery,
  TrendingAsset,
  TrendingQuery,
} from './analytics-store.js';
import { coViewParams, coViewStatements } from './clickhouse/co-views.js';
import { assetActivityStatement } from './clickhouse/activity.js';
import { ALWAYS_LITERAL, bindParams, type Params } from './clickhouse/params.js';
import { seriesStatements, stepMs, type SeriesStatements } from './clickhouse/series.js';
import {
  NAMED_TOTALS,
  RAW_TABLES,
  ROLLUP_GRAINS,
  USER_TABLES,
  WATCH_TYPES,
  checkDatabaseName,
  schemaStatements,
  statements,
  TOTALS_GENERATIONS,
  TOTALS_TABLES,
  cutoffOf,
  totalsOf,
  totalsBackfill,
  totalsSchema,
  totalsStatements,
  totalsView,
  viewersBackfill,
  viewersCoverage,
  viewersView,
  type NamedTotalsTable,
  type RollupGrain,
  type TotalsGeneration,
  type TotalsTable,
} from './clickhouse/statements.js';

/**
 * Runs `fn` under a lock shared by the processes on one database (the service's are
 * store/advisory-lock.ts); `held` rejects once the lock may have gone.
 */
type Exclusive = <T>(fn: (held: () => Promise<void>) => Promise<T>) => Promise<T>;
/** As `Exclusive`, but null at once while another process holds the lock. */
type ExclusiveIfFree = <T>(fn: (held: () => Promise<void>) => Promise<T>) => Promise<T | null>;

export interface ClickHouseAnalyticsOptions {
  /** The HTTP interface, e.g. http://127.0.0.1:8123 (credentials in the URL if any). */
  url: string;
  /** Created by ensureSchema when missing. */
  database: string;
  /** The longest wait for an erasure or expiry mutation to finish. */
  mutationTimeoutMs?: number;
  /**
   * Runs `fn` while no other process sharing the database runs it: `ensureSchema` changes the
   * schema under it (quick). The service passes an advisory lock on its canonical Postgres
   * (store/advisory-lock.ts); without one, start one process at a time on a database to upgrade.
   */
  exclusive?: Exclusive;
  /**
   * As `exclusive`, for the totals tables' upgrade that `ensureSchema` starts in the background
   * (minutes on a large raw table): skipped (null) while another process runs it. A lock of its
   * own, so that a start does not wait for another process's upgrade.
   */
  exclusiveUpgrade?: ExclusiveIfFree;
  /** Told what stopped a background upgrade (the next start or `completeTotals` tries again). */
  onUpgradeError?: (err: unknown) => void;
  /** How far ahead of the server's clock a totals view's cutoff is set (seconds; default 5). */
  cutoffMarginS?: number;
}

/** Per tenant, the first second the totals tables cover; null while their backfill is not done. */
type TotalsCoverage = Map<string, number> | null;

/**
 * The relative standard error of unique viewers (docs/analytics-clickhouse.md): `uniq` (grouped or
 * filtered series, under 1 % measured on 18.16) or `uniqHLL12` (the viewers rollups, 1.04/√4096).
 */
export const CLICKHOUSE_UNIQ_ERROR = 0.0163;

const DAY_MS = 86_400_000;

type Row = Record<string, unknown>;

/**
 * The AnalyticsStore on ClickHouse (`CLICKHOUSE_URL`). Statements live in clickhouse/; they run on
 * ClickHouse 18.16 and on current releases. Values travel as query parameters where the server
 * takes them, and as checked literals on servers before 19.x (clickhouse/params.ts).
 */
export class ClickHouseAnalyticsStore implements AnalyticsStore {
  private readonly client: ClickHouseClient;
  private readonly database: string;
  private readonly sql: ReturnType<typeof statements>;
  private readonly mutationTimeoutMs: number;
  /** `viewers_since` (read once: it is written only when the viewers rollups are added). */
  private viewersSince: Promise<Map<string, number>> | null = null;
  /** Whether the server takes `param_*` (probed once). */
  private nativeParams: Promise<boolean> | null = null;
  private readonly totalsSql: ReturnType<typeof totalsStatements>;
  private readonly exclusive: Exclusive;
  private readonly exclusiveUpgrade: ExclusiveIfFree;
  private readonly onUpgradeError: (err: unknown) => void;
  /** The totals upgrade running in the background, if any (`ensureSchema`). */
  private upgrade: Promise<TotalsUpgrade> | null = null;
  /** Set by `close`: a background upgrade stops at its next step. */
  private stopping = false;
  private readonly cutoffMarginS: number;
  /** The totals tables' coverage: kept once their backfill is done, read again until then. */
  private totalsCoverage: { at: number; value: Promise<TotalsCoverage[]>; settled: boolean } | null = null;

  constructor(options: ClickHouseAnalyticsOptions) {
    this.database = checkDatabaseName(options.database);
    this.sql = statements(this.database);
    this.mutationTimeoutMs = options.mutationTimeoutMs ?? 120_000;
    this.client = createClient({ url: options.url, request_timeout: 60_000 });
    this.totalsSql = totalsStatements(this.database);
    this.exclusive = options.exclusive ?? ((fn) => fn(alwaysHeld));
    this.exclusiveUpgrade = options.exclusiveUpgrade ?? ((fn) => fn(alwaysHeld));
    this.onUpgradeError =
      options.onUpgradeError ?? ((err) => console.error('ClickHouse totals upgrade:', err));
    this.cutoffMarginS = options.cutoffMarginS ?? 5;
  }

  /**
   * Creates what is missing (quick, under `exclusive`), then starts the totals tables' upgrade in
   * the background (`totalsUpgrade`): until it is done, series read the rollup families instead.
   */
  async ensureSchema(): Promise<void> {
    await this.exclusive(() => this.ensureSchemaAlone());
    this.viewersSince = null;
    this.totalsCoverage = null;
    const upgrade = (this.upgrade ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => this.completeTotals());
    // Logged, never thrown: the process serves meanwhile, and the next start tries again.
    upgrade.catch((err: unknown) => this.onUpgradeError(err));
    this.upgrade = upgrade;
  }

  /**
   * The background upgrade `ensureSchema` started: 'done', 'busy' (another process runs it) or
   * 'stopped' (by `close`); rejects with what stopped it otherwise.
   */
  totalsUpgrade(): Promise<TotalsUpgrade> {
    return this.upgrade ?? this.completeTotals();
  }

  /**
   * Brings the totals tables up to date now, under `exclusiveUpgrade` (`npm run analytics:backfill`
   * after `ensureSchema`, which started the same): see `totalsUpgrade`.
   */
  async completeTotals(): Promise<TotalsUpgrade> {
    const outcome = (await this.exclusiveUpgrade((held) => this.completeTotalsAlone(held))) ?? 'busy';
    if (outcome === 'done') this.totalsCoverage = null;
    return outcome;
  }

  private async ensureSchemaAlone(): Promise<void> {
    const had = await this.client
      .query({
        query: `SELECT name FROM system.tables WHERE database = '${this.database}'`,
        format: 'JSONEachRow',
      })
      .then((r) => r.json<{ name: string }>())
      .then((rows) => new Set(rows.map((r) => r.name)));
    for (const statement of schemaStatements(this.database)) await this.client.command({ query: statement });
    // Viewers rollups added to a database that holds events: filled from the raw events once their
    // views exist (so that no event falls between), and told from when they cover each tenant.
    if (had.has('events') && !had.has(viewersView('daily'))) {
      for (const grain of Object.keys(ROLLUP_GRAINS) as RollupGrain[])
        await this.client.command({ query: viewersBackfill(this.database, grain) });
      await this.client.command({ query: viewersCoverage(this.database) });
    }
    if (!had.has('events')) {
      // A new database: the views count every event from the first; nothing to backfill.
      for (const table of TOTALS)
        for (const statement of totalsSchema(this.database, table, 0))
          await this.client.command({ query: statement });
      for (const generation of GENERATIONS) await this.mark(0, TOTALS_GENERATIONS[generation].done, 0);
    }
  }

  /**
   * Brings the totals tables of a database that holds events to where they count every raw event
   * once (docs/analytics-clickhouse.md, "Totals tables"): `inserted_at` on the raw table; the views,
   * counting rows inserted from a cutoff a few seconds ahead; once every insert that began before
   * then has ended, the raw rows inserted before the cutoff, a day at a time, each day marked once
   * written; then which days each tenant's totals cover. Picks up where a run that stopped left off:
   * a day written but not marked is deleted and written again; views whose cutoff was never checked
   * are made again. Runs under `exclusiveUpgrade`; between steps, stops when the store is closing
   * and throws when `held` tells the lock may have gone (another process may be writing the days).
   */
  private async completeTotalsAlone(held: () => Promise<void>): Promise<'done' | 'stopped'> {
    /** False when closing; throws when the lock is lost. */
    const goOn = async () => {
      if (this.stopping) return false;
      await held();
      return true;
    };
    let insertedAt = false;
    for (const generation of GENERATIONS) {
      // Done, unless its views have gone since (dropped by hand: made again like new ones).
      if ((await this.totalsDone(generation)) && (await this.totalsViews(generation)) !== null) continue;
      if (!insertedAt && (!(await goOn()) || !(await this.ensureInsertedAt(goOn)))) return 'stopped';
      insertedAt = true;
      if ((await this.completeGeneration(generation, goOn)) === 'stopped') return 'stopped';
    }
    return 'done';
  }

  /** One generation of totals tables (TOTALS_GENERATIONS): see `completeTotalsAlone`. */
  private async completeGeneration(
    generation: TotalsGeneration,
    goOn: () => Promise<boolean>,
  ): Promise<'done' | 'stopped'> {
    const sql = this.totalsSql;
    const names = TOTALS_GENERATIONS[generation];
    const tables = totalsOf(generation);
    for (let attempt = 0; ; attempt++) {
      let cutoff = (await this.totalsViews(generation))?.cutoff ?? null;
      if (cutoff === null || !(await this.marks(cutoff)).has(markKey(names.checked, 0))) {
        // Views missing, or made and never checked: made afresh (nothing reads these tables yet).
        await this.dropTotals([generation]);
        // Each retry doubles the margin: on a loaded server, making the views can take longer than it.
        // (A retry drops views an older process's insert may be starting through; ClickHouse refuses
        // that insert whole, and its consumer delivers the batch again.)
        cutoff = (await this.serverNow()) + this.cutoffMarginS * 2 ** attempt;
        for (const table of tables)
          for (const statement of totalsSchema(this.database, table, cutoff))
            await this.client.command({ query: statement });
        // An insert that began before the views existed does not reach them: it must end before the
        // cutoff, or its rows from the cutoff on would count nowhere.
        const madeAt = (await this.totalsViews(generation))?.madeAt ?? cutoff;
        const ended = await this.insertsEnded(madeAt, cutoff);
        if (!ended) {
          if (attempt >= 3) throw new Error('ClickHouse totals: inserts kept running across the cutoff');
          continue;
        }
        await this.mark(cutoff, names.checked, 0);
      }
      // Every row inserted before the cutoff is in the table once the inserts begun by then end.
      while ((await this.serverNow()) <= cutoff) await sleep(250);
      if (!(await this.insertsEnded(cutoff + 1, Number.POSITIVE_INFINITY)))
        throw new Error('ClickHouse totals: inserts still running');
      const marks = await this.marks(cutoff);
      const days = (await this.rows<{ day: unknown }>(sql.daysBefore, { cutoff })).map((r) => Number(r.day));
      for (const table of tables) {
        const left = new Set(
          (await this.rows<{ day: unknown }>(sql.backfilledDays(table), {})).map((r) => Number(r.day)),
        );
        for (const day of days) {
          if (marks.has(markKey(table, day))) continue;
          if (!(await goOn())) return 'stopped';
          // Written by a run that stopped before marking it: undone first.
          if (left.has(day)) await this.mutate([sql.dropBackfilled(table)], { day });
          await this.client.command({ query: totalsBackfill(this.database, table, cutoff, day) });
          await this.mark(cutoff, table, day);
        }
      }
      if (!(await goOn())) return 'stopped';
      await this.client.command({ query: viewersCoverage(this.database, names.since) });
      await this.mark(cutoff, names.done, 0);
      return 'done';
    }
  }

  /**
   * `events.inserted_at`, added to a raw table from before it (statements.ts, `addInsertedAt`);
   * false when `goOn` said to stop while its rewrite ran (it goes on in the server).
   */
  private async ensureInsertedAt(goOn: () => Promise<boolean>): Promise<boolean> {
    const sql = this.totalsSql;
    const [row] = await this.rows<{ kind: string }>(sql.insertedAtKind, { database: this.database });
    if (row?.kind === 'MATERIALIZED') return true;
    if (!row) await this.client.command({ query: sql.addInsertedAt });
    // Views that count by inserted_at must not exist yet: the mutation would zero rows they counted.
    await this.dropTotals();
    // Rewrites the raw table's parts once: far longer than an erasure on a large table. One a
    // stopped run issued may still be running: waited for, not issued again.
    const writing = async () =>
      Number(
        (await this.rows<{ n: unknown }>(sql.insertedAtWriting, { database: this.database }))[0]?.n ?? 0,
      ) > 0;
    if (!(await writing())) await this.client.command({ query: sql.writeInsertedAt });
    const deadline = Date.now() + INSERTED_AT_TIMEOUT_MS;
    for (let wait = 10; await writing(); wait = Math.min(wait * 2, 1_000)) {
      if (!(await goOn())) return false;
      if (Date.now() > deadline)
        throw new Error(`ClickHouse: inserted_at still being written after ${INSERTED_AT_TIMEOUT_MS} ms`);
      await sleep(wait);
    }
    await this.client.command({ query: sql.materializeInsertedAt });
    return true;
  }

  /** A generation's views' cutoff and when the last was made, when all exist with the same cutoff. */
  private async totalsViews(
    generation: TotalsGeneration,
  ): Promise<{ cutoff: number; madeAt: number } | null> {
    const tables = totalsOf(generation);
    const views = await this.rows<{ definition: string; made_at: unknown }>(this.totalsSql.views, {
      database: this.database,
      names: tables.map(totalsView),
    });
    const cutoffs = new Set(views.map((v) => cutoffOf(v.definition)));
    const [cutoff] = [...cutoffs];
    if (views.length !== tables.length || cutoffs.size !== 1 || cutoff === null || cutoff === undefined)
      return null;
    return { cutoff, madeAt: Math.max(...views.map((v) => Number(v.made_at))) };
  }

  /** The generations' tables, views and marks (the since tables are written again when done). */
  private async dropTotals(generations: readonly TotalsGeneration[] = GENERATIONS): Promise<void> {
    const names: string[] = [];
    for (const generation of generations) {
      for (const table of totalsOf(generation)) {
        await this.client.command({ query: this.totalsSql.dropView(table) });
        await this.client.command({ query: this.totalsSql.dropTable(table) });
        names.push(table);
      }
      const { checked, done } = TOTALS_GENERATIONS[generation];
      names.push(checked, done);
    }
    // Waits for this mutation's table only: the raw table's `inserted_at` rewrite, issued by a run
    // that stopped, may be running for minutes yet (ensureInsertedAt waits for it on its own).
    await this.mutate([this.totalsSql.clearMarks], { names }, undefined, 'totals_backfill');
  }

  /**
   * Waits until no INSERT into the raw table that began before `began` (seconds) is running;
   * false if one still is once the server's clock reaches `deadline`.
   */
  private async insertsEnded(began: number, deadline: number): Promise<boolean> {
    for (let wait = 50; ; wait = Math.min(wait * 2, 500)) {
      const now = await this.serverNow();
      const [row] = await this.rows<{ n: unknown }>(this.totalsSql.insertsOlderThan, {
        age: Math.max(0, now - began),
        pattern: this.totalsSql.insertPattern,
      });
      if (Number(row?.n ?? 0) === 0) return true;
      if (now >= deadline) return false;
      await sleep(wait);
    }
  }

  private async serverNow(): Promise<number> {
    const [row] = await this.rows<{ now: unknown }>(this.totalsSql.serverNow, {});
    return Number(row!.now);
  }

  private async marks(cutoff: number): Promise<Set<string>> {
    const rows = await this.rows<{ table_name: string; day: unknown }>(this.totalsSql.marks, { cutoff });
    return new Set(rows.map((r) => markKey(r.table_name, Number(r.day))));
  }

  private async mark(cutoff: number, table: string, day: number): Promise<void> {
    await this.client.insert({
      table: this.totalsSql.mark,
      values: [{ cutoff, table_name: table, day }],
      format: 'JSONEachRow',
    });
  }

  private async totalsDone(generation: TotalsGeneration): Promise<boolean> {
    const [row] = await this.rows<{ n: unknown }>(this.totalsSql.done, {
      done: TOTALS_GENERATIONS[generation].done,
    });
    return Number(row?.n ?? 0) > 0;
  }

  /**
   * Per tenant, the first second each totals table covers (0: from the start), or null while its
   * generation's backfill is not done (another process may be running it): series then read the
   * families.
   */
  private async totalsFrom(tenantId: string): Promise<(table: TotalsTable) => number | null> {
    const now = Date.now();
    if (!this.totalsCoverage || (this.totalsCoverage.at + 10_000 < now && !this.totalsCoverage.settled)) {
      const value = this.readTotalsCoverage();
      const entry = { at: now, value, settled: false };
      value.then(
        (c) => (entry.settled = c.every((g) => g !== null)),
        () => (this.totalsCoverage = null),
      );
      this.totalsCoverage = entry;
    }
    const coverage = await this.totalsCoverage.value;
    return (table) => {
      const c = coverage[GENERATIONS.indexOf(TOTALS_TABLES[table].generation)];
      return c ? (c.get(tenantId) ?? 0) : null;
    };
  }

  /** Per generation (in GENERATIONS' order), its coverage. */
  private async readTotalsCoverage(): Promise<TotalsCoverage[]> {
    return Promise.all(
      GENERATIONS.map(async (generation) => {
        if (!(await this.totalsDone(generation))) return null;
        const rows = await this.rows<{ tenant_id: string; since: unknown }>(
          this.totalsSql.since(generation),
          {},
        );
        const m = new Map<string, number>();
        for (const r of rows) m.set(r.tenant_id, Math.max(m.get(r.tenant_id) ?? 0, Number(r.since)));
        return m;
      }),
    );
  }

  /** Per tenant, the first second the viewers rollups cover (0 when absent: from the start). */
  private viewersSinceOf(tenantId: string): Promise<number> {
    this.viewersSince ??= this.client
      .query({ query: `SELECT tenant_id, since FROM ${this.database}.viewers_since`, format: 'JSONEachRow' })
      .then((r) => r.json<{ tenant_id: string; since: string | number }>())
      .then(
        (rows) => {
          const m = new Map<string, number>();
          for (const r of rows) m.set(r.tenant_id, Math.max(m.get(r.tenant_id) ?? 0, Number(r.since)));
          return m;
        },
        (err: unknown) => {
          this.viewersSince = null;
          throw err;
        },
      );
    return this.viewersSince.then((m) => m.get(tenantId) ?? 0);
  }

  async record(events: StoredEvent[]): Promise<RecordResult> {
    let duplicates = 0;
    const byTenant = new Map<string, Map<string, StoredEvent>>();
    for (const event of events) {
      let ofTenant = byTenant.get(event.tenantId);
      if (!ofTenant) byTenant.set(event.tenantId, (ofTenant = new Map<string, StoredEvent>()));
      if (ofTenant.has(event.id)) duplicates += 1;
      else ofTenant.set(event.id, event);
    }
    const unique = [...byTenant.values()].flatMap((m) => [...m.values()]);
    // The two look-ups are independent: a repeated event's position is the one already counted.
    const [known, furthest] = await Promise.all([this.knownIds(byTenant), this.furthestPositions(unique)]);
    const fresh = unique.filter((e) => !known.has(idKey(e.tenantId, e.id)));
    duplicates += unique.length - fresh.length;
    if (fresh.length === 0) return { recorded: [], duplicates };

    const increases = watchIncreases(fresh, furthest);
    // One INSERT of one block: the raw rows, and through the views the positions and the rollups.
    await this.client.insert({
      table: this.sql.insertTable,
      values: fresh.map((e) => toRow(e, increases.get(e) ?? 0)),
      format: 'JSONEachRow',
    });
    return { recorded: fresh.map((e) => e.id), duplicates };
  }

  /**
   * The (tenant, id) keys of the batch that are already recorded. In chunks: a statement holds at
   * most 256 KiB on 18.16 (`max_query_size`), values written in.
   */
  private async knownIds(byTenant: Map<string, Map<string, StoredEvent>>): Promise<Set<string>> {
    const known = new Set<string>();
    for (const [tenantId, ofTenant] of byTenant) {
      for (const chunk of chunks([...ofTenant.values()], LOOKUP_CHUNK)) {
        const ranges = timeRanges(chunk.map((e) => Math.floor(e.occurredAt.getTime() / 1000)));
        const params: Params = { tenantId, ids: chunk.map((e) => e.id) };
        ranges.forEach(([from, to], i) => {
          params[`r${i}from`] = from;
          params[`r${i}to`] = to;
        });
        const rows = await this.rows<{ id: string }>(this.sql.knownIds(ranges.length), params);
        for (const { id } of rows) known.add(idKey(tenantId, id));
      }
    }
    return known;
  }

  /**
   * The furthest position recorded so far of each session and asset the batch reports on, among
   * positions reached from a day before the batch's first such event.
   */
  private async furthestPositions(events: StoredEvent[]): Promise<Map<string, number>> {
    const byTenant = new Map<string, StoredEvent[]>();
    for (const e of events) {
      if (!isWatch(e) || !e.sessionToken) continue;
      const list = byTenant.get(e.tenantId) ?? [];
      list.push(e);
      byTenant.set(e.tenantId, list);
    }
    const furthest = new Map<string, number>();
    for (const [tenantId, list] of byTenant) {
      const times = list.map((e) => e.occurredAt.getTime());
      const span = {
        fromS: Math.floor((Math.min(...times) - SESSION_SPAN_MS) / 1000),
        toS: Math.ceil(Math.max(...times) / 1000),
      };
      for (const sessions of chunks([...new Set(list.map((e) => e.sessionToken!))], LOOKUP_CHUNK)) {
        const rows = await this.rows<{ session_token: string; asset_id: string; furthest: number | string }>(
          this.sql.furthestPositions,
          { tenantId, sessions, ...span },
        );
        for (const r of rows)
          furthest.set(positionKey(tenantId, r.session_token, r.asset_id), Number(r.furthest));
      }
    }
    return furthest;
  }

  async series(query: MetricQuery): Promise<MetricResult> {
    if (query.metric === 'clickThroughRate' && query.groupBy === 'rank') {
      // A rank's clicks over all searches: the denominator is not grouped.
      const [clicks, [searches]] = await Promise.all([
        this.runSeries(seriesStatements(this.database, query, 'rankedClicks'), query),
        this.runSeries(seriesStatements(this.database, query, 'searches'), query),
      ]);
      const total = searches?.total ?? 0;
      return {
        series: clicks
          .map((s) => ({
            group: s.group,
            total: total === 0 ? 0 : s.total / total,
            points: s.points.map((p, i) => {
              const d = searches?.points[i]?.value ?? 0;
              return { t: p.t, value: d === 0 ? 0 : p.value / d };
            }),
          }))
          .sort((a, b) => b.total - a.total || compare(a.group, b.group)),
      };
    }
    const viewersFrom =
      query.metric === 'uniqueViewers' && !query.groupBy
        ? await this.viewersSinceOf(query.tenantId)
        : undefined;
    const totalsFrom = await this.totalsFrom(query.tenantId);
    const series = await this.runSeries(
      seriesStatements(this.database, query, 'metric', viewersFrom, totalsFrom),
      query,
    );
    if (!query.groupBy && series.length === 0) {
      series.push({ group: null, total: 0, points: buckets(query).map((t) => ({ t, value: 0 })) });
    }
    return { series };
  }

  /** Totals first (the top groups), then their buckets, zero-filled. */
  private async runSeries(statement: SeriesStatements, query: MetricQuery): Promise<MetricSeries[]> {
    const { metric } = statement;
    const value = (num: unknown, den: unknown) => {
      const n = Number(num);
      if (metric.den === null) return n / metric.scale;
      const d = Number(den);
      return d === 0 ? 0 : n / d;
    };
    type Total = { g: string; num: unknown; den: unknown };
    type Point = Total & { t: number | string };
    let totals: Total[];
    let points: Point[];
    if (statement.additive) {
      // One statement: the totals are the sums of the buckets (the top groups' when grouped).
      points = await this.rows<Point>(statement.top, statement.params);
      const sums = new Map<string, { g: string; num: number; den: number }>();
      for (const p of points) {
        const sum = sums.get(p.g) ?? { g: p.g, num: 0, den: 0 };
        sum.num += Number(p.num);
        sum.den += Number(p.den);
        sums.set(p.g, sum);
      }
      totals = [...sums.values()];
      if (totals.length === 0) return [];
    } else if (statement.grouped) {
      // The buckets of the top groups only: the totals say which.
      totals = await this.rows<Total>(statement.totals, statement.params);
      if (totals.length === 0) return [];
      points = await this.rows<Point>(statement.points, {
        ...statement.params,
        groups: totals.map((r) => r.g),
      });
    } else {
      [totals, points] = await Promise.all([
        this.rows<Total>(statement.totals, statement.params),
        this.rows<Point>(statement.points, statement.params),
      ]);
      if (totals.length === 0) return [];
    }
    const groups = totals.map((r) => r.g);
    const times = buckets(query);
    const index = new Map(times.map((t, i) => [t.getTime(), i]));
    const byGroup = new Map(groups.map((g) => [g, times.map((t) => ({ t, value: 0 }))]));
    for (const p of points) {
      const i = index.get(Number(p.t) * 1000);
      const list = byGroup.get(p.g);
      if (i !== undefined && list) list[i]!.value = value(p.num, p.den);
    }
    return totals
      .map((r) => ({
        group: query.groupBy ? r.g : null,
        total: value(r.num, r.den),
        points: byGroup.get(r.g)!,
      }))
      .sort((a, b) => b.total - a.total || compare(a.group, b.group));
  }

  /**
   * Plays in the recent window against the baseline just before it (`baselineDays` long); the
   * score is (recent per hour + 1) / (baseline per hour + 1), as on Postgres: smoothed by one view
   * an hour, so that an asset new in the window does not divide by zero.
   */
  async trending(query: TrendingQuery): Promise<TrendingAsset[]> {
    const atMs = query.at.getTime();
    const recentMs = atMs - query.recentHours * 3_600_000;
    const fromMs = recentMs - query.baselineDays * DAY_MS;
    const baselineHours = query.baselineDays * 24;
    const aligned = [atMs, recentMs, fromMs].every((t) => t % 3_600_000 === 0);
    const rows = await this.rows<{ asset_id: string; recent: unknown; baseline: unknown; score: unknown }>(
      this.sql.trending(aligned ? 'hourly' : 'raw'),
      {
        tenantId: query.tenantId,
        atMs,
        recentMs,
        fromMs,
        fromS: Math.floor(fromMs / 1000),
        toS: Math.ceil(atMs / 1000),
        recentHours: query.recentHours,
        baselineHours,
        limit: query.limit,
      },
    );
    return rows.map((r) => ({
      assetId: r.asset_id,
      recentViews: Number(r.recent),
      baselineViewsPerHour: Number(r.baseline) / baselineHours,
      score: Number(r.score),
    }));
  }

  async eraseUser(tenantId: string, userToken: string): Promise<number> {
    const [row] = await this.rows<{ n: unknown }>(this.sql.countUser, { tenantId, userToken });
    const n = Number(row?.n ?? 0);
    if (n === 0) return 0;
    await this.mutate(
      USER_TABLES.map((table) => this.sql.eraseUser(table)),
      { tenantId, userToken },
    );
    return n;
  }

  async eraseDimensionValues(tenantId: string, matcher: DimensionValueMatcher): Promise<{ values: number }> {
    const found = await this.rows<{ value: string }>(this.sql.dimensionValues, { tenantId });
    const values = [...new Set(found.map((r) => r.value))].filter((v) => matcher.isPerson(v)).sort();
    if (values.length === 0) return { values: 0 };
    const params = { tenantId, values };
    // The raw rows first: a totals backfill that reads them afterwards no longer finds the name.
    await this.mutate([this.sql.eraseEventDimensions], params);
    for (const grain of Object.keys(ROLLUP_GRAINS) as RollupGrain[]) {
      await this.client.command({ query: bindParams(this.sql.rewriteRollupRows(grain), params) });
      await this.mutate([this.sql.eraseRollupRows(grain)], params);
    }
    // Those made so far (an upgrade may be making them): a name's own rows go with it.
    const named: NamedTotalsTable[] = [];
    for (const table of NAMED_TOTALS) {
      const [exists] = await this.rows<{ n: unknown }>(this.sql.tableExists, {
        database: this.database,
        name: table,
      });
      if (Number(exists?.n ?? 0) > 0) named.push(table);
    }
    if (named.length > 0)
      await this.mutate(
        named.map((table) => this.sql.eraseNamedTotals(table)),
        params,
      );
    return { values: values.length };
  }

  async expireRaw(tenantId: string, before: Date): Promise<number> {
    const beforeMs = before.getTime();
    const params = { tenantId, beforeMs, beforeS: Math.floor(beforeMs / 1000) };
    const [row] = await this.rows<{ n: unknown }>(this.sql.countBefore, params);
    const n = Number(row?.n ?? 0);
    if (n === 0) return 0;
    // Whole months before the cut, of this tenant only, and closed to late events: drop them.
    const months = await this.rows<{ month: number | string; last_ms: unknown; others: unknown }>(
      this.sql.partitionsBefore,
      params,
    );
    const lateEventsUntil = Date.now() - EVENT_MAX_AGE_MS;
    let remaining = false;
    for (const m of months) {
      const month = Number(m.month);
      const end = Date.UTC(Math.floor(month / 100), month % 100, 1);
      if (end <= beforeMs && end <= lateEventsUntil && Number(m.others) === 0) {
        for (const table of RAW_TABLES)
          await this.client.command({ query: this.sql.dropPartition(table, month) });
      } else remaining = true;
    }
    if (remaining) {
      await this.mutate(
        RAW_TABLES.map((table) => this.sql.expire(table)),
        params,
      );
    }
    return n;
  }

  async searchInteractions(query: SearchInteractionQuery): Promise<SearchInteractionPage> {
    const rows = await this.rows<InteractionRow>(
      searchInteractionsStatement(this.database),
      interactionParams(query),
    );
    return interactionPage(rows, interactionLimit(query));
  }

  async ping(): Promise<void> {
    const result = await this.client.ping();
    if (!result.success) throw result.error;
  }

  async close(): Promise<void> {
    this.stopping = true;
    await this.upgrade?.catch(() => undefined);
    await this.client.close();
  }

  async coViewCounts(query: CoViewQuery): Promise<CoViewCounts> {
    const sql = coViewStatements(this.database);
    const params = coViewParams(query);
    const anchors = (await this.rows<{ asset_id: string }>(sql.anchors, params.anchors())).map(
      (r) => r.asset_id,
    );
    if (anchors.length === 0) return { anchors, pairs: [], sessionsPerAsset: new Map() };
    const pairs = (
      await this.rows<{ asset_id: string; related_id: string; sessions: unknown }>(
        sql.pairs,
        params.pairs(anchors),
      )
    ).map((r) => ({ assetId: r.asset_id, relatedId: r.related_id, sessions: Number(r.sessions) }));
    const assets = [...new Set([...anchors, ...pairs.map((p) => p.relatedId)])];
    const counts = await this.rows<{ asset_id: string; sessions: unknown }>(
      sql.sessions,
      params.sessions(assets),
    );
    return {
      anchors: anchors.sort(),
      pairs,
      sessionsPerAsset: new Map(counts.map((r) => [r.asset_id, Number(r.sessions)])),
    };
  }
  /** Plays and watch time per asset and day, for a page of assets (clickhouse/activity.ts). */
  async assetActivity(query: AssetActivityQuery): Promise<AssetDayActivity[]> {
    const rows = await this.rows<{ asset_id: string; day_s: unknown; views: unknown; watch_ms: unknown }>(
      assetActivityStatement(this.database),
      {
        tenantId: query.tenantId,
        fromS: Math.floor(query.from.getTime() / 1000),
        toS: Math.floor(query.to.getTime() / 1000),
        // Ids are UUIDs in text: '' sorts before every one.
        after: query.afterAssetId ?? '',
        limit: query.assets,
      },
    );
    return rows.map((r) => ({
      assetId: r.asset_id,
      day: new Date(Number(r.day_s) * 1000),
      views: Number(r.views),
      watchSeconds: Number(r.watch_ms) / 1000,
    }));
  }

  /** Drops the database (tests). */
  async dropDatabase(): Promise<void> {
    await this.client.command({ query: `DROP DATABASE IF EXISTS ${this.database}` });
  }

  /**
   * ALTER … DELETE statements, then a wait until no mutation of the database is pending: 18.16 has
   * no `mutations_sync`, so the wait polls system.mutations (which both versions have). Statements
   * are sent with their values bound: a mutation is kept and replayed as text.
   */
  private async mutate(
    mutations: string[],
    params: Params,
    timeoutMs = this.mutationTimeoutMs,
    table = '',
  ): Promise<void> {
    for (const statement of mutations) await this.client.command({ query: bindParams(statement, params) });
    const deadline = Date.now() + timeoutMs;
    for (let wait = 10; ; wait = Math.min(wait * 2, 500)) {
      const [row] = await this.rows<{ n: unknown }>(this.sql.pendingMutations, {
        database: this.database,
        table,
      });
      if (Number(row?.n ?? 0) === 0) return;
      if (Date.now() > deadline) throw new Error(`ClickHouse mutation still running after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  private async rows<R>(query: string, params: Params): Promise<R[]> {
    const native = await this.supportsParams();
    const result = native
      ? await this.client.query({
          query: bindParams(query, params, ALWAYS_LITERAL),
          query_params: params,
          format: 'JSONEachRow',
        })
      : await this.client.query({ query: bindParams(query, params), format: 'JSONEachRow' });
    return result.json<R>();
  }

  /**
   * Servers before 19.x answer `Unknown setting param_…` to a parameter. Told by the version (not
   * by trying one, which the client would log as an error); from 20.1 on, parameters surely work.
   */
  private supportsParams(): Promise<boolean> {
    this.nativeParams ??= this.client
      .query({ query: 'SELECT version() AS v', format: 'JSONEachRow' })
      .then((r) => r.json<{ v: string }>())
      .then(
        ([row]) => Number(row?.v.split('.')[0]) >= 20,
        (err: unknown) => {
          this.nativeParams = null;
          throw err;
        },
      );
    return this.nativeParams;
  }
}

/**
 * The seconds of a batch as a few ranges for the de-duplication look-up: runs of seconds at most
 * `gap` apart, the gap widened until at most 16 ranges remain (a batch from the stream is mostly
 * one stretch of time, with a few late events).
 */
export function timeRanges(seconds: number[], maxRanges = 16): [number, number][] {
  const sorted = [...new Set(seconds)].sort((a, b) => a - b);
  for (let gap = 60; ; gap *= 4) {
    const ranges: [number, number][] = [];
    for (const s of sorted) {
      const last = ranges[ranges.length - 1];
      if (last && s - last[1] <= gap) last[1] = s;
      else ranges.push([s, s]);
    }
    if (ranges.length <= maxRanges) return ranges;
  }
}

const TOTALS = Object.keys(TOTALS_TABLES) as TotalsTable[];
const GENERATIONS = (Object.keys(TOTALS_GENERATIONS).map(Number) as TotalsGeneration[]).sort();
/** How a totals upgrade ended: done, left to the process that runs it, or stopped by `close`. */
export type TotalsUpgrade = 'done' | 'busy' | 'stopped';
const alwaysHeld = () => Promise.resolve();
/** The longest wait for the mutation that writes `inserted_at` into the parts of an older raw table. */
const INSERTED_AT_TIMEOUT_MS = 3_600_000;
const markKey = (table: string, day: number) => `${table}\u0000${day}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Ids or session tokens per look-up statement: 2,000 quoted uuids are about 80 KiB. */
const LOOKUP_CHUNK = 2_000;
/** A session is taken to last less than a day: the watch-position look-up reads that far back. */
const SESSION_SPAN_MS = 24 * 3_600_000;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const idKey = (tenantId: string, id: string) => `${tenantId}\u0000${id}`;
const positionKey = (tenantId: string, session: string, asset: string) =>
  JSON.stringify([tenantId, session, asset]);
const isWatch = (e: StoredEvent) =>
  (WATCH_TYPES as readonly string[]).includes(e.type) && e.position !== null && e.assetId !== null;

/**
 * Per session and asset, how far each event moves the furthest position reported so far; an
 * event without a session counts its whole position. Events are taken in time order.
 */
function watchIncreases(events: StoredEvent[], furthest: Map<string, number>): Map<StoredEvent, number> {
  const increases = new Map<StoredEvent, number>();
  const watch = events.filter(isWatch).sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  for (const e of watch) {
    if (!e.sessionToken) {
      increases.set(e, e.position!);
      continue;
    }
    const k = positionKey(e.tenantId, e.sessionToken, e.assetId!);
    const before = furthest.get(k) ?? 0;
    if (e.position! > before) {
      increases.set(e, e.position! - before);
      furthest.set(k, e.position!);
    }
  }
  return increases;
}

const compare = (a: string | null, b: string | null) =>
  (a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0;

/** The bucket starts of the range: from the bucket holding `from` up to `to` (exclusive). */
function buckets(query: Pick<MetricQuery, 'from' | 'to' | 'interval'>): Date[] {
  const step = stepMs(query.interval);
  const out: Date[] = [];
  for (let t = Math.floor(query.from.getTime() / step) * step; t < query.to.getTime(); t += step)
    out.push(new Date(t));
  return out;
}

/** Trimmed, lower-cased, runs of white space made one: how searches group by query. */
export function normalizeQuery(text: string): string {
  return text.trim().toLowerCase().replace(/\s+/g, ' ');
}

const dateTime = (d: Date) => d.toISOString().slice(0, 19).replace('T', ' ');

/** The raw row of an event (also the bench bulk loader's). */
export function toRow(e: StoredEvent, watchIncreaseMs: number): Row {
  const consent = e.consent && e.userToken !== null;
  return {
    tenant_id: e.tenantId,
    id: e.id,
    event_type: e.type,
    asset_id: e.assetId ?? '',
    // Without consent nothing personal is kept, whatever slipped through.
    user_token: e.consent ? (e.userToken ?? '') : '',
    session_token: e.consent ? (e.sessionToken ?? '') : '',
    consent: consent ? 1 : 0,
    occurred_at: dateTime(e.occurredAt),
    occurred_ms: e.occurredAt.getTime(),
    received_at: dateTime(e.receivedAt),
    position: e.position,
    watch_increase_ms: watchIncreaseMs,
    search_text: e.search?.query ?? '',
    search_query: e.search ? normalizeQuery(e.search.query) : '',
    total_hits: e.search?.totalHits ?? null,
    zero_result: e.type === 'search' && e.search?.totalHits === 0 ? 1 : 0,
    clicked_rank: e.search?.clickedRank ?? 0,
    result_ids: e.search?.resultIds ?? [],
    device: e.context.device ?? '',
    network: e.context.network ?? '',
    app: e.context.app ?? '',
    referrer: e.context.referrer ?? '',
    country: e.context.country ?? '',
    properties: e.properties ? JSON.stringify(e.properties) : '',
    asset_type: e.asset?.type ?? '',
    source_system: e.asset?.sourceSystem ?? '',
    tags: e.asset?.tags ?? [],
    topics: e.asset?.topics ?? [],
    speakers: e.asset?.speakers ?? [],
    duration_seconds: e.asset?.durationSeconds ?? null,
  };
}
