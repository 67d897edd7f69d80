/**
 * The embedded VectorIndex: an HNSW graph per tenant in process memory (usearch, prebuilt native
 * binaries for linux/darwin x64 and arm64: nothing compiled at install), saved to `dir` and loaded
 * from it at start. Postgres holds the vectors; `VectorIndexRebuild` (services/embedding-service.ts)
 * fills an empty or stale index from there.
 *
 * One index per tenant keeps tenants apart by construction. A filter (an allow-list of assets) is
 * applied to the graph's candidates, widening the search until enough pass or every vector was read.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import usearch from 'usearch';
import { bestPerAsset, checkVectorEntries, checkVectorQuery } from './vector-index.js';
import type { VectorEntry, VectorHit, VectorIndex, VectorQuery } from './vector-index.js';

type Index = InstanceType<typeof usearch.Index>;

/** HNSW settings: recall@10 ≥ 0.95 against exact search at 100k vectors (docs/semantic-search.md). */
export const HNSW = { connectivity: 16, expansionAdd: 128, expansionSearch: 96 } as const;
/** The first candidates asked for per asset wanted, before filtering and folding passages. */
const OVERSAMPLE = 4;

interface Meta {
  assetId: string;
  passage: number;
  start: number | null;
  end: number | null;
}

interface TenantIndex {
  index: Index;
  keys: Map<bigint, Meta>;
  byAsset: Map<string, bigint[]>;
  next: bigint;
  dirty: boolean;
}

/** The answer of synchronous work as a promise: a throw becomes a rejection, as the port says. */
const settle = <T>(fn: () => T): Promise<T> => {
  try {
    return Promise.resolve(fn());
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
};

export class UsearchVectorIndex implements VectorIndex {
  readonly backend = 'embedded';
  private readonly tenants = new Map<string, TenantIndex>();

  /** `dir`: where each tenant's index is saved by `persist()` and loaded from; absent: memory only. */
  constructor(
    readonly dimensions: number,
    private readonly dir?: string,
  ) {}

  private fileOf(tenantId: string): string {
    return join(this.dir!, createHash('sha256').update(tenantId).digest('hex').slice(0, 32));
  }

  private newIndex(): Index {
    return new usearch.Index({
      dimensions: this.dimensions,
      metric: usearch.MetricKind.Cos,
      quantization: usearch.ScalarKind.F32,
      connectivity: HNSW.connectivity,
      expansion_add: HNSW.expansionAdd,
      expansion_search: HNSW.expansionSearch,
      multi: false,
    });
  }

  private tenant(tenantId: string): TenantIndex {
    let t = this.tenants.get(tenantId);
    if (t) return t;
    t = { index: this.newIndex(), keys: new Map(), byAsset: new Map(), next: 1n, dirty: false };
    const file = this.dir ? this.fileOf(tenantId) : null;
    if (file && existsSync(`${file}.json`) && existsSync(`${file}.usearch`)) {
      const meta = JSON.parse(readFileSync(`${file}.json`, 'utf8')) as {
        tenantId: string;
        dimensions: number;
        next: string;
        keys: [string, Meta][];
      };
      // A saved index of another size (another model) is left for the rebuild to replace.
      if (meta.tenantId === tenantId && meta.dimensions === this.dimensions) {
        t.index.load(`${file}.usearch`);
        t.next = BigInt(meta.next);
        for (const [k, m] of meta.keys) {
          const key = BigInt(k);
          t.keys.set(key, m);
          t.byAsset.set(m.assetId, [...(t.byAsset.get(m.assetId) ?? []), key]);
        }
      }
    }
    this.tenants.set(tenantId, t);
    return t;
  }

  private removeAssets(t: TenantIndex, assetIds: Iterable<string>) {
    for (const id of assetIds) {
      const keys = t.byAsset.get(id);
      if (!keys) continue;
      t.index.remove(keys);
      for (const k of keys) t.keys.delete(k);
      t.byAsset.delete(id);
      t.dirty = true;
    }
  }

  upsert(tenantId: string, entries: VectorEntry[]): Promise<void> {
    return settle(() => this.upsertNow(tenantId, entries));
  }

  private upsertNow(tenantId: string, entries: VectorEntry[]): void {
    checkVectorEntries(entries, this.dimensions);
    const t = this.tenant(tenantId);
    this.removeAssets(t, new Set(entries.map((e) => e.assetId)));
    if (entries.length === 0) return;
    const keys = new BigUint64Array(entries.length);
    const matrix = new Float32Array(entries.length * this.dimensions);
    entries.forEach((e, i) => {
      const key = t.next++;
      keys[i] = key;
      matrix.set(e.vector, i * this.dimensions);
      t.keys.set(key, { assetId: e.assetId, passage: e.passage, start: e.start ?? null, end: e.end ?? null });
      t.byAsset.set(e.assetId, [...(t.byAsset.get(e.assetId) ?? []), key]);
    });
    t.index.add(keys, matrix, 1);
    t.dirty = true;
  }

  remove(tenantId: string, assetIds: string[]): Promise<void> {
    this.removeAssets(this.tenant(tenantId), assetIds);
    return Promise.resolve();
  }

  search(tenantId: string, query: VectorQuery): Promise<VectorHit[]> {
    return settle(() => this.searchNow(tenantId, query));
  }

  private searchNow(tenantId: string, query: VectorQuery): VectorHit[] {
    checkVectorQuery(query, this.dimensions);
    const t = this.tenant(tenantId);
    const size = t.keys.size;
    if (query.limit === 0 || size === 0) return [];
    const allowed = query.assetIds ? new Set(query.assetIds) : null;
    const passes = (m: Meta) =>
      (!allowed || allowed.has(m.assetId)) && (!query.assetLevelOnly || m.passage === 0);
    for (let k = Math.min(size, query.limit * OVERSAMPLE); ; k = Math.min(size, k * 4)) {
      const found = t.index.search(query.vector, k, 1);
      const hits: VectorHit[] = [];
      for (let i = 0; i < found.keys.length; i++) {
        const meta = t.keys.get(found.keys[i]!);
        if (!meta || !passes(meta)) continue;
        hits.push({ ...meta, score: 1 - found.distances[i]! });
      }
      const best = bestPerAsset(hits, query.limit);
      if (best.length >= query.limit || k >= size) return best;
    }
  }

  count(tenantId: string): Promise<number> {
    return Promise.resolve(this.tenant(tenantId).keys.size);
  }

  clear(tenantId: string): Promise<void> {
    const t = this.tenant(tenantId);
    this.tenants.set(tenantId, {
      index: this.newIndex(),
      keys: new Map(),
      byAsset: new Map(),
      next: t.next,
      dirty: true,
    });
    return Promise.resolve();
  }

  /** Saves each changed tenant's index beside its key map (written whole, then renamed into place). */
  persist(): void {
    if (!this.dir) return;
    mkdirSync(this.dir, { recursive: true });
    for (const [tenantId, t] of this.tenants) {
      if (!t.dirty) continue;
      const file = this.fileOf(tenantId);
      t.index.save(`${file}.usearch.tmp`);
      writeFileSync(
        `${file}.json.tmp`,
        JSON.stringify({
          tenantId,
          dimensions: this.dimensions,
          next: String(t.next),
          keys: [...t.keys].map(([k, m]) => [String(k), m]),
        }),
      );
      renameSync(`${file}.usearch.tmp`, `${file}.usearch`);
      renameSync(`${file}.json.tmp`, `${file}.json`);
      t.dirty = false;
    }
  }

  close(): Promise<void> {
    this.persist();
    return Promise.resolve();
  }
}
