/**
 * What the events suite needs of the event pipeline, the analytics adapters and the metrics route,
 * looked up when the suite runs rather than imported: a missing piece stops the suite with an error
 * that names it (never a made-up figure), and the rest of the harness builds and runs without it.
 */
import type { StoredEvent } from '../domain/interaction-events.js';
import type { AnalyticsStore } from '../analytics/analytics-store.js';
import type { Database } from '../store/db.js';

export class MissingPieceError extends Error {
  override name = 'MissingPieceError';
}

/** Imports a module of the tree by its path from the repository root, or says which is missing. */
async function load<T>(path: string, exports: string[], what: string): Promise<T> {
  let mod: Record<string, unknown>;
  try {
    // A variable specifier: the suite type-checks whether or not the module is on this branch.
    const specifier = `../${path}`;
    mod = (await import(specifier)) as Record<string, unknown>;
  } catch (err) {
    throw new MissingPieceError(`events bench: ${path} (${what}) is missing: ${(err as Error).message}`);
  }
  const absent = exports.filter((name) => mod[name] === undefined);
  if (absent.length > 0)
    throw new MissingPieceError(`events bench: ${path} (${what}) does not export ${absent.join(', ')}`);
  return mod as T;
}

/** The event log's own partitioning and entry encoding, which the raw XADD and COPY baselines reuse. */
export interface LogEncoding {
  partitions: number;
  byPartition(events: StoredEvent[], partitions: number): Map<number, StoredEvent[]>;
  encodeEvents(events: StoredEvent[]): string;
}

/** The partition count of the API's event log by default (`EVENT_PARTITIONS`, runtime/config.ts). */
export const DEFAULT_EVENT_PARTITIONS = 8;

export async function logEncoding(partitions: number): Promise<LogEncoding> {
  const mod = await load<Omit<LogEncoding, 'partitions'>>(
    'stream/partitions.js',
    ['byPartition', 'encodeEvents'],
    'the event log partitioning, branch events-ingest',
  );
  return { partitions, byPartition: mod.byPartition, encodeEvents: mod.encodeEvents };
}

/** A stream key of the Redis event log, as `RedisStreamEventLog` names them under its prefix. */
export const streamKey = (prefix: string, partition: number) => `${prefix}:events:${partition}`;
/** The one field of a Redis event log entry (the partition's events of one batch, as JSON). */
export const ENTRY_FIELD = 'e';
/** The Postgres event log's table, whose shape the COPY baseline's scratch table copies. */
export const EVENT_LOG_TABLE = 'event_log';

/** The Postgres analytics store on a bench database, and the raw table the plain-SQL baseline reads. */
export interface PostgresAnalytics {
  store: AnalyticsStore;
  rawTable: string;
}

export async function postgresAnalytics(db: Database): Promise<PostgresAnalytics> {
  const mod = await load<{ PostgresAnalyticsStore: new (db: Database) => AnalyticsStore }>(
    'analytics/postgres-analytics-store.js',
    ['PostgresAnalyticsStore'],
    'the Postgres AnalyticsStore, branch analytics-pg',
  );
  const store = new mod.PostgresAnalyticsStore(db);
  await store.ensureSchema();
  return { store, rawTable: 'analytics_events' };
}

/** The ClickHouse analytics store in `database`, and its raw table for the plain-SQL baseline. */
export interface ClickHouseAnalytics {
  store: AnalyticsStore;
  rawTable: string;
  /** The raw table's column of the event type. */
  typeColumn: string;
}

export async function clickHouseAnalytics(url: string, database: string): Promise<ClickHouseAnalytics> {
  const mod = await load<{
    ClickHouseAnalyticsStore: new (o: { url: string; database: string }) => AnalyticsStore;
  }>(
    'analytics/clickhouse-analytics-store.js',
    ['ClickHouseAnalyticsStore'],
    'the ClickHouse AnalyticsStore, branch analytics-ch',
  );
  const store = new mod.ClickHouseAnalyticsStore({ url, database });
  // Creates the database too when it is missing.
  await store.ensureSchema();
  return { store, rawTable: `${database}.events`, typeColumn: 'event_type' };
}

/** The answer of a route that is not there yet, as an error naming the branch that brings it. */
export function routeMissing(route: string, status: number, branch: string): MissingPieceError {
  return new MissingPieceError(`events bench: ${route} answered ${status}: is branch ${branch} merged?`);
}
