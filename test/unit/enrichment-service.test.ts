import { describe, expect, it } from 'vitest';
import type { Asset } from '../../domain/asset.js';
import { Renames } from '../../domain/tag-renames.js';
import { gazetteerFor } from '../../enrichment/brands.js';
import type { extractAll } from '../../enrichment/extract.js';
import { effectiveTaxonomy } from '../../enrichment/topics.js';
import type { JobContext } from '../../queue/jobs.js';
import { CapabilitiesFailedError, EnrichmentService } from '../../services/enrichment-service.js';
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
      { status: RunStatus; completed: string[]; failed: string[]; error?: string | null }
    >(),
  };
  const tx: Sql = { query: () => Promise.reject(new Error('no SQL in a unit test')) };
  const db = { ...tx, transaction: <T>(fn: (tx: Sql) => Promise<T>) => fn(tx) } as unknown as Database;
  const deps = {
    db,
    assets: {
      findById: (_: Sql, t: string, id: string) =>
        Promise.resolve(t === tenantId ? (state.assets.get(id) ?? null) : null),
      setStatus: (_: Sql, _t: string, id: string, status: Asset['status'], detail: string | null) => {
        const a = state.assets.get(id)!;
        state.assets.set(id, { ...a, status, statusDetail: detail });
        return Promise.resolve();
      },
      saveEnrichment: (
        _: Sql,
        args: { id: string; expectedVersion: number; newVersionId: string; enrichment: Asset['enrichment'] },
      ) => {
        const a = state.assets.get(args.id);
        if (!a || a.version !== args.expectedVersion) return Promise.resolve(null);
        const saved: Asset = {
          ...a,
          status: 'PROCESSED',
          statusDetail: null,
          version: a.version + 1,
          versionId: args.newVersionId,
          enrichment: args.enrichment,
          enrichedFromVersion: a.version,
        };
        state.assets.set(a.id, saved);
        return Promise.resolve(saved);
      },
    },
    versions: {
      insertMany: (_: Sql, _t: string, v: NewVersion[]) => Promise.resolve(void state.versions.push(...v)),
    },
    outbox: {
      insertMany: (_: Sql, _t: string, e: NewOutboxEvent[]) => Promise.resolve(void state.outbox.push(...e)),
    },
    actions: {
      insertMany: (_: Sql, _t: string, r: ActionRecord[]) => Promise.resolve(void state.actions.push(...r)),
    },
    processingJobs: {
      start: (_: Sql, args: { id: string; assetId: string }) => {
        state.runs.set(args.id, { status: 'RUNNING', completed: [], failed: [] });
        return Promise.resolve({ id: args.id } as never);
      },
      finish: (
        _: Sql,
        _t: string,
        id: string,
        r: { status: RunStatus; completed: string[]; failed: string[]; error?: string | null },
      ) => Promise.resolve(void state.runs.set(id, r)),
    },
    termStats: {
      read: (_: Sql, _t: string, assetId: string, terms: string[]) =>
        Promise.resolve({
          assetId,
          previous: null,
          next: terms,
          documentCount: 1,
          df: new Map<string, number>(),
        }),
      write: () => Promise.resolve(),
    },
    contexts: {
      get: () =>
        Promise.resolve({
          taxonomy: effectiveTaxonomy(null),
          gazetteer: gazetteerFor([]),
          topicModel: null,
          tagModel: null,
          workflows: [],
          modelsTrainedAt: new Date(),
        }),
    },
    renames: { inForce: () => Promise.resolve(new Renames([])) },
    retryConfig: { attempts: 3 },
  };
  return { state, deps };
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

describe('EnrichmentService.enrichAsset', () => {
  it('writes a new version, an outbox event and an audit row, and completes the run', async () => {
    const asset = anAsset();
    const { state, deps } = aStore(asset);
    const sut = new EnrichmentService(deps);

    await sut.enrichAsset({ tenantId, assetId: asset.id, version: 1 }, ctx(1));

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

    await expect(sut.enrichAsset({ tenantId, assetId: asset.id, version: 1 }, ctx(1))).rejects.toBeInstanceOf(
      CapabilitiesFailedError,
    );

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

    await expect(sut.enrichAsset({ tenantId, assetId: asset.id, version: 1 }, ctx(3))).rejects.toThrow(
      'speakers: model unavailable',
    );

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

    await sut.enrichAsset({ tenantId, assetId: asset.id, version: 1 }, ctx(1));

    expect(state.assets.get(asset.id)).toEqual(asset);
    expect(state.runs.size).toBe(0);
    expect(state.versions).toEqual([]);
    expect(state.outbox).toEqual([]);
    expect(state.actions).toEqual([]);
  });

  it('does nothing for an asset that no longer exists', async () => {
    const { state, deps } = aStore();
    const sut = new EnrichmentService(deps);

    await sut.enrichAsset({ tenantId, assetId: anAsset().id, version: 1 }, ctx(1));

    expect(state.runs.size).toBe(0);
    expect(state.outbox).toEqual([]);
  });
});
