/**
 * The VectorIndex on Elasticsearch: one document per passage in `<prefix>-vectors`, a
 * `dense_vector` (cosine, HNSW-indexed) beside the tenant and the asset as keywords. A query is an
 * approximate kNN search whose `filter` holds the tenant and any allow-list, so both narrow the
 * candidates before they are ranked (not after, which could leave fewer than asked for).
 */
import type { Client, estypes } from '@elastic/elasticsearch';
import { bestPerAsset, checkVectorEntries, checkVectorQuery } from './vector-index.js';
import type { VectorEntry, VectorHit, VectorIndex, VectorQuery } from './vector-index.js';

/** Candidates each shard considers per hit wanted (Elasticsearch's num_candidates). */
const CANDIDATES_PER_HIT = 10;
/** Passages asked for per asset wanted, since an asset's moments fold into one hit. */
const PASSAGES_PER_ASSET = 3;

interface VectorDoc {
  tenant_id: string;
  asset_id: string;
  passage: number;
  start: number | null;
  end: number | null;
  vector: number[];
}

export const vectorMapping = (dimensions: number): estypes.MappingTypeMapping => ({
  dynamic: 'strict',
  properties: {
    tenant_id: { type: 'keyword' },
    asset_id: { type: 'keyword' },
    passage: { type: 'integer' },
    start: { type: 'float', index: false },
    end: { type: 'float', index: false },
    vector: { type: 'dense_vector', dims: dimensions, index: true, similarity: 'cosine' },
  },
});

export class ElasticsearchVectorIndex implements VectorIndex {
  readonly backend = 'elasticsearch';
  readonly index: string;

  constructor(
    private readonly client: Client,
    prefix: string,
    readonly dimensions: number,
  ) {
    this.index = `${prefix}-vectors`;
  }

  async ensureIndex(): Promise<void> {
    if (await this.client.indices.exists({ index: this.index })) return;
    await this.client.indices.create({ index: this.index, mappings: vectorMapping(this.dimensions) });
  }

  private byAssets(tenantId: string, assetIds: string[]): estypes.QueryDslQueryContainer {
    return {
      bool: { filter: [{ term: { tenant_id: tenantId } }, { terms: { asset_id: assetIds } }] },
    };
  }

  async upsert(tenantId: string, entries: VectorEntry[]): Promise<void> {
    checkVectorEntries(entries, this.dimensions);
    const assets = [...new Set(entries.map((e) => e.assetId))];
    if (assets.length === 0) return;
    // Passages an asset no longer has go first; the new ones are then written under fixed ids.
    await this.remove(tenantId, assets);
    const operations = entries.flatMap((e) => [
      { index: { _index: this.index, _id: `${tenantId}:${e.assetId}:${e.passage}` } },
      {
        tenant_id: tenantId,
        asset_id: e.assetId,
        passage: e.passage,
        start: e.start ?? null,
        end: e.end ?? null,
        vector: Array.from(e.vector),
      } satisfies VectorDoc,
    ]);
    const res = await this.client.bulk({ operations, refresh: 'wait_for' });
    if (res.errors) {
      const first = res.items.find((i) => i.index?.error)?.index?.error;
      throw new Error(`vector bulk write failed: ${first?.type ?? 'unknown'}: ${first?.reason ?? ''}`);
    }
  }

  async remove(tenantId: string, assetIds: string[]): Promise<void> {
    if (assetIds.length === 0) return;
    await this.client.deleteByQuery({
      index: this.index,
      query: this.byAssets(tenantId, assetIds),
      refresh: true,
      conflicts: 'proceed',
    });
  }

  async search(tenantId: string, query: VectorQuery): Promise<VectorHit[]> {
    checkVectorQuery(query, this.dimensions);
    if (query.limit === 0) return [];
    const filter: estypes.QueryDslQueryContainer[] = [{ term: { tenant_id: tenantId } }];
    if (query.assetIds) filter.push({ terms: { asset_id: query.assetIds } });
    if (query.assetLevelOnly) filter.push({ term: { passage: 0 } });
    const k = Math.min(10_000, query.limit * (query.assetLevelOnly ? 1 : PASSAGES_PER_ASSET));
    const res = await this.client.search<VectorDoc>({
      index: this.index,
      knn: {
        field: 'vector',
        query_vector: Array.from(query.vector),
        k,
        num_candidates: Math.min(10_000, Math.max(100, k * CANDIDATES_PER_HIT)),
        filter,
      },
      size: k,
      _source: ['asset_id', 'passage', 'start', 'end'],
    });
    // Elasticsearch scores cosine as (1 + cos) / 2; the port speaks cosine.
    const hits = res.hits.hits.flatMap((h): VectorHit[] =>
      h._source
        ? [
            {
              assetId: h._source.asset_id,
              passage: h._source.passage,
              start: h._source.start ?? null,
              end: h._source.end ?? null,
              score: 2 * (h._score ?? 0) - 1,
            },
          ]
        : [],
    );
    return bestPerAsset(hits, query.limit);
  }

  async count(tenantId: string): Promise<number> {
    const res = await this.client.count({ index: this.index, query: { term: { tenant_id: tenantId } } });
    return res.count;
  }

  async clear(tenantId: string): Promise<void> {
    await this.client.deleteByQuery({
      index: this.index,
      query: { term: { tenant_id: tenantId } },
      refresh: true,
      conflicts: 'proceed',
    });
  }

  async deleteIndex(): Promise<void> {
    await this.client.indices.delete({ index: this.index, ignore_unavailable: true });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
