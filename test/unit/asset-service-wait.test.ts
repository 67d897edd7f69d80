import { describe, expect, it } from 'vitest';
import type { Asset } from '../../domain/asset.js';
import { AssetService } from '../../services/asset-service.js';
import { anAsset, fakeAssets, fakeDatabase } from '../support/fakes.js';

const tenantId = 't1';

/** A projection that holds the versions it is given; `asked` records each lookup's ids. */
function aProjection(held: Map<string, number> = new Map()) {
  const asked: string[][] = [];
  return {
    kind: 'fake',
    held,
    asked,
    projectedVersions: (_tenantId: string, ids: string[]) => {
      asked.push(ids);
      return Promise.resolve(new Map(ids.flatMap((id) => (held.has(id) ? [[id, held.get(id)!]] : []))));
    },
    projectedIdsAfter: () => Promise.resolve([]),
    coViewedOf: () => Promise.resolve([]),
    coViewedSourcesAfter: () => Promise.resolve([]),
  };
}

async function until(done: () => boolean) {
  while (!done()) await new Promise((r) => setImmediate(r));
}

function setUp(assets: Asset[]) {
  const repo = fakeAssets(assets);
  let contentReads = 0;
  const counted = {
    ...repo,
    list: () => Promise.resolve([]),
    findByIds: (...args: Parameters<typeof repo.findByIds>) => {
      contentReads += args[2].length;
      return repo.findByIds(...args);
    },
  };
  const search = aProjection();
  const graph = aProjection();
  const sut = new AssetService({ db: fakeDatabase(), assets: counted, search, graph });
  return { sut, repo, search, graph, contentReads: () => contentReads };
}

describe('AssetService.waitUntilSettled', () => {
  it('answers once enrichment finished and both projections hold the version, with the asset as it then is', async () => {
    const queued = anAsset({ tenantId, status: 'QUEUED', version: 1 });
    const { sut, repo, search, graph } = setUp([queued]);
    const waiting = sut.waitUntilSettled(tenantId, [queued.id], 10_000);
    // Enrichment writes version 2; the search index projects it before the graph does.
    repo.rows.set(queued.id, { ...queued, status: 'PROCESSED', version: 2, title: 'enriched' });
    search.held.set(queued.id, 2);
    graph.held.set(queued.id, 1);
    // The graph catches up only after the wait has seen it behind.
    await until(() => graph.asked.length > 0);
    graph.held.set(queued.id, 2);
    const { settled, assets } = await waiting;
    expect(settled).toBe(true);
    expect(assets.get(queued.id)).toMatchObject({ status: 'PROCESSED', version: 2, title: 'enriched' });
  });

  it('does not answer settled with a version edited after the poll found it settled', async () => {
    const asset = anAsset({ tenantId, status: 'PROCESSED', version: 2 });
    const { repo, search, graph } = setUp([asset]);
    search.held.set(asset.id, 2);
    graph.held.set(asset.id, 2);
    // An edit lands between the poll and the read of the answer: version 3, queued again.
    let edited = false;
    const assets = {
      ...repo,
      list: () => Promise.resolve([]),
      findByIds: (...args: Parameters<typeof repo.findByIds>) => {
        if (!edited) {
          edited = true;
          repo.rows.set(asset.id, { ...asset, status: 'QUEUED', version: 3 });
        }
        return repo.findByIds(...args);
      },
    };
    const sut = new AssetService({ db: fakeDatabase(), assets, search, graph });
    const { settled, assets: latest } = await sut.waitUntilSettled(tenantId, [asset.id], 300);
    expect(latest.get(asset.id)).toMatchObject({ version: 3 });
    expect(settled).toBe(false);
  });

  it('counts a failed asset as settled', async () => {
    const failed = anAsset({ tenantId, status: 'FAILED' });
    const { sut } = setUp([failed]);
    expect((await sut.waitUntilSettled(tenantId, [failed.id], 10_000)).settled).toBe(true);
  });

  it('gives up at the deadline with the latest state, having read each asset whole once however long it waited', async () => {
    const assets = [
      anAsset({ tenantId, status: 'PROCESSING' }),
      anAsset({ tenantId, status: 'PROCESSED', version: 2 }),
    ];
    const { sut, search, graph, contentReads } = setUp(assets);
    search.held.set(assets[1]!.id, 2);
    const { settled, assets: latest } = await sut.waitUntilSettled(
      tenantId,
      assets.map((a) => a.id),
      300,
    );
    expect(settled).toBe(false);
    expect([...latest.keys()].sort()).toEqual(assets.map((a) => a.id).sort());
    expect(contentReads()).toBe(2);
    // A projection is asked only about the processed asset it did not yet hold.
    expect(search.asked.flat()).not.toContain(assets[0]!.id);
    expect(new Set(search.asked.slice(1).flat())).toEqual(new Set());
    expect(new Set(graph.asked.flat())).toEqual(new Set([assets[1]!.id]));
  });
});
