import type { Asset } from '../domain/asset.js';
import type { AssetGraph, GraphWriter } from '../graph/graph-store.js';
import { toAssetGraph } from '../indexers/asset-graph.js';
import { SomeAssetsFailedError, type JobPayloads } from '../queue/jobs.js';
import type { SearchDocument, SearchIndexWriter } from '../search/search-index.js';
import type { AssetsRepository } from '../store/assets-repository.js';
import type { OperationalMetricsRepository } from '../store/operational-metrics-repository.js';
import type { PopularityRepository } from '../store/popularity-repository.js';
import type { CommentsRepository } from '../store/comments-repository.js';
import type { Database } from '../store/database.js';
import { eachAlone } from './each-alone.js';
import type { EmbeddingService } from './embedding-service.js';
import { allSearchDocumentsOf, searchDocumentsOf } from './search-documents.js';
import { errorMessage } from '../domain/errors.js';
import type { MetadataRecorder } from '../domain/metadata.js';
import { PROJECTION_VERSION } from '../indexers/search-document.js';

/** The projections of canonical assets into the graph and the search index: the `project-assets` job. */
export class ProjectionService {
  constructor(
    private readonly deps: {
      db: Database;
      assets: Pick<AssetsRepository, 'findById' | 'findByIds'>;
      /** The canonical learned popularity, carried into the search document (absent: none). */
      popularity?: Pick<PopularityRepository, 'forAssets'>;
      /** The canonical time-coded feedback, carried into the search document (absent: none). */
      feedback?: Pick<CommentsRepository, 'feedbackOf'>;
      graph: Pick<GraphWriter, 'projectAsset' | 'projectMany' | 'removeAsset'>;
      /**
       * `expungeDeleted` after a job removed documents (deleted or purged assets): Elasticsearch
       * keeps a deleted document's text in its segments until a merge; the adapter runs at most one
       * forced merge per interval for all the calls in it, so this is asked once per job, not per asset.
       */
      search: Pick<SearchIndexWriter, 'upsert' | 'upsertMany' | 'remove' | 'expungeDeleted'>;
      /** Told of each asset a projection job projected (the projection-lag metric). */
      onProjected?: (asset: Asset) => void;
      /** Where each projection's lag is counted for GET /v1/metrics?metric=projectionLag. */
      projectionLags?: Pick<OperationalMetricsRepository, 'recordProjectionLags'>;
      /**
       * Read again after a write, so that a delete committed meanwhile is not undone (absent: not
       * read again; the drift check then finds the orphan).
       */
      live?: Pick<AssetsRepository, 'liveIds'>;
      /**
       * The embedding extractor, run on each asset once it is projected (services/embedding-service.ts;
       * absent: no semantic search). Its failure fails the asset's projection, which is retried.
       */
      embeddings?: Pick<EmbeddingService, 'embedAssets' | 'removeAssets'>;
      /**
       * Records each job's projection_run (docs/metadata.md) in the transaction that counts its lags;
       * none: not recorded.
       */
      metadata?: MetadataRecorder;
    },
  ) {}

  /**
   * The `project-assets` job: reads the batch's assets in one statement, writes them to the search
   * index and the graph in one call each (`upsertMany`, `projectMany`: versioned, so a version
   * already held, or an older one than held, changes nothing), removes those gone, and counts how
   * far each projection lagged. An asset that fails alone leaves the others projected; the job is
   * then retried with the failed assets only (SomeAssetsFailedError).
   */
  async projectAssets(
    { tenantId, assets: batch }: JobPayloads['project-assets'],
    jobId?: string,
  ): Promise<void> {
    const { db, assets, graph, search } = this.deps;
    const startedAt = new Date();
    const timings = { searchMs: 0, graphMs: 0, embeddingMs: 0 };
    const timed = async <T>(key: keyof typeof timings, work: () => Promise<T>): Promise<T> => {
      const t = performance.now();
      try {
        return await work();
      } finally {
        timings[key] += performance.now() - t;
      }
    };
    const ids = [...new Set(batch.map((a) => a.assetId))];
    const found = new Map((await assets.findByIds(db, tenantId, ids)).map((a) => [a.id, a]));
    const failures = new Map<string, unknown>();

    const gone = ids.filter((id) => !found.has(id));
    for (const id of gone) {
      try {
        await Promise.all([
          graph.removeAsset(tenantId, id),
          search.remove(tenantId, id),
          this.deps.embeddings?.removeAssets(tenantId, [id]),
        ]);
      } catch (err) {
        failures.set(id, err);
      }
    }

    // The batch's search documents with their learned popularity (one read); an asset whose documents
    // cannot be made fails alone.
    const built = await searchDocumentsOf(this.deps, tenantId, [...found.values()]);
    for (const [id, err] of built.failed) failures.set(id, err);
    const docs: { asset: Asset; doc: SearchDocument; graph: AssetGraph }[] = [];
    for (const asset of found.values()) {
      const doc = built.docs.get(asset.id);
      if (!doc) continue;
      try {
        docs.push({ asset, doc, graph: toAssetGraph(asset) });
      } catch (err) {
        failures.set(asset.id, err);
      }
    }
    if (docs.length > 0) {
      const [searchFailed, graphFailed] = await Promise.all([
        timed('searchMs', () =>
          eachAlone(
            docs,
            (all) =>
              search.upsertMany(
                tenantId,
                all.map((d) => d.doc),
              ),
            (one) => search.upsert(tenantId, one.doc),
          ),
        ),
        timed('graphMs', () =>
          eachAlone(
            docs,
            (all) =>
              graph.projectMany(
                tenantId,
                all.map((d) => d.graph),
              ),
            (one) => graph.projectAsset(tenantId, one.graph),
          ),
        ),
      ]);
      for (const [d, err] of [...searchFailed, ...graphFailed])
        if (!failures.has(d.asset.id)) failures.set(d.asset.id, err);
    }

    const removed = gone.filter((id) => !failures.has(id)).length;
    let projected = docs.map((d) => d.asset).filter((a) => !failures.has(a.id));
    if (this.deps.embeddings && projected.length > 0) {
      const { embeddings } = this.deps;
      const embedFailed = await timed('embeddingMs', () =>
        eachAlone(
          projected,
          (all) => embeddings.embedAssets(tenantId, all),
          (one) => embeddings.embedAssets(tenantId, [one]),
        ),
      );
      for (const [a, err] of embedFailed) failures.set(a.id, err);
      projected = projected.filter((a) => !failures.has(a.id));
    }
    const removedMeanwhile = await this.removeDeletedMeanwhile(tenantId, projected);
    if (removed + removedMeanwhile > 0) this.expungeRemoved();
    for (const asset of projected) this.deps.onProjected?.(asset);
    const now = new Date();
    const lagsMs = projected.map((a) => Math.max(0, now.getTime() - a.updatedAt.getTime()));
    const { metadata, projectionLags } = this.deps;
    if (metadata) {
      // The run's record and its lags commit together: a failed write leaves neither.
      await db.transaction(async (tx) => {
        await projectionLags?.recordProjectionLags(tx, tenantId, lagsMs, now);
        await metadata.record(tx, tenantId, [
          {
            target: { type: 'tenant', id: tenantId },
            kind: 'projection_run',
            producerId: 'projection.v1',
            producedAt: startedAt,
            version: PROJECTION_VERSION,
            ...(jobId ? { context: { jobId } } : {}),
            payload: {
              assets: ids.length,
              projected: projected.length,
              removed,
              failed: failures.size,
              durationMs: now.getTime() - startedAt.getTime(),
              ...timings,
            },
          },
        ]);
      });
    } else if (projected.length > 0) {
      await projectionLags?.recordProjectionLags(db, tenantId, lagsMs, now);
    }
    if (failures.size === 0) return;
    // Every asset failed: the attempt failed as a whole (a backend that is down), retried as it is.
    if (failures.size === ids.length && ids.length === 1) throw [...failures.values()][0];
    throw new SomeAssetsFailedError<'project-assets'>(
      { tenantId, assets: batch.filter((a) => failures.has(a.assetId)) },
      [...failures].map(([assetId, err]) => ({ assetId, error: errorMessage(err) })),
    );
  }

  /**
   * Projects the asset's current canonical state into the graph and the search index.
   * Idempotent and versioned: re-running is a no-op, and an older version never replaces a newer one.
   * Returns the asset projected, or null when it no longer exists (and was removed from both).
   */
  async project(tenantId: string, assetId: string): Promise<Asset | null> {
    const { db, assets, graph, search } = this.deps;
    const asset = await assets.findById(db, tenantId, assetId);
    if (!asset) {
      await Promise.all([graph.removeAsset(tenantId, assetId), search.remove(tenantId, assetId)]);
      this.expungeRemoved();
      return null;
    }
    const [doc] = await allSearchDocumentsOf(this.deps, tenantId, [asset]);
    await Promise.all([graph.projectAsset(tenantId, toAssetGraph(asset)), search.upsert(tenantId, doc!)]);
    if ((await this.removeDeletedMeanwhile(tenantId, [asset])) > 0) this.expungeRemoved();
    return asset;
  }

  /**
   * Asks the index to drop what it still keeps of removed documents (docs/lifecycle.md, "Term
   * statistics"). Not awaited: the adapter may hold the call until its interval ends, and a job
   * should not wait for that; `expungeDeleted` never throws (a failed merge is logged there).
   */
  private expungeRemoved(): void {
    void this.deps.search.expungeDeleted();
  }

  /**
   * Removes the written assets that were deleted (or purged) since this job read them. The delete's
   * own projection job may have run between that read and this job's write, and a removal keeps no
   * version to refuse an older one by: without this, the late write would bring the asset back. The
   * delete commits before its job runs, so a read after the write sees it.
   */
  private async removeDeletedMeanwhile(tenantId: string, written: Asset[]): Promise<number> {
    const { db, graph, search, live } = this.deps;
    if (!live || written.length === 0) return 0;
    const still = await live.liveIds(
      db,
      tenantId,
      written.map((a) => a.id),
    );
    const deleted = written.filter((w) => !still.has(w.id));
    for (const a of deleted)
      await Promise.all([graph.removeAsset(tenantId, a.id), search.remove(tenantId, a.id)]);
    return deleted.length;
  }
}
