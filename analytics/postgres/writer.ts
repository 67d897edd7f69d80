import { createHash } from 'node:crypto';
import type { StoredEvent } from '../../domain/interaction-events.js';
import { run, type Database, type Sql } from '../../store/database.js';
import type { DimensionValueMatcher, RecordResult } from '../analytics-store.js';
import type { Partitions } from './partitions.js';
import { sketchBit } from './sketch.js';
import { SQL } from './statements.js';

/** Search text as the query rollups and `groupBy: 'query'` key it. */
export const normalizeQuery = (query: string) => query.trim().toLowerCase().replace(/\s+/g, ' ');

/**
 * Records a batch: per tenant, the batch's asset dimensions, then one statement that inserts the raw
 * events and, from only those the insert took (ON CONFLICT DO NOTHING RETURNING), updates the watch
 * progress and every rollup (statements.ts, `recordEvents`), all in one transaction. The events
 * travel as one array per column; the rollups are aggregated by Postgres from the inserted rows. Events of several tenants are recorded tenant by tenant.
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
  // The parameters are made once, outside the transaction (and its retry).
  const batches = [...byTenant].map(([tenantId, batch]) => ({
    tenantId,
    dims: dimsOf(batch),
    columns: columnsOf(batch),
  }));
  const write = async () => {
    await partitions.ensure(unique.map((e) => e.occurredAt));
    return db.transaction(async (tx) => {
      const recorded: string[] = [];
      for (const batch of batches) recorded.push(...(await recordTenant(tx, batch)));
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

async function recordTenant(
  tx: Sql,
  batch: {
    tenantId: string;
    dims: Record<string, unknown>[];
    columns: Record<string, unknown[]>;
  },
): Promise<string[]> {
  const { tenantId, dims, columns } = batch;
  if (dims.length > 0) await run(tx, SQL.insertDims, { tenantId, dims: JSON.stringify(dims) });
  await run(tx, SQL.hashJoins, {});
  const fresh = await run<{ id: string }>(tx, SQL.recordEvents, { tenantId, ...columns });
  return fresh.map((r) => r.id);
}

/** Without consent an event keeps no user and no session. */
const privateTo = (e: StoredEvent) =>
  e.consent ? { user: e.userToken, session: e.sessionToken } : { user: null, session: null };

/** The context besides device and country (those have columns), or null. */
function rest(context: StoredEvent['context']) {
  const { device: _device, country: _country, ...others } = context;
  return Object.keys(others).length > 0 ? others : null;
}

/**
 * The raw row of an event: what `recordEvents` inserts (through `columnsOf`), and what the bench
 * bulk loader stages, so that both write the same rows.
 */
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

const json = (value: unknown) => (value === null ? null : JSON.stringify(value));

/** A batch as `recordEvents` takes it: one array per column of the raw rows, in the batch's order. */
function columnsOf(batch: StoredEvent[]): Record<string, unknown[]> {
  const rows = batch.map(rawRow);
  const column = <T>(value: (r: (typeof rows)[number]) => T) => rows.map(value);
  return {
    ids: column((r) => r.id),
    occurredAt: column((r) => r.occurred_at),
    receivedAt: column((r) => r.received_at),
    types: column((r) => r.type),
    assetIds: column((r) => r.asset_id),
    userTokens: column((r) => r.user_token),
    sessionTokens: column((r) => r.session_token),
    positions: column((r) => r.position),
    consents: column((r) => r.consent),
    devices: column((r) => r.device),
    countries: column((r) => r.country),
    queries: column((r) => r.query),
    totalHits: column((r) => r.total_hits),
    clickedRanks: column((r) => r.clicked_rank),
    searches: column((r) => json(r.search)),
    contexts: column((r) => json(r.context)),
    properties: column((r) => json(r.properties)),
    dimsKeys: column((r) => r.dims_key),
    // A viewer of a play: the bit its token sets in the unique-viewer sketches.
    sketchBits: column((r) => (r.type === 'play' && r.user_token !== null ? sketchBit(r.user_token) : null)),
  };
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

/** Erasure: a person's raw events and their sessions' watch positions; the rollups keep their counts. */
export function eraseUser(db: Database, tenantId: string, userToken: string): Promise<number> {
  return db.transaction(async (tx) => {
    await run(tx, SQL.eraseProgress, { tenantId, userToken });
    const [gone] = await run<{ n: number }>(tx, SQL.eraseEvents, { tenantId, userToken });
    return gone!.n;
  });
}

/**
 * Person erasure by name: the tag, topic and speaker values the matcher takes, out of the asset
 * dimensions (which the asset rollups, the raw events and every filtered series join) and their
 * rollups per value, in one transaction that `record` waits for (the lock `rebuildReadPaths` takes:
 * a batch recorded meanwhile would otherwise add to a value's rollup from dimensions read before).
 */
export async function eraseDimensionValues(
  db: Database,
  tenantId: string,
  matcher: DimensionValueMatcher,
): Promise<{ values: number }> {
  const found = await run<{ value: string }>(db, SQL.dimensionValuesLike, {
    tenantId,
    pattern: matcher.sqlPattern,
  });
  const values = found.map((r) => r.value).filter((v) => matcher.isPerson(v));
  if (values.length === 0) return { values: 0 };
  await db.transaction(async (tx) => {
    await run(tx, SQL.lockReadPaths, {});
    await run(tx, SQL.eraseDimsValues, { tenantId, values });
    await run(tx, SQL.eraseDimRollups, { tenantId, values });
    await run(tx, SQL.eraseDimViewers, { tenantId, values });
  });
  return { values: values.length };
}
