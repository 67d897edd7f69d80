import { describe, expect, it } from 'vitest';
import type { Asset } from '../../domain/asset.js';
import { ConflictError } from '../../domain/errors.js';
import type { TagPatch } from '../../domain/tag-overrides.js';
import {
  BackgroundJobsService,
  EMBEDDINGS_BACKFILL_KIND,
  TAGS_BULK_KIND,
  TAGS_RENAME_KIND,
  type BackgroundJobsDeps,
} from '../../services/background-jobs-service.js';
import type { BackgroundJob, BackgroundJobStatus } from '../../store/background-jobs-repository.js';
import type { Database, Sql } from '../../store/database.js';

const tenantId = 't1';
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function aJob(kind: string, params: Record<string, unknown>): BackgroundJob {
  return {
    id: id(900),
    kind,
    status: 'QUEUED',
    params: { actor: 'key:editor', ...params },
    total: null,
    processed: 0,
    cursor: null,
    lastError: null,
    createdBy: 'key:editor',
    createdAt: new Date(),
    updatedAt: new Date(),
    finishedAt: null,
  };
}

/**
 * A tenant whose assets carry tag lists, a job table of one job, and a curation service that edits
 * and renames tags in memory (a locked tag refuses edits), as the real one would.
 */
function aTenant(
  job: BackgroundJob,
  tags: Map<string, string[]>,
  locked: Set<string> = new Set(),
  extra: Pick<BackgroundJobsDeps, 'embeddings'> = {},
) {
  const jobs = new Map([[job.id, { ...job }]]);
  const projected: string[] = [];
  const respelled: string[] = [];
  const edits: { actor: string; assetId: string }[] = [];
  const changes: { assetId: string; outcome: string; added: unknown[]; error: string | null }[] = [];
  const versions = new Map<string, number>();
  const sql: Sql = { query: () => Promise.reject(new Error('no SQL in a unit test')) };
  const db = { ...sql, transaction: <T>(fn: (tx: Sql) => Promise<T>) => fn(sql) } as unknown as Database;
  const deps: BackgroundJobsDeps = {
    db,
    jobs: {
      get: (_: Sql, _t: string, jobId: string) => Promise.resolve(jobs.get(jobId) ?? null),
      update: (
        _: Sql,
        _t: string,
        jobId: string,
        patch: {
          status?: BackgroundJobStatus;
          total?: number;
          processedDelta?: number;
          cursor?: unknown;
          error?: string | null;
        },
      ) => {
        const j = jobs.get(jobId)!;
        jobs.set(jobId, {
          ...j,
          status: patch.status ?? j.status,
          total: patch.total ?? j.total,
          processed: j.processed + (patch.processedDelta ?? 0),
          cursor: patch.cursor === undefined ? j.cursor : patch.cursor,
          lastError: patch.error === undefined ? j.lastError : patch.error,
        });
        return Promise.resolve();
      },
      countOutdated: () => Promise.resolve(0),
      countLive: () => Promise.resolve(tags.size),
      outdatedPage: () => Promise.resolve([]),
      countRenameCandidates: (_: Sql, _t: string, after: string, names: string[][]) =>
        Promise.resolve(candidates(after, names).length),
      renameCandidatesPage: (_: Sql, _t: string, after: string, names: string[][], limit: number) =>
        Promise.resolve(candidates(after, names).slice(0, limit)),
      insertChanges: (_: Sql, _t: string, _job: string, rows) => Promise.resolve(void changes.push(...rows)),
    },
    assets: {
      findById: (_: Sql, _t: string, assetId: string) =>
        Promise.resolve(
          tags.has(assetId)
            ? ({
                id: assetId,
                version: versions.get(assetId) ?? 1,
                tags: tags.get(assetId),
                speakers: [],
                enrichment: null,
              } as unknown as Asset)
            : null,
        ),
    },
    outbox: { insertMany: () => Promise.resolve() },
    curation: {
      editTags: (who, assetId, patch: TagPatch) => {
        edits.push({ actor: who.actor, assetId });
        if (locked.has(assetId)) return Promise.reject(new ConflictError('tag is locked'));
        const next = [...(tags.get(assetId) ?? []), ...patch.add.map((r) => r.name)];
        tags.set(assetId, next);
        versions.set(assetId, (versions.get(assetId) ?? 1) + 1);
        return Promise.resolve({ asset: { version: versions.get(assetId) } as Asset });
      },
      rename: (who, assetId, details) => {
        edits.push({ actor: who.actor, assetId });
        const current = tags.get(assetId) ?? [];
        const changed = current.some((t) => details.sources.includes(t));
        tags.set(
          assetId,
          current.map((t) => (details.sources.includes(t) ? details.into : t)),
        );
        return Promise.resolve({ asset: {} as Asset, changed });
      },
    },
    projection: {
      project: (_t, assetId) => {
        projected.push(assetId);
        return Promise.resolve(null);
      },
    },
    search: {
      search: () => Promise.resolve({ hits: [], nextCursor: null, total: 0 } as never),
      respell: (_t, names) => Promise.resolve(void respelled.push(...names.map((n) => `search:${n.name}`))),
    },
    graph: {
      respell: (_t, names) => Promise.resolve(void respelled.push(...names.map((n) => `graph:${n.name}`))),
    },
    ...extra,
  };
  /** Assets past `after` holding every word of some name: the repository's superset test. */
  const candidates = (after: string, names: string[][]) =>
    [...tags.keys()]
      .filter((a) => a > after)
      .sort()
      .filter((a) => names.some((words) => words.every((w) => tags.get(a)!.join(' ').includes(w))));
  return { sut: new BackgroundJobsService(deps), jobs, projected, respelled, edits, changes };
}

describe('BackgroundJobsService.runBackgroundJob', () => {
  it('renames a tag on each asset carrying it through the curation service, projects what changed, and completes', async () => {
    const job = aJob(TAGS_RENAME_KIND, { type: 'TAG', sources: ['ml'], into: 'machine learning' });
    const tags = new Map([
      [id(1), ['ml', 'ai']],
      [id(2), ['oceans']],
      [id(3), ['html']],
    ]);
    const { sut, jobs, projected, respelled, edits } = aTenant(job, tags);

    await sut.runBackgroundJob({ tenantId, jobId: job.id });

    expect(tags.get(id(1))).toEqual(['machine learning', 'ai']);
    expect(tags.get(id(2))).toEqual(['oceans']);
    // A candidate the rename does not change gets no projection.
    expect(projected).toEqual([id(1)]);
    expect(edits.every((e) => e.actor === 'key:editor')).toBe(true);
    expect(respelled.sort()).toEqual(['graph:machine learning', 'search:machine learning']);
    expect(jobs.get(job.id)).toMatchObject({ status: 'COMPLETED', total: 2, processed: 2 });
  });

  it('applies a bulk tag change to the listed assets, skipping and naming those it cannot change', async () => {
    const job = aJob(TAGS_BULK_KIND, {
      patch: { add: [{ type: 'TAG', name: 'featured' }], remove: [], lock: [], unlock: [] },
      ids: [id(1), id(2), id(3)],
    });
    const tags = new Map([
      [id(1), ['a']],
      [id(2), ['b']],
      [id(3), ['c']],
    ]);
    const { sut, jobs, changes } = aTenant(job, tags, new Set([id(2)]));

    await sut.runBackgroundJob({ tenantId, jobId: job.id });

    // The job's record, asset by asset: what it added, and why it skipped one.
    expect(changes).toEqual([
      expect.objectContaining({
        assetId: id(1),
        outcome: 'CHANGED',
        added: [{ type: 'TAG', name: 'featured' }],
      }),
      expect.objectContaining({ assetId: id(2), outcome: 'SKIPPED', added: [], error: 'tag is locked' }),
      expect.objectContaining({
        assetId: id(3),
        outcome: 'CHANGED',
        added: [{ type: 'TAG', name: 'featured' }],
      }),
    ]);
    expect(tags.get(id(1))).toEqual(['a', 'featured']);
    expect(tags.get(id(2))).toEqual(['b']);
    expect(tags.get(id(3))).toEqual(['c', 'featured']);
    expect(jobs.get(job.id)).toMatchObject({ status: 'COMPLETED', processed: 3, total: 3 });
    expect(jobs.get(job.id)!.lastError).toBe(`1 assets skipped; last: ${id(2)}: tag is locked`);
  });

  it('continues an interrupted embeddings backfill from its committed position, embedding each asset once', async () => {
    const job = aJob(EMBEDDINGS_BACKFILL_KIND, { assetsPerSecond: 50 });
    // A library of five assets, newest first, read two a page; the process dies after one page.
    const library = [5, 4, 3, 2, 1].map((n) => ({ createdAt: `2026-01-0${n}T00:00:00.000Z`, id: id(n) }));
    const embedded: string[] = [];
    let pagesLeft = 1;
    const backfill: NonNullable<BackgroundJobsDeps['embeddings']>['backfill'] = async (_t, opts) => {
      let from = opts.after ? library.findIndex((a) => a.id === opts.after!.id) + 1 : 0;
      while (from < library.length) {
        if (pagesLeft-- === 0) throw new Error('the process stopped');
        const page = library.slice(from, from + 2);
        embedded.push(...page.map((a) => a.id));
        await opts.onPage?.({ embedded: page.length, assets: page.length, after: page[page.length - 1]! });
        from += page.length;
      }
      return embedded.length;
    };
    const live = new Map(library.map((a) => [a.id, []]));
    const { sut, jobs } = aTenant(job, live, new Set(), { embeddings: { backfill } });

    await expect(sut.runBackgroundJob({ tenantId, jobId: job.id })).rejects.toThrow('the process stopped');
    expect(jobs.get(job.id)).toMatchObject({ status: 'RUNNING', total: 5, processed: 2 });

    pagesLeft = Infinity;
    await sut.runBackgroundJob({ tenantId, jobId: job.id });
    expect(embedded).toEqual(library.map((a) => a.id));
    expect(jobs.get(job.id)).toMatchObject({ status: 'COMPLETED', total: 5, processed: 5 });
  });

  it('leaves a finished job alone when it is delivered again', async () => {
    const job = {
      ...aJob(TAGS_BULK_KIND, {
        patch: { add: [{ type: 'TAG', name: 'x' }], remove: [], lock: [], unlock: [] },
        ids: [id(1)],
      }),
      status: 'COMPLETED' as const,
    };
    const tags = new Map([[id(1), ['a']]]);
    const { sut, edits } = aTenant(job, tags);

    await sut.runBackgroundJob({ tenantId, jobId: job.id });

    expect(edits).toEqual([]);
    expect(tags.get(id(1))).toEqual(['a']);
  });

  it('fails a job of an unknown kind', async () => {
    const job = aJob('mystery', {});
    const { sut, jobs } = aTenant(job, new Map());

    await sut.runBackgroundJob({ tenantId, jobId: job.id });

    expect(jobs.get(job.id)).toMatchObject({ status: 'FAILED', lastError: 'unknown job kind mystery' });
  });
});
