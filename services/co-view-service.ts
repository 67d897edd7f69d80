import type { AnalyticsStore } from '../analytics/analytics-store.js';
import { CO_VIEW, coViewPartners } from '../domain/co-views.js';
import type { GraphWriter } from '../graph/graph-store.js';
import type { CoViewsRepository } from '../store/co-views-repository.js';
import type { Database } from '../store/db.js';
import { walkTenants } from './tenant-walk.js';

const DAY_MS = 24 * 3600 * 1000;

/** Candidate pairs the analytics store hands over per anchor, before scoring keeps the best K. */
const CANDIDATES_PER_PARTNER = 5;

export interface CoViewRun {
  tenantId: string;
  pages: number;
  anchors: number;
  /** Partnerships written. */
  pairs: number;
  /** The pass reached the last viewed asset (the next run starts over). */
  finished: boolean;
}

export interface CoViewOptions {
  windowDays: number;
  minSessions: number;
  maxAssetsPerSession: number;
  partnersPerAsset: number;
  shrinkage: number;
  assetsPerPage: number;
  pagesPerRun: number;
}

/**
 * "Viewers also watched": recomputes each tenant's co-views from the analytics store's session
 * counts (domain/co-views.ts), keeps them canonically in asset_co_views and projects them into the
 * graph as CO_VIEWED relationships. A run pages through the tenant's viewed assets in id order, at
 * most `pagesPerRun` pages; the next run continues where it stopped, and after the last page starts
 * over. Each page replaces the co-views of the assets in its id range, so an asset no longer viewed
 * loses its partners when its range comes round.
 */
export class CoViewService {
  private readonly options: CoViewOptions;

  constructor(
    private readonly deps: {
      db: Database;
      analytics: Pick<AnalyticsStore, 'coViewCounts'>;
      graph: Pick<GraphWriter, 'replaceCoViewed'>;
      coViews: CoViewsRepository;
      tenantIds: () => Promise<string[]>;
      clock?: () => Date;
      log?: { warn(obj: object, msg: string): void };
    },
    options: Partial<CoViewOptions> = {},
  ) {
    this.options = { ...CO_VIEW, ...options };
  }

  /** One bounded run for every tenant; a tenant that fails is logged and the others go on. */
  async recomputeAll(): Promise<{ runs: CoViewRun[]; failed: string[] }> {
    const walk = await walkTenants(await this.deps.tenantIds(), (tenantId) => this.recompute(tenantId), {
      what: 'co-view recomputation',
      log: this.deps.log,
    });
    return { runs: walk.results, failed: walk.failed };
  }

  /**
   * Up to `pagesPerRun` pages of the tenant's viewed assets. Per page: the counts, the partners,
   * the canonical rows in one transaction, the graph, then the position, so that a page whose graph
   * write failed is done again by the next run.
   */
  async recompute(tenantId: string): Promise<CoViewRun> {
    const o = this.options;
    const { db, coViews } = this.deps;
    const now = this.deps.clock?.() ?? new Date();
    const from = new Date(now.getTime() - o.windowDays * DAY_MS);
    let afterId = await coViews.position(db, tenantId);
    const run: CoViewRun = { tenantId, pages: 0, anchors: 0, pairs: 0, finished: false };
    while (run.pages < o.pagesPerRun && !run.finished) {
      const counts = await this.deps.analytics.coViewCounts({
        tenantId,
        from,
        to: now,
        afterAssetId: afterId,
        assetLimit: o.assetsPerPage,
        maxAssetsPerSession: o.maxAssetsPerSession,
        minSessions: o.minSessions,
        pairsPerAsset: o.partnersPerAsset * CANDIDATES_PER_PARTNER,
      });
      const partners = coViewPartners(counts.anchors, counts.pairs, counts.sessionsPerAsset, o);
      // A short page is the last: its range runs to the end of the ids.
      const lastId = counts.anchors.length < o.assetsPerPage ? null : counts.anchors.at(-1)!;
      const rows = [...partners]
        .filter(([, list]) => list.length > 0)
        .map(([assetId, list]) => ({ assetId, partners: list }));
      const cleared = await db.transaction((tx) =>
        coViews.replaceRange(tx, tenantId, { afterId, lastId }, rows, now),
      );
      const touched = [...new Set([...counts.anchors, ...cleared])].sort();
      await this.deps.graph.replaceCoViewed(
        tenantId,
        touched.map((assetId) => ({ assetId, partners: partners.get(assetId) ?? [] })),
      );
      await coViews.savePosition(db, tenantId, lastId);
      run.pages++;
      run.anchors += counts.anchors.length;
      run.pairs += rows.reduce((n, r) => n + r.partners.length, 0);
      run.finished = lastId === null;
      afterId = lastId;
    }
    return run;
  }
}
