import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, ingestNamed, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';

interface AssetBody {
  version: number;
  tags: string[];
  enrichment: { tags: { name: string; source: string; locked: boolean }[]; topics: { name: string }[] };
}

interface TagModelBody {
  tags: string[];
  tagDetails: {
    name: string;
    source: 'given' | 'manual' | 'suggested';
    locked: boolean;
    confidence: number;
  }[];
  removedTags: string[];
}

describe('tag overrides over REST', () => {
  let t: TestApp;
  let editor: { authorization: string };
  let id: string;

  beforeAll(async () => {
    t = await createTestApp();
    editor = await t.keyFor('default', 'EDITOR');
    ({ id } = await ingestNamed(t, editor, {
      id: anAssetInput({ title: 'Kelp forests at night', tags: ['underwater'], speakers: ['Mara Quill'] }),
    }));
  }, 60_000);
  afterAll(() => t?.close());

  const patch = (body: object, headers: Record<string, string> = {}, key = editor) =>
    t.app.inject({
      method: 'PATCH',
      url: `/v1/assets/${id}/tags?wait=true`,
      headers: { ...key, ...headers },
      payload: body,
    });
  const asset = async () =>
    (await t.app.inject({ url: `/v1/assets/${id}`, headers: editor })).json<AssetBody>();
  const searchTitles = async (qs: string) =>
    (await t.app.inject({ url: `/v1/search?${qs}`, headers: editor }))
      .json<{ hits: { asset: { id: string } }[] }>()
      .hits.map((h) => h.asset.id);

  it('answers a read with the version as ETag, which an edit then names in If-Match', async () => {
    const read = await t.app.inject({ url: `/v1/assets/${id}`, headers: editor });
    expect(read.headers.etag).toBe(`"${read.json<AssetBody>().version}"`);
    const res = await patch({ add: [{ name: 'etag-read' }] }, { 'if-match': read.headers.etag as string });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers.etag).toBe(`"${read.json<AssetBody>().version + 1}"`);
  });

  it('adds and removes tags and topics as a new version, searchable when it returns', async () => {
    const before = await asset();
    const res = await patch(
      {
        add: [{ name: 'bioluminescence' }, { name: 'Marine life', type: 'TOPIC' }],
        remove: [{ name: 'underwater' }],
      },
      { 'if-match': `"${before.version}"` },
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers.etag).toBe(`"${before.version + 1}"`);
    const after = res.json<AssetBody>();
    // The top-level tags are the effective set: the added tag is there, the removed one is not.
    expect(after.tags).toEqual(after.enrichment.tags.map((x) => x.name));
    expect(after.tags).toContain('bioluminescence');
    expect(after.tags).not.toContain('underwater');
    expect(after.enrichment.tags).toContainEqual(
      expect.objectContaining({ name: 'bioluminescence', source: 'manual' }),
    );
    expect(after.enrichment.tags.map((x) => x.name)).not.toContain('underwater');
    expect(after.enrichment.topics.map((x) => x.name)).toContain('Marine life');
    expect(await searchTitles('tag=bioluminescence')).toEqual([id]);
    expect(await searchTitles('tag=underwater')).toEqual([]);
  });

  it('shows one tag model: top-level tags are the effective set search uses, each with its source', async () => {
    const { reef } = await ingestNamed(t, editor, {
      reef: anAssetInput({ title: 'Reef survey at dawn', tags: ['coral reef', 'survey'] }),
    });
    const read = async () =>
      (await t.app.inject({ url: `/v1/assets/${reef}`, headers: editor })).json<TagModelBody>();
    const edit = (body: object) =>
      t.app.inject({
        method: 'PATCH',
        url: `/v1/assets/${reef}/tags?wait=true`,
        headers: editor,
        payload: body,
      });
    const found = async (tag: string) =>
      (await t.app.inject({ url: `/v1/search?tag=${encodeURIComponent(tag)}`, headers: editor }))
        .json<{ hits: { asset: { id: string; tags: string[] } }[] }>()
        .hits.filter((h) => h.asset.id === reef);

    const ingested = await read();
    expect(ingested.tagDetails).toEqual(
      expect.arrayContaining([
        { name: 'coral reef', source: 'given', locked: false, confidence: 1 },
        { name: 'survey', source: 'given', locked: false, confidence: 1 },
      ]),
    );

    const added = await edit({ add: [{ name: 'night dive' }], lock: [{ name: 'coral reef' }] });
    expect(added.statusCode, added.body).toBe(200);
    const after = await read();
    expect(after.tags).toContain('night dive');
    expect(after.tags).toEqual(after.tagDetails.map((d) => d.name));
    expect(after.tagDetails).toContainEqual({
      name: 'night dive',
      source: 'manual',
      locked: false,
      confidence: 1,
    });
    expect(after.tagDetails).toContainEqual({
      name: 'coral reef',
      source: 'given',
      locked: true,
      confidence: 1,
    });
    for (const d of after.tagDetails.filter((x) => x.source === 'suggested'))
      expect(d.confidence).toBeLessThan(1);
    // Search finds it by the added tag, and its hit shows the same effective tags.
    const hits = await found('night dive');
    expect(hits).toHaveLength(1);
    expect(hits[0]!.asset.tags).toEqual(after.tags);

    const removed = await edit({ remove: [{ name: 'survey' }] });
    expect(removed.statusCode, removed.body).toBe(200);
    const last = await read();
    expect(last.tags).not.toContain('survey');
    expect(last.removedTags).toEqual(['survey']);
    expect(await found('survey')).toEqual([]);
  });

  it('answers a stale version with 412, the current version and a diff, and writes nothing', async () => {
    const current = await asset();
    const res = await patch({ add: [{ name: 'late' }] }, { 'if-match': `"${current.version - 1}"` });
    expect(res.statusCode).toBe(412);
    expect(res.json()).toMatchObject({ currentVersion: current.version, diff: expect.any(Array) });
    expect((await asset()).version).toBe(current.version);

    // The editor merges and sends again, based on the current version: recorded as resolving it.
    const resolved = await patch(
      { add: [{ name: 'late' }], conflictResolvedFrom: current.version - 1 },
      { 'if-match': `"${current.version}"` },
    );
    expect(resolved.statusCode, resolved.body).toBe(200);
    const versions = (
      await t.app.inject({ url: `/v1/assets/${id}/versions?limit=1`, headers: editor })
    ).json<{
      items: { version: number; reason: string }[];
    }>();
    expect(versions.items[0]).toMatchObject({
      version: current.version + 1,
      reason: `conflict_resolved: tag edit first based on version ${current.version - 1}`,
    });
  });

  it('keeps a locked tag until it is unlocked', async () => {
    expect((await patch({ lock: [{ name: 'bioluminescence' }] })).statusCode).toBe(200);
    const locked = await patch({ remove: [{ name: 'bioluminescence' }] });
    expect(locked.statusCode).toBe(409);
    expect(locked.json()).toMatchObject({ detail: expect.stringContaining('locked') });
    const both = await patch({
      remove: [{ name: 'bioluminescence' }],
      unlock: [{ name: 'bioluminescence' }],
    });
    expect(both.statusCode).toBe(200);
    expect(await searchTitles('tag=bioluminescence')).toEqual([]);
  });

  it('edits the title as a new version, searchable at once, and re-enrichment keeps the tag edits', async () => {
    const before = await asset();
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/v1/assets/${id}?wait=true`,
      headers: { ...editor, 'if-match': `"${before.version}"` },
      payload: { title: 'Glowing kelp after dark' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(await searchTitles('q=glowing')).toEqual([id]);
    const stale = await t.app.inject({
      method: 'PATCH',
      url: `/v1/assets/${id}`,
      headers: { ...editor, 'if-match': `"${before.version}"` },
      payload: { description: 'late' },
    });
    expect(stale.statusCode).toBe(412);

    // The new wording is enriched again; the editor's tag and topic edits come through it.
    // Waits for the enrichment, not for a time: a loaded machine takes longer.
    await expect
      .poll(async () => (await asset()).version, { timeout: 120_000, interval: 50 })
      .toBe(before.version + 2);
    const after = await asset();
    expect(after.version).toBe(before.version + 2);
    expect(after.enrichment.tags.map((x) => x.name)).not.toContain('underwater');
    expect(after.enrichment.topics.map((x) => x.name)).toContain('Marine life');
  });

  it('rejects an empty patch, an unknown type and a VIEWER, changing nothing', async () => {
    const version = (await asset()).version;
    expect((await patch({})).statusCode).toBe(400);
    expect((await patch({ add: [{ name: 'x', type: 'COLOUR' }] })).statusCode).toBe(400);
    const viewer = await t.keyFor('default', 'VIEWER');
    expect((await patch({ add: [{ name: 'x' }] }, {}, viewer)).statusCode).toBe(403);
    const globex = await t.keyFor('globex', 'EDITOR');
    expect((await patch({ add: [{ name: 'x' }] }, {}, globex)).statusCode).toBe(404);
    expect((await asset()).version).toBe(version);
  });
});

describe('bulk tag changes', () => {
  let t: TestApp;
  let editor: { authorization: string };
  let ids: Record<'kelp1' | 'kelp2' | 'desert', string>;

  beforeAll(async () => {
    t = await createTestApp();
    editor = await t.keyFor('bulk', 'EDITOR');
    ids = await ingestNamed(t, editor, {
      kelp1: anAssetInput({ title: 'Kelp canopy', tags: ['draft'] }),
      kelp2: anAssetInput({ title: 'Kelp holdfast', tags: ['draft'] }),
      desert: anAssetInput({ title: 'Dune field', tags: ['draft'] }),
    });
  }, 60_000);
  afterAll(() => t?.close());

  const run = async (body: object) => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/tags/bulk', headers: editor, payload: body });
    expect(res.statusCode, res.body).toBe(202);
    const { id } = res.json<{ id: string }>();
    const job = () =>
      t.app
        .inject({ url: `/v1/jobs/${id}`, headers: editor })
        .then((r) => r.json<{ status: string; progressPercent: number }>());
    // Until the job ends, however long a loaded machine takes.
    await expect
      .poll(async () => (await job()).status, { timeout: 120_000, interval: 50 })
      .toMatch(/^(COMPLETED|FAILED)$/);
    return job();
  };
  /** The assets search finds with a tag, once the projections caught up with `expected`. */
  const tagged = async (tag: string, expected: string[]) => {
    let found: string[] = [];
    const want = JSON.stringify([...expected].sort());
    // Until the projections caught up (or a generous time is out: the caller's assertion then
    // shows what search found).
    await vi
      .waitFor(
        async () => {
          found = (await t.app.inject({ url: `/v1/search?tag=${tag}`, headers: editor }))
            .json<{ hits: { asset: { id: string } }[] }>()
            .hits.map((h) => h.asset.id)
            .sort();
          if (JSON.stringify(found) !== want) throw new Error(`search found ${JSON.stringify(found)}`);
        },
        { timeout: 60_000, interval: 50 },
      )
      .catch(() => undefined);
    return found;
  };

  it('changes the assets named by id, each with its own version and audit row', async () => {
    const job = await run({ ids: [ids.kelp1, ids.desert], add: [{ name: 'reviewed' }] });
    expect(job).toMatchObject({ status: 'COMPLETED', progressPercent: 100 });
    expect(await tagged('reviewed', [ids.kelp1, ids.desert])).toEqual([ids.kelp1, ids.desert].sort());
    const audit = await t.container.db.query<{ asset_id: string }>(
      `SELECT asset_id FROM action_records WHERE tenant_id = 'bulk' AND action_type = 'TAGS_EDIT' ORDER BY asset_id`,
    );
    expect(audit.map((a) => a.asset_id)).toEqual([ids.kelp1, ids.desert].sort());
  });

  it('changes every asset a search query matches, and no other', async () => {
    const job = await run({ q: 'kelp', remove: [{ name: 'draft' }] });
    expect(job.status).toBe('COMPLETED');
    expect(await tagged('draft', [ids.desert])).toEqual([ids.desert]);
  });

  it('rejects a body naming both ids and a query, or no change', async () => {
    const bad = (payload: object) =>
      t.app.inject({ method: 'POST', url: '/v1/tags/bulk', headers: editor, payload });
    expect((await bad({ ids: [ids.kelp1], q: 'kelp', add: [{ name: 'x' }] })).statusCode).toBe(400);
    expect((await bad({ q: 'kelp' })).statusCode).toBe(400);
  });
});
