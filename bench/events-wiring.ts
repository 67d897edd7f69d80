/**
 * What the events suite shares with the event pipeline and the analytics adapters: the log's own
 * partitioning and entry encoding (so the raw XADD and COPY baselines write what the API writes),
 * and the stores on a bench database.
 */
import { byPartition, encodeEvents } from '../stream/partitions.js';
import { PostgresAnalyticsStore } from '../analytics/postgres-analytics-store.js';
import { ClickHouseAnalyticsStore } from '../analytics/clickhouse-analytics-store.js';
import type { StoredEvent } from '../domain/interaction-events.js';
import type { AnalyticsStore } from '../analytics/analytics-store.js';
import type { Database } from '../store/db.js';

/** The event log's partitioning and entry encoding, which the raw XADD and COPY baselines reuse. */
export interface LogEncoding {
  partitions: number;
  byPartition(events: StoredEvent[], partitions: number): Map<number, StoredEvent[]>;
  encodeEvents(events: StoredEvent[]): string;
}

/** The partition count of the API's event log by default (`EVENT_PARTITIONS`, runtime/config.ts). */
export const DEFAULT_EVENT_PARTITIONS = 8;

export function logEncoding(partitions: number): Promise<LogEncoding> {
  return Promise.resolve({ partitions, byPartition, encodeEvents });
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
  const store = new PostgresAnalyticsStore(db);
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
  const store = new ClickHouseAnalyticsStore({ url, database });
  // Creates the database too when it is missing.
  await store.ensureSchema();
  return { store, rawTable: `${database}.events`, typeColumn: 'event_type' };
}
