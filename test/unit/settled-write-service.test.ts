import { describe, expect, it } from 'vitest';
import type { Asset, AssetInput } from '../../domain/asset.js';
import { SettledWriteService } from '../../services/settled-write-service.js';

const who = { tenantId: 't1', actor: 'key:k1' };

function anAsset(id: string, version: number, status: Asset['status'] = 'QUEUED'): Asset {
  const at = new Date('2026-01-01T00:00:00Z');
  return {
    id,
    tenantId: who.tenantId,
    type: 'VIDEO',
    title: id,
    description: '',
    transcript: '',
    fileHash: `hash-${id}`,
    sourceSystem: 'test',
    sourceId: null,
    tags: [],
    speakers: [],
    contributors: [],
    operationalTags: [],
    technicalMetadata: {},
    links: [],
    status,
    statusDetail: null,
    version,
    versionId: `${id}-v${version}`,
    enrichment: null,
    enrichedFromVersion: null,
    createdAt: at,
    updatedAt: at,
  };
}

/**
 * The service over fake writes and a fake wait: `projected` holds the assets as the wait finds
 * them, and the wait settles only if every asset asked for is there.
 */
function setup(projected: Asset[]) {
  const waits: string[][] = [];
  const sut = new SettledWriteService({
    ingest: {
      ingest: (_who, inputs: AssetInput[]) =>
        Promise.resolve(inputs.map((input) => ({ asset: anAsset(input.title, 1), duplicate: false }))),
    },
    curation: {
      editMetadata: (_who, id) => Promise.resolve({ asset: anAsset(id, 2) }),
      editTags: (_who, id) => Promise.resolve({ asset: anAsset(id, 2) }),
      link: (_who, id, targetId, note) =>
        Promise.resolve({
          asset: anAsset(id, 2),
          link: { targetId, note, createdBy: who.actor, createdAt: new Date().toISOString() },
          created: true,
        }),
      unlink: (_who, id) => Promise.resolve({ asset: anAsset(id, 3) }),
      rollback: (_who, id, args) =>
        Promise.resolve({
          asset: anAsset(id, 4),
          restoredFrom: args.version,
          changedFields: ['title'],
          summary: "title 'A' → 'B'",
        }),
    },
    assets: {
      waitUntilSettled: (_tenantId, ids, timeoutMs) => {
        expect(timeoutMs).toBe(1234);
        waits.push(ids);
        const found = projected.filter((a) => ids.includes(a.id));
        return Promise.resolve({
          settled: ids.every((id) => found.some((a) => a.id === id)),
          assets: new Map(found.map((a) => [a.id, a])),
        });
      },
    },
    waitTimeoutMs: 1234,
  });
  return { sut, waits };
}

const input = (title: string) => ({ title }) as AssetInput;

describe('SettledWriteService', () => {
  it('answers a write without a wait as settled, as written, without waiting', async () => {
    const { sut, waits } = setup([]);
    const { results, settled } = await sut.ingest(who, [input('a')], false);
    expect(settled).toBe(true);
    expect(results.map((r) => [r.asset.id, r.asset.status])).toEqual([['a', 'QUEUED']]);
    expect(waits).toEqual([]);
  });

  it('answers an ingest after the wait with each asset as it then is', async () => {
    const { sut, waits } = setup([anAsset('a', 2, 'PROCESSED'), anAsset('b', 2, 'PROCESSED')]);
    const { results, settled } = await sut.ingest(who, [input('a'), input('b')], true);
    expect(settled).toBe(true);
    expect(results.map((r) => [r.asset.id, r.asset.version, r.asset.status])).toEqual([
      ['a', 2, 'PROCESSED'],
      ['b', 2, 'PROCESSED'],
    ]);
    expect(waits).toEqual([['a', 'b']]);
  });

  it('says when the wait ran out, keeping the asset as written where it was not found', async () => {
    const { sut } = setup([anAsset('a', 2, 'PROCESSED')]);
    const { results, settled } = await sut.ingest(who, [input('a'), input('b')], true);
    expect(settled).toBe(false);
    expect(results.map((r) => [r.asset.id, r.asset.version])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
  });

  it('answers an edit with the asset as it is after the wait (enrichment may have followed)', async () => {
    const { sut } = setup([anAsset('a', 5, 'PROCESSED')]);
    const edited = await sut.editTags(who, 'a', { add: [], remove: [], lock: [], unlock: [] }, {}, true);
    expect([edited.asset.version, edited.settled]).toEqual([5, true]);
    const metadata = await sut.editMetadata(who, 'b', { title: 'x' }, {}, true);
    expect([metadata.asset.version, metadata.settled]).toEqual([2, false]);
  });

  it('answers a link, an unlink and a rollback with the version that holds the change', async () => {
    const { sut } = setup([anAsset('a', 9, 'PROCESSED')]);
    const linked = await sut.link(who, 'a', 'b', 'see also', undefined, true);
    expect([linked.asset.version, linked.created, linked.link.targetId, linked.settled]).toEqual([
      2,
      true,
      'b',
      true,
    ]);
    const unlinked = await sut.unlink(who, 'a', 'b', undefined, true);
    expect([unlinked.asset.version, unlinked.settled]).toEqual([3, true]);
    const restored = await sut.rollback(who, 'a', { version: 1, basedOn: 3 }, true);
    expect([restored.asset.version, restored.restoredFrom, restored.settled]).toEqual([4, 1, true]);
  });
});
