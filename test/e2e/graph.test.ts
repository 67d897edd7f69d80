import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ingestNamed, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';

interface Node {
  id: string;
  kind: string;
  label: string;
}
interface RelatedItem {
  asset: { id: string; title: string };
  reasons: { type: string; name: string; contribution: number }[];
}

describe('graph API: related content, entities, paths and neighbourhoods', () => {
  let t: TestApp;
  let key: { authorization: string };
  let otherTenant: { authorization: string };
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    key = await t.keyFor('default', 'ADMIN');
    otherTenant = await t.keyFor('globex', 'ADMIN');
    const assets = {
      lovelace: anAssetInput({
        title: 'Poetical science',
        speakers: ['Ada Lovelace'],
        tags: ['mathematics', 'computing'],
      }),
      babbage: anAssetInput({
        title: 'The analytical engine',
        speakers: ['Charles Babbage'],
        tags: ['computing', 'machines'],
      }),
      lovelace2: anAssetInput({
        title: 'Notes on the engine',
        speakers: ['Ada Lovelace'],
        tags: ['history'],
      }),
      eno: anAssetInput({ title: 'Generative music', speakers: ['Brian Eno'], tags: ['machines', 'music'] }),
      brewing: anAssetInput({ title: 'Home brewing', tags: ['zymurgy'], speakers: ['Lalla Brewmaster'] }),
      yeast: anAssetInput({ title: 'Yeast and time', speakers: ['Lalla Brewmaster'] }),
      wording: anAssetInput({
        title: 'Poetical science of gardens',
        description: 'Poetical science, again.',
        tags: ['gardens'],
      }),
    };
    Object.assign(ids, await ingestNamed(t, key, assets));
  }, 60_000);
  afterAll(() => t?.close());

  const get = async <T>(url: string, status = 200, headers = key) => {
    const res = await t.app.inject({ url, headers });
    expect(res.statusCode, `${url}: ${res.body}`).toBe(status);
    return res.json<T>();
  };

  it('relates through the entity types asked for, and adds similar wording otherwise', async () => {
    const bySpeaker = await get<{ items: RelatedItem[] }>(`/v1/assets/${ids.lovelace}/related?via=SPEAKER`);
    expect(bySpeaker.items.map((i) => i.asset.id)).toEqual([ids.lovelace2]);
    expect(bySpeaker.items[0]!.reasons).toEqual([
      expect.objectContaining({ type: 'SPEAKER', name: 'Ada Lovelace' }),
    ]);
    const all = await get<{ items: RelatedItem[] }>(`/v1/assets/${ids.lovelace}/related?limit=10`);
    const wording = all.items.find((i) => i.asset.id === ids.wording)!;
    // Enrichment links them through keywords too; the wording is a signal of its own.
    expect(wording.reasons).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'TEXT', name: expect.stringContaining('poetic') }),
      ]),
    );
    expect(all.items.map((i) => i.asset.id)).toEqual(expect.arrayContaining([ids.lovelace2, ids.babbage]));
    const bad = await get<{ status: number; detail: string }>(
      `/v1/assets/${ids.lovelace}/related?via=FRIEND`,
      400,
    );
    expect(bad.status).toBe(400);
  });

  it('lists entities and the assets of one', async () => {
    const speakers = await get<{ items: { type: string; name: string; assetCount: number }[] }>(
      '/v1/entities?type=SPEAKER&q=ada',
    );
    expect(speakers.items).toEqual([{ type: 'SPEAKER', name: 'Ada Lovelace', assetCount: 2 }]);
    const page = await get<{
      entity: { name: string };
      items: { asset: { id: string } }[];
      nextOffset: number | null;
    }>(`/v1/entities/SPEAKER/${encodeURIComponent('ada lovelace')}/assets?limit=1`);
    expect(page.entity.name).toBe('Ada Lovelace');
    expect(page.items).toHaveLength(1);
    expect(page.nextOffset).toBe(1);
    const rest = await get<{ items: { asset: { id: string } }[]; nextOffset: number | null }>(
      `/v1/entities/SPEAKER/${encodeURIComponent('Ada Lovelace')}/assets?limit=1&offset=1`,
    );
    expect([page.items[0]!.asset.id, rest.items[0]!.asset.id].sort()).toEqual(
      [ids.lovelace, ids.lovelace2].sort(),
    );
    expect(rest.nextOffset).toBeNull();
    await get(`/v1/entities/SPEAKER/${encodeURIComponent('Nobody')}/assets`, 404);
    await get('/v1/entities?type=FRIEND', 400);
  });

  it('lists the entities that share assets with an entity, most shared first', async () => {
    type Cooccurring = {
      entity: { type: string; name: string; assetCount: number };
      items: { type: string; name: string; assetCount: number; sharedAssets: number }[];
    };
    const url = `/v1/entities/SPEAKER/${encodeURIComponent('ada LOVELACE')}/related`;
    const all = await get<Cooccurring>(url);
    expect(all.entity).toEqual({ type: 'SPEAKER', name: 'Ada Lovelace', assetCount: 2 });
    expect(all.items.every((i) => i.sharedAssets >= 1 && i.sharedAssets <= 2)).toBe(true);
    expect(all.items.map((i) => i.sharedAssets)).toEqual(
      [...all.items.map((i) => i.sharedAssets)].sort((a, b) => b - a),
    );
    const tags = await get<Cooccurring>(`${url}?type=TAG&limit=100`);
    expect(tags.items.every((i) => i.type === 'TAG')).toBe(true);
    const shared = Object.fromEntries(tags.items.map((i) => [i.name, i.sharedAssets]));
    expect(shared).toMatchObject({ mathematics: 1, computing: 1, history: 1 });
    // Babbage's and Eno's tags are on none of her assets.
    expect(tags.items.map((i) => i.name)).not.toContain('machines');
    expect((await get<Cooccurring>(`${url}?type=TAG&limit=1`)).items).toHaveLength(1);
    await get(`/v1/entities/SPEAKER/Nobody/related`, 404);
    await get(`${url}?type=FRIEND`, 400);
    await get(url, 404, otherTenant);
  });

  it('explains the shortest path between an asset and an entity', async () => {
    const { path } = await get<{
      path: { nodes: Node[]; edges: { source: string; target: string }[] } | null;
    }>(`/v1/graph/path?from=${ids.lovelace}&to=${encodeURIComponent('SPEAKER:Brian Eno')}&maxDepth=6`);
    const nodes = path!.nodes;
    expect(nodes[0]).toEqual({ id: ids.lovelace, kind: 'ASSET', label: 'Poetical science' });
    expect(nodes[nodes.length - 1]).toEqual({ id: 'SPEAKER:brian eno', kind: 'SPEAKER', label: 'Brian Eno' });
    // Assets and entities alternate, each consecutive pair joined by its link.
    expect(nodes.length % 2).toBe(0);
    expect(path!.edges).toHaveLength(nodes.length - 1);
    path!.edges.forEach((e, i) => {
      expect([e.source, e.target].sort()).toEqual([nodes[i]!.id, nodes[i + 1]!.id].sort());
      expect(nodes.find((n) => n.id === e.source)!.kind).toBe('ASSET');
    });
    // Two assets are never adjacent: one link cannot join them.
    const tooShort = await get<{ path: unknown }>(
      `/v1/graph/path?from=${ids.lovelace}&to=${ids.eno}&maxDepth=1`,
    );
    expect(tooShort.path).toBeNull();
    await get(`/v1/graph/path?from=${ids.lovelace}&to=${encodeURIComponent('SPEAKER:Nobody')}`, 404);
    await get(`/v1/graph/path?from=${ids.lovelace}&to=not-a-node`, 400);
    await get(`/v1/graph/path?from=${ids.lovelace}&to=${ids.eno}&maxDepth=99`, 400);
  });

  it('returns a neighbourhood a graph UI can draw', async () => {
    const g = await get<{ nodes: Node[]; edges: { source: string; target: string }[] }>(
      `/v1/graph/neighborhood/${ids.lovelace}?depth=2&limit=50`,
    );
    const nodeIds = g.nodes.map((n) => n.id);
    expect(nodeIds).toEqual(
      expect.arrayContaining([ids.lovelace, 'SPEAKER:ada lovelace', ids.lovelace2, ids.babbage]),
    );
    const near = await get<{ nodes: Node[] }>(`/v1/graph/neighborhood/${ids.lovelace}?depth=1`);
    expect(near.nodes.filter((n) => n.kind === 'ASSET').map((n) => n.id)).toEqual([ids.lovelace]);
    for (const e of g.edges) expect(nodeIds).toEqual(expect.arrayContaining([e.source, e.target]));
    expect(g.nodes.find((n) => n.id === ids.babbage)!.label).toBe('The analytical engine');
  });

  it('blends graph proximity into search on request, and only for plain relevance queries', async () => {
    type Hits = { hits: { asset: { id: string } }[]; nextCursor: string | null };
    const ids_ = (r: Hits) => r.hits.map((h) => h.asset.id);
    const text = await get<Hits>('/v1/search?q=zymurgy&blend=none');
    expect(ids_(text)).toEqual([ids.brewing]);
    // The talk by the same rare speaker never says the word; the graph brings it in, below.
    const blended = await get<Hits>('/v1/search?q=zymurgy&blend=graph');
    expect(ids_(blended)[0]).toBe(ids.brewing);
    expect(ids_(blended)).toContain(ids.yeast);
    const paged = await get<Hits>('/v1/search?q=zymurgy&blend=graph&limit=1');
    const next = await get<Hits>(`/v1/search?q=zymurgy&blend=graph&limit=1&cursor=${paged.nextCursor}`);
    expect([...ids_(paged), ...ids_(next)]).toEqual(ids_(blended).slice(0, 2));
    // A filter narrows the blended ranking, as written in q or as a parameter, in any case.
    expect(ids_(await get<Hits>('/v1/search?q=zymurgy&blend=graph&type=video'))).toEqual(ids_(blended));
    expect(ids_(await get<Hits>('/v1/search?q=zymurgy%20type:VIDEO&blend=graph'))).toEqual(ids_(blended));
    expect(ids_(await get<Hits>('/v1/search?q=zymurgy&blend=graph&type=AUDIO'))).toEqual([]);
    await get('/v1/search?q=zymurgy&blend=maybe', 400);
  });

  it('pages a blended query past the fused top, through the rest of the text ranking, without repeats', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/assets/batch?wait=true',
      headers: key,
      payload: {
        assets: Array.from({ length: 130 }, (_, i) =>
          anAssetInput({ title: `Pebble ${i}`, description: 'pebble '.repeat(1 + (i % 7)) }),
        ),
      },
    });
    expect(res.statusCode).toBe(201);
    const seen: string[] = [];
    const scores: number[] = [];
    const totals: { value: number; exact: boolean }[] = [];
    let cursor: string | null = null;
    do {
      const page: {
        hits: { asset: { id: string }; score: number }[];
        nextCursor: string | null;
        total: { value: number; exact: boolean };
      } = await get(`/v1/search?q=pebble&blend=graph&limit=40${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.hits.map((h) => h.asset.id));
      scores.push(...page.hits.map((h) => h.score));
      totals.push(page.total);
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(130);
    // The score falls with the order, past the fused top into the text ranking's rest too.
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(new Set(totals.map((x) => x.value)).size).toBe(1);
    expect(totals[0]!.value).toBeGreaterThanOrEqual(seen.length);
    // Enriching 130 assets takes most of it; a shared 2-core machine needs the headroom.
  }, 90_000);

  it("keeps another tenant's graph out of reach", async () => {
    await get(`/v1/graph/neighborhood/${ids.lovelace}`, 404, otherTenant);
    await get(`/v1/graph/path?from=${ids.lovelace}&to=${ids.eno}`, 404, otherTenant);
    await get(`/v1/entities/SPEAKER/${encodeURIComponent('Ada Lovelace')}/assets`, 404, otherTenant);
    expect((await get<{ items: unknown[] }>('/v1/entities?q=ada', 200, otherTenant)).items).toEqual([]);
  });
});

describe('graph API: contributors', () => {
  let t: TestApp;
  let key: { authorization: string };
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    key = await t.keyFor('default', 'ADMIN');
    const assets = {
      piano: anAssetInput({ title: 'The Piano', contributors: ['Jane Campion', 'Jan Chapman'] }),
      bright: anAssetInput({ title: 'Bright Star', contributors: ['  Jane Campion '] }),
      gleaners: anAssetInput({ title: 'The Gleaners and I', contributors: ['Agnès Varda'] }),
    };
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/assets/batch?wait=true',
      headers: key,
      payload: { assets: Object.values(assets) },
    });
    expect(res.statusCode).toBe(201);
    const items = res.json<{ items: { asset: { id: string; contributors: string[] } }[] }>().items;
    expect(items.map((i) => i.asset.contributors)).toEqual([
      ['Jane Campion', 'Jan Chapman'],
      ['Jane Campion'],
      ['Agnès Varda'],
    ]);
    Object.keys(assets).forEach((name, i) => (ids[name] = items[i]!.asset.id));
  }, 60_000);
  afterAll(() => t?.close());

  const get = async <T>(url: string) => {
    const res = await t.app.inject({ url, headers: key });
    expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    return res.json<T>();
  };

  it('keeps the given contributors through enrichment, in the asset and in every version', async () => {
    const asset = await get<{ version: number; contributors: string[] }>(`/v1/assets/${ids.piano}`);
    expect(asset).toMatchObject({ version: 2, contributors: ['Jane Campion', 'Jan Chapman'] });
    const listed = await get<{ items: { id: string; contributors: string[] }[] }>('/v1/assets?limit=10');
    expect(listed.items.find((a) => a.id === ids.bright)!.contributors).toEqual(['Jane Campion']);
    // An ingest's version refers to its asset row (migration 0042): read it resolved, as the history does.
    const versions = await t.container.db.query<{ change_kind: string; contributors: unknown }>(
      `SELECT v.change_kind, COALESCE(v.snapshot, asset_ingest_snapshot(a))->'contributors' AS contributors
       FROM asset_versions v JOIN assets a ON a.tenant_id = v.tenant_id AND a.id = v.asset_id
       WHERE v.asset_id = $1 ORDER BY v.version`,
      [ids.piano],
    );
    expect(versions).toEqual([
      { change_kind: 'INGEST', contributors: ['Jane Campion', 'Jan Chapman'] },
      { change_kind: 'ENRICHMENT', contributors: ['Jane Campion', 'Jan Chapman'] },
    ]);
  });

  it('relates assets that share a contributor, and lists contributors as entities', async () => {
    const related = await get<{ items: RelatedItem[] }>(`/v1/assets/${ids.piano}/related?via=CONTRIBUTOR`);
    expect(related.items.map((i) => i.asset.id)).toEqual([ids.bright]);
    expect(related.items[0]!.reasons).toEqual([
      { type: 'CONTRIBUTOR', name: 'Jane Campion', contribution: expect.any(Number) },
    ]);
    const all = await get<{ items: RelatedItem[] }>(`/v1/assets/${ids.piano}/related?limit=10`);
    expect(all.items.find((i) => i.asset.id === ids.bright)!.reasons).toContainEqual(
      expect.objectContaining({ type: 'CONTRIBUTOR', name: 'Jane Campion' }),
    );
    const entities = await get<{ items: { type: string; name: string; assetCount: number }[] }>(
      '/v1/entities?type=CONTRIBUTOR',
    );
    expect(entities.items).toEqual([
      { type: 'CONTRIBUTOR', name: 'Jane Campion', assetCount: 2 },
      expect.objectContaining({ assetCount: 1 }),
      expect.objectContaining({ assetCount: 1 }),
    ]);
  });
});
