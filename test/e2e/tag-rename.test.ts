import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeEntityName } from '../../domain/entities.js';
import { createTestApp, ingestNamed, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';

interface AssetBody {
  version: number;
  enrichment: { tags: { name: string; locked: boolean; source: string }[]; speakers: { name: string }[] };
}

describe('tenant-wide tag rename and merge', () => {
  let t: TestApp;
  let editor: { authorization: string };
  let viewer: { authorization: string };
  let ids: Record<'kelp' | 'reef' | 'robot' | 'desert', string>;

  beforeAll(async () => {
    t = await createTestApp();
    editor = await t.keyFor('renames', 'EDITOR');
    viewer = await t.keyFor('renames', 'VIEWER');
    ids = await ingestNamed(t, editor, {
      kelp: anAssetInput({ title: 'Kelp forests', tags: ['ml', 'ocean'], speakers: ['Mara Quill'] }),
      reef: anAssetInput({ title: 'Reef census', tags: ['machine learning', 'ocean'] }),
      robot: anAssetInput({ title: 'Robot arms', tags: ['ML', 'robots'], speakers: ['Mara Quill'] }),
      desert: anAssetInput({ title: 'Dune field', tags: ['ocean'] }),
    });
    // A lock must carry over to the merged name.
    const locked = await t.app.inject({
      method: 'PATCH',
      url: `/v1/assets/${ids.robot}/tags?wait=true`,
      headers: editor,
      payload: { lock: [{ name: 'ML' }] },
    });
    expect(locked.statusCode, locked.body).toBe(200);
  }, 60_000);
  afterAll(() => t?.close());

  const get = <T>(url: string) => t.app.inject({ url, headers: editor }).then((r) => r.json<T>());
  const run = async (url: string, payload: object) => {
    const res = await t.app.inject({ method: 'POST', url, headers: editor, payload });
    expect(res.statusCode, res.body).toBe(202);
    const { id } = res.json<{ id: string }>();
    const job = () => get<{ status: string; progressPercent: number; processed: number }>(`/v1/jobs/${id}`);
    // Until the job ends, however long a loaded machine takes.
    await expect
      .poll(async () => (await job()).status, { timeout: 120_000, interval: 25 })
      .toMatch(/^(COMPLETED|FAILED)$/);
    return job();
  };
  const found = async (qs: string) =>
    (await get<{ hits: { asset: { id: string } }[] }>(`/v1/search?${qs}`)).hits.map((h) => h.asset.id).sort();
  /** Every name the search facets, the suggester and the graph know for a type, normalized. */
  const namesEverywhere = async (prefix: string) => {
    const facets = await get<{ facets: { tags: { value: string }[]; speakers: { value: string }[] } }>(
      '/v1/search?facets=true&limit=1',
    );
    const suggested = await get<{ suggestions: { kind: string; value: string }[] }>(
      `/v1/suggest?q=${encodeURIComponent(prefix)}`,
    );
    const entities = await get<{ items: { type: string; name: string }[] }>(
      `/v1/entities?q=${encodeURIComponent(prefix)}&limit=100`,
    );
    return [
      ...facets.facets.tags.map((f) => `TAG:${f.value}`),
      ...facets.facets.speakers.map((f) => `SPEAKER:${f.value}`),
      ...suggested.suggestions.map((s) => `${s.kind.toUpperCase()}:${s.value}`),
      ...entities.items.map((e) => `${e.type}:${e.name}`),
    ].map((n) => normalizeEntityName(n.replace(':', ' ')).replace(' ', ':'));
  };

  it('merges tags across the tenant; when the job completes, search and graph hold only the new name', async () => {
    const job = await run('/v1/tags/merge', {
      sources: ['ml', 'machine learning'],
      into: 'Machine Learning',
    });
    expect(job).toMatchObject({ status: 'COMPLETED', progressPercent: 100 });

    // Checked once, without waiting: completion means the projections are done.
    expect(await found('tag=ml')).toEqual([]);
    expect(await found(`tag=${encodeURIComponent('Machine Learning')}`)).toEqual(
      [ids.kelp, ids.reef, ids.robot].sort(),
    );
    const names = await namesEverywhere('m');
    expect(names).toContain('tag:machine learning');
    expect(names).not.toContain('tag:ml');
    // Spelled the new way everywhere, though 'machine learning' existed before.
    const suggested = await get<{ suggestions: { kind: string; value: string }[] }>('/v1/suggest?q=machine');
    expect(suggested.suggestions).toContainEqual(
      expect.objectContaining({ kind: 'tag', value: 'Machine Learning' }),
    );
    const entity = await get<{ items: { name: string }[] }>('/v1/entities?type=TAG&q=machine');
    expect(entity.items.map((e) => e.name)).toEqual(['Machine Learning']);
    const oldEntity = await t.app.inject({ url: '/v1/entities/TAG/ml/assets', headers: editor });
    expect(oldEntity.statusCode === 404 || oldEntity.json<{ items: unknown[] }>().items.length === 0).toBe(
      true,
    );
    const related = await get<{ items: { reasons: { type: string; name: string }[] }[] }>(
      `/v1/assets/${ids.kelp}/related`,
    );
    const tagReasons = related.items.flatMap((i) =>
      i.reasons.filter((r) => r.type === 'TAG').map((r) => r.name),
    );
    expect(tagReasons).toContain('Machine Learning');
    expect(tagReasons.map(normalizeEntityName)).not.toContain('ml');

    const robot = await get<AssetBody>(`/v1/assets/${ids.robot}`);
    expect(robot.enrichment.tags.filter((g) => normalizeEntityName(g.name) === 'machine learning')).toEqual([
      expect.objectContaining({ name: 'Machine Learning', locked: true }),
    ]);
  });

  it('gives each changed asset its own version and audit row, and leaves the others alone', async () => {
    const audit = await t.container.db.query<{ asset_id: string }>(
      `SELECT asset_id FROM action_records WHERE tenant_id = 'renames' AND action_type = 'TAGS_RENAME'`,
    );
    expect(audit.map((a) => a.asset_id).sort()).toEqual([ids.kelp, ids.reef, ids.robot].sort());
    const versions = await get<{ items: { reason: string | null }[] }>(`/v1/assets/${ids.reef}/versions`);
    expect(versions.items[0]!.reason).toMatch(/rename TAG "ml", "machine learning" to "Machine Learning"/);
    const desert = await get<{ items: unknown[] }>(`/v1/assets/${ids.desert}/versions`);
    expect(desert.items).toHaveLength(2); // ingest and enrichment only
  });

  it('keeps the rule for assets enriched later, and lists it', async () => {
    const { later } = await ingestNamed(t, editor, {
      later: anAssetInput({ title: 'Vision models', tags: ['ML'] }),
    });
    const asset = await get<AssetBody>(`/v1/assets/${later}`);
    expect(asset.enrichment.tags.map((g) => g.name)).toContain('Machine Learning');
    expect(asset.enrichment.tags.map((g) => normalizeEntityName(g.name))).not.toContain('ml');
    expect(await found('tag=ml')).toEqual([]);
    const rules = await get<{ items: { type: string; from: string; to: string }[] }>('/v1/tags/renames');
    expect(rules.items).toEqual([
      { type: 'TAG', from: 'ml', to: 'Machine Learning' },
      { type: 'TAG', from: 'machine learning', to: 'Machine Learning' },
    ]);
  });

  it('renames a speaker the same way', async () => {
    const job = await run('/v1/tags/rename', { type: 'SPEAKER', from: 'Mara Quill', to: 'Mara Q. Quill' });
    expect(job.status).toBe('COMPLETED');
    expect(await found(`speaker=${encodeURIComponent('Mara Quill')}`)).toEqual([]);
    expect(await found(`speaker=${encodeURIComponent('Mara Q. Quill')}`)).toEqual(
      [ids.kelp, ids.robot].sort(),
    );
    const names = await namesEverywhere('mara');
    expect(names).toContain('speaker:mara q quill');
    expect(names).not.toContain('speaker:mara quill');
  });

  it('refuses viewers, and bad bodies, without writing a rule', async () => {
    const before = await get<{ items: unknown[] }>('/v1/tags/renames');
    const post = (url: string, payload: object, headers = editor) =>
      t.app.inject({ method: 'POST', url, headers, payload });
    expect((await post('/v1/tags/rename', { from: 'ocean', to: 'sea' }, viewer)).statusCode).toBe(403);
    const noLetters = await post('/v1/tags/merge', { sources: ['ocean'], into: '--' });
    expect(noLetters.statusCode).toBe(400);
    expect(noLetters.json<{ detail: string }>().detail).toMatch(/no letters or digits/);
    expect((await post('/v1/tags/merge', { sources: [], into: 'sea' })).statusCode).toBe(400);
    expect((await post('/v1/tags/rename', { from: 'ocean' })).statusCode).toBe(400);
    expect((await post('/v1/tags/rename', { from: 'ocean', to: 'sea', type: 'COLOR' })).statusCode).toBe(400);
    expect(await get<{ items: unknown[] }>('/v1/tags/renames')).toEqual(before);
    expect(await found('tag=ocean')).toHaveLength(3);
  });
});
