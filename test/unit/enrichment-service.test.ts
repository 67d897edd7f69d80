import { describe, expect, it } from 'vitest';
import type { Asset } from '../../domain/asset.js';
import { gazetteerFor } from '../../enrichment/brands.js';
import { extractAll } from '../../enrichment/extract.js';
import { effectiveTaxonomy } from '../../enrichment/topics.js';
import { SomeAssetsFailedError, type JobContext } from '../../queue/jobs.js';
import {
  CapabilitiesFailedError,
  EnrichmentService,
  type EnrichmentDeps,
} from '../../services/enrichment-service.js';
import type { ActionRecord } from '../../store/actions-repository.js';
import type { Database, Sql } from '../../store/database.js';
import type { NewOutboxEvent } from '../../store/outbox-repository.js';
import type { NewVersion } from '../../store/versions-repository.js';

const tenantId = 't1';

function anAsset(overrides: Partial<Asset> = {}): Asset {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    tenantId,
    type: 'VIDEO',
    title: 'The hidden life of octopuses',
    description: 'A marine biologist on octopus camouflage and intelligence.',
    transcript: '',
    fileHash: 'f'.repeat(64),
    sourceSystem: 'test',
    sourceId: null,
    tags: ['oceans'],
    speakers: ['Roger Hanlon'],
    contributors: [],
    operationalTags: [],
    technicalMetadata: {},
    links: [],
    status: 'QUEUED',
    statusDetail: null,
    version: 1,
    versionId: 'v1',
    enrichment: null,
    enrichedFromVersion: null,
    createdAt: new Date('2026-01-01T00:00:00Z'),
    updatedAt: new Date('2026-01-01T00:00:00Z'),
    ...overrides,
  };
}

type RunStatus = 'RUNNING' | 'COMPLETED' | 'RETRYING' | 'FAILED';

/** The canonical store in memory: assets, versions, outbox, audit rows and processing runs. */
function aStore(...assets: Asset[]) {
  const state = {
    assets: new Map(assets.map((a) => [a.id, a])),
    versions: [] as NewVersion[],
    outbox: [] as NewOutboxEvent[],
    actions: [] as ActionRecord[],
    runs: new Map<
      string,
      {
        assetVersion: number;
        status: RunStatus;
        completed: string[];
        failed: string[];
        error?: string | null;
      }
    >(),
    /** Assets whose term sets were written. */
    terms: [] as string[],
  };
  /** A run per asset version, as the table's unique key keeps it: a duplicate job restarts it. */
  const runIds = new Map<string, string>();
  const tx: Sql = { query: () => Promise.reject(new Error('no SQL in a unit test')) };
  // A transaction that throws leaves the state as it found it.
  const db = {
    ...tx,
    transaction: async <T>(fn: (tx: Sql) => Promise<T>) => {
      const before = {
        assets: new Map(state.assets),
        versions: [...state.versions],
        outbox: [...state.outbox],
        actions: [...state.actions],
        runs: new Map(state.runs),
        terms: [...state.terms],
      };
      try {
        return await fn(tx);
      } catch (err) {
        Object.assign(state, before);
        throw err;
      }
    },
  } as unknown as Database;
  /** How many times each repository function ran: a batch writes with one statement per table. */
  const calls = new Map<string, number>();
  const count = (name: string) => calls.set(name, (calls.get(name) ?? 0) + 1);
  const deps = {
    db,
    assets: {
      findByIds: (_: Sql, t: string, ids: string[]) =>
        Promise.resolve(t === tenantId ? ids.flatMap((id) => state.assets.get(id) ?? []) : []),
      lockStates: (_: Sql, t: string, ids: string[]) =>
        Promise.resolve(
          t === tenantId
            ? ids.flatMap((id) => {
                const a = state.assets.get(id);
                return a
                  ? [{ id, status: a.status, version: a.version, enrichedFromVersion: a.enrichedFromVersion }]
                  : [];
              })
            : [],
        ),
      setStatuses: (
        _: Sql,
        _t: string,
        rows: { id: string; status: Asset['status']; detail: string | null }[],
      ) => {
        count('setStatuses');
        for (const r of rows) {
          const a = state.assets.get(r.id)!;
          state.assets.set(r.id, { ...a, status: r.status, statusDetail: r.detail });
        }
        return Promise.resolve();
      },
      saveEnrichments: (
        _: Sql,
        _t: string,
        rows: {
          id: string;
          expectedVersion: number;
          newVersionId: string;
          enrichment: Asset['enrichment'];
        }[],
      ) => {
        count('saveEnrichments');
        const saved: Asset[] = [];
        for (const args of rows) {
          const a = state.assets.get(args.id);
          if (!a || a.version !== args.expectedVersion) continue;
          const next: Asset = {
            ...a,
            status: 'PROCESSED',
            statusDetail: null,
            version: a.version + 1,
            versionId: args.newVersionId,
            enrichment: args.enrichment,
            enrichedFromVersion: a.version,
          };
          state.assets.set(a.id, next);
          saved.push(next);
        }
        return Promise.resolve(saved);
      },
    },
    versions: {
      insertMany: (_: Sql, _t: string, v: NewVersion[]) => {
        count('versions');
        return Promise.resolve(void state.versions.push(...v));
      },
    },
    outbox: {
      insertMany: (_: Sql, _t: string, e: NewOutboxEvent[]) => {
        count('outbox');
        return Promise.resolve(void state.outbox.push(...e));
      },
    },
    actions: {
      insertMany: (_: Sql, _t: string, r: ActionRecord[]) => {
        count('actions');
        return Promise.resolve(void state.actions.push(...r));
      },
    },
    processingJobs: {
      startMany: (_: Sql, _t: string, runs: { id: string; assetId: string; assetVersion: number }[]) => {
        const started = new Map<string, never>();
        for (const r of runs) {
          const key = `${r.assetId}@${r.assetVersion}`;
          const id = runIds.get(key) ?? r.id;
          runIds.set(key, id);
          state.runs.set(id, { assetVersion: r.assetVersion, status: 'RUNNING', completed: [], failed: [] });
          started.set(r.assetId, { id, assetVersion: r.assetVersion } as never);
        }
        return Promise.resolve(started);
      },
      finishMany: (
        _: Sql,
        _t: string,
        results: {
          id: string;
          status: RunStatus;
          completed: string[];
          failed: string[];
          error?: string | null;
          ifRunning?: boolean;
        }[],
      ) => {
        for (const { id, ifRunning, ...r } of results) {
          const run = state.runs.get(id)!;
          if (!ifRunning || run.status === 'RUNNING') state.runs.set(id, { ...run, ...r });
        }
        return Promise.resolve();
      },
    },
    termStats: {
      readMany: () =>
        Promise.resolve({
          previous: new Map<string, string[]>(),
          documentCount: 0,
          df: new Map<string, number>(),
        }),
      writeMany: (_: Sql, _t: string, written: { assetId: string; next: string[] }[]) => {
        count('termStats');
        state.terms.push(...written.map((w) => w.assetId));
        return Promise.resolve();
      },
    },
    contexts: {
      get: () =>
        Promise.resolve({
          taxonomy: effectiveTaxonomy(null),
          gazetteer: gazetteerFor([]),
          brands: [],
          topicModel: null,
          tagModel: null,
          workflows: [],
          modelsTrainedAt: new Date(),
        }),
    },
    renames: { stored: () => Promise.resolve([]), lockedRules: () => Promise.resolve([]) },
    retryConfig: { attempts: 3 },
  };
  return { state, deps, calls };
}

const ctx = (attempt: number, maxAttempts = 3): JobContext => ({
  jobId: `j${attempt}`,
  attempt,
  maxAttempts,
});

/** An extraction whose speakers capability fails, the others completing. */
const speakersFail: typeof extractAll = (asset, context, capabilities) => ({
  enrichment: { keywords: [], topics: [], speakers: [], brands: [], tags: [], moments: [], extractors: {} },
  completed: capabilities.filter((c) => c !== 'speakers'),
  failed: [{ capability: 'speakers', error: 'model unavailable' }],
  timings: {},
});

/** What a write the database refuses for one asset fails with. */
const refused = 'value too long for type character varying(200)';

/**
 * A batch of two assets, the second of which fails: its extraction (a capability), or its write (the
 * database refuses its version row, as it would a value too long), on every attempt.
 */
function aBatchWithABadAsset(failsAt: 'extraction' | 'write') {
  const good = anAsset({ id: '00000000-0000-4000-8000-000000000001' });
  const bad = anAsset({
    id: '00000000-0000-4000-8000-000000000002',
    title: 'Broken',
    fileHash: 'b'.repeat(64),
  });
  const store = aStore(good, bad);
  const { deps } = store;
  const extract: typeof extractAll = (asset, context, capabilities) =>
    failsAt === 'extraction' && asset.id === bad.id
      ? speakersFail(asset, context, capabilities)
      : extractAll(asset, context, capabilities);
  const versions = {
    insertMany: (sql: Sql, t: string, rows: NewVersion[]) =>
      failsAt === 'write' && rows.some((v) => v.assetId === bad.id)
        ? Promise.reject(new Error(refused))
        : deps.versions.insertMany(sql, t, rows),
  };
  return {
    ...store,
    good,
    bad,
    error: failsAt === 'extraction' ? 'speakers: model unavailable' : refused,
    job: { tenantId, assets: [good, bad].map((a) => ({ assetId: a.id, version: 1 })) },
    sut: new EnrichmentService({ ...deps, extract, versions }),
    /** The service on this store with some of its dependencies replaced. */
    sutWith: (overrides: Partial<EnrichmentDeps>) =>
      new EnrichmentService({ ...deps, extract, versions, ...overrides }),
  };
}

describe('EnrichmentService.enrichAssets', () => {
  it('writes a new version, an outbox event and an audit row, and completes the run', async () => {
    const asset = anAsset();
    const { state, deps } = aStore(asset);
    const sut = new EnrichmentService(deps);

    await sut.enrichAssets({ tenantId, assets: [{ assetId: asset.id, version: 1 }] }, ctx(1));

    const saved = state.assets.get(asset.id)!;
    expect(saved).toMatchObject({ status: 'PROCESSED', version: 2, enrichedFromVersion: 1 });
    expect(saved.enrichment!.speakers.map((s) => s.name)).toContain('Roger Hanlon');
    expect(state.versions).toEqual([
      expect.objectContaining({ assetId: asset.id, version: 2, changeKind: 'ENRICHMENT' }),
    ]);
    expect(state.outbox).toEqual([
      { type: 'asset.enriched', aggregateId: asset.id, payload: { assetId: asset.id, version: 2 } },
    ]);
    expect(state.actions).toEqual([
      expect.objectContaining({ assetId: asset.id, actionType: 'ENRICH', status: 'SUCCEEDED' }),
    ]);
    expect([...state.runs.values()]).toEqual([expect.objectContaining({ status: 'COMPLETED', failed: [] })]);
  });

  it('records a failed capability as RETRYING and rethrows, so the queue retries', async () => {
    const asset = anAsset();
    const { state, deps } = aStore(asset);
    const sut = new EnrichmentService({ ...deps, extract: speakersFail });

    await expect(
      sut.enrichAssets({ tenantId, assets: [{ assetId: asset.id, version: 1 }] }, ctx(1)),
    ).rejects.toBeInstanceOf(CapabilitiesFailedError);

    expect(state.assets.get(asset.id)).toMatchObject({ status: 'QUEUED', version: 1 });
    expect(state.assets.get(asset.id)!.statusDetail).toMatch(/attempt 1 of 3 failed, retrying: speakers/);
    expect([...state.runs.values()]).toEqual([
      expect.objectContaining({
        status: 'RETRYING',
        failed: ['speakers'],
        error: 'speakers: model unavailable',
      }),
    ]);
    expect(state.versions).toEqual([]);
    expect(state.outbox).toEqual([]);
    expect(state.actions).toEqual([expect.objectContaining({ status: 'FAILED' })]);
  });

  it('records FAILED on the last attempt, announces asset.failed and rethrows', async () => {
    const asset = anAsset();
    const { state, deps } = aStore(asset);
    const sut = new EnrichmentService({ ...deps, extract: speakersFail });

    await expect(
      sut.enrichAssets({ tenantId, assets: [{ assetId: asset.id, version: 1 }] }, ctx(3)),
    ).rejects.toThrow('speakers: model unavailable');

    expect(state.assets.get(asset.id)).toMatchObject({
      status: 'FAILED',
      statusDetail: 'speakers: model unavailable',
    });
    expect([...state.runs.values()]).toEqual([expect.objectContaining({ status: 'FAILED' })]);
    expect(state.outbox).toEqual([
      {
        type: 'asset.failed',
        aggregateId: asset.id,
        payload: { assetId: asset.id, version: 1, error: 'speakers: model unavailable' },
      },
    ]);
  });

  it('does nothing for a redelivered job whose version was enriched already', async () => {
    const asset = anAsset({ status: 'PROCESSED', version: 2, enrichedFromVersion: 1 });
    const { state, deps } = aStore(asset);
    const sut = new EnrichmentService(deps);

    await sut.enrichAssets({ tenantId, assets: [{ assetId: asset.id, version: 1 }] }, ctx(1));

    expect(state.assets.get(asset.id)).toEqual(asset);
    expect(state.runs.size).toBe(0);
    expect(state.versions).toEqual([]);
    expect(state.outbox).toEqual([]);
    expect(state.actions).toEqual([]);
  });

  it('does nothing for an asset that no longer exists', async () => {
    const { state, deps } = aStore();
    const sut = new EnrichmentService(deps);

    await sut.enrichAssets({ tenantId, assets: [{ assetId: anAsset().id, version: 1 }] }, ctx(1));

    expect(state.runs.size).toBe(0);
    expect(state.outbox).toEqual([]);
  });

  it('enriches a batch with one write per table, each asset a version and an event of its own', async () => {
    const batch = [1, 2, 3].map((n) =>
      anAsset({ id: `00000000-0000-4000-8000-00000000000${n}`, fileHash: String(n).repeat(64) }),
    );
    const { state, deps, calls } = aStore(...batch);
    const sut = new EnrichmentService(deps);

    await sut.enrichAssets({ tenantId, assets: batch.map((a) => ({ assetId: a.id, version: 1 })) }, ctx(1));

    for (const a of batch) expect(state.assets.get(a.id)).toMatchObject({ status: 'PROCESSED', version: 2 });
    expect(state.outbox.map((e) => e.aggregateId).sort()).toEqual(batch.map((a) => a.id));
    expect(state.versions).toHaveLength(3);
    expect(state.actions.filter((a) => a.status === 'SUCCEEDED')).toHaveLength(3);
    expect(state.terms.sort()).toEqual(batch.map((a) => a.id));
    expect(Object.fromEntries(calls)).toEqual({
      setStatuses: 1,
      saveEnrichments: 1,
      versions: 1,
      outbox: 1,
      actions: 1,
      termStats: 1,
    });
  });

  it.each(['extraction', 'write'] as const)(
    'leaves the rest of the batch enriched when one asset’s %s fails, and asks to retry that one alone',
    async (failsAt) => {
      const { state, sut, job, good, bad, error } = aBatchWithABadAsset(failsAt);

      const err = await sut.enrichAssets(job, ctx(1)).then(
        () => null,
        (e: unknown) => e,
      );

      expect(err).toBeInstanceOf(SomeAssetsFailedError);
      expect((err as SomeAssetsFailedError).retry).toEqual({
        tenantId,
        assets: [{ assetId: bad.id, version: 1 }],
      });
      expect(state.assets.get(good.id)).toMatchObject({ status: 'PROCESSED', version: 2 });
      expect(state.assets.get(bad.id)).toMatchObject({
        status: 'QUEUED',
        version: 1,
        statusDetail: `attempt 1 of 3 failed, retrying: ${error}`,
      });
      expect(state.versions.map((v) => v.assetId)).toEqual([good.id]);
      expect(state.outbox).toEqual([
        { type: 'asset.enriched', aggregateId: good.id, payload: { assetId: good.id, version: 2 } },
      ]);
      expect(state.actions.map((a) => [a.assetId, a.status]).sort()).toEqual([
        [good.id, 'SUCCEEDED'],
        [bad.id, 'FAILED'],
      ]);
      expect([...state.runs.values()].map((r) => r.status).sort()).toEqual(['COMPLETED', 'RETRYING']);
      expect(state.terms).toEqual([good.id]);
    },
  );

  it.each(['extraction', 'write'] as const)(
    'dead-letters only the asset whose %s fails on the last attempt',
    async (failsAt) => {
      const { state, sut, job, good, bad, error } = aBatchWithABadAsset(failsAt);

      await expect(sut.enrichAssets(job, ctx(3))).rejects.toBeInstanceOf(SomeAssetsFailedError);

      expect(state.assets.get(good.id)!.status).toBe('PROCESSED');
      expect(state.assets.get(bad.id)).toMatchObject({ status: 'FAILED', statusDetail: error });
      expect(state.outbox.filter((e) => e.type === 'asset.failed')).toEqual([
        {
          type: 'asset.failed',
          aggregateId: bad.id,
          payload: { assetId: bad.id, version: 1, error },
        },
      ]);
    },
  );

  it('asks for the tenant’s label training from the write that commits when the batch write failed', async () => {
    const { state, deps, sutWith, job } = aBatchWithABadAsset('write');
    const tenant = await deps.contexts.get();
    const sut = sutWith({ contexts: { get: () => Promise.resolve({ ...tenant, modelsTrainedAt: null }) } });

    await expect(sut.enrichAssets(job, ctx(1))).rejects.toBeInstanceOf(SomeAssetsFailedError);

    expect(state.outbox.filter((e) => e.type === 'labels.training-due')).toHaveLength(1);
  });

  it('does not fail an asset that a duplicate job enriched after this job’s write failed', async () => {
    const asset = anAsset();
    const { state, deps } = aStore(asset);
    const job = { tenantId, assets: [{ assetId: asset.id, version: 1 }] };
    const duplicate = new EnrichmentService(deps);
    let writes = 0;
    // This job's write fails (a connection lost); a duplicate enriches the asset before the failure is recorded.
    const sut = new EnrichmentService({
      ...deps,
      versions: { insertMany: () => Promise.reject(new Error('connection terminated')) },
      db: {
        ...deps.db,
        transaction: <T>(fn: (tx: Sql) => Promise<T>) =>
          deps.db.transaction(fn).catch(async (err: unknown) => {
            if (writes++ === 0) await duplicate.enrichAssets(job, ctx(1, 3));
            throw err;
          }),
      },
    });

    await sut.enrichAssets(job, ctx(1));

    expect(state.assets.get(asset.id)).toMatchObject({ status: 'PROCESSED', version: 2, statusDetail: null });
    expect(state.versions).toHaveLength(1);
    expect(state.actions.map((a) => a.status)).toEqual(['SUCCEEDED']);
    // One run for the asset version, the duplicate's record kept.
    expect([...state.runs.values()]).toEqual([
      expect.objectContaining({ status: 'COMPLETED', completed: expect.arrayContaining(['speakers']) }),
    ]);
  });

  it.each([
    ['enriched from a later version by another job', /skipped: enriched from version 2 by another run/],
    ['deleted', /skipped: the asset is gone/],
  ])('ends the run of an asset %s while this job extracted it', async (what, note) => {
    const asset = anAsset();
    const { state, deps } = aStore(asset);
    let meanwhile: () => Promise<void> = async () => {
      if (what === 'deleted') return void state.assets.delete(asset.id);
      // Edited to version 2, whose own job enriches it first.
      state.assets.set(asset.id, { ...asset, version: 2, versionId: 'v2' });
      await new EnrichmentService(deps).enrichAssets(
        { tenantId, assets: [{ assetId: asset.id, version: 2 }] },
        ctx(1),
      );
    };
    const sut = new EnrichmentService({
      ...deps,
      termStats: {
        ...deps.termStats,
        readMany: async () => {
          const once = meanwhile;
          meanwhile = () => Promise.resolve();
          await once();
          return deps.termStats.readMany();
        },
      },
    });

    await sut.enrichAssets({ tenantId, assets: [{ assetId: asset.id, version: 1 }] }, ctx(1));

    const runOfVersion1 = [...state.runs.values()].find((r) => r.assetVersion === 1);
    expect(runOfVersion1).toMatchObject({
      status: 'COMPLETED',
      completed: [],
      error: expect.stringMatching(note),
    });
    expect([...state.runs.values()].map((r) => r.status)).not.toContain('RUNNING');
    expect(state.actions.filter((a) => a.status === 'FAILED')).toEqual([]);
  });

  it('enriches only the assets of a batch not yet extracted from their version', async () => {
    const done = anAsset({ status: 'PROCESSED', version: 2, enrichedFromVersion: 1 });
    const fresh = anAsset({ id: '00000000-0000-4000-8000-000000000002', fileHash: 'e'.repeat(64) });
    const { state, deps } = aStore(done, fresh);
    const sut = new EnrichmentService(deps);

    await sut.enrichAssets(
      { tenantId, assets: [done, fresh].map((a) => ({ assetId: a.id, version: 1 })) },
      ctx(1),
    );

    expect(state.assets.get(done.id)).toEqual(done);
    expect(state.assets.get(fresh.id)).toMatchObject({ status: 'PROCESSED', version: 2 });
    expect(state.runs.size).toBe(1);
  });

  it('extracts again, from the edited asset, one edited while its batch was extracted; the other as extracted', async () => {
    const edited = anAsset();
    const other = anAsset({ id: '00000000-0000-4000-8000-000000000002', fileHash: 'e'.repeat(64) });
    const { state, deps } = aStore(edited, other);
    const seen: string[] = [];
    // An editor changes the title (a new version) while the first extraction runs.
    const extract: typeof extractAll = (asset, context, capabilities) => {
      seen.push(`${asset.id}@${asset.version}`);
      if (asset.id === edited.id && asset.version === 1) {
        const now = state.assets.get(edited.id)!;
        state.assets.set(edited.id, { ...now, title: 'Squid, not octopuses', version: 2, versionId: 'v2' });
      }
      return extractAll(asset, context, capabilities);
    };
    const sut = new EnrichmentService({ ...deps, extract });

    await sut.enrichAssets(
      { tenantId, assets: [edited, other].map((a) => ({ assetId: a.id, version: 1 })) },
      ctx(1),
    );

    expect(seen).toEqual([`${edited.id}@1`, `${other.id}@1`, `${edited.id}@2`]);
    expect(state.assets.get(edited.id)).toMatchObject({
      status: 'PROCESSED',
      version: 3,
      enrichedFromVersion: 2,
      title: 'Squid, not octopuses',
    });
    expect(state.assets.get(other.id)).toMatchObject({ status: 'PROCESSED', version: 2 });
  });
});
