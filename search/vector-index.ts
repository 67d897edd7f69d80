/**
 * The VectorIndex port: nearest passages by meaning, per tenant. Postgres keeps the vectors
 * (store/embeddings-repository.ts, migration 0063); an index is a projection of them, rebuilt from
 * there. Two adapters pass `test/contract/vector-index.contract.ts`: the embedded HNSW index
 * (`usearch-vector-index.ts`) and Elasticsearch `dense_vector` kNN (`elasticsearch-vector-index.ts`).
 */

/** One vector of an asset: passage 0 is its title and description, later ones its moments. */
export interface VectorEntry {
  assetId: string;
  passage: number;
  vector: Float32Array;
  start?: number | null;
  end?: number | null;
}

export interface VectorQuery {
  vector: Float32Array;
  /** Assets returned at most (each once, by its best passage). */
  limit: number;
  /** Only these assets (a filter resolved by the caller); absent: any of the tenant's. */
  assetIds?: string[];
  /** Only passage 0 (the asset's title and description); absent: every passage. */
  assetLevelOnly?: boolean;
}

export interface VectorHit {
  assetId: string;
  /** Cosine similarity of the best passage, -1 to 1. */
  score: number;
  passage: number;
  start: number | null;
  end: number | null;
}

export const VECTOR_LIMITS = {
  /** Assets asked for at most in one query. */
  maxLimit: 1_000,
  /** An allow-list of assets at most. */
  maxAssetIds: 10_000,
  /** Dimensions of a vector at most (matches the column's check, migration 0063). */
  maxDimensions: 4_096,
} as const;

export interface VectorIndex {
  readonly backend: string;
  /** Replaces the vectors of each asset named: an asset's passages not given are removed. */
  upsert(tenantId: string, entries: VectorEntry[]): Promise<void>;
  remove(tenantId: string, assetIds: string[]): Promise<void>;
  /** The assets nearest the vector, best first, ties by asset id. */
  search(tenantId: string, query: VectorQuery): Promise<VectorHit[]>;
  /** Vectors held for the tenant (passages). */
  count(tenantId: string): Promise<number>;
  /** Forgets the tenant's vectors: the start of a rebuild from Postgres. */
  clear(tenantId: string): Promise<void>;
  close(): Promise<void>;
}

/** Refuses a query past the limits, or a vector of the wrong size, with a RangeError naming it. */
export function checkVectorQuery(query: VectorQuery, dimensions: number): void {
  if (query.vector.length !== dimensions)
    throw new RangeError(`the query vector has ${query.vector.length} dimensions, the index ${dimensions}`);
  if (!(query.limit >= 0 && query.limit <= VECTOR_LIMITS.maxLimit))
    throw new RangeError(`limit is at most ${VECTOR_LIMITS.maxLimit}`);
  if ((query.assetIds?.length ?? 0) > VECTOR_LIMITS.maxAssetIds)
    throw new RangeError(`assetIds holds at most ${VECTOR_LIMITS.maxAssetIds}`);
}

/** Refuses vectors of the wrong size with a RangeError naming it, before any is written. */
export function checkVectorEntries(entries: VectorEntry[], dimensions: number): void {
  for (const e of entries)
    if (e.vector.length !== dimensions)
      throw new RangeError(`a vector has ${e.vector.length} dimensions, the index ${dimensions}`);
}

/** Hits of passages cut to one per asset (its best), best first, ties by asset id. */
export function bestPerAsset(hits: VectorHit[], limit: number): VectorHit[] {
  const best = new Map<string, VectorHit>();
  for (const h of hits) {
    const held = best.get(h.assetId);
    if (!held || h.score > held.score || (h.score === held.score && h.passage < held.passage))
      best.set(h.assetId, h);
  }
  return [...best.values()]
    .sort((a, b) => b.score - a.score || (a.assetId < b.assetId ? -1 : 1))
    .slice(0, limit);
}
