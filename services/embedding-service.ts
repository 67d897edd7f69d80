/**
 * The embedding extractor's use case (docs/semantic-search.md): an asset's passages (title and
 * description, transcript moments) embedded by the tenant's model when the tenant has semantic
 * search on, stored in Postgres (the truth, migration 0063) and written to the vector index (a
 * projection of it). Runs after the search projection of each asset, so a version is embedded once
 * it is enriched; a throttled backfill embeds a library that was there before, and `rebuild`
 * refills the vector index from Postgres alone.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Asset } from '../domain/asset.js';
import {
  EMBEDDING_EXTRACTOR_VERSION,
  embedAll,
  passagesOf,
  type Embedder,
} from '../enrichment/embeddings.js';
import type { VectorHit, VectorIndex } from '../search/vector-index.js';
import type { AssetsRepository } from '../store/assets-repository.js';
import type { Database } from '../store/database.js';
import type { EmbeddingsRepository, StoredEmbedding } from '../store/embeddings-repository.js';
import type { EnrichmentSettingsRepository } from '../store/enrichment-settings-repository.js';

/** controller_configs entry holding a tenant's `{ enabled }` (absent: the service's default). */
export const SEMANTIC_CONTROLLER = 'semantic-search';
/** How long a tenant's on/off is trusted before it is read again. */
const SETTING_TTL_MS = 10_000;
const PAGE = 100;
const NO_ID = '00000000-0000-0000-0000-000000000000';

/** Where a backfill stands: past this asset in the library's newest-first order. */
export interface BackfillPosition {
  createdAt: string;
  id: string;
}

export interface EmbeddingDeps {
  db: Database;
  assets: Pick<AssetsRepository, 'list'>;
  embeddings: Pick<EmbeddingsRepository, 'replace' | 'statesOf' | 'page' | 'remove' | 'forAssets'>;
  settings: Pick<EnrichmentSettingsRepository, 'getConfig' | 'setConfig'>;
  vectors: VectorIndex;
  embedder: Embedder;
  /** Whether a tenant without a setting of its own has semantic search on. */
  enabledByDefault: boolean;
}

export class EmbeddingService {
  private readonly enabledCache = new Map<string, { on: boolean; at: number }>();
  /** Tenants whose vector index this process has checked against Postgres. */
  private readonly checked = new Set<string>();

  constructor(private readonly deps: EmbeddingDeps) {}

  get model(): string {
    return this.deps.embedder.model;
  }

  async enabled(tenantId: string): Promise<boolean> {
    const held = this.enabledCache.get(tenantId);
    if (held && Date.now() - held.at < SETTING_TTL_MS) return held.on;
    const own = await this.deps.settings.getConfig<{ enabled: boolean }>(
      this.deps.db,
      tenantId,
      SEMANTIC_CONTROLLER,
    );
    const on = own?.enabled ?? this.deps.enabledByDefault;
    this.enabledCache.set(tenantId, { on, at: Date.now() });
    return on;
  }

  async setEnabled(tenantId: string, enabled: boolean): Promise<void> {
    await this.deps.settings.setConfig(this.deps.db, tenantId, SEMANTIC_CONTROLLER, { enabled });
    this.enabledCache.set(tenantId, { on: enabled, at: Date.now() });
  }

  /**
   * Embeds the assets whose stored vectors are of an older version, model or extractor version,
   * stores them and writes them to the vector index. Nothing for a tenant with semantic search off.
   * Returns how many assets were embedded.
   */
  async embedAssets(tenantId: string, assets: Asset[]): Promise<number> {
    if (assets.length === 0 || !(await this.enabled(tenantId))) return 0;
    const { db, embeddings, embedder, vectors } = this.deps;
    const states = await embeddings.statesOf(
      db,
      tenantId,
      assets.map((a) => a.id),
    );
    const stale = assets.filter((a) => {
      const s = states.get(a.id);
      return (
        !s ||
        s.version < a.version ||
        s.model !== embedder.model ||
        s.extractorVersion !== EMBEDDING_EXTRACTOR_VERSION
      );
    });
    if (stale.length === 0) return 0;
    const passages = stale.flatMap((a) => passagesOf(a).map((p) => ({ asset: a, ...p })));
    const vectorsOf = await embedAll(
      embedder,
      passages.map((p) => p.text),
    );
    const rows: StoredEmbedding[] = passages.map((p, i) => ({
      assetId: p.asset.id,
      passage: p.passage,
      version: p.asset.version,
      model: embedder.model,
      extractorVersion: EMBEDDING_EXTRACTOR_VERSION,
      start: p.start,
      end: p.end,
      vector: vectorsOf[i]!,
    }));
    await db.transaction((tx) => embeddings.replace(tx, tenantId, rows));
    await vectors.upsert(tenantId, rows);
    return stale.length;
  }

  /** Forgets deleted assets' vectors, in Postgres and the index. */
  async removeAssets(tenantId: string, assetIds: string[]): Promise<void> {
    if (assetIds.length === 0) return;
    await this.deps.embeddings.remove(this.deps.db, tenantId, assetIds);
    await this.deps.vectors.remove(tenantId, assetIds);
  }

  /** The query's vector, or null when the tenant has semantic search off. */
  async queryVector(tenantId: string, text: string): Promise<Float32Array | null> {
    if (!text.trim() || !(await this.enabled(tenantId))) return null;
    await this.ready(tenantId);
    const [v] = await this.deps.embedder.embed([text]);
    return v ?? null;
  }

  /**
   * The assets nearest this one by meaning, best first, itself left out: its title and description
   * (passage 0) against every passage of the tenant's assets, so a related asset's moment may be
   * what is near. None when the tenant has semantic search off, or the asset has no vector of the
   * live model yet (not embedded, or embedded by another model: the backfill embeds it again).
   */
  async similarAssets(tenantId: string, assetId: string, limit: number): Promise<VectorHit[]> {
    if (limit <= 0 || !(await this.enabled(tenantId))) return [];
    const own = (await this.deps.embeddings.forAssets(this.deps.db, tenantId, [assetId])).find(
      (e) => e.passage === 0 && e.model === this.deps.embedder.model,
    );
    if (!own) return [];
    await this.ready(tenantId);
    const hits = await this.deps.vectors.search(tenantId, { vector: own.vector, limit: limit + 1 });
    return hits.filter((h) => h.assetId !== assetId).slice(0, limit);
  }

  /**
   * An empty index (a new process without saved files, a lost directory) is filled from Postgres
   * before the tenant's first query in this process.
   */
  private async ready(tenantId: string): Promise<void> {
    if (this.checked.has(tenantId)) return;
    this.checked.add(tenantId);
    if ((await this.deps.vectors.count(tenantId)) === 0) await this.rebuild(tenantId);
  }

  /**
   * Refills the tenant's vector index from Postgres: cleared, then a page of assets at a time.
   * Vectors of another model than the live one are left out (the backfill embeds those again).
   */
  async rebuild(tenantId: string): Promise<number> {
    const { db, embeddings, vectors, embedder } = this.deps;
    await vectors.clear(tenantId);
    let after = NO_ID;
    let written = 0;
    for (;;) {
      const page = await embeddings.page(db, tenantId, after, PAGE);
      if (page.length === 0) break;
      after = page[page.length - 1]!.assetId;
      const live = page.filter((e) => e.model === embedder.model);
      await vectors.upsert(tenantId, live);
      written += live.length;
    }
    return written;
  }

  /**
   * Embeds every asset of the tenant that has no current vectors, newest first, at most
   * `assetsPerSecond` (so it never crowds out fresh ingest). Returns how many it embedded.
   * Resumable: `onPage` is told the position after each page (and how many assets the page held),
   * and a run given that position as `after` continues from there; an asset embedded already is
   * not embedded again, so a page run twice costs a read only.
   */
  async backfill(
    tenantId: string,
    opts: {
      assetsPerSecond: number;
      after?: BackfillPosition | undefined;
      onPage?: (page: { embedded: number; assets: number; after: BackfillPosition }) => Promise<void> | void;
    },
  ): Promise<number> {
    let after = opts.after;
    let total = 0;
    for (;;) {
      const started = Date.now();
      const page = await this.deps.assets.list(this.deps.db, tenantId, { limit: PAGE, after });
      if (page.length === 0) break;
      const last = page[page.length - 1]!;
      after = { createdAt: last.createdAt.toISOString(), id: last.id };
      const embedded = await this.embedAssets(
        tenantId,
        page.filter((a) => a.status === 'PROCESSED'),
      );
      total += embedded;
      await opts.onPage?.({ embedded, assets: page.length, after });
      const budget = (embedded / opts.assetsPerSecond) * 1000 - (Date.now() - started);
      if (budget > 0) await sleep(budget);
    }
    return total;
  }
}
