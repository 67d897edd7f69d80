import type { AnalyticsStore } from '../analytics/analytics-store.js';
import {
  CLICK_LEARNING,
  ClickLog,
  normalizeQuery,
  type ClickBoost,
  type ClickModelResult,
} from '../domain/click-model.js';
import { ValidationError } from '../domain/errors.js';
import type {
  ClickLearningRepository,
  ClickLearningRun,
  CuratorQuery,
  CuratorQueryKind,
} from '../store/click-learning-repository.js';
import type { Database } from '../store/db.js';
import { sum, walkTenants } from './tenant-walk.js';

const DAY_MS = 86_400_000;
/** Events read per page of the analytics store. */
const PAGE = 5_000;
/** Boosts a search is given at most (the search port's bound). */
export const CLICK_BOOSTS_PER_SEARCH = CLICK_LEARNING.boostsPerQuery;
/** Curators' lists: a low-click query must have been searched this often to be listed. */
export const LOW_CLICKS_MIN_SEARCHES = 5;

export interface ClickLearningReport {
  tenants: number;
  boosts: number;
  /** Tenants whose run failed (logged); the next run tries them again. */
  failed: string[];
}

/**
 * Learning from clicks (docs/clicks.md): reads a tenant's searches and clicks of the last
 * `CLICK_LEARNING.windowDays` days from the analytics store, page by page, fits the click model
 * (domain/click-model.ts) and replaces the tenant's boosts and query statistics in Postgres with
 * the result. Search looks the boosts up per normalized query; suggestions and the curators'
 * lists read the query statistics.
 */
export class ClickLearningService {
  constructor(
    private readonly deps: {
      db: Database;
      repo: ClickLearningRepository;
      store: Pick<AnalyticsStore, 'searchInteractions'>;
      log?: { warn(obj: object, msg: string): void };
    },
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** One tenant's run: the model fitted on its window, its tables replaced in one transaction. */
  async recompute(tenantId: string): Promise<ClickLearningRun & { result: ClickModelResult }> {
    const to = this.clock();
    const from = new Date(to.getTime() - CLICK_LEARNING.windowDays * DAY_MS);
    const log = new ClickLog();
    let after = null;
    do {
      const page = await this.deps.store.searchInteractions({ tenantId, from, to, after, limit: PAGE });
      log.add(page.interactions);
      after = page.next;
    } while (after);
    const result = log.fit();
    const run: ClickLearningRun = {
      computedAt: to,
      windowFrom: from,
      windowTo: to,
      eventsUsed: result.used,
      eventsSkipped: result.skipped,
      boosts: result.boosts.length,
      queries: result.queries.length,
    };
    // A tenant that never had searches gets no rows at all (and nothing to write).
    if (result.used > 0 || (await this.deps.repo.lastRun(this.deps.db, tenantId))) {
      await this.deps.db.transaction((tx) =>
        this.deps.repo.replace(tx, tenantId, { boosts: result.boosts, queries: result.queries, run }),
      );
    }
    return { ...run, result };
  }

  /** Every tenant's run, one after the other; a tenant that fails does not stop the others. */
  async recomputeAll(): Promise<ClickLearningReport> {
    const walk = await walkTenants(
      await this.deps.repo.tenants(this.deps.db),
      async (tenantId) => (await this.recompute(tenantId)).boosts,
      { what: 'click learning', log: this.deps.log },
    );
    return { tenants: walk.tenants, boosts: sum(walk.results), failed: walk.failed };
  }

  /** The boosts of a search's text (none for an empty one). */
  async boostsFor(tenantId: string, q: string): Promise<ClickBoost[]> {
    const query = normalizeQuery(q);
    if (!query) return [];
    return this.deps.repo.boostsFor(this.deps.db, tenantId, query, CLICK_BOOSTS_PER_SEARCH);
  }

  /** Searched queries completing the prefix, each searched by enough people to be shown to others. */
  async popularQueries(
    tenantId: string,
    prefix: string,
    limit: number,
  ): Promise<{ query: string; display: string }[]> {
    const p = normalizeQuery(prefix);
    if (!p || limit <= 0) return [];
    return this.deps.repo.popularQueries(this.deps.db, tenantId, p, limit, CLICK_LEARNING.suggestMinVoters);
  }

  /** Zero-result or low-click queries of the last run, for curators. */
  curatorQueries(tenantId: string, kind: CuratorQueryKind, limit: number): Promise<CuratorQuery[]> {
    if (limit < 1 || limit > 1_000) throw new ValidationError('limit is from 1 to 1000');
    return this.deps.repo.curatorQueries(
      this.deps.db,
      tenantId,
      kind,
      limit,
      kind === 'low-clicks' ? LOW_CLICKS_MIN_SEARCHES : 1,
    );
  }

  lastRun(tenantId: string): Promise<ClickLearningRun | null> {
    return this.deps.repo.lastRun(this.deps.db, tenantId);
  }
}
