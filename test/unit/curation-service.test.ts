import { describe, expect, it } from 'vitest';
import type { Asset } from '../../domain/asset.js';
import { snapshotOf } from '../../domain/asset-snapshot.js';
import { ConflictError, NotFoundError, PreconditionFailedError } from '../../domain/errors.js';
import { Renames, type RenameRule } from '../../domain/tag-renames.js';
import { CurationService } from '../../services/curation-service.js';
import { noMasking } from '../../services/masking-service.js';
import {
  anAsset,
  fakeActions,
  fakeAssets,
  fakeDatabase,
  fakeOutbox,
  fakeVersions,
} from '../support/fakes.js';

const who = { tenantId: 'acme', actor: 'key:editor' };
const noPatch = { add: [], remove: [], lock: [], unlock: [] };

function setup(asset: Asset, rules: RenameRule[] = []) {
  const assets = fakeAssets([asset]);
  const versions = fakeVersions([
    {
      tenantId: asset.tenantId,
      id: asset.versionId,
      assetId: asset.id,
      version: asset.version,
      snapshot: snapshotOf(asset),
      changeKind: 'INGEST',
      changedBy: 'key:ingest',
    },
  ]);
  const outbox = fakeOutbox();
  const actions = fakeActions();
  let nudges = 0;
  const sut = new CurationService({
    db: fakeDatabase(),
    assets,
    versions,
    outbox,
    actions,
    keys: { namesOf: (_sql, _tenant, ids) => Promise.resolve(new Map(ids.map((id) => [id, `${id}'s key`]))) },
    renames: { inForce: () => Promise.resolve(new Renames(rules)) },
    masker: noMasking,
    nudge: () => nudges++,
  });
  return { sut, assets, versions, outbox, actions, nudges: () => nudges };
}

describe('CurationService', () => {
  it('writes an edit as a new version with its snapshot, audit row and outbox events', async () => {
    const asset = anAsset({ title: 'Old title' });
    const { sut, assets, versions, outbox, actions, nudges } = setup(asset);

    const { asset: saved } = await sut.editMetadata(who, asset.id, { title: 'New title' }, { basedOn: 1 });

    expect(saved).toMatchObject({ title: 'New title', version: 2 });
    expect(assets.rows.get(asset.id)).toEqual(saved);
    expect(versions.rows.at(-1)).toMatchObject({
      assetId: asset.id,
      version: 2,
      changeKind: 'EDIT',
      changedBy: who.actor,
      snapshot: snapshotOf(saved),
    });
    expect(outbox.events.map((e) => e.type)).toEqual(['asset.updated', 'asset.enrichment-requested']);
    expect(outbox.events[0]!.payload).toEqual({ assetId: asset.id, version: 2, fields: ['title'] });
    expect(actions.rows).toEqual([
      expect.objectContaining({
        actionType: 'ASSET_EDIT',
        actor: who.actor,
        details: { fields: ['title'], fromVersion: 1, toVersion: 2 },
      }),
    ]);
    expect(nudges()).toBe(1);
  });

  it('refuses an edit based on a stale version, naming the current one and what changed since', async () => {
    const asset = anAsset({ title: 'Old title' });
    const { sut, assets, versions, outbox } = setup(asset);
    await sut.editMetadata(who, asset.id, { title: 'Second' }, { basedOn: 1 });

    const refused = sut.editMetadata(who, asset.id, { title: 'Third' }, { basedOn: 1 });

    await expect(refused).rejects.toThrow(PreconditionFailedError);
    const err = (await refused.catch((e: unknown) => e)) as PreconditionFailedError;
    expect(err.extensions).toEqual({
      currentVersion: 2,
      diff: [{ field: 'title', old: 'Old title', new: 'Second', summary: "title 'Old title' → 'Second'" }],
      summary: "title 'Old title' → 'Second'",
    });
    expect(assets.rows.get(asset.id)).toMatchObject({ title: 'Second', version: 2 });
    expect(versions.rows.map((v) => v.version)).toEqual([1, 2]);
    expect(outbox.events.filter((e) => e.type === 'asset.updated')).toHaveLength(1);
  });

  it('lists the history with who acted by name and what each version changed in words', async () => {
    const asset = anAsset({ title: 'Old title' });
    const { sut } = setup(asset);
    await sut.editTags({ tenantId: 'acme', actor: 'key:k-1' }, asset.id, {
      ...noPatch,
      add: [{ name: 'kelp', type: 'TAG' }],
    });
    await sut.editMetadata({ tenantId: 'acme', actor: 'worker:enrichment' }, asset.id, {
      title: 'New title',
    });

    const { items } = await sut.history(asset.tenantId, asset.id, { limit: 10 });
    expect(items.map((v) => [v.version, v.changedBy, v.changedByName, v.summary])).toEqual([
      [3, 'worker:enrichment', 'enrichment worker', "title 'Old title' → 'New title'"],
      [2, 'key:k-1', "k-1's key", expect.stringContaining("added tag 'kelp'")],
      [1, 'key:ingest', "ingest's key", 'ingested'],
    ]);
  });

  it('records an edit that resolves a conflict as such', async () => {
    const asset = anAsset({ title: 'Old title', version: 3 });
    const { sut, actions } = setup(asset);
    await sut.editMetadata(who, asset.id, { title: 'Merged' }, { basedOn: 3, conflictFrom: 1 });
    expect(actions.rows[0]!.details).toMatchObject({ conflictResolved: { from: 1, to: 3 } });
  });

  it('keeps a locked tag through other tag edits, and refuses to remove it until unlocked', async () => {
    const asset = anAsset({
      enrichment: {
        keywords: [],
        topics: [],
        speakers: [],
        brands: [],
        moments: [],
        extractors: {},
        tags: [{ name: 'kelp', source: 'ai', locked: true, confidence: 0.8 }],
      },
    });
    const { sut, assets, versions } = setup(asset);

    const { asset: edited } = await sut.editTags(who, asset.id, {
      ...noPatch,
      add: [{ type: 'TAG', name: 'ocean' }],
    });
    expect(edited.enrichment!.tags).toEqual([
      { name: 'kelp', source: 'ai', locked: true, confidence: 0.8 },
      { name: 'ocean', source: 'manual', locked: false, confidence: 1 },
    ]);

    await expect(
      sut.editTags(who, asset.id, { ...noPatch, remove: [{ type: 'TAG', name: 'kelp' }] }),
    ).rejects.toThrow(ConflictError);
    expect(assets.rows.get(asset.id)!.enrichment!.tags.map((t) => [t.name, t.locked])).toEqual([
      ['kelp', true],
      ['ocean', false],
    ]);
    expect(versions.rows.map((v) => v.version)).toEqual([1, 2]);
  });

  it('renames with the renames in force, keeping the lock; an asset without the name is left alone', async () => {
    const tags = [{ name: 'ml', source: 'ai' as const, locked: true, confidence: 0.9 }];
    const enrichment = {
      keywords: [],
      topics: [],
      speakers: [],
      brands: [],
      moments: [],
      extractors: {},
      tags,
    };
    const asset = anAsset({ enrichment });
    const rules: RenameRule[] = [{ type: 'TAG', from: 'ml', to: 'Machine learning' }];
    const { sut } = setup(asset, rules);

    const renamed = await sut.rename(who, asset.id, {
      type: 'TAG',
      sources: ['ml'],
      into: 'Machine learning',
    });
    expect(renamed.changed).toBe(true);
    expect(renamed.asset.enrichment!.tags).toEqual([{ ...tags[0], name: 'Machine learning' }]);

    const other = setup(anAsset({ enrichment: { ...enrichment, tags: [] } }), rules);
    const untouched = await other.sut.rename(who, other.assets.rows.keys().next().value!, {
      type: 'TAG',
      sources: ['ml'],
      into: 'Machine learning',
    });
    expect(untouched).toMatchObject({ changed: false, asset: { version: 1 } });
    expect(other.outbox.events).toEqual([]);
    expect(other.nudges()).toBe(0);
  });

  it('links two assets of the tenant, and not to an asset it does not have', async () => {
    const asset = anAsset();
    const target = anAsset({ tenantId: 'globex' });
    const { sut, assets } = setup(asset);
    assets.rows.set(target.id, target);
    await expect(sut.link(who, asset.id, target.id, 'see also')).rejects.toThrow(NotFoundError);

    const mine = anAsset();
    assets.rows.set(mine.id, mine);
    const { created, asset: linked } = await sut.link(who, asset.id, mine.id, 'see also');
    expect(created).toBe(true);
    expect(linked.links).toEqual([expect.objectContaining({ targetId: mine.id, note: 'see also' })]);
    expect((await sut.links('acme', mine.id)).incoming).toEqual([
      { sourceId: asset.id, link: linked.links[0] },
    ]);
  });
});
