/*
 * A bulk loader of interaction events for benchmarks: millions of events into an analytics store
 * in minutes, where `record` (de-duplication, watch-progress look-ups, nine upserts per batch)
 * takes hours. Not in the runtime path. It writes the raw rows and the rollups `record` would write
 * for the same events (test/integration/bulk-events.test.ts compares the series of both ways):
 *
 * - Postgres: the raw rows, each with its watch increase and viewer-sketch bit computed here by the
 *   writer's own functions, go into an UNLOGGED staging table in large jsonb chunks; then, in one
 *   transaction, one INSERT … SELECT into the partitioned raw table and one INSERT … SELECT … GROUP
 *   BY per rollup table (upserts adding to what is there, as `record`'s are), then the staging
 *   table is dropped.
 * - ClickHouse: the adapter's own raw rows (`toRow`) in INSERTs of 100,000 rows; its materialized
 *   views fill the rollups as they do for `record`.
 *
 * What it assumes instead of looking up (what makes it fast): the events' ids are new to the store,
 * and so are their sessions (watch time starts from nothing); each session's events come in time
 * order (as `record` needs them across batches too). A repeated id makes the Postgres load fail and
 * roll back.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { toRow } from '../analytics/clickhouse-analytics-store.js';
import { Partitions } from '../analytics/postgres/partitions.js';
import { sketchBit } from '../analytics/postgres/sketch.js';
import { dimsOf, rawRow } from '../analytics/postgres/writer.js';
import type { EventAssetDims, StoredEvent } from '../domain/interaction-events.js';
import type { Database } from '../store/database.js';
import { asStored } from './event-batches.js';
import { syntheticEvents, type EventAsset } from '../scripts/lib/synthetic-events.js';

const WATCH_TYPES: ReadonlySet<string> = new Set(['progress', 'pause', 'complete']);
/** As writer.ts keys the watch progress of an event without an asset. */
const NO_ASSET = '00000000-0000-0000-0000-000000000000';
const DAY = 86_400_000;

/** An asset of a synthetic library with the dimensions its events carry. */
export type BulkAsset = EventAsset & { dims: EventAssetDims };

/** A library of `n` assets for the generator: titles from a small vocabulary, so that searches hit. */
export function bulkAssets(n: number): BulkAsset[] {
  const words = ['ocean', 'climate', 'music', 'history', 'science', 'city', 'film', 'data', 'art', 'war'];
  return Array.from({ length: n }, (_, i) => {
    const tags = [`tag${i % 200}`, `tag${(i * 7) % 200}`];
    const type = i % 5 === 0 ? 'AUDIO' : 'VIDEO';
    const durationSeconds = 300 + (i % 40) * 60;
    return {
      id: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
      title: `${words[i % 10]} ${words[(i * 3 + 1) % 10]} part ${i % 97}`,
      tags,
      type,
      durationSeconds,
      dims: {
        type,
        sourceSystem: ['archive', 'radio', 'studio'][i % 3]!,
        tags,
        topics: [`topic${i % 50}`],
        speakers: i % 4 === 0 ? [] : [`speaker${i % 300}`],
        durationSeconds,
      },
    };
  });
}

/**
 * scripts/lib/synthetic-events.ts's events as the stream hands them to a store: in the tenant,
 * the user and session as masking tokens (none without consent), the asset's dimensions attached.
 */
export function* syntheticStoredEvents(
  tenantId: string,
  assets: readonly BulkAsset[],
  options: { events: number; seed: number; end: Date; days: number },
): Generator<StoredEvent> {
  const dims = new Map(assets.map((a) => [a.id, a.dims]));
  for (const e of syntheticEvents(assets, options)) {
    const stored = asStored(tenantId, e, new Date(e.occurredAt));
    stored.asset = e.assetId ? (dims.get(e.assetId) ?? null) : null;
    yield stored;
  }
}

/** Yields the events in arrays of `size`. */
export function* chunked<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let chunk: T[] = [];
  for (const item of items) {
    chunk.push(item);
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

/**
 * The watch time each event adds, per session and asset in arrival order: what goes past the
 * furthest position so far; an event without a session adds its position. `assetRequired`: the
 * ClickHouse adapter counts watch time of events with an asset only, Postgres keys the others
 * under one placeholder asset.
 */
export class WatchTracker {
  /** tenant, session, asset → furthest position and the time of the last event. */
  readonly furthest = new Map<
    string,
    { tenantId: string; session: string; asset: string; ms: number; at: Date }
  >();
  constructor(private readonly assetRequired: boolean) {}

  increase(e: StoredEvent, session: string | null): number {
    if (!WATCH_TYPES.has(e.type) || e.position === null) return 0;
    if (this.assetRequired && e.assetId === null) return 0;
    if (session === null) return e.position;
    const asset = e.assetId ?? NO_ASSET;
    const key = `${e.tenantId}\u0000${session}\u0000${asset}`;
    const held = this.furthest.get(key);
    if (!held) {
      this.furthest.set(key, { tenantId: e.tenantId, session, asset, ms: e.position, at: e.occurredAt });
      return e.position;
    }
    if (e.occurredAt > held.at) held.at = e.occurredAt;
    if (e.position <= held.ms) return 0;
    const added = e.position - held.ms;
    held.ms = e.position;
    return added;
  }
}

export interface BulkLoadResult {
  events: number;
  seconds: number;
}

/** Rows per staging INSERT (one jsonb parameter). */
const PG_CHUNK = 20_000;
/** Rows per ClickHouse INSERT. */
const CH_CHUNK = 100_000;

/** The staging table's columns: the raw row, the tenant, and what `record` computes per event. */
const STAGE_COLUMNS = `tenant_id text, id uuid, occurred_at timestamptz, received_at timestamptz, type text,
  asset_id uuid, user_token text, session_token text, position bigint, consent boolean, device text,
  country text, query text, total_hits integer, clicked_rank integer, search jsonb, context jsonb,
  properties jsonb, dims_key text, watch_ms bigint, bit integer`;
const RAW_COLUMNS = `tenant_id, id, occurred_at, received_at, type, asset_id, user_token, session_token,
  position, consent, device, country, query, total_hits, clicked_rank, search, context, properties, dims_key`;

/**
 * Per event and grain: the counts the rollups add up, as writer.ts's `aggregate` counts them.
 * `{stage}` is the staging table.
 */
const COUNTED = (stage: string) => `
  SELECT s.tenant_id, g.grain, date_bin(g.step, s.occurred_at, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS bucket,
    s.asset_id, s.dims_key, coalesce(s.device, '') AS device, coalesce(s.country, '') AS country,
    s.query, s.clicked_rank, s.bit,
    (s.type = 'play')::int AS views, (s.type = 'complete')::int AS completes,
    (s.type = 'error')::int AS errors, s.watch_ms,
    (s.type = 'search')::int AS searches, (s.type = 'search' AND s.total_hits = 0)::int AS zero_searches,
    (s.type = 'click' AND s.clicked_rank IS NOT NULL)::int AS clicks
  FROM ${stage} s CROSS JOIN (VALUES ('h'::"char", interval '1 hour'), ('d'::"char", interval '1 day')) AS g(grain, step)`;

const PLAYBACK_SUMS = `sum(views) AS views, sum(completes) AS completes, sum(errors) AS errors, sum(watch_ms) AS watch_ms`;
const ALL_SUMS = `${PLAYBACK_SUMS}, sum(searches) AS searches, sum(zero_searches) AS zero_searches, sum(clicks) AS clicks`;
const ADD_PLAYBACK = `views = r.views + excluded.views, completes = r.completes + excluded.completes,
  errors = r.errors + excluded.errors, watch_ms = r.watch_ms + excluded.watch_ms`;
const ADD_ALL = `${ADD_PLAYBACK}, searches = r.searches + excluded.searches,
  zero_searches = r.zero_searches + excluded.zero_searches, clicks = r.clicks + excluded.clicks`;
const SKETCH = `bit_or(set_bit(B'0'::bit(8192), bit, 1))`;

/** One statement per table, each reading the staging table once. */
function rollupStatements(stage: string): string[] {
  const counted = COUNTED(stage);
  return [
    `INSERT INTO analytics_asset_rollups AS r (tenant_id, grain, bucket, asset_id, dims_key, views, completes, errors, watch_ms)
     SELECT tenant_id, grain, bucket, asset_id, dims_key, ${PLAYBACK_SUMS} FROM (${counted}) c
     WHERE asset_id IS NOT NULL GROUP BY tenant_id, grain, bucket, asset_id, dims_key
     HAVING sum(views + completes + errors + watch_ms) > 0
     ON CONFLICT (tenant_id, grain, bucket, asset_id, dims_key) DO UPDATE SET ${ADD_PLAYBACK}`,
    // Each distinct value of the asset's dimensions once (writer.ts dimValues).
    `INSERT INTO analytics_dim_rollups AS r (tenant_id, grain, bucket, dim, value, views, completes, errors, watch_ms)
     SELECT a.tenant_id, a.grain, a.bucket, v.dim, v.value, sum(a.views), sum(a.completes), sum(a.errors), sum(a.watch_ms)
     FROM (SELECT tenant_id, grain, bucket, dims_key, ${PLAYBACK_SUMS} FROM (${counted}) c
           WHERE asset_id IS NOT NULL AND dims_key <> '' GROUP BY tenant_id, grain, bucket, dims_key) a
     JOIN (SELECT DISTINCT d.tenant_id, d.dims_key, x.dim, x.value FROM analytics_asset_dims d
           CROSS JOIN LATERAL (
             SELECT 'tag', unnest(d.tags) UNION ALL SELECT 'topic', unnest(d.topics)
             UNION ALL SELECT 'speaker', unnest(d.speakers) UNION ALL SELECT 'type', d.type
             UNION ALL SELECT 'sourceSystem', d.source_system) AS x(dim, value)
           WHERE d.tenant_id IN (SELECT DISTINCT tenant_id FROM ${stage})) v
       ON v.tenant_id = a.tenant_id AND v.dims_key = a.dims_key
     GROUP BY a.tenant_id, a.grain, a.bucket, v.dim, v.value
     HAVING sum(a.views + a.completes + a.errors + a.watch_ms) > 0
     ON CONFLICT (tenant_id, grain, bucket, dim, value) DO UPDATE SET ${ADD_PLAYBACK}`,
    `INSERT INTO analytics_tenant_rollups AS r (tenant_id, grain, bucket, views, completes, errors, watch_ms, searches, zero_searches, clicks)
     SELECT tenant_id, grain, bucket, ${ALL_SUMS} FROM (${counted}) c GROUP BY tenant_id, grain, bucket
     HAVING sum(views + completes + errors + watch_ms + searches + clicks) > 0
     ON CONFLICT (tenant_id, grain, bucket) DO UPDATE SET ${ADD_ALL}`,
    `INSERT INTO analytics_context_rollups AS r (tenant_id, grain, bucket, device, country, views, completes, errors, watch_ms, searches, zero_searches, clicks)
     SELECT tenant_id, grain, bucket, device, country, ${ALL_SUMS} FROM (${counted}) c
     GROUP BY tenant_id, grain, bucket, device, country
     HAVING sum(views + completes + errors + watch_ms + searches + clicks) > 0
     ON CONFLICT (tenant_id, grain, bucket, device, country) DO UPDATE SET ${ADD_ALL}`,
    `INSERT INTO analytics_query_rollups AS r (tenant_id, grain, bucket, query, device, country, searches, zero_searches, clicks)
     SELECT tenant_id, grain, bucket, query, device, country, sum(searches), sum(zero_searches), sum(clicks)
     FROM (${counted}) c WHERE query IS NOT NULL AND searches + clicks > 0
     GROUP BY tenant_id, grain, bucket, query, device, country
     ON CONFLICT (tenant_id, grain, bucket, query, device, country) DO UPDATE SET
       searches = r.searches + excluded.searches, zero_searches = r.zero_searches + excluded.zero_searches,
       clicks = r.clicks + excluded.clicks`,
    `INSERT INTO analytics_query_totals AS r (tenant_id, grain, bucket, query, searches, zero_searches, clicks)
     SELECT tenant_id, grain, bucket, query, sum(searches), sum(zero_searches), sum(clicks)
     FROM (${counted}) c WHERE query IS NOT NULL AND searches + clicks > 0
     GROUP BY tenant_id, grain, bucket, query
     ON CONFLICT (tenant_id, grain, bucket, query) DO UPDATE SET
       searches = r.searches + excluded.searches, zero_searches = r.zero_searches + excluded.zero_searches,
       clicks = r.clicks + excluded.clicks`,
    `INSERT INTO analytics_rank_rollups AS r (tenant_id, grain, bucket, rank, device, country, clicks)
     SELECT tenant_id, grain, bucket, clicked_rank, device, country, count(*) FROM (${counted}) c
     WHERE clicks = 1 GROUP BY tenant_id, grain, bucket, clicked_rank, device, country
     ON CONFLICT (tenant_id, grain, bucket, rank, device, country) DO UPDATE SET clicks = r.clicks + excluded.clicks`,
    // Sketches: each distinct bit of a key once, then OR-ed.
    `INSERT INTO analytics_tenant_viewers AS r (tenant_id, grain, bucket, viewers)
     SELECT tenant_id, grain, bucket, ${SKETCH}
     FROM (SELECT DISTINCT tenant_id, grain, bucket, bit FROM (${counted}) c WHERE bit IS NOT NULL) b
     GROUP BY tenant_id, grain, bucket
     ON CONFLICT (tenant_id, grain, bucket) DO UPDATE SET viewers = r.viewers | excluded.viewers`,
    `INSERT INTO analytics_context_viewers AS r (tenant_id, grain, bucket, device, country, viewers)
     SELECT tenant_id, grain, bucket, device, country, ${SKETCH}
     FROM (SELECT DISTINCT tenant_id, grain, bucket, device, country, bit FROM (${counted}) c WHERE bit IS NOT NULL) b
     GROUP BY tenant_id, grain, bucket, device, country
     ON CONFLICT (tenant_id, grain, bucket, device, country) DO UPDATE SET viewers = r.viewers | excluded.viewers`,
    `INSERT INTO analytics_asset_viewers AS r (tenant_id, grain, bucket, asset_id, dims_key, viewers)
     SELECT tenant_id, grain, bucket, asset_id, dims_key, ${SKETCH}
     FROM (SELECT DISTINCT tenant_id, grain, bucket, asset_id, dims_key, bit FROM (${counted}) c
           WHERE bit IS NOT NULL AND asset_id IS NOT NULL AND grain = 'd') b
     GROUP BY tenant_id, grain, bucket, asset_id, dims_key
     ON CONFLICT (tenant_id, grain, bucket, asset_id, dims_key) DO UPDATE SET viewers = r.viewers | excluded.viewers`,
    `INSERT INTO analytics_dim_viewers AS r (tenant_id, grain, bucket, dim, value, viewers)
     SELECT b.tenant_id, 'd', b.bucket, b.dim, b.value, ${SKETCH}
     FROM (SELECT DISTINCT c.tenant_id, c.bucket, x.dim, x.value, c.bit FROM (${counted}) c
           JOIN analytics_asset_dims d ON d.tenant_id = c.tenant_id AND d.dims_key = c.dims_key
           CROSS JOIN LATERAL (
             SELECT 'tag', unnest(d.tags) UNION ALL SELECT 'topic', unnest(d.topics)
             UNION ALL SELECT 'speaker', unnest(d.speakers) UNION ALL SELECT 'type', d.type
             UNION ALL SELECT 'sourceSystem', d.source_system) AS x(dim, value)
           WHERE c.bit IS NOT NULL AND c.asset_id IS NOT NULL AND c.grain = 'd') b
     GROUP BY b.tenant_id, b.bucket, b.dim, b.value
     ON CONFLICT (tenant_id, grain, bucket, dim, value) DO UPDATE SET viewers = r.viewers | excluded.viewers`,
  ];
}

const PROGRESS_UPSERT = `
  INSERT INTO analytics_watch_progress AS r (tenant_id, session_token, asset_id, furthest_ms, updated_at)
  SELECT x.tenant_id, x.session_token, x.asset_id, x.furthest_ms, x.updated_at
  FROM jsonb_to_recordset($1::jsonb) AS x(tenant_id text, session_token text, asset_id uuid, furthest_ms bigint,
    updated_at timestamptz)
  ON CONFLICT (tenant_id, session_token, asset_id) DO UPDATE SET
    furthest_ms = greatest(r.furthest_ms, excluded.furthest_ms),
    updated_at = greatest(r.updated_at, excluded.updated_at)`;

/**
 * Loads events into the Postgres analytics store (migrated; run as the tables' owner): `add` stages
 * chunks, `finish` moves them into the raw table and the rollups in one transaction. `bulkLoadPostgres`
 * does both for an iterable.
 */
export class PostgresBulkLoader {
  private readonly stage = `analytics_bulk_stage_${process.pid}_${Date.now()}`;
  private readonly watch = new WatchTracker(false);
  private readonly days = new Set<number>();
  private readonly dims = new Map<string, Record<string, unknown>>();
  private staged = 0;
  private readonly t0 = performance.now();

  private constructor(private readonly db: Database) {}

  static async start(db: Database): Promise<PostgresBulkLoader> {
    const loader = new PostgresBulkLoader(db);
    await db.query(`CREATE UNLOGGED TABLE ${loader.stage} (${STAGE_COLUMNS})`);
    return loader;
  }

  async add(events: StoredEvent[]): Promise<void> {
    for (const chunk of chunked(events, PG_CHUNK)) {
      const rows = chunk.map((e) => {
        this.days.add(Math.floor(e.occurredAt.getTime() / DAY));
        const session = e.consent ? e.sessionToken : null;
        const user = e.consent ? e.userToken : null;
        return {
          tenant_id: e.tenantId,
          ...rawRow(e),
          watch_ms: this.watch.increase(e, session),
          bit: e.type === 'play' && user !== null ? sketchBit(user) : null,
        };
      });
      for (const [tenantId, batch] of byTenant(chunk)) {
        for (const d of dimsOf(batch))
          this.dims.set(JSON.stringify([tenantId, d.dims_key]), { tenant_id: tenantId, ...d });
      }
      await this.db.query(
        `INSERT INTO ${this.stage} SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(${STAGE_COLUMNS})`,
        [JSON.stringify(rows)],
      );
      this.staged += chunk.length;
    }
  }

  /** The staging table's name and columns (`STAGE_COLUMNS`), for rows made in the database itself. */
  get stageTable(): string {
    return this.stage;
  }

  /**
   * Stages rows that `fill` makes in the database (an `INSERT INTO <stage> … SELECT` over
   * generated rows, with the watch increases and sketch bits `add` would compute), on the days
   * given, of assets whose dimension rows are `dims` (as `dimsOf` gives them, with their tenant).
   * `finish` then moves them as it moves `add`'s. Watch progress is then the caller's to write.
   */
  async addStaged(
    fill: (stage: string) => Promise<number>,
    days: readonly Date[],
    dims: readonly (Record<string, unknown> & { tenant_id: string; dims_key: unknown })[],
  ): Promise<void> {
    for (const d of days) this.days.add(Math.floor(d.getTime() / DAY));
    for (const d of dims) this.dims.set(JSON.stringify([d.tenant_id, d.dims_key]), d);
    this.staged += await fill(this.stage);
  }

  /** Seconds per statement of the final transaction, by table. */
  async finish(): Promise<BulkLoadResult & { stagedSeconds: number; tableSeconds: Record<string, number> }> {
    const { db, stage } = this;
    const stagedSeconds = (performance.now() - this.t0) / 1000;
    const tableSeconds: Record<string, number> = {};
    try {
      await new Partitions(db).ensure([...this.days].map((d) => new Date(d * DAY)));
      await db.transaction(async (tx) => {
        if (this.dims.size > 0) {
          await tx.query(
            `INSERT INTO analytics_asset_dims (tenant_id, dims_key, type, source_system, tags, topics, speakers)
             SELECT x.tenant_id, x.dims_key, x.type, x.source_system, x.tags, x.topics, x.speakers
             FROM jsonb_to_recordset($1::jsonb) AS x(tenant_id text, dims_key text, type text, source_system text,
               tags text[], topics text[], speakers text[])
             ON CONFLICT (tenant_id, dims_key) DO NOTHING`,
            [JSON.stringify([...this.dims.values()])],
          );
        }
        let t = performance.now();
        // A repeated id violates the raw table's key: the whole load rolls back.
        await tx.query(`INSERT INTO analytics_events (${RAW_COLUMNS}) SELECT ${RAW_COLUMNS} FROM ${stage}`);
        tableSeconds.analytics_events = (performance.now() - t) / 1000;
        for (const st of rollupStatements(stage)) {
          t = performance.now();
          await tx.query(st);
          tableSeconds[/INTO (\w+)/.exec(st)![1]!] = (performance.now() - t) / 1000;
        }
        t = performance.now();
        const progress = [...this.watch.furthest.values()].map((p) => ({
          tenant_id: p.tenantId,
          session_token: p.session,
          asset_id: p.asset,
          furthest_ms: p.ms,
          updated_at: p.at.toISOString(),
        }));
        for (const part of chunked(progress, PG_CHUNK))
          await tx.query(PROGRESS_UPSERT, [JSON.stringify(part)]);
        tableSeconds.analytics_watch_progress = (performance.now() - t) / 1000;
      });
    } finally {
      await this.abandon();
    }
    return {
      events: this.staged,
      seconds: (performance.now() - this.t0) / 1000,
      stagedSeconds,
      tableSeconds,
    };
  }

  /** Drops the staging table (after `finish`, or instead of it). */
  async abandon(): Promise<void> {
    await this.db.query(`DROP TABLE IF EXISTS ${this.stage}`);
  }
}

export async function bulkLoadPostgres(db: Database, events: Iterable<StoredEvent>) {
  const loader = await PostgresBulkLoader.start(db);
  try {
    for (const chunk of chunked(events, PG_CHUNK)) await loader.add(chunk);
  } catch (err) {
    await loader.abandon();
    throw err;
  }
  return loader.finish();
}

function byTenant(events: StoredEvent[]): Map<string, StoredEvent[]> {
  const out = new Map<string, StoredEvent[]>();
  for (const e of events) {
    const list = out.get(e.tenantId);
    if (list) list.push(e);
    else out.set(e.tenantId, [e]);
  }
  return out;
}

/**
 * Loads events into the ClickHouse analytics store's raw table (schema made by `ensureSchema`): the
 * adapter's rows, watch increases as `record` computes them; the views fill the rollups.
 */
export class ClickHouseBulkLoader {
  private readonly watch = new WatchTracker(true);
  constructor(
    private readonly client: ClickHouseClient,
    private readonly database: string,
  ) {}

  async add(events: StoredEvent[]): Promise<void> {
    for (const chunk of chunked(events, CH_CHUNK)) {
      await this.client.insert({
        table: `${this.database}.events`,
        values: chunk.map((e) => toRow(e, this.watch.increase(e, e.sessionToken))),
        format: 'JSONEachRow',
      });
    }
  }
}

export async function bulkLoadClickHouse(
  client: ClickHouseClient,
  database: string,
  events: Iterable<StoredEvent>,
): Promise<BulkLoadResult> {
  const t0 = performance.now();
  const loader = new ClickHouseBulkLoader(client, database);
  let n = 0;
  for (const chunk of chunked(events, CH_CHUNK)) {
    await loader.add(chunk);
    n += chunk.length;
  }
  return { events: n, seconds: (performance.now() - t0) / 1000 };
}
