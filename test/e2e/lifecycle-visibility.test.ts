import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  ingestNamed,
  projectedIn as projectedInProjections,
  type TestApp,
} from '../support/app.js';
import { anAssetInput } from '../support/factories.js';

type Key = { authorization: string };

/**
 * Issue 25's rule on every read path, through HTTP: an archived asset is hidden wherever the caller
 * does not ask for it (`status=ARCHIVED`, on search only), and a deleted or purged one is gone from
 * everything: search (plain and blended), suggestions, related content, entity pages and their
 * counts, graph paths and neighbourhoods, exports, versions, and the enrichment's term statistics.
 */
describe('lifecycle visibility: archived hidden, deleted and purged gone, on every read path', () => {
  let t: TestApp;
  let admin: Key, editor: Key, viewer: Key;
  const ids: Record<string, string> = {};
  const inputs = {
    keeper: anAssetInput({
      title: 'Kelp forest at dusk',
      description: 'Kelp sways over the reef as the light goes.',
      speakers: ['Mara Quill'],
      tags: ['kelp', 'reef'],
    }),
    shelved: anAssetInput({
      title: 'Tidal pool census',
      description: 'Counting kelp crabs in the reef pools.',
      speakers: ['Mara Quill', 'Orla Penn'],
      tags: ['kelp', 'reef', 'tidepool'],
    }),
    doomed: anAssetInput({
      title: 'Urchin barren mapping',
      description: 'Sonar over the kelp barrens of the reef.',
      transcript: 'the quokkaflux readings rose over the kelp',
      speakers: ['Mara Quill', 'Ivo Dane'],
      tags: ['kelp', 'reef', 'urchin'],
    }),
    purged: anAssetInput({
      title: 'Sunflower star decline',
      description: 'Sea stars vanish from the kelp reef.',
      transcript: 'zymurgine wasting along the kelp',
      speakers: ['Mara Quill', 'Pia Lund'],
      tags: ['kelp', 'reef', 'starfish'],
    }),
  };

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.keyFor('default', 'ADMIN');
    editor = await t.keyFor('default', 'EDITOR');
    viewer = await t.keyFor('default', 'VIEWER');
    Object.assign(ids, await ingestNamed(t, editor, inputs));
    // Editors' links from the keeper: related reasons that reach the others without a shared name.
    for (const target of [ids.shelved, ids.doomed, ids.purged]) {
      const link = await call(editor, 'PUT', `/v1/assets/${ids.keeper}/links/${target}?wait=true`, {
        note: 'same reef',
      });
      expect(link.statusCode, link.body).toBe(201);
    }
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  const call = (key: Key, method: string, url: string, payload?: object) =>
    t.app.inject({ method: method as 'GET', url, headers: key, ...(payload ? { payload } : {}) });
  const ok = async <T>(url: string): Promise<T> => {
    const res = await call(viewer, 'GET', url);
    expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    return res.json<T>();
  };
  const searchIds = async (q: string, extra = '') =>
    (
      await ok<{ hits: { asset: { id: string } }[] }>(
        `/v1/search?q=${encodeURIComponent(q)}&limit=50${extra}`,
      )
    ).hits.map((h) => h.asset.id);
  const suggested = async (prefix: string) =>
    (
      await ok<{ suggestions: { value: string; assetId?: string }[] }>(
        `/v1/suggest?q=${encodeURIComponent(prefix)}`,
      )
    ).suggestions.map((s) => s.value.toLowerCase());
  const relatedIds = async (id: string) =>
    (await ok<{ items: { asset: { id: string } }[] }>(`/v1/assets/${id}/related?limit=20`)).items.map(
      (i) => i.asset.id,
    );
  const neighbourhood = async (id: string) =>
    (await ok<{ nodes: { id: string; label: string }[] }>(`/v1/graph/neighborhood/${id}?depth=3&limit=200`))
      .nodes;
  const entityPage = async (type: string, name: string) => {
    const res = await call(viewer, 'GET', `/v1/entities/${type}/${encodeURIComponent(name)}/assets?limit=50`);
    if (res.statusCode === 404) return null;
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json<{ entity: { assetCount: number }; items: { asset: { id: string } }[] }>();
    return { count: page.entity.assetCount, ids: page.items.map((i) => i.asset.id) };
  };
  const entityNames = async (q: string) =>
    (await ok<{ items: { name: string }[] }>(`/v1/entities?q=${encodeURIComponent(q)}`)).items.map((e) =>
      e.name.toLowerCase(),
    );
  const cooccurring = async () =>
    (
      await ok<{ items: { name: string }[] }>(
        `/v1/entities/SPEAKER/${encodeURIComponent('Mara Quill')}/related?limit=50`,
      )
    ).items.map((e) => e.name.toLowerCase());
  const path = async (from: string, to: string) =>
    call(viewer, 'GET', `/v1/graph/path?from=${from}&to=${encodeURIComponent(to)}&maxDepth=4`);
  const exported = async () => (await call(admin, 'GET', '/v1/exports/assets.csv')).body;
  const projectedIn = (id: string) => projectedInProjections(t, id);
  /** The enrichment's term statistics (TF-IDF of keywords): the tenant's documents, and each term's. */
  const termStats = async (id: string) => {
    const [own] = await t.container.db.query<{ terms: string[] }>(
      'SELECT terms FROM asset_terms WHERE asset_id = $1',
      [id],
    );
    const [corpus] = await t.container.db.query<{ document_count: number }>(
      "SELECT document_count FROM tenant_corpus_stats WHERE tenant_id = 'default'",
    );
    return { terms: own?.terms ?? null, documents: corpus!.document_count };
  };
  const dfOf = async (terms: string[]) =>
    new Map(
      (
        await t.container.db.query<{ term: string; df: number }>(
          "SELECT term, df FROM term_document_frequencies WHERE tenant_id = 'default' AND term = ANY($1::text[])",
          [terms],
        )
      ).map((r) => [r.term, r.df]),
    );
  const poll = { timeout: 60_000, interval: 100 };

  /** Every read path an asset can be found by, as this test's assets are found while live. */
  const findable = async (id: string, word: string, title: string, tag: string, speaker: string) => ({
    search: (await searchIds(word)).includes(id),
    kelp: (await searchIds('kelp')).includes(id),
    blended: (await searchIds('kelp', '&blend=graph')).includes(id),
    suggestTitle: (await suggested(title.slice(0, 9))).includes(title.toLowerCase()),
    suggestTag: (await suggested(tag)).includes(tag),
    related: (await relatedIds(ids.keeper!)).includes(id),
    neighbourhood: (await neighbourhood(ids.keeper!)).some((n) => n.id === id),
    kelpPage: (await entityPage('TAG', 'kelp'))!.ids.includes(id),
    tagPage: ((await entityPage('TAG', tag))?.ids ?? []).includes(id),
    entityList: (await entityNames(speaker)).includes(speaker.toLowerCase()),
    cooccurring: (await cooccurring()).includes(tag),
    path: await path(ids.keeper!, id).then(
      (r) => r.statusCode === 200 && r.json<{ path: unknown }>().path !== null,
    ),
  });
  const everywhere = {
    search: true,
    kelp: true,
    blended: true,
    suggestTitle: true,
    suggestTag: true,
    related: true,
    neighbourhood: true,
    kelpPage: true,
    tagPage: true,
    entityList: true,
    cooccurring: true,
    path: true,
  };
  const nowhere = Object.fromEntries(Object.keys(everywhere).map((k) => [k, false]));

  it('archive hides an asset from suggestions, entity pages and counts, and the graph as from search and related content; restore brings it back', async () => {
    const find = () => findable(ids.shelved!, 'census', inputs.shelved.title, 'tidepool', 'Orla Penn');
    expect(await find()).toEqual(everywhere);
    const kelpBefore = (await entityPage('TAG', 'kelp'))!.count;

    const res = await call(editor, 'POST', `/v1/assets/${ids.shelved}/archive`);
    expect(res.statusCode, res.body).toBe(200);
    await expect.poll(find, poll).toEqual(nowhere);
    expect((await entityPage('TAG', 'kelp'))!.count).toBe(kelpBefore - 1);
    // Asked for, search still finds it; its own page shows it, with its status.
    expect(await searchIds('census', '&status=ARCHIVED')).toEqual([ids.shelved]);
    expect((await ok<{ status: string }>(`/v1/assets/${ids.shelved}`)).status).toBe('ARCHIVED');
    // Still projected (at its version): drift finds nothing to repair.
    expect(await projectedIn(ids.shelved!)).toBe(2);
    const drift = await t.container.drift.check({ graceMs: 0, record: false });
    expect(drift.samples.filter((s) => s.assetId === ids.shelved)).toEqual([]);

    const restored = await call(editor, 'POST', `/v1/assets/${ids.shelved}/restore`);
    expect(restored.statusCode, restored.body).toBe(200);
    await expect.poll(find, poll).toEqual(everywhere);
    expect((await entityPage('TAG', 'kelp'))!.count).toBe(kelpBefore);
  });

  it('delete and purge leave nothing findable (search, suggest, related, graph, export, versions)', async () => {
    const cases = [
      {
        id: ids.doomed!,
        word: 'quokkaflux',
        input: inputs.doomed,
        tag: 'urchin',
        speaker: 'Ivo Dane',
        purge: false,
      },
      {
        id: ids.purged!,
        word: 'zymurgine',
        input: inputs.purged,
        tag: 'starfish',
        speaker: 'Pia Lund',
        purge: true,
      },
    ];
    for (const c of cases) {
      const find = () => findable(c.id, c.word, c.input.title, c.tag, c.speaker);
      expect(await find(), c.word).toEqual(everywhere);
      expect(await exported()).toContain(c.id);
      expect((await call(viewer, 'GET', `/v1/assets/${c.id}/versions`)).statusCode).toBe(200);
      const kelpBefore = (await entityPage('TAG', 'kelp'))!.count;
      const before = await termStats(c.id);
      expect(before.terms?.length, 'enrichment counted its terms').toBeGreaterThan(0);
      const dfBefore = await dfOf(before.terms!);

      const url = `/v1/assets/${c.id}?reason=test${c.purge ? '&purge=true' : ''}`;
      const res = await call(admin, 'DELETE', url);
      expect(res.statusCode, res.body).toBe(204);

      await expect.poll(() => projectedIn(c.id), poll).toBe(0);
      expect(await find(), c.word).toEqual(nowhere);
      expect(await searchIds(c.word, '&status=ARCHIVED,PROCESSED,FAILED')).toEqual([]);
      for (const read of [
        `/v1/assets/${c.id}`,
        `/v1/assets/${c.id}/versions`,
        `/v1/assets/${c.id}/versions/1`,
        `/v1/assets/${c.id}/related`,
        `/v1/assets/${c.id}/actions`,
        `/v1/graph/neighborhood/${c.id}`,
        `/v1/graph/path?from=${c.id}&to=${ids.keeper}`,
      ])
        expect((await call(viewer, 'GET', read)).statusCode, read).toBe(404);
      expect(await exported()).not.toContain(c.id);
      expect((await entityPage('TAG', 'kelp'))!.count).toBe(kelpBefore - 1);
      // Its words no longer count in the statistics the enrichment scores keywords by.
      const after = await termStats(c.id);
      expect(after).toEqual({ terms: null, documents: before.documents - 1 });
      const dfAfter = await dfOf(before.terms!);
      for (const term of before.terms!) expect(dfAfter.get(term) ?? 0, term).toBe(dfBefore.get(term)! - 1);
    }
    // A tombstone purged later moves the statistics no further: they counted it out once.
    const { documents } = await termStats(ids.doomed!);
    const purge = await call(admin, 'DELETE', `/v1/assets/${ids.doomed}?purge=true&reason=retention`);
    expect(purge.statusCode, purge.body).toBe(204);
    expect((await termStats(ids.doomed!)).documents).toBe(documents);
  });
});
