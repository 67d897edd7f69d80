import { describe, expect, it } from 'vitest';
import type { Asset } from '../../domain/asset.js';
import type { AssetPopularity } from '../../domain/popularity.js';
import type { AssetGraph, ProjectionOutcome } from '../../graph/graph-store.js';
import type { SearchDocument } from '../../search/search-index.js';
import { SomeAssetsFailedError } from '../../queue/jobs.js';
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

/**
 * As aWorld, with the canonical learned popularity of some assets, and search refusing the
 * documents of `refused` (a whole batch holding one too).
 */
function aWorldWith(
  { learned = {}, refused = new Set() }: { learned?: Record<string, AssetPopularity>; refused?: Set<string> },
  ...assets: Asset[]
) {
  const canonical = new Map(assets.map((a) => [a.id, a]));
  const graph = new Map<string, AssetGraph>();
  const search = new Map<string, SearchDocument>();
  const projected: Asset[] = [];
  const lags: number[] = [];
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
      findByIds: (_: Sql, t: string, ids: string[]) =>
        Promise.resolve(t === tenantId ? ids.flatMap((id) => canonical.get(id) ?? []) : []),
    },
    popularity: {
      forAssets: (_: Sql, t: string, ids: string[]) =>
        Promise.resolve(t === tenantId ? ids.flatMap((id) => (learned[id] ? [learned[id]] : [])) : []),
    },
    graph: {
      projectAsset: (_t: string, g: AssetGraph) => keepNewest(graph, g),
      projectMany: (_t: string, gs: AssetGraph[]) => Promise.all(gs.map((g) => keepNewest(graph, g))),
      removeAsset: (_t: string, id: string) => Promise.resolve(void graph.delete(id)),
    },
    search: {
      upsert: (_t: string, d: SearchDocument) =>
        refused.has(d.assetId) ? Promise.reject(new Error(`refused ${d.assetId}`)) : keepNewest(search, d),
      // One statement: a refused document fails the whole batch, as a database would.
      upsertMany: (_t: string, ds: SearchDocument[]) =>
        ds.some((d) => refused.has(d.assetId))
          ? Promise.reject(new Error('batch refused'))
          : Promise.all(ds.map((d) => keepNewest(search, d))),
      remove: (_t: string, id: string) => Promise.resolve(void search.delete(id)),
      expungeDeleted: () => Promise.resolve(),
    },
    onProjected: (a) => projected.push(a),
    projectionLags: {
      recordProjectionLags: (_: Sql, _t: string, ms: number[]) => Promise.resolve(void lags.push(...ms)),
    },
  });
  return { sut, canonical, graph, search, projected, lags };
}

describe('ProjectionService', () => {
  it('projects the current canonical version into the graph and the search index', async () => {
    const asset = anAsset();
    const { sut, graph, search, projected } = aWorld(asset);

    await sut.projectAssets({ tenantId, assets: [{ assetId: asset.id, version: 3 }] });

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
    const learned = {
      [asset.id]: {
        assetId: asset.id,
        popularity: 12.5,
        trending: 0.7,
        views: 10,
        watchSeconds: 600,
        computedAt,
      },
    };
    const one = aWorldWith({ learned }, asset, other);
    await one.sut.project(tenantId, asset.id);
    await one.sut.project(tenantId, other.id);
    // The batch job reads the batch's popularity at once, with the same outcome.
    const batch = aWorldWith({ learned }, asset, other);
    await batch.sut.projectAssets({
      tenantId,
      assets: [asset, other].map((a) => ({ assetId: a.id, version: a.version })),
    });
    for (const { search } of [one, batch]) {
      expect(search.get(asset.id)!.learned).toEqual({ popularity: 12.5, trending: 0.7, computedAt });
      expect(search.get(other.id)).not.toHaveProperty('learned');
    }
  });

  it('removes an asset that no longer exists from both projections', async () => {
    const asset = anAsset();
    const { sut, canonical, graph, search, projected } = aWorld(asset);
    await sut.project(tenantId, asset.id);
    canonical.delete(asset.id);

    await sut.projectAssets({ tenantId, assets: [{ assetId: asset.id, version: 3 }] });

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

  it('projects a batch with one write per projection, and counts the lag of each asset', async () => {
    const batch = [1, 2, 3].map((n) => anAsset({ id: `00000000-0000-4000-8000-00000000000${n}` }));
    const { sut, graph, search, projected, lags } = aWorld(...batch);

    await sut.projectAssets({ tenantId, assets: batch.map((a) => ({ assetId: a.id, version: 3 })) });

    expect([...graph.keys()].sort()).toEqual(batch.map((a) => a.id));
    expect([...search.keys()].sort()).toEqual(batch.map((a) => a.id));
    expect(projected).toHaveLength(3);
    expect(lags).toHaveLength(3);
  });

  it('keeps a newer projected version when the batch holds an older one', async () => {
    const asset = anAsset({ version: 3 });
    const { sut, canonical, search } = aWorld(asset);
    await sut.projectAssets({ tenantId, assets: [{ assetId: asset.id, version: 3 }] });
    canonical.set(asset.id, { ...asset, version: 2, title: 'Older' });

    await sut.projectAssets({ tenantId, assets: [{ assetId: asset.id, version: 2 }] });

    expect(search.get(asset.id)).toMatchObject({ version: 3, title: 'Cuttlefish colours' });
  });

  it('projects the rest of a batch when one document is refused, and asks to retry that one alone', async () => {
    const batch = [1, 2, 3, 4].map((n) => anAsset({ id: `00000000-0000-4000-8000-00000000000${n}` }));
    const bad = batch[1]!.id;
    const { sut, search, graph, projected } = aWorldWith({ refused: new Set([bad]) }, ...batch);

    const err = await sut
      .projectAssets({ tenantId, assets: batch.map((a) => ({ assetId: a.id, version: 3 })) })
      .then(
        () => null,
        (e: unknown) => e,
      );

    expect(err).toBeInstanceOf(SomeAssetsFailedError);
    expect((err as SomeAssetsFailedError).retry).toEqual({
      tenantId,
      assets: [{ assetId: bad, version: 3 }],
    });
    expect([...search.keys()].sort()).toEqual(batch.map((a) => a.id).filter((id) => id !== bad));
    expect(graph.size).toBe(4);
    expect(projected.map((a) => a.id)).not.toContain(bad);
  });

  it('fails the whole attempt when the backend refuses every document, without trying each one', async () => {
    const batch = [1, 2, 3, 4, 5].map((n) => anAsset({ id: `00000000-0000-4000-8000-00000000000${n}` }));
    const { sut, search } = aWorldWith({ refused: new Set(batch.map((a) => a.id)) }, ...batch);

    await expect(
      sut.projectAssets({ tenantId, assets: batch.map((a) => ({ assetId: a.id, version: 3 })) }),
    ).rejects.toThrow('batch refused');
    expect(search.size).toBe(0);
  });

  it('removes again an asset deleted while the job wrote it, so a late write does not undo the delete', async () => {
    const asset = anAsset();
    const canonical = new Map([[asset.id, asset]]);
    const held = { graph: new Set<string>(), search: new Set<string>() };
    const sql: Sql = { query: () => Promise.reject(new Error('no SQL in a unit test')) };
    // The delete commits, and its own job removes the asset from both projections.
    const deleteMeanwhile = () => {
      canonical.delete(asset.id);
      held.graph.delete(asset.id);
      held.search.delete(asset.id);
    };
    const sut = (withLive: boolean) =>
      new ProjectionService({
        db: sql as unknown as Database,
        assets: {
          findById: () => Promise.resolve(asset),
          // Read, then deleted (and removed by the delete's own job) before this job writes.
          findByIds: () => {
            deleteMeanwhile();
            return Promise.resolve([asset]);
          },
        },
        graph: {
          projectAsset: (_t, g) => Promise.resolve(held.graph.add(g.assetId) && 'applied'),
          projectMany: (_t, gs) => Promise.resolve(gs.map((g) => held.graph.add(g.assetId) && 'applied')),
          removeAsset: (_t, id) => Promise.resolve(void held.graph.delete(id)),
        },
        search: {
          upsert: (_t, d) => Promise.resolve(held.search.add(d.assetId) && 'applied'),
          upsertMany: (_t, ds) => Promise.resolve(ds.map((d) => held.search.add(d.assetId) && 'applied')),
          remove: (_t, id) => Promise.resolve(void held.search.delete(id)),
          expungeDeleted: () => Promise.resolve(),
        },
        ...(withLive
          ? {
              live: {
                liveIds: (_: Sql, _t: string, ids: string[]) =>
                  Promise.resolve(new Set(ids.filter((id) => canonical.has(id)))),
              },
            }
          : {}),
      });

    // Without the read after the write, the late write brings the asset back.
    await sut(false).projectAssets({ tenantId, assets: [{ assetId: asset.id, version: 3 }] });
    expect([held.graph.has(asset.id), held.search.has(asset.id)]).toEqual([true, true]);

    canonical.set(asset.id, asset);
    await sut(true).projectAssets({ tenantId, assets: [{ assetId: asset.id, version: 3 }] });
    expect([held.graph.has(asset.id), held.search.has(asset.id)]).toEqual([false, false]);
  });
});
