import { setTimeout as sleep } from 'node:timers/promises';
import { dateTime } from '../domain/ranges.js';
import { z } from 'zod';
import type { Asset } from '../domain/asset.js';
import { decodeCursor, pageOf } from '../domain/cursor.js';
import { NotFoundError } from '../domain/errors.js';
import type { GraphProjectionAudit } from '../graph/graph-store.js';
import type { SearchProjectionAudit } from '../search/search-index.js';
import type { AssetsRepository } from '../store/assets-repository.js';
import type { Database } from '../store/db.js';

const ListCursor = z.object({ t: dateTime(), id: z.uuid() });

/**
 * A wait polls every 50 ms at first, then every tenth of the time waited so far, up to 250 ms: an
 * answer comes at most about a tenth later than the write settled, and a batch that takes seconds
 * to enrich is not polled hundreds of times while the workers share the database with the polls.
 */
const SETTLED_POLL_MS = 50;
const SETTLED_POLL_MAX_MS = 250;

export class AssetService {
  constructor(
    private readonly deps: {
      db: Database;
      assets: Pick<AssetsRepository, 'findById' | 'findByIds' | 'statesOf' | 'list'>;
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
   * Each poll reads the assets' status and version only, and asks a projection only about the
   * processed assets it was not yet seen to hold; the whole assets are read once, at the end.
   */
  async waitUntilSettled(
    tenantId: string,
    ids: string[],
    timeoutMs: number,
  ): Promise<{ settled: boolean; assets: Map<string, Asset> }> {
    const { db, assets, search, graph } = this.deps;
    const started = Date.now();
    const deadline = started + timeoutMs;
    const unique = [...new Set(ids)];
    // The version each projection was last seen to hold, per asset.
    const held = { search: new Map<string, number>(), graph: new Map<string, number>() };
    for (;;) {
      const states = await assets.statesOf(db, tenantId, unique);
      const behind = (seen: Map<string, number>) =>
        states.filter((a) => a.status === 'PROCESSED' && (seen.get(a.id) ?? 0) < a.version).map((a) => a.id);
      const [inSearch, inGraph] = await Promise.all([
        projected(search, tenantId, behind(held.search)),
        projected(graph, tenantId, behind(held.graph)),
      ]);
      for (const [id, v] of inSearch) held.search.set(id, v);
      for (const [id, v] of inGraph) held.graph.set(id, v);
      const settled = states.every(
        (a) =>
          a.status === 'FAILED' ||
          (a.status === 'PROCESSED' &&
            (held.search.get(a.id) ?? 0) >= a.version &&
            (held.graph.get(a.id) ?? 0) >= a.version),
      );
      if (settled || Date.now() >= deadline) {
        const latest = await assets.findByIds(db, tenantId, unique);
        // An edit between the poll and this read: the answer would show a version not found settled.
        const polled = new Map(states.map((a) => [a.id, a.version]));
        const moved = latest.some((a) => a.version !== polled.get(a.id));
        if (!moved || Date.now() >= deadline)
          return { settled: settled && !moved, assets: new Map(latest.map((a) => [a.id, a])) };
        continue;
      }
      const every = Math.min(SETTLED_POLL_MAX_MS, Math.max(SETTLED_POLL_MS, (Date.now() - started) / 10));
      await sleep(Math.min(every, Math.max(1, deadline - Date.now())));
    }
  }
}

/** The versions a projection holds of the assets; nothing to ask when there are none. */
const projected = (
  audit: SearchProjectionAudit | GraphProjectionAudit,
  tenantId: string,
  ids: string[],
): Promise<Map<string, number>> =>
  ids.length === 0 ? Promise.resolve(new Map<string, number>()) : audit.projectedVersions(tenantId, ids);
