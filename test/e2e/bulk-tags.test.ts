import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BULK_TAG_CONFIRM_ABOVE } from '../../domain/bulk-tags.js';
import { createTestApp, ingestNamed, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';

interface Job {
  id: string;
  kind: string;
  backgroundKind: string | null;
  status: string;
  progressPercent: number;
  assetId: string | null;
  assetTitle?: string | null;
  bulkTags?: { matched: number; q: string | null; filters: Record<string, unknown> | null } | null;
}
interface Preview {
  matched: number;
  confirmAbove: number;
  confirmationRequired: boolean;
  sample: {
    assetId: string;
    title: string;
    added: { name: string }[];
    removed: { name: string }[];
    skipped: string | null;
  }[];
}
interface Change {
  assetId: string;
  title: string | null;
  outcome: string;
  added: { name: string; type: string }[];
  removed: { name: string; type: string }[];
  version: number | null;
  error: string | null;
}

describe('bulk tag changes: filters, preview, confirmation and the jobs list', () => {
  let t: TestApp;
  let editor: { authorization: string };
  let ids: Record<'kelp1' | 'kelp2' | 'kelpAudio' | 'desert', string>;

  beforeAll(async () => {
    t = await createTestApp();
    editor = await t.keyFor('bulk2', 'EDITOR');
    ids = await ingestNamed(t, editor, {
      kelp1: anAssetInput({ title: 'Kelp canopy', tags: ['draft'] }),
      kelp2: anAssetInput({ title: 'Kelp holdfast', tags: ['draft', 'keeper'] }),
      kelpAudio: anAssetInput({ type: 'AUDIO', title: 'Kelp radio', tags: ['draft'] }),
      desert: anAssetInput({ title: 'Dune field', tags: ['draft'] }),
    });
  }, 120_000);
  afterAll(() => t?.close());

  const post = (url: string, payload: object, key = editor) =>
    t.app.inject({ method: 'POST', url, headers: key, payload });
  const version = async (id: string) =>
    (await t.app.inject({ url: `/v1/assets/${id}`, headers: editor })).json<{ version: number }>().version;
  const finished = async (id: string) => {
    const job = async () => (await t.app.inject({ url: `/v1/jobs/${id}`, headers: editor })).json<Job>();
    // Until the job ends, however long a loaded machine takes.
    await expect
      .poll(async () => (await job()).status, { timeout: 120_000, interval: 50 })
      .toMatch(/^(COMPLETED|FAILED)$/);
    return job();
  };

  it('previews a query with filters: the count and what would change on each, changing nothing', async () => {
    const before = await Promise.all(Object.values(ids).map(version));
    const body = {
      q: 'kelp',
      filters: { type: ['VIDEO'] },
      remove: [{ name: 'keeper' }],
      add: [{ name: 'kelp' }],
    };
    const res = await post('/v1/tags/bulk/preview', body);
    expect(res.statusCode, res.body).toBe(200);
    const preview = res.json<Preview>();
    expect(preview).toMatchObject({
      matched: 2,
      confirmAbove: BULK_TAG_CONFIRM_ABOVE,
      confirmationRequired: false,
    });
    const byId = new Map(preview.sample.map((s) => [s.assetId, s]));
    expect([...byId.keys()].sort()).toEqual([ids.kelp1, ids.kelp2].sort());
    expect(byId.get(ids.kelp2)).toMatchObject({
      title: 'Kelp holdfast',
      added: [{ name: 'kelp', type: 'TAG' }],
      removed: [{ name: 'keeper', type: 'TAG' }],
      skipped: null,
    });
    expect(byId.get(ids.kelp1)).toMatchObject({ removed: [] });

    expect(await Promise.all(Object.values(ids).map(version))).toEqual(before);
    const started = await t.container.db.query(
      `SELECT 1 FROM background_jobs WHERE tenant_id = 'bulk2' AND kind = 'tags-bulk'`,
    );
    expect(started).toEqual([]);
  });

  it('takes filters alone, runs the job over what matched, and records each change for the jobs list', async () => {
    const res = await post('/v1/tags/bulk', { filters: { type: ['AUDIO'] }, add: [{ name: 'radio' }] });
    expect(res.statusCode, res.body).toBe(202);
    const job = await finished(res.json<Job>().id);
    expect(job).toMatchObject({
      status: 'COMPLETED',
      backgroundKind: 'tags-bulk',
      bulkTags: { matched: 1, q: null, filters: { type: ['AUDIO'] } },
    });

    const changes = await t.app.inject({ url: `/v1/jobs/${job.id}/changes`, headers: editor });
    expect(changes.statusCode, changes.body).toBe(200);
    expect(changes.json<{ items: Change[]; counts: object }>()).toMatchObject({
      items: [
        {
          assetId: ids.kelpAudio,
          title: 'Kelp radio',
          outcome: 'CHANGED',
          added: [{ name: 'radio', type: 'TAG' }],
          removed: [],
          version: await version(ids.kelpAudio),
        },
      ],
      counts: { CHANGED: 1, UNCHANGED: 0, SKIPPED: 0 },
    });

    // One audit row per asset, naming the job.
    const audit = await t.container.db.query<{ asset_id: string; details: { jobId?: string } }>(
      `SELECT asset_id, details FROM action_records WHERE tenant_id = 'bulk2' AND action_type = 'TAGS_EDIT'`,
    );
    expect(audit).toEqual([{ asset_id: ids.kelpAudio, details: expect.objectContaining({ jobId: job.id }) }]);

    // The job is in the jobs list: among all jobs, and alone with kind=background.
    const all = (await t.app.inject({ url: '/v1/jobs?limit=100', headers: editor })).json<{ items: Job[] }>();
    expect(all.items.map((j) => j.id)).toContain(job.id);
    const runs = all.items.filter((j) => j.kind === 'enrichment');
    expect(runs.length).toBeGreaterThan(0);
    // Enrichment runs name their asset by title too, for people to read.
    const titles = new Map([
      [ids.kelp1, 'Kelp canopy'],
      [ids.kelp2, 'Kelp holdfast'],
      [ids.kelpAudio, 'Kelp radio'],
      [ids.desert, 'Dune field'],
    ]);
    for (const r of runs) expect(r.assetTitle).toBe(titles.get(r.assetId!));
    const background = (await t.app.inject({ url: '/v1/jobs?kind=background', headers: editor })).json<{
      items: Job[];
    }>();
    expect(background.items.map((j) => j.id)).toEqual([job.id]);
  });

  it('changes what was matched when it started, even when its own edits change what the query matches', async () => {
    const res = await post('/v1/tags/bulk', { filters: { tag: ['draft'] }, remove: [{ name: 'draft' }] });
    expect(res.statusCode, res.body).toBe(202);
    const job = await finished(res.json<Job>().id);
    const { items, counts } = (
      await t.app.inject({ url: `/v1/jobs/${job.id}/changes?limit=2`, headers: editor })
    ).json<{ items: Change[]; nextCursor: string; counts: { CHANGED: number } }>();
    expect(counts.CHANGED).toBe(4);
    expect(items).toHaveLength(2);
    const rest = (
      await t.app.inject({
        url: `/v1/jobs/${job.id}/changes?limit=2&cursor=${encodeURIComponent(
          (await t.app.inject({ url: `/v1/jobs/${job.id}/changes?limit=2`, headers: editor })).json<{
            nextCursor: string;
          }>().nextCursor,
        )}`,
        headers: editor,
      })
    ).json<{ items: Change[]; nextCursor: string | null }>();
    expect(rest.nextCursor).toBeNull();
    expect([...items, ...rest.items].map((c) => c.assetId).sort()).toEqual(Object.values(ids).sort());
  });

  it('pages the jobs list with a cursor, enrichment runs and bulk jobs together, newest first', async () => {
    const seen: Job[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Job[]; nextCursor: string | null } = (
        await t.app.inject({
          url: `/v1/jobs?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          headers: editor,
        })
      ).json();
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    const all = (await t.app.inject({ url: '/v1/jobs?limit=100', headers: editor })).json<{ items: Job[] }>();
    expect(seen.map((j) => j.id)).toEqual(all.items.map((j) => j.id));
    expect(new Set(seen.map((j) => j.kind))).toEqual(new Set(['enrichment', 'background']));
  });

  it('refuses a VIEWER and names the unknown filter, changing nothing', async () => {
    const viewer = await t.keyFor('bulk2', 'VIEWER');
    expect(
      (await post('/v1/tags/bulk/preview', { q: 'kelp', add: [{ name: 'x' }] }, viewer)).statusCode,
    ).toBe(403);
    expect((await post('/v1/tags/bulk', { q: 'kelp', add: [{ name: 'x' }] }, viewer)).statusCode).toBe(403);
    const bad = await post('/v1/tags/bulk', { filters: { colour: ['red'] }, add: [{ name: 'x' }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('colour');
  });
});

describe('bulk tag changes above the confirmation cap', () => {
  let t: TestApp;
  let editor: { authorization: string };
  const many = BULK_TAG_CONFIRM_ABOVE + 1;

  beforeAll(async () => {
    t = await createTestApp();
    editor = await t.keyFor('bulk-cap', 'EDITOR');
    const assets = Array.from({ length: many }, (_, i) =>
      anAssetInput({ title: `Brain scan ${i}`, description: 'brain', tags: ['scan'] }),
    );
    for (let i = 0; i < assets.length; i += 300) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/assets/batch',
        headers: editor,
        payload: { assets: assets.slice(i, i + 300) },
      });
      if (res.statusCode !== 201) throw new Error(`batch ingest answered ${res.statusCode}: ${res.body}`);
    }
    // Searchable once projected: the preview counts what search finds. (A ?wait=true may run out
    // on a loaded machine; this waits as long as the hook allows.)
    for (;;) {
      const preview = await t.app.inject({
        method: 'POST',
        url: '/v1/tags/bulk/preview',
        headers: editor,
        payload: { q: 'brain', add: [{ name: 'x' }] },
      });
      if (preview.json<Preview>().matched === many) break;
      await new Promise((r) => setTimeout(r, 500));
    }
  }, 600_000);
  afterAll(() => t?.close());

  const post = (url: string, payload: object) =>
    t.app.inject({ method: 'POST', url, headers: editor, payload });
  const bulkJobs = () =>
    t.container.db.query(
      `SELECT id FROM background_jobs WHERE tenant_id = 'bulk-cap' AND kind = 'tags-bulk'`,
    );

  it('needs the previewed count as confirm above the cap, and changes nothing without it', async () => {
    const body = { q: 'brain', add: [{ name: 'neuro' }] };
    const preview = (await post('/v1/tags/bulk/preview', body)).json<Preview>();
    expect(preview).toMatchObject({ matched: many, confirmationRequired: true });

    const unconfirmed = await post('/v1/tags/bulk', body);
    expect(unconfirmed.statusCode, unconfirmed.body).toBe(409);
    expect(unconfirmed.json()).toMatchObject({ matched: many });
    const wrong = await post('/v1/tags/bulk', { ...body, confirm: many - 1 });
    expect(wrong.statusCode).toBe(409);
    expect(await bulkJobs()).toEqual([]);
    const tagged = (await t.app.inject({ url: '/v1/search?tag=neuro', headers: editor })).json<{
      hits: unknown[];
    }>();
    expect(tagged.hits).toEqual([]);

    const confirmed = await post('/v1/tags/bulk', { ...body, confirm: preview.matched });
    expect(confirmed.statusCode, confirmed.body).toBe(202);
    expect(await bulkJobs()).toHaveLength(1);
  });
});
