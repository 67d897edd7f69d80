import { describe, expect, it } from 'vitest';
import type { Asset } from '../../domain/asset.js';
import type { AssetPopularity } from '../../domain/popularity.js';
import type { AssetGraph, ProjectionOutcome } from '../../graph/graph-store.js';
import type { SearchDocument } from '../../search/search-index.js';
import { ProjectionService } from '../../services/projection-service.js';
import type { Database, Sql } from '../../store/database.js';

const tenantId = 't1';

function anAsset(overrides: Partial<Asset> = {}): Asset {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    tenantId,
    type: 'AUDIO',
    title: 'Cuttlefish colours',
    description: 'How cuttlefish change colour.',
    transcript: '',
    fileHash: 'c'.repeat(64),
    sourceSystem: 'test',
    sourceId: null,
    tags: ['animals'],
    speakers: ['Roger Hanlon'],
    contributors: [],
    operationalTags: [],
    technicalMetadata: {},
    links: [],
    status: 'PROCESSED',
    statusDetail: null,
    version: 3,
    versionId: 'v3',
    enrichment: null,
    enrichedFromVersion: null,
    createdAt: new Date('2026-01-01T00:00:00Z'),
    updatedAt: new Date('2026-01-02T00:00:00Z'),
    ...overrides,
  };
}

/** Canonical assets in memory, and graph and search projections that keep the newest version. */
function aWorld(...assets: Asset[]) {
  return aWorldWith({}, ...assets);
}

/** The same, with the canonical learned popularity of some assets. */
function aWorldWith(learned: Record<string, AssetPopularity>, ...assets: Asset[]) {
  const canonical = new Map(assets.map((a) => [a.id, a]));
  const graph = new Map<string, AssetGraph>();
  const search = new Map<string, SearchDocument>();
  const projected: Asset[] = [];
  const keepNewest = <T extends { assetId: string; version: number }>(held: Map<string, T>, next: T) => {
    const current = held.get(next.assetId);
    if (current && current.version >= next.version)
      return Promise.resolve<ProjectionOutcome>(current.version === next.version ? 'unchanged' : 'stale');
    held.set(next.assetId, next);
    return Promise.resolve<ProjectionOutcome>('applied');
  };
  const sql: Sql = { query: () => Promise.reject(new Error('no SQL in a unit test')) };
  const sut = new ProjectionService({
    db: { ...sql, transaction: (fn: (tx: Sql) => Promise<unknown>) => fn(sql) } as unknown as Database,
    assets: {
      findById: (_: Sql, t: string, id: string) =>
        Promise.resolve(t === tenantId ? (canonical.get(id) ?? null) : null),
    },
    popularity: {
      forAssets: (_: Sql, t: string, ids: string[]) =>
        Promise.resolve(t === tenantId ? ids.flatMap((id) => (learned[id] ? [learned[id]] : [])) : []),
    },
    graph: {
      projectAsset: (_t: string, g: AssetGraph) => keepNewest(graph, g),
      removeAsset: (_t: string, id: string) => Promise.resolve(void graph.delete(id)),
    },
    search: {
      upsert: (_t: string, d: SearchDocument) => keepNewest(search, d),
      remove: (_t: string, id: string) => Promise.resolve(void search.delete(id)),
    },
    onProjected: (a) => projected.push(a),
  });
  return { sut, canonical, graph, search, projected };
}

describe('ProjectionService', () => {
  it('projects the current canonical version into the graph and the search index', async () => {
    const asset = anAsset();
    const { sut, graph, search, projected } = aWorld(asset);

    await sut.projectAsset({ tenantId, assetId: asset.id, version: 3 });

    expect(graph.get(asset.id)).toMatchObject({ assetId: asset.id, version: 3 });
    expect(graph.get(asset.id)!.entities).toContainEqual(
      expect.objectContaining({ type: 'SPEAKER', name: 'Roger Hanlon' }),
    );
    expect(search.get(asset.id)).toMatchObject({
      assetId: asset.id,
      version: 3,
      title: 'Cuttlefish colours',
    });
    expect(projected.map((a) => a.id)).toEqual([asset.id]);
  });

  it('carries the asset’s canonical learned popularity into its search document, and none without one', async () => {
    const asset = anAsset();
    const other = anAsset({ id: '00000000-0000-4000-8000-000000000002' });
    const computedAt = new Date('2026-01-03T00:00:00Z');
    const { sut, search } = aWorldWith(
      {
        [asset.id]: {
          assetId: asset.id,
          popularity: 12.5,
          trending: 0.7,
          views: 10,
          watchSeconds: 600,
          computedAt,
        },
      },
      asset,
      other,
    );
    await sut.project(tenantId, asset.id);
    await sut.project(tenantId, other.id);
    expect(search.get(asset.id)!.learned).toEqual({ popularity: 12.5, trending: 0.7, computedAt });
    expect(search.get(other.id)).not.toHaveProperty('learned');
  });

  it('removes an asset that no longer exists from both projections', async () => {
    const asset = anAsset();
    const { sut, canonical, graph, search, projected } = aWorld(asset);
    await sut.project(tenantId, asset.id);
    canonical.delete(asset.id);

    await sut.projectAsset({ tenantId, assetId: asset.id, version: 3 });

    expect(graph.has(asset.id)).toBe(false);
    expect(search.has(asset.id)).toBe(false);
    expect(projected).toEqual([]);
  });

  it('returns the asset it projected, and null for one that is gone', async () => {
    const asset = anAsset();
    const { sut } = aWorld(asset);

    expect(await sut.project(tenantId, asset.id)).toEqual(asset);
    expect(await sut.project(tenantId, '00000000-0000-4000-8000-000000000002')).toBeNull();
  });

  it('is idempotent: projecting again leaves the same projections', async () => {
    const asset = anAsset();
    const { sut, graph, search } = aWorld(asset);
    await sut.project(tenantId, asset.id);
    const once = { graph: graph.get(asset.id), search: search.get(asset.id) };

    await sut.project(tenantId, asset.id);

    expect({ graph: graph.get(asset.id), search: search.get(asset.id) }).toEqual(once);
  });
});
