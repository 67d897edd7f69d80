import type { Asset } from '../domain/asset.js';
import type { SearchIndex } from '../search/search-index.js';
import type { AssetsRepository } from '../store/assets-repository.js';
import type { Database } from '../store/db.js';
import type { RelatedTextRepository, TextNeighbour } from '../store/related-text-repository.js';
import { similarText, type TextNeighbourSource } from './discovery-service.js';
import { walkTenants } from './tenant-walk.js';

/**
 * How the text signal is kept. `depth`: the neighbours computed and kept per asset, the largest
 * related page (MAX_PAGE_SIZE), so that one row answers every `limit`: a page of 10 is the first 10
 * of the 100 (what `eval:related` scores as nDCG@10 on pages of 100). `maxAgeMs`: kept neighbours
 * older than this are computed again by the refresh schedule (other assets came, changed or went;
 * the asset's own changes are caught at once by its version). `refreshPerRun`: at most so many
 * per tenant per run (each is two more-like-this lookups).
 */
export const RELATED_TEXT = { depth: 100, maxAgeMs: 24 * 3_600_000, refreshPerRun: 200 } as const;

/** What a refresh run did for a tenant. */
export interface RelatedTextRefresh {
  tenantId: string;
  refreshed: number;
  /** Rows of assets gone from the truth or the index, deleted. */
  removed: number;
}

/**
 * The text signal of related content kept per asset version (migration 0043, docs/graph.md "The
 * text signal, kept per asset version"). An asset's more-like-this neighbours depend only on its
 * indexed text and the corpus; the two lookups that compute them were most of a related request
 * (bench/RESULTS.md). So they are computed once per asset version and kept; a request finds them by
 * the asset's key, serves them while they are of the asset's current version, and otherwise
 * computes them live (and keeps them when the index holds that version). A schedule computes again
 * the oldest (`refreshAll`), as the corpus moves on. Postgres holds the truth; this table is a
 * projection of the search index, rebuilt by `rebuild` or row by row on demand.
 */
export class RelatedTextService implements TextNeighbourSource {
  constructor(
    private readonly deps: {
      db: Database;
      search: Pick<SearchIndex, 'moreLikeThis' | 'projectedVersions' | 'projectedIdsAfter'>;
      assets: Pick<AssetsRepository, 'findByIds'>;
      store: RelatedTextRepository;
      tenantIds?: () => Promise<string[]>;
      log?: { warn(obj: object, msg: string): void };
      clock?: () => Date;
    },
    private readonly options: { depth: number; maxAgeMs: number; refreshPerRun: number } = RELATED_TEXT,
  ) {}

  /** The asset's first `limit` text neighbours, kept ones when they are of its current version. */
  async neighbours(
    tenantId: string,
    assetId: string,
    found: Promise<Asset | null>,
    limit: number,
  ): Promise<TextNeighbour[]> {
    const [kept, asset] = await Promise.all([this.deps.store.find(this.deps.db, tenantId, assetId), found]);
    if (!asset) return [];
    if (kept && kept.version === asset.version && limit <= this.options.depth)
      return kept.neighbours.slice(0, limit);
    return (await this.compute(tenantId, asset, Math.max(limit, this.options.depth))).slice(0, limit);
  }

  /**
   * Computes the asset's neighbours now, and keeps them when the index holds the version of the
   * asset given: a lagging index's text is served, but not kept as that version's.
   */
  private async compute(tenantId: string, asset: Asset, depth: number): Promise<TextNeighbour[]> {
    const computedAt = this.deps.clock?.() ?? new Date();
    const [indexed, neighbours] = await Promise.all([
      this.deps.search.projectedVersions(tenantId, [asset.id]),
      similarText(this.deps.search, tenantId, asset, depth),
    ]);
    if (indexed.get(asset.id) === asset.version && depth === this.options.depth)
      await this.deps.store.save(this.deps.db, tenantId, asset.id, {
        version: asset.version,
        computedAt,
        neighbours,
      });
    return neighbours;
  }

  /** Computes these assets' neighbours again (one by one); rows of assets no longer held are deleted. */
  async refresh(tenantId: string, assetIds: string[]): Promise<RelatedTextRefresh> {
    const found = await this.deps.assets.findByIds(this.deps.db, tenantId, assetIds);
    const indexed = await this.deps.search.projectedVersions(tenantId, assetIds);
    const held = found.filter((a) => indexed.has(a.id));
    for (const asset of held) await this.compute(tenantId, asset, this.options.depth);
    const heldIds = new Set(held.map((a) => a.id));
    const gone = assetIds.filter((id) => !heldIds.has(id));
    const removed = gone.length > 0 ? await this.deps.store.remove(this.deps.db, tenantId, gone) : 0;
    return { tenantId, refreshed: held.length, removed };
  }

  /** The tenant's oldest kept neighbours, older than `maxAgeMs`, computed again (`refreshPerRun` at most). */
  async refreshOldest(tenantId: string): Promise<RelatedTextRefresh> {
    const now = this.deps.clock?.() ?? new Date();
    const ids = await this.deps.store.computedBefore(
      this.deps.db,
      tenantId,
      new Date(now.getTime() - this.options.maxAgeMs),
      this.options.refreshPerRun,
    );
    return ids.length > 0 ? this.refresh(tenantId, ids) : { tenantId, refreshed: 0, removed: 0 };
  }

  /** `refreshOldest` for every tenant: the refresh schedule's run. */
  async refreshAll(): Promise<{ runs: RelatedTextRefresh[]; failed: string[] }> {
    const tenants = (await this.deps.tenantIds?.()) ?? [];
    const walk = await walkTenants(tenants, (tenantId) => this.refreshOldest(tenantId), {
      what: 'related text refresh',
      log: this.deps.log,
    });
    return { runs: walk.results, failed: walk.failed };
  }

  /**
   * Forgets the tenant's kept neighbours and computes them again for every asset the index holds,
   * a page at a time: what follows a change to how they are computed. Requests meanwhile compute
   * what is not kept yet.
   */
  async rebuild(tenantId: string, pageSize = 100): Promise<RelatedTextRefresh> {
    await this.deps.store.remove(this.deps.db, tenantId, null);
    const total: RelatedTextRefresh = { tenantId, refreshed: 0, removed: 0 };
    for (let after: string | null = null; ;) {
      const page = await this.deps.search.projectedIdsAfter(tenantId, after, pageSize);
      if (page.length === 0) return total;
      const done = await this.refresh(
        tenantId,
        page.map((p) => p.assetId),
      );
      total.refreshed += done.refreshed;
      after = page[page.length - 1]!.assetId;
    }
  }
}
