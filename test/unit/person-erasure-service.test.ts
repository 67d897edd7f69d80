import { describe, expect, it } from 'vitest';
import type { Asset } from '../../domain/asset.js';
import { LegalHoldsError, ValidationError } from '../../domain/errors.js';
import { PERMISSIONS } from '../../domain/permissions.js';
import type { Principal } from '../../services/api-key-service.js';
import { ERASURE_BATCH, PersonErasureService } from '../../services/person-erasure-service.js';
import { anAsset, fakeActions, fakeDatabase, fakeOutbox } from '../support/fakes.js';

const admin: Principal = { tenantId: 'acme', keyId: 'k1', role: 'ADMIN', permissions: new Set(PERMISSIONS) };

/** The service over assets in memory: what each dependency was asked, and what it holds after. */
function sut(assets: Asset[], opts: { projectFails?: boolean; graphFails?: boolean } = {}) {
  const rows = new Map(assets.map((a) => [a.id, a]));
  const calls = { projected: [] as string[][], forgotten: 0, locked: [] as number[], eventsErased: 0 };
  const outbox = fakeOutbox();
  const actions = fakeActions();
  const db = fakeDatabase();
  const service = new PersonErasureService({
    db,
    assets: {
      erasureCandidates: (_sql, _t, _pattern, { afterId, limit }) =>
        Promise.resolve(
          [...rows.values()]
            .filter((a) => /mara/i.test(JSON.stringify(a)) && (afterId === null || a.id > afterId))
            .sort((a, b) => (a.id < b.id ? -1 : 1))
            .slice(0, limit)
            .map((a) => ({ id: a.id, legalHold: a.legalHold ?? false, deleted: false })),
        ),
      lockForErasure: (_sql, _t, ids) => {
        calls.locked.push(ids.length);
        return Promise.resolve(ids.map((id) => ({ asset: rows.get(id)!, deleted: false })));
      },
      saveErased: (_sql, _t, edits) =>
        Promise.resolve(
          edits.map((e) => {
            const saved = {
              ...rows.get(e.id)!,
              ...e.fields,
              version: e.expectedVersion + 1,
              versionId: e.newVersionId,
            };
            rows.set(e.id, saved);
            return saved;
          }),
        ),
    },
    versions: {
      insertMany: () => Promise.resolve(),
      ofAssetsForErasure: () => Promise.resolve([]),
      rewriteInPlace: () => Promise.resolve(),
    },
    outbox,
    actions: {
      ...actions,
      erasureCandidates: () => Promise.resolve([]),
      rewriteDetails: () => Promise.resolve(),
    },
    project: (batch) => {
      calls.projected.push(batch.assets.map((a) => a.assetId));
      return opts.projectFails ? Promise.reject(new Error('search is down')) : Promise.resolve();
    },
    graph: {
      forgetEntities: () => {
        calls.forgotten++;
        return opts.graphFails ? Promise.reject(new Error('graph is down')) : Promise.resolve(1);
      },
    },
    termStats: {
      readMany: () => Promise.resolve({ previous: new Map(), documentCount: 0, df: new Map() }),
      writeMany: () => Promise.resolve(),
    },
    search: { forgetSuggestions: () => Promise.resolve(1), expungeDeleted: () => Promise.resolve() },
    clickLearning: { erasureCandidates: () => Promise.resolve([]), forgetQueries: () => Promise.resolve(0) },
    jobs: { erasureCandidates: () => Promise.resolve([]), rewriteForErasure: () => Promise.resolve() },
    events: {
      eraseUser: () => {
        calls.eventsErased++;
        return Promise.resolve({ erased: 3 });
      },
    },
    comments: { eraseUser: () => Promise.resolve({ changed: 0, assetIds: [] }) },
    analytics: {
      eraseDimensionValues: (_t, matcher) =>
        Promise.resolve({
          values: ['Mara Quill', 'Dr. Mara Quill', 'Quill'].filter((v) => matcher.isPerson(v)).length,
        }),
    },
    nudge: () => {},
  });
  return { service, rows, calls, outbox, actions, db };
}

const named = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    anAsset({ id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, speakers: ['Mara Quill'] }),
  );

describe('PersonErasureService', () => {
  it('erases in transactions of at most ERASURE_BATCH assets, each announced and projected', async () => {
    const { service, rows, calls, outbox, db } = sut(named(ERASURE_BATCH * 2 + 1));
    const report = await service.erase(admin, { name: 'Mara Quill', reason: 'request' });
    expect(report.counts.assets).toBe(ERASURE_BATCH * 2 + 1);
    // The analytics store is handed the matcher: the person and a titled form of the name, not "Quill".
    expect(report.counts.analytics).toEqual({ dimensionValues: 2 });
    expect(calls.locked).toEqual([ERASURE_BATCH, ERASURE_BATCH, 1]);
    expect(calls.projected.map((p) => p.length)).toEqual([ERASURE_BATCH, ERASURE_BATCH, 1]);
    expect(outbox.events).toHaveLength(ERASURE_BATCH * 2 + 1);
    expect(db.transactions).toBeGreaterThanOrEqual(3);
    expect([...rows.values()].every((a) => a.speakers.length === 0 && a.version === 2)).toBe(true);
    expect(report.projected).toBe(true);
  });

  it('refuses the whole request when an asset is held, before any write', async () => {
    const assets = named(3);
    assets[2] = { ...assets[2]!, legalHold: true };
    const { service, calls, outbox, actions, db } = sut(assets);
    const refused = service.erase(admin, {
      name: 'Mara Quill',
      userToken: `tok_${'b'.repeat(32)}`,
      reason: 'r',
    });
    await expect(refused).rejects.toBeInstanceOf(LegalHoldsError);
    await expect(refused).rejects.toMatchObject({ extensions: { assetIds: [assets[2].id], heldAssets: 1 } });
    expect(calls.locked).toEqual([]);
    expect(calls.eventsErased).toBe(0);
    expect(outbox.events).toEqual([]);
    expect(actions.rows).toEqual([]);
    expect(db.transactions).toBe(0);
  });

  it('keeps the name out of the audit record and the error, and needs a reason and a person', async () => {
    const { service, actions } = sut(named(1));
    await service.erase(admin, { name: 'Mara Quill', reason: 'asked by Mara Quill' });
    const [record] = actions.rows;
    expect(record!.actionType).toBe('PERSON_ERASE');
    expect(JSON.stringify(record)).not.toMatch(/mara|quill/i);
    expect(record!.details).toMatchObject({ reason: 'asked by [erased]', nameHash: { algorithm: 'scrypt' } });
    await expect(service.erase(admin, { name: 'Mara Quill', reason: ' ' })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(service.erase(admin, { reason: 'nobody' })).rejects.toBeInstanceOf(ValidationError);
  });

  it('keeps a FAILED audit record, without the name, when it stops part-way, and passes the error on', async () => {
    const { service, rows, actions } = sut(named(ERASURE_BATCH + 1), { graphFails: true });
    await expect(service.erase(admin, { name: 'Mara Quill', reason: 'asked by Mara Quill' })).rejects.toThrow(
      'graph is down',
    );
    // The assets were rewritten before the graph failed: the record says so.
    expect([...rows.values()].every((a) => a.speakers.length === 0)).toBe(true);
    expect(actions.rows).toHaveLength(1);
    const [record] = actions.rows;
    expect(record).toMatchObject({ actionType: 'PERSON_ERASE', status: 'FAILED' });
    expect(record!.details).toMatchObject({
      reason: 'asked by [erased]',
      nameHash: { algorithm: 'scrypt' },
      counts: { assets: ERASURE_BATCH + 1 },
      changedAssets: ERASURE_BATCH + 1,
      failedAt: 'graph',
    });
    expect(JSON.stringify(record)).not.toMatch(/mara|quill/i);
  });

  it('says when the projections did not follow, and leaves the entities and suggestions for a re-run', async () => {
    const { service, calls } = sut(named(2), { projectFails: true });
    const report = await service.erase(admin, { name: 'Mara Quill', reason: 'request' });
    expect(report.counts.assets).toBe(2);
    expect(report.projected).toBe(false);
    expect(report.counts.search.documents).toBe(0);
    expect(calls.forgotten).toBe(0);
  });
});
