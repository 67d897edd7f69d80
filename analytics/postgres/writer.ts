import { createHash } from 'node:crypto';
import type { StoredEvent } from '../../domain/interaction-events.js';
import { run, type Database, type Sql } from '../../store/database.js';
import type { RecordResult } from '../analytics-store.js';
import type { Partitions } from './partitions.js';
import { sketchBit } from './sketch.js';
import { SQL } from './statements.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WATCH_TYPES: ReadonlySet<string> = new Set(['progress', 'pause', 'complete']);
/** The watch progress of an event without an asset is kept under this asset. */
const NO_ASSET = '00000000-0000-0000-0000-000000000000';

/** Search text as the query rollups and `groupBy: 'query'` key it. */
export const normalizeQuery = (query: string) => query.trim().toLowerCase().replace(/\s+/g, ' ');

const floorTo = (d: Date, unit: number) => new Date(Math.floor(d.getTime() / unit) * unit).toISOString();
const GRAINS = [
  ['h', HOUR],
  ['d', DAY],
] as const;

/**
 * Records a batch: the raw insert, the watch progress and every rollup in one transaction, the rollups
 * computed from only the events the insert took (ON CONFLICT DO NOTHING RETURNING), one multi-row
 * upsert per rollup table. Events of several tenants are recorded tenant by tenant.
 */
export async function record(
  db: Database,
  partitions: Partitions,
  events: StoredEvent[],
): Promise<RecordResult> {
  const seen = new Set<string>();
  const unique: StoredEvent[] = [];
  for (const e of events) {
    const key = `${e.tenantId}\u0000${e.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(e);
  }
  if (unique.length === 0) return { recorded: [], duplicates: events.length };
  const byTenant = new Map<string, StoredEvent[]>();
  for (const e of unique) {
    const list = byTenant.get(e.tenantId);
    if (list) list.push(e);
    else byTenant.set(e.tenantId, [e]);
  }
  const write = async () => {
    await partitions.ensure(unique.map((e) => e.occurredAt));
    return db.transaction(async (tx) => {
      const recorded: string[] = [];
      for (const [tenantId, batch] of byTenant) recorded.push(...(await recordTenant(tx, tenantId, batch)));
      return recorded;
    });
  };
  let recorded: string[];
  try {
    recorded = await write();
  } catch (err) {
    // A partition dropped since it was cached (retention, another process): make it again, once.
    if ((err as { code?: string }).code !== '23514') throw err;
    partitions.forget();
    recorded = await write();
  }
  return { recorded, duplicates: events.length - recorded.length };
}

async function recordTenant(tx: Sql, tenantId: string, batch: StoredEvent[]): Promise<string[]> {
  const dims = dimsOf(batch);
  if (dims.length > 0) await run(tx, SQL.insertDims, { tenantId, dims: JSON.stringify(dims) });
  const inserted = await run<{ id: string }>(tx, SQL.insertEvents, {
    tenantId,
    events: JSON.stringify(batch.map(rawRow)),
  });
  const ids = new Set(inserted.map((r) => r.id));
  const fresh = batch.filter((e) => ids.has(e.id));
  if (fresh.length === 0) return [];
  const watched = await watchDeltas(tx, tenantId, fresh);
  const rollups = aggregate(fresh, watched);
  const upserts = [
    [SQL.upsertAssetRollups, rollups.asset],
    [SQL.upsertContextRollups, rollups.context],
    [SQL.upsertQueryRollups, rollups.query],
    [SQL.upsertRankRollups, rollups.rank],
    [SQL.upsertDimRollups, rollups.dim],
    [SQL.upsertTenantRollups, rollups.tenant],
    [SQL.upsertTenantViewers, rollups.tenantViewers],
    [SQL.upsertContextViewers, rollups.contextViewers],
    [SQL.upsertAssetViewers, rollups.assetViewers],
  ] as const;
  for (const [st, rows] of upserts) {
    if (rows.size > 0) await run(tx, st, { tenantId, rows: JSON.stringify(sortedRows(rows)) });
  }
  return fresh.map((e) => e.id);
}

/** Without consent an event keeps no user and no session. */
const privateTo = (e: StoredEvent) =>
  e.consent ? { user: e.userToken, session: e.sessionToken } : { user: null, session: null };

/** The context besides device and country (those have columns), or null. */
function rest(context: StoredEvent['context']) {
  const { device: _device, country: _country, ...others } = context;
  return Object.keys(others).length > 0 ? others : null;
}

/** The raw row of an event (also the bench bulk loader's, so that both write the same rows). */
export function rawRow(e: StoredEvent) {
  const { user, session } = privateTo(e);
  return {
    id: e.id,
    occurred_at: e.occurredAt.toISOString(),
    received_at: e.receivedAt.toISOString(),
    type: e.type,
    asset_id: e.assetId,
    user_token: user,
    session_token: session,
    position: e.position,
    consent: e.consent,
    device: e.context.device ?? null,
    country: e.context.country ?? null,
    query: e.search ? normalizeQuery(e.search.query) : null,
    total_hits: e.search?.totalHits ?? null,
    clicked_rank: e.search?.clickedRank ?? null,
    search: e.search,
    context: rest(e.context),
    properties: e.properties,
    dims_key: e.asset ? dimsKeyOf(e.asset) : '',
  };
}

/**
 * Watch time added by each event (ms): per session and asset, what goes past the furthest position
 * reached before, in event time order; an event without a session adds its position.
 */
async function watchDeltas(tx: Sql, tenantId: string, fresh: StoredEvent[]): Promise<Map<string, number>> {
  const deltas = new Map<string, number>();
  const keyed = new Map<string, StoredEvent[]>();
  for (const e of fresh) {
    if (!WATCH_TYPES.has(e.type) || e.position === null) continue;
    const { session } = privateTo(e);
    if (session === null) {
      deltas.set(e.id, e.position);
      continue;
    }
    const key = JSON.stringify([session, e.assetId ?? NO_ASSET]);
    const list = keyed.get(key);
    if (list) list.push(e);
    else keyed.set(key, [e]);
  }
  if (keyed.size === 0) return deltas;
  const keys = [...keyed.keys()].sort().map((k) => {
    const [session_token, asset_id] = JSON.parse(k) as [string, string];
    return { session_token, asset_id };
  });
  const held = await run<{ session_token: string; asset_id: string; furthest_ms: string | number }>(
    tx,
    SQL.lockProgress,
    { tenantId, keys: JSON.stringify(keys) },
  );
  const furthest = new Map(
    held.map((r) => [JSON.stringify([r.session_token, r.asset_id]), Number(r.furthest_ms)]),
  );
  const rows = [];
  for (const [key, list] of keyed) {
    list.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || a.id.localeCompare(b.id));
    let reached = furthest.get(key) ?? 0;
    for (const e of list) {
      const position = e.position!;
      if (position > reached) {
        deltas.set(e.id, position - reached);
        reached = position;
      }
    }
    const [session_token, asset_id] = JSON.parse(key) as [string, string];
    const last = list[list.length - 1]!;
    rows.push({ session_token, asset_id, furthest_ms: reached, updated_at: last.occurredAt.toISOString() });
  }
  await run(tx, SQL.upsertProgress, { tenantId, rows: JSON.stringify(rows) });
  return deltas;
}

interface Counts {
  views: number;
  completes: number;
  errors: number;
  watch_ms: number;
  searches: number;
  zero_searches: number;
  clicks: number;
}
type Row = Record<string, unknown> & { bits?: Set<number> | number[] | null };

function aggregate(fresh: StoredEvent[], watched: Map<string, number>) {
  const asset = new Map<string, Row>();
  const context = new Map<string, Row>();
  const query = new Map<string, Row>();
  const rank = new Map<string, Row>();
  const dim = new Map<string, Row>();
  const tenant = new Map<string, Row>();
  const tenantViewers = new Map<string, Row>();
  const contextViewers = new Map<string, Row>();
  const assetViewers = new Map<string, Row>();
  const add = (
    map: Map<string, Row>,
    key: Record<string, unknown>,
    counts: Partial<Counts>,
    bit?: number,
  ) => {
    const k = JSON.stringify(Object.values(key));
    let row = map.get(k);
    if (!row) {
      row = { ...key };
      for (const name of Object.keys(counts)) row[name] = 0;
      map.set(k, row);
    }
    for (const [name, value] of Object.entries(counts)) row[name] = (row[name] as number) + value;
    if (bit !== undefined) ((row.bits ??= new Set<number>()) as Set<number>).add(bit);
  };
  for (const e of fresh) {
    const search = e.type === 'search';
    const counts: Counts = {
      views: e.type === 'play' ? 1 : 0,
      completes: e.type === 'complete' ? 1 : 0,
      errors: e.type === 'error' ? 1 : 0,
      watch_ms: watched.get(e.id) ?? 0,
      searches: search ? 1 : 0,
      zero_searches: search && e.search?.totalHits === 0 ? 1 : 0,
      clicks: e.type === 'click' && e.search?.clickedRank !== undefined ? 1 : 0,
    };
    if (Object.values(counts).every((n) => n === 0)) continue;
    const { user } = privateTo(e);
    const bit = counts.views && user !== null ? sketchBit(user) : undefined;
    const device = e.context.device ?? '';
    const country = e.context.country ?? '';
    const dimsKey = e.asset ? dimsKeyOf(e.asset) : '';
    const playback = {
      views: counts.views,
      completes: counts.completes,
      errors: counts.errors,
      watch_ms: counts.watch_ms,
    };
    const searchCounts = {
      searches: counts.searches,
      zero_searches: counts.zero_searches,
      clicks: counts.clicks,
    };
    for (const [grain, unit] of GRAINS) {
      const bucket = floorTo(e.occurredAt, unit);
      if (e.assetId && Object.values(playback).some((n) => n > 0)) {
        add(asset, { grain, bucket, asset_id: e.assetId, dims_key: dimsKey }, playback);
        for (const [name, value] of dimValues(e.asset))
          add(dim, { grain, bucket, dim: name, value }, playback);
        // Per asset, viewer sketches per day only: an hour's viewers per asset are read from the raw events.
        if (bit !== undefined && grain === 'd') {
          add(assetViewers, { grain, bucket, asset_id: e.assetId, dims_key: dimsKey }, {}, bit);
        }
      }
      add(tenant, { grain, bucket }, counts);
      if (bit !== undefined) add(tenantViewers, { grain, bucket }, {}, bit);
      add(context, { grain, bucket, device, country }, counts);
      if (bit !== undefined) add(contextViewers, { grain, bucket, device, country }, {}, bit);
      if (e.search && (counts.searches || counts.clicks)) {
        add(query, { grain, bucket, query: normalizeQuery(e.search.query), device, country }, searchCounts);
      }
      if (counts.clicks)
        add(rank, { grain, bucket, rank: e.search!.clickedRank, device, country }, { clicks: 1 });
    }
  }
  return { dim, tenant, tenantViewers, asset, context, query, rank, contextViewers, assetViewers };
}

/** An asset's dimensions by a hash of them; memoized per object (a generator repeats them). */
const dimsKeys = new WeakMap<object, string>();
export function dimsKeyOf(a: NonNullable<StoredEvent['asset']>): string {
  let key = dimsKeys.get(a);
  if (key === undefined) {
    key = createHash('sha1')
      .update(JSON.stringify([a.type, a.sourceSystem, a.tags, a.topics, a.speakers]))
      .digest('base64url');
    dimsKeys.set(a, key);
  }
  return key;
}

/** The distinct asset dimensions of a batch, in key order. */
export function dimsOf(batch: StoredEvent[]) {
  const dims = new Map<string, Record<string, unknown>>();
  for (const e of batch) {
    if (!e.asset) continue;
    const key = dimsKeyOf(e.asset);
    if (dims.has(key)) continue;
    dims.set(key, {
      dims_key: key,
      type: e.asset.type,
      source_system: e.asset.sourceSystem,
      tags: e.asset.tags,
      topics: e.asset.topics,
      speakers: e.asset.speakers,
    });
  }
  return [...dims.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, d]) => d);
}

/** An asset's dimension values, each once, as the dim rollups key them. */
function dimValues(a: StoredEvent['asset']): [string, string][] {
  if (!a) return [];
  const pairs = [
    ...[...new Set(a.tags)].map((v) => ['tag', v]),
    ...[...new Set(a.topics)].map((v) => ['topic', v]),
    ...[...new Set(a.speakers)].map((v) => ['speaker', v]),
    ['type', a.type],
    ['sourceSystem', a.sourceSystem],
  ];
  return pairs as [string, string][];
}

/** In key order, so that concurrent batches lock rollup rows in one order (no deadlocks). */
function sortedRows(rows: Map<string, Row>) {
  return [...rows.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, row], n) => (row.bits ? { ...row, n, bits: [...(row.bits as Set<number>)] } : { ...row, n }));
}

/** Erasure: a person's raw events and their sessions' watch positions; the rollups keep their counts. */
export function eraseUser(db: Database, tenantId: string, userToken: string): Promise<number> {
  return db.transaction(async (tx) => {
    await run(tx, SQL.eraseProgress, { tenantId, userToken });
    const [gone] = await run<{ n: number }>(tx, SQL.eraseEvents, { tenantId, userToken });
    return gone!.n;
  });
}
