import type { StoredEvent } from '../domain/interaction-events.js';
import { run, type Database } from '../store/database.js';
import type {
  AnalyticsStore,
  CoViewCounts,
  CoViewQuery,
  DimensionValueMatcher,
  AssetActivityQuery,
  AssetDayActivity,
  MetricQuery,
  MetricResult,
  RecordResult,
  SearchInteractionPage,
  SearchInteractionQuery,
  TrendingAsset,
  TrendingQuery,
} from './analytics-store.js';
import { coViewCounts } from './postgres/co-views.js';
import { assetActivity } from './postgres/activity.js';
import { Partitions } from './postgres/partitions.js';
import { rebuildReadPaths, type ReadPathsRange } from './postgres/read-paths.js';
import { searchInteractions } from './postgres/search-interactions.js';
import * as reader from './postgres/series.js';
import { SKETCH_RELATIVE_ERROR } from './postgres/sketch.js';
import { SQL } from './postgres/statements.js';
import { TopAssetDays } from './postgres/top-assets.js';
import * as writer from './postgres/writer.js';

/**
 * The analytics store in Postgres (a server or the embedded PGlite): raw events in a table with a
 * range partition per UTC day, and rollups per hour and per day that each `record` updates in the
 * transaction inserting its new events (migration 0032, docs/analytics.md). The SQL is in
 * analytics/postgres/statements.ts and the fragments of analytics/postgres/series.ts.
 *
 * `record` and `expireRaw` create and drop partitions: run them as the role that owns the tables
 * (outside a tenant scope: the stream consumer, the retention job), as the workers do.
 */
export class PostgresAnalyticsStore implements AnalyticsStore {
  readonly kind = 'postgres';
  /** The relative standard error of `uniqueViewers` (the PCSA sketch: analytics/postgres/sketch.ts). */
  static readonly uniqueViewersError = SKETCH_RELATIVE_ERROR;
  private readonly partitions: Partitions;
  /** Per-day top assets for top-asset series (analytics/postgres/top-assets.ts). */
  private readonly topDays = new TopAssetDays();

  constructor(private readonly db: Database) {
    this.partitions = new Partitions(db);
  }

  /** The tables come with the migrations (0032); this checks they are there. */
  async ensureSchema(): Promise<void> {
    const [row] = await run<{ ready: boolean }>(this.db, SQL.ready, {});
    if (!row?.ready)
      throw new Error('the analytics tables are missing: run the migrations (0032_analytics.sql)');
  }

  /**
   * Recomputes the read paths of migration 0040 for a range of days (postgres/read-paths.ts): after
   * a rolling deploy, what processes older than 0040 recorded. Safe to repeat and to run beside
   * `record`. Run as the tables' owner.
   */
  rebuildReadPaths(range: ReadPathsRange, onDay?: (day: Date) => void): Promise<{ days: number }> {
    return rebuildReadPaths(this.db, range, onDay);
  }

  record(events: StoredEvent[]): Promise<RecordResult> {
    return writer.record(this.db, this.partitions, events);
  }

  series(query: MetricQuery): Promise<MetricResult> {
    return reader.series(this.db, query, this.topDays);
  }

  trending(query: TrendingQuery): Promise<TrendingAsset[]> {
    return reader.trending(this.db, query);
  }

  eraseUser(tenantId: string, userToken: string): Promise<number> {
    return writer.eraseUser(this.db, tenantId, userToken);
  }

  eraseDimensionValues(tenantId: string, matcher: DimensionValueMatcher): Promise<{ values: number }> {
    return writer.eraseDimensionValues(this.db, tenantId, matcher);
  }

  expireRaw(tenantId: string, before: Date): Promise<number> {
    return this.partitions.expire(tenantId, before);
  }

  searchInteractions(query: SearchInteractionQuery): Promise<SearchInteractionPage> {
    return searchInteractions(this.db, query);
  }

  async ping(): Promise<void> {
    await this.ensureSchema();
  }

  /** The database is the composition root's; nothing of its own to close. */
  async close(): Promise<void> {}

  coViewCounts(query: CoViewQuery): Promise<CoViewCounts> {
    return coViewCounts(this.db, query);
  }
  assetActivity(query: AssetActivityQuery): Promise<AssetDayActivity[]> {
    return assetActivity(this.db, query);
  }
}
