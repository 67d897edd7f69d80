import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { Asset } from '../domain/asset.js';
import { decodeCursor, pageOf } from '../domain/cursor.js';
import { NotFoundError } from '../domain/errors.js';
import type { GraphProjectionAudit } from '../graph/graph-store.js';
import type { SearchProjectionAudit } from '../search/search-index.js';
import type { AssetsRepository } from '../store/assets-repository.js';
import type { Database } from '../store/db.js';

const ListCursor = z.object({ t: z.iso.datetime({ offset: true }), id: z.uuid() });

const SETTLED_POLL_MS = 50;

export class AssetService {
  constructor(
    private readonly deps: {
      db: Database;
      assets: Pick<AssetsRepository, 'findById' | 'findByIds' | 'list'>;
      search: SearchProjectionAudit;
      graph: GraphProjectionAudit;
    },
  ) {}

  /** Ids of other tenants are not found, exactly like ids that do not exist. */
  async get(tenantId: string, id: string): Promise<Asset> {
    const asset = await this.deps.assets.findById(this.deps.db, tenantId, id);
    if (!asset) throw new NotFoundError(`asset ${id} not found`);
    return asset;
  }

  async list(tenantId: string, opts: { limit: number; cursor?: string | undefined }) {
    const after = opts.cursor ? decodeCursor(opts.cursor, ListCursor) : undefined;
    const rows = await this.deps.assets.list(this.deps.db, tenantId, {
      limit: opts.limit + 1,
      after: after && { createdAt: after.t, id: after.id },
    });
    return pageOf(rows, opts.limit, (last) => ({ t: last.createdAt.toISOString(), id: last.id }));
  }

  /**
   * Waits until every asset is settled: enrichment finished (PROCESSED or FAILED) and both
   * projections hold its current version. Returns the latest state and whether all settled in time.
   */
  async waitUntilSettled(
    tenantId: string,
    ids: string[],
    timeoutMs: number,
  ): Promise<{ settled: boolean; assets: Map<string, Asset> }> {
    const deadline = Date.now() + timeoutMs;
    const unique = [...new Set(ids)];
    for (;;) {
      const assets = new Map(
        (await this.deps.assets.findByIds(this.deps.db, tenantId, unique)).map((a) => [a.id, a]),
      );
      const [inSearch, inGraph] = await Promise.all([
        this.deps.search.projectedVersions(tenantId, unique),
        this.deps.graph.projectedVersions(tenantId, unique),
      ]);
      const settled = [...assets.values()].every(
        (a) =>
          a.status === 'FAILED' ||
          (a.status === 'PROCESSED' &&
            (inSearch.get(a.id) ?? 0) >= a.version &&
            (inGraph.get(a.id) ?? 0) >= a.version),
      );
      if (settled || Date.now() >= deadline) return { settled, assets };
      await sleep(Math.min(SETTLED_POLL_MS, Math.max(1, deadline - Date.now())));
    }
  }
}
