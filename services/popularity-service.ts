import type { AnalyticsStore, AssetDayActivity } from '../analytics/analytics-store.js';
import {
  activityWindow,
  computePopularity,
  DEFAULT_POPULARITY_SETTINGS,
  noPopularity,
  type AssetPopularity,
  type PopularitySettings,
  type PopularityUpdate,
} from '../domain/popularity.js';
import type { GraphWriter } from '../graph/graph-store.js';
import type { SearchIndexWriter } from '../search/search-index.js';
import type { Database } from '../store/db.js';
import type { PopularityRepository } from '../store/popularity-repository.js';
import { sum, walkTenants } from './tenant-walk.js';

export interface PopularityDeps {
  db: Database;
  analytics: Pick<AnalyticsStore, 'assetActivity'>;
  popularity: PopularityRepository;
  search: Pick<SearchIndexWriter, 'applyPopularity'>;
  graph: Pick<GraphWriter, 'applyPopularity'>;
  clock?: () => Date;
  log?: { warn(obj: object, msg: string): void };
}

export interface PopularityOptions {
  settings?: PopularitySettings;
  /** Assets per page: one analytics read, one upsert and one update per projection each. */
  pageSize?: number;
}

export interface TenantPopularityRun {
  /** Assets with activity in the window, recomputed. */
  assets: number;
  /** Assets whose activity left the window: set to zero in the projections and removed. */
  cleared: number;
  pages: number;
}

export interface PopularityRun {
  tenants: number;
  assets: number;
  cleared: number;
  failed: string[];
}

/**
 * Learned popularity and trending (domain/popularity.ts): recomputed per tenant from the analytics
 * store's per-day activity, written to asset_popularity (canonical), then carried into the search
 * and graph projections with `applyPopularity`, which changes no asset version.
 *
 * Bounded: a tenant is read, written and projected a page of assets at a time (in asset id order),
 * each page a few statements of its own, so a tenant of a million assets never holds locks on all
 * of them at once. Idempotent: every row carries the run's time, and neither the table nor a
 * projection takes a row older than the one it holds, so two processes running it at once, or a
 * run cut short and started again, leave the newest computation in place.
 */
export class PopularityService {
  private readonly settings: PopularitySettings;
  private readonly pageSize: number;
  private readonly clock: () => Date;

  constructor(
    private readonly deps: PopularityDeps,
    options: PopularityOptions = {},
  ) {
    this.settings = options.settings ?? DEFAULT_POPULARITY_SETTINGS;
    this.pageSize = options.pageSize ?? 1_000;
    this.clock = deps.clock ?? (() => new Date());
  }

  /** Every tenant, one after another; a tenant that fails is logged and the others go on. */
  async recomputeAll(): Promise<PopularityRun> {
    const walk = await walkTenants(
      await this.deps.popularity.tenantIds(this.deps.db),
      (tenantId) => this.recomputeTenant(tenantId),
      { what: 'popularity recomputation', log: this.deps.log },
    );
    return {
      tenants: walk.tenants,
      assets: sum(walk.results.map((r) => r.assets)),
      cleared: sum(walk.results.map((r) => r.cleared)),
      failed: walk.failed,
    };
  }

  async recomputeTenant(tenantId: string, at: Date = this.clock()): Promise<TenantPopularityRun> {
    const { from, to } = activityWindow(at, this.settings);
    const run: TenantPopularityRun = { assets: 0, cleared: 0, pages: 0 };
    for (let after: string | null = null; ;) {
      const rows = await this.deps.analytics.assetActivity({
        tenantId,
        from,
        to,
        afterAssetId: after,
        assets: this.pageSize,
      });
      if (rows.length === 0) break;
      const computed = [...byAsset(rows)].map(([assetId, days]) =>
        computePopularity(assetId, days, at, this.settings),
      );
      await this.deps.popularity.upsertMany(this.deps.db, tenantId, computed);
      await this.project(tenantId, computed);
      run.assets += computed.length;
      run.pages++;
      after = computed[computed.length - 1]!.assetId;
      if (computed.length < this.pageSize) break;
    }
    // What this run did not reach has no activity left in the window: zero in the projections
    // first, then gone from the table (a crash in between leaves it for the next run to clear).
    for (;;) {
      const stale = await this.deps.popularity.computedBefore(this.deps.db, tenantId, at, this.pageSize);
      if (stale.length === 0) break;
      await this.project(
        tenantId,
        stale.map((r) => noPopularity(r.assetId, at)),
      );
      await this.deps.popularity.deleteComputedBefore(
        this.deps.db,
        tenantId,
        stale.map((r) => r.assetId),
        at,
      );
      run.cleared += stale.length;
      run.pages++;
    }
    return run;
  }

  private async project(tenantId: string, rows: AssetPopularity[]): Promise<void> {
    const updates: PopularityUpdate[] = rows.map((r) => ({
      assetId: r.assetId,
      popularity: r.popularity,
      trending: r.trending,
      computedAt: r.computedAt,
    }));
    await this.deps.search.applyPopularity(tenantId, updates);
    await this.deps.graph.applyPopularity(tenantId, updates);
  }
}

/** Rows ordered by asset, then day, grouped by asset (order kept). */
function byAsset(rows: AssetDayActivity[]): Map<string, AssetDayActivity[]> {
  const groups = new Map<string, AssetDayActivity[]>();
  for (const r of rows) {
    const list = groups.get(r.assetId);
    if (list) list.push(r);
    else groups.set(r.assetId, [r]);
  }
  return groups;
}
