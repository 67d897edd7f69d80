import { describe, expect, it } from 'vitest';
import type { MaskableFields } from '../../domain/masking.js';
import { fileHashOf, IngestService } from '../../services/ingest-service.js';
import { noMasking, type Masker } from '../../services/masking-service.js';
import { anAssetInput } from '../support/factories.js';
import { fakeActions, fakeAssets, fakeDatabase, fakeOutbox, fakeVersions } from '../support/fakes.js';

const who = { tenantId: 'acme', actor: 'key:ingest' };

function setup(masker: Masker = noMasking) {
  const db = fakeDatabase();
  const assets = fakeAssets();
  const versions = fakeVersions();
  const outbox = fakeOutbox();
  const actions = fakeActions();
  let nudges = 0;
  const sut = new IngestService({ db, assets, versions, outbox, actions, masker, nudge: () => nudges++ });
  return { sut, db, assets, versions, outbox, actions, nudges: () => nudges };
}

describe('IngestService', () => {
  it('writes the asset, its first version, an audit row and an outbox event in one transaction', async () => {
    const { sut, db, assets, versions, outbox, actions, nudges } = setup();
    const input = anAssetInput({ title: 'First', speakers: ['Ada Lovelace'] });

    const [result] = await sut.ingest(who, [input]);

    expect(result!.duplicate).toBe(false);
    const asset = result!.asset;
    expect(asset).toMatchObject({ tenantId: 'acme', title: 'First', status: 'QUEUED', version: 1 });
    expect([...assets.rows.values()]).toEqual([asset]);
    // The first version refers to the asset row instead of repeating it (migration 0042).
    expect(versions.rows).toEqual([
      {
        tenantId: 'acme',
        id: asset.versionId,
        assetId: asset.id,
        version: 1,
        snapshot: null,
        changeKind: 'INGEST',
        changedBy: who.actor,
      },
    ]);
    expect(outbox.events).toEqual([
      {
        tenantId: 'acme',
        type: 'asset.ingested',
        aggregateId: asset.id,
        payload: { assetId: asset.id, version: 1 },
      },
    ]);
    expect(actions.rows).toEqual([
      expect.objectContaining({
        assetId: asset.id,
        actionType: 'INGEST',
        actor: who.actor,
        details: { duplicate: false, fileHash: input.fileHash, sourceSystem: input.sourceSystem },
      }),
    ]);
    expect(db.transactions).toBe(1);
    expect(nudges()).toBe(1);
  });

  it('returns the existing asset for a file hash the tenant already has, and writes nothing new', async () => {
    const { sut, assets, versions, outbox, actions, nudges } = setup();
    const input = anAssetInput();
    const [first] = await sut.ingest(who, [input]);

    const [again] = await sut.ingest(who, [{ ...input, title: 'Renamed copy' }]);

    expect(again).toEqual({ asset: first!.asset, duplicate: true });
    expect(assets.rows.size).toBe(1);
    expect(versions.rows).toHaveLength(1);
    expect(outbox.events).toHaveLength(1);
    // The repeat is audited as a duplicate, and the relay has nothing new to move.
    expect(actions.rows.map((a) => a.details)).toEqual([
      expect.objectContaining({ duplicate: false }),
      expect.objectContaining({ duplicate: true }),
    ]);
    expect(nudges()).toBe(1);
  });

  it('reports a hash repeated within one batch as new once, then as a duplicate', async () => {
    const { sut, assets } = setup();
    const input = anAssetInput();
    const results = await sut.ingest(who, [input, { ...input }, anAssetInput()]);
    expect(results.map((r) => r.duplicate)).toEqual([false, true, false]);
    expect(results[1]!.asset.id).toBe(results[0]!.asset.id);
    expect(assets.rows.size).toBe(2);
  });

  it('derives the file hash from the content when none is given, so equal content is a duplicate', async () => {
    const { sut } = setup();
    const input = anAssetInput({ fileHash: undefined, title: 'Same words' });
    const [a, b] = await sut.ingest(who, [input, { ...input }]);
    expect(a!.asset.fileHash).toBe(fileHashOf(input));
    expect(b).toMatchObject({ duplicate: true, asset: { id: a!.asset.id } });
  });

  it('stores what the masker gives, not the input as given', async () => {
    const masker: Masker = {
      mask: <T extends MaskableFields>(_tx: unknown, _tenantId: string, items: T[]) =>
        Promise.resolve(items.map((i) => ({ ...i, contributors: i.contributors?.map(() => 'tok_x') }))),
    };
    const { sut, assets, versions } = setup(masker);
    const [result] = await sut.ingest(who, [anAssetInput({ contributors: ['Ada Lovelace'] })]);
    expect(result!.asset.contributors).toEqual(['tok_x']);
    expect(assets.rows.get(result!.asset.id)!.contributors).toEqual(['tok_x']);
    // The first version stands for that stored row; it keeps no copy of the input of its own.
    expect(versions.rows[0]).toMatchObject({ assetId: result!.asset.id, snapshot: null });
  });
});
