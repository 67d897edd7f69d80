import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractAll } from '../../enrichment/extract.js';
import { EXTRACTOR_VERSIONS } from '../../enrichment/extract.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';

const TRANSCRIPT = `[00:00:05] SIR KEN ROBINSON: Schools kill creativity. Education systems everywhere rank subjects the same way.
[00:00:40] Ken Robinson: Children are not frightened of being wrong, and creativity in education matters.
[00:01:30] JANE GOODALL: Chimpanzees in Gombe taught me about animals and the forest. Google funded our maps.
[00:02:10] Jane Goodall: Conservation of the forest needs local communities and Microsoft data tools.`;

interface Body {
  asset: { id: string; version: number; status: string };
}
interface AssetDto {
  version: number;
  status: string;
  technicalMetadata: Record<string, unknown>;
  enrichment: {
    keywords: { term: string; score: number }[];
    topics: { name: string; confidence: number }[];
    speakers: { name: string; source: string; confidence: number }[];
    brands: { name: string; score: number }[];
    tags: { name: string; source: string; locked: boolean; confidence: number }[];
    moments: { start: number; end: number; timestamp: string; speaker: string | null; keywords: string[] }[];
  };
}
interface JobDto {
  id: string;
  status: string;
  retryCount: number;
  deadLettered: boolean;
  lastError: string | null;
  capabilitiesCompleted: string[];
  capabilitiesFailed: string[];
  progressPercent: number;
  workflow: string;
  timingsMs: Record<string, number>;
}

describe('enrichment through the API', () => {
  let t: TestApp;
  let key: { authorization: string };
  let failBrands = 0;

  beforeAll(async () => {
    t = await createTestApp({
      env: { JOB_ATTEMPTS: '2', JOB_BACKOFF_MS: '20' },
      // Fails the brands capability of assets titled "Flaky" while failBrands > 0.
      extract: (asset, ctx, capabilities) => {
        const result = extractAll(asset, ctx, capabilities);
        if (asset.title.startsWith('Flaky') && failBrands > 0) {
          failBrands--;
          return {
            ...result,
            completed: result.completed.filter((c) => c !== 'brands'),
            failed: [{ capability: 'brands', error: 'gazetteer service unavailable' }],
          };
        }
        return result;
      },
    });
    key = await t.keyFor('default', 'ADMIN');
  });
  afterAll(() => t.close());

  const post = async (url: string, payload?: object) =>
    t.app.inject({ method: 'POST', url, headers: key, ...(payload ? { payload } : {}) });
  const get = async <T>(url: string) => (await t.app.inject({ url, headers: key })).json<T>();
  const until = async <T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = await fn();
      if (ok(v) || Date.now() > deadline) return v;
      await sleep(50);
    }
  };

  it('turns a diarized, timed transcript into keywords, topics, speakers, brands, tags and moments', async () => {
    const res = await post('/v1/assets?wait=true', {
      ...anAssetInput({
        title: 'Creativity in schools and forests',
        description: 'A conversation about education, creativity and conservation.',
        transcript: TRANSCRIPT,
        tags: ['Education'],
        technicalMetadata: {
          codec: 'h264',
          durationSeconds: 180,
          width: 1920,
          height: 1080,
          platform: 'youtube',
        },
      }),
    });
    expect(res.statusCode).toBe(201);
    const asset = await get<AssetDto>(`/v1/assets/${res.json<Body>().asset.id}`);
    const e = asset.enrichment;
    expect(asset.technicalMetadata).toMatchObject({ codec: 'h264', width: 1920, platform: 'youtube' });
    expect(e.keywords.length).toBeGreaterThan(3);
    expect(e.keywords.every((k) => k.score > 0 && k.score <= 1)).toBe(true);
    expect(e.topics.length).toBeGreaterThan(0);
    expect(e.topics.every((x) => x.confidence > 0 && x.confidence <= 1)).toBe(true);
    const speakers = e.speakers.map((s) => s.name);
    expect(speakers).toEqual(expect.arrayContaining(['Ken Robinson', 'Jane Goodall']));
    expect(speakers.filter((s) => /robinson/i.test(s))).toHaveLength(1);
    expect(e.brands.map((b) => b.name)).toEqual(expect.arrayContaining(['Google', 'Microsoft']));
    expect(e.tags).toContainEqual({ name: 'Education', source: 'manual', locked: false, confidence: 1 });
    expect(e.moments.map((m) => [m.timestamp, m.speaker])).toEqual([
      ['00:00:05', 'SIR KEN ROBINSON'],
      ['00:00:40', 'Ken Robinson'],
      ['00:01:30', 'JANE GOODALL'],
      ['00:02:10', 'Jane Goodall'],
    ]);
    expect(e.moments[0]!.end).toBe(40);
    expect(e.moments[2]!.keywords.length).toBeGreaterThan(0);

    // Related content points into the media where the shared speaker talks.
    const other = await post('/v1/assets?wait=true', {
      ...anAssetInput({ title: 'Chimpanzees', description: 'Field notes.', speakers: ['Jane Goodall'] }),
    });
    const related = await get<{
      items: {
        asset: { id: string };
        reasons: { type: string; name: string; moment?: { timestamp: string } }[];
      }[];
    }>(`/v1/assets/${other.json<Body>().asset.id}/related`);
    const back = related.items.find((i) => i.asset.id === res.json<Body>().asset.id)!;
    expect(back.reasons).toContainEqual(
      expect.objectContaining({
        type: 'SPEAKER',
        name: 'Jane Goodall',
        moment: expect.objectContaining({ timestamp: '00:01:30' }),
      }),
    );
  });

  it('rejects invalid technical metadata with a 400 naming the field', async () => {
    const res = await post('/v1/assets', { ...anAssetInput(), technicalMetadata: { width: 1920 } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      errors: [expect.objectContaining({ field: 'technicalMetadata.height' })],
    });
  });

  it('retries a failing capability, dead-letters it past the limit, and revives it on request', async () => {
    failBrands = 2;
    const res = await post('/v1/assets?wait=true', anAssetInput({ title: 'Flaky brand detection' }));
    const id = res.json<Body>().asset.id;
    const failed = await get<AssetDto>(`/v1/assets/${id}`);
    expect(failed.status).toBe('FAILED');

    const dead = await get<{ items: JobDto[] }>('/v1/jobs?status=FAILED');
    const job = dead.items.find((j) => j.lastError?.includes('gazetteer'))!;
    expect(job).toMatchObject({
      status: 'FAILED',
      deadLettered: true,
      retryCount: 1,
      capabilitiesFailed: ['brands'],
      workflow: 'default-enrichment',
    });
    expect(job.capabilitiesCompleted).toContain('keywords');
    expect(job.progressPercent).toBeGreaterThan(50);
    expect(job.progressPercent).toBeLessThan(100);

    const history = await t.container.db.query<{ status: string; details: { attempt: number } }>(
      `SELECT status, details FROM action_records WHERE asset_id = $1 AND action_type = 'ENRICH' ORDER BY created_at`,
      [id],
    );
    expect(history.map((h) => [h.status, h.details.attempt])).toEqual([
      ['FAILED', 1],
      ['FAILED', 2],
    ]);

    const retried = await post(`/v1/jobs/${job.id}/retry`);
    expect(retried.statusCode).toBe(202);
    expect(retried.json()).toMatchObject({ status: 'QUEUED', deadLettered: false, retryCount: 2 });
    const revived = await until(
      () => get<JobDto>(`/v1/jobs/${job.id}`),
      (j) => j.status === 'COMPLETED',
    );
    expect(revived).toMatchObject({ status: 'COMPLETED', capabilitiesFailed: [], progressPercent: 100 });
    expect(Object.keys(revived.timingsMs)).toContain('brands');
    const healed = await until(
      () => get<AssetDto>(`/v1/assets/${id}`),
      (a) => a.status === 'PROCESSED',
    );
    expect(healed.status).toBe('PROCESSED');
    expect((await post(`/v1/jobs/${job.id}/retry`)).statusCode).toBe(409);
  });

  it('routes assets to workflows by their rules, and runs only those capabilities', async () => {
    const created = await post('/v1/workflows', {
      name: 'podcasts',
      rules: [{ field: 'type', op: 'equals', value: 'audio' }],
      capabilities: ['keywords', 'speakers'],
      priority: 10,
    });
    expect(created.statusCode).toBe(201);
    const wf = created.json<{ id: string }>();
    expect((await post('/v1/workflows', { name: 'podcasts', capabilities: ['keywords'] })).statusCode).toBe(
      409,
    );

    const audio = (
      await post('/v1/assets?wait=true', anAssetInput({ type: 'AUDIO', title: 'Podcast on Google' }))
    ).json<Body>();
    const jobs = await get<{ items: (JobDto & { assetId: string })[] }>(
      '/v1/jobs?status=COMPLETED&limit=100',
    );
    const run = jobs.items.find((j) => j.assetId === audio.asset.id)!;
    expect(run.workflow).toBe('podcasts');
    expect(run.capabilitiesCompleted).toEqual(['keywords', 'speakers']);
    const asset = await get<AssetDto>(`/v1/assets/${audio.asset.id}`);
    expect(asset.enrichment.brands).toEqual([]);

    const disabled = await t.app.inject({
      method: 'PATCH',
      url: `/v1/workflows/${wf.id}`,
      headers: key,
      payload: { enabled: false },
    });
    expect(disabled.json()).toMatchObject({ enabled: false });
    const later = (
      await post('/v1/assets?wait=true', anAssetInput({ type: 'AUDIO', title: 'Another podcast' }))
    ).json<Body>();
    const after = await get<{ items: (JobDto & { assetId: string })[] }>('/v1/jobs?limit=100');
    expect(after.items.find((j) => j.assetId === later.asset.id)!.workflow).toBe('default-enrichment');
  });

  it('lets only admins manage workflows', async () => {
    const editor = await t.keyFor('default', 'EDITOR');
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/workflows',
      headers: editor,
      payload: { name: 'x', capabilities: ['keywords'] },
    });
    expect(res.statusCode).toBe(403);
  });

  it("assigns topics from the tenant's own taxonomy", async () => {
    const tenantKey = await t.keyFor('spacecorp', 'ADMIN');
    const put = await t.app.inject({
      method: 'PUT',
      url: '/v1/taxonomy',
      headers: tenantKey,
      payload: {
        mode: 'replace',
        topics: [{ name: 'Rocketry', keywords: ['rocket', 'launch', 'engine', 'orbit'] }],
      },
    });
    expect(put.statusCode).toBe(200);
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/assets?wait=true',
      headers: tenantKey,
      payload: anAssetInput({ title: 'Rocket launch', description: 'The engine took the rocket to orbit.' }),
    });
    const asset = (
      await t.app.inject({ url: `/v1/assets/${res.json<Body>().asset.id}`, headers: tenantKey })
    ).json<AssetDto>();
    expect(asset.enrichment.topics.map((x) => x.name)).toEqual(['Rocketry']);
    const taxonomy = (await t.app.inject({ url: '/v1/taxonomy', headers: tenantKey })).json<{
      mode: string;
      topics: unknown[];
    }>();
    expect(taxonomy).toMatchObject({ mode: 'replace', topics: [{ name: 'Rocketry' }] });
  });

  it('learns tag suggestions from the tenant’s own tagging', async () => {
    const tenantKey = await t.keyFor('learner', 'ADMIN');
    const examples = [
      ...Array.from({ length: 6 }, (_, i) =>
        anAssetInput({
          title: `Sourdough baking ${i}`,
          description: 'bread flour yeast oven crust dough',
          tags: ['baking'],
        }),
      ),
      ...Array.from({ length: 6 }, (_, i) =>
        anAssetInput({
          title: `Marathon training ${i}`,
          description: 'running miles pace race shoes endurance',
          tags: ['running'],
        }),
      ),
    ];
    await t.app.inject({
      method: 'POST',
      url: '/v1/assets/batch?wait=true',
      headers: tenantKey,
      payload: { assets: examples },
    });
    expect(
      (await t.app.inject({ method: 'POST', url: '/v1/enrichment/train', headers: tenantKey })).statusCode,
    ).toBe(202);
    await until(
      () => t.container.db.query(`SELECT 1 FROM label_models WHERE tenant_id = 'learner' AND kind = 'tags'`),
      (rows) => rows.length > 0,
    );
    await sleep(50);
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/assets?wait=true',
      headers: tenantKey,
      payload: anAssetInput({
        title: 'Rye loaf',
        description: 'flour, yeast and a hot oven give a good crust',
      }),
    });
    const asset = (
      await t.app.inject({ url: `/v1/assets/${res.json<Body>().asset.id}`, headers: tenantKey })
    ).json<AssetDto>();
    expect(asset.enrichment.tags[0]).toMatchObject({ name: 'baking', source: 'ai' });
  });

  it('pages through jobs created in the same instant, each once', async () => {
    const tenantKey = await t.keyFor('job-pages', 'ADMIN');
    await t.app.inject({
      method: 'POST',
      url: '/v1/assets/batch?wait=true',
      headers: tenantKey,
      payload: { assets: [anAssetInput(), anAssetInput(), anAssetInput()] },
    });
    // Stored to the millisecond, as the cursor carries them; then made to tie.
    const [sub] = await t.container.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM processing_jobs
       WHERE tenant_id = 'job-pages' AND created_at <> date_trunc('milliseconds', created_at)`,
    );
    expect(sub!.n).toBe(0);
    await t.container.db.query(
      `UPDATE processing_jobs SET created_at = '2026-01-01T00:00:00.123Z' WHERE tenant_id = 'job-pages'`,
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = (
        await t.app.inject({
          url: `/v1/jobs?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          headers: tenantKey,
        })
      ).json();
      seen.push(...page.items.map((j) => j.id));
      cursor = page.nextCursor;
    } while (cursor && seen.length < 10);
    expect(seen).toHaveLength(3);
    expect(new Set(seen).size).toBe(3);
  });

  it('re-enriches assets made by older extractor versions with a throttled backfill', async () => {
    const tenantKey = await t.keyFor('backfill', 'ADMIN');
    const batch = await t.app.inject({
      method: 'POST',
      url: '/v1/assets/batch?wait=true',
      headers: tenantKey,
      payload: { assets: [anAssetInput(), anAssetInput(), anAssetInput()] },
    });
    const ids = batch.json<{ items: Body[] }>().items.map((i) => i.asset.id);
    // As if enriched by an older keyword extractor.
    await t.container.db.query(
      `UPDATE assets SET enriched_metadata = jsonb_set(enriched_metadata, '{extractors,keywords}', '0')
       WHERE tenant_id = 'backfill' AND id = ANY($1::uuid[])`,
      [ids.slice(0, 2)],
    );
    const started = await t.app.inject({
      method: 'POST',
      url: '/v1/enrichment/backfill',
      headers: tenantKey,
      payload: { assetsPerSecond: 100 },
    });
    expect(started.statusCode).toBe(202);
    const jobId = started.json<{ id: string }>().id;
    const job = await until(
      () =>
        t.app
          .inject({ url: `/v1/jobs/${jobId}`, headers: tenantKey })
          .then((r) => r.json<{ status: string }>()),
      (j) => j.status === 'COMPLETED',
    );
    expect(job).toMatchObject({ status: 'COMPLETED', total: 2, processed: 2, progressPercent: 100 });
    const versions = await until(
      () =>
        t.container.db.query<{ id: string; version: number; k: number }>(
          `SELECT id, version, (enriched_metadata->'extractors'->>'keywords')::int AS k FROM assets WHERE id = ANY($1::uuid[])`,
          [ids],
        ),
      (rows) => rows.every((r) => r.k === EXTRACTOR_VERSIONS.keywords),
    );
    const byId = new Map(versions.map((r) => [r.id, r.version]));
    expect([byId.get(ids[0]!), byId.get(ids[1]!), byId.get(ids[2]!)]).toEqual([3, 3, 2]);
  });
});
