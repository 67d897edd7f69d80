import type { Asset } from '../domain/asset.js';
import { NotFoundError } from '../domain/errors.js';
import type { GraphStore, RelatedReason } from '../graph/graph-store.js';
import type { Facets, SearchFilters, SearchHit, SearchIndex, SearchSort } from '../search/search-index.js';
import { assetsRepository } from '../store/assets-repository.js';
import type { Database } from '../store/db.js';

export interface SearchResult {
  hits: (Omit<SearchHit, 'assetId'> & { asset: Asset })[];
  nextCursor: string | null;
  facets?: Facets;
}

export interface RelatedResult {
  items: { asset: Asset; score: number; reasons: RelatedReason[] }[];
}

/** Queries over the projections, answered with canonical assets. */
export class DiscoveryService {
  constructor(
    private readonly db: Database,
    private readonly graph: GraphStore,
    private readonly search: SearchIndex,
  ) {}

  async searchAssets(
    tenantId: string,
    query: {
      q: string;
      limit: number;
      cursor?: string | undefined;
      filters?: SearchFilters;
      sort?: SearchSort | undefined;
      facets?: boolean;
      explain?: boolean;
    },
  ): Promise<SearchResult> {
    const page = await this.search.search(tenantId, {
      text: query.q,
      limit: query.limit,
      cursor: query.cursor,
      ...(query.filters ? { filters: query.filters } : {}),
      ...(query.sort ? { sort: query.sort } : {}),
      ...(query.facets ? { facets: true } : {}),
      ...(query.explain ? { explain: true } : {}),
    });
    const assets = await this.hydrate(
      tenantId,
      page.hits.map((h) => h.assetId),
    );
    return {
      // A hit whose asset is gone from the truth (deleted, not yet unprojected) is dropped.
      hits: page.hits.flatMap((h) => {
        const asset = assets.get(h.assetId);
        if (!asset) return [];
        const { assetId: _assetId, ...rest } = h;
        return [{ ...rest, asset }];
      }),
      nextCursor: page.nextCursor,
      ...(page.facets ? { facets: page.facets } : {}),
    };
  }

  suggest(tenantId: string, prefix: string, limit: number) {
    return this.search.suggest(tenantId, prefix, limit);
  }

  async related(tenantId: string, assetId: string, opts: { limit: number }): Promise<RelatedResult> {
    const exists = await assetsRepository.findById(this.db, tenantId, assetId);
    if (!exists) throw new NotFoundError(`asset ${assetId} not found`);
    const related = await this.graph.related(tenantId, assetId, opts);
    const assets = await this.hydrate(
      tenantId,
      related.map((r) => r.assetId),
    );
    return {
      items: related.flatMap((r) => {
        const asset = assets.get(r.assetId);
        return asset ? [{ asset, score: r.score, reasons: r.reasons }] : [];
      }),
    };
  }

  private async hydrate(tenantId: string, ids: string[]): Promise<Map<string, Asset>> {
    const rows = await assetsRepository.findByIds(this.db, tenantId, ids);
    return new Map(rows.map((a) => [a.id, a]));
  }
}
