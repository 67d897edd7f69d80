import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ingestNamed, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';

interface Fusion {
  textRank: number | null;
  text: number;
  semantic?: number;
  semanticRank?: number | null;
  similarity?: number | null;
  pinned: number;
}
interface Hit {
  asset: { id: string; type: string };
  score: number;
  exact?: boolean;
  explanation?: { fusion?: Fusion };
}
interface Page {
  hits: Hit[];
  nextCursor: string | null;
  total: { value: number; exact: boolean };
}

/**
 * Semantic and hybrid search through HTTP (docs/semantic-search.md), with the hashing model (a bag of
 * words hashed into 64 dimensions: no model is loaded, and nearness is word overlap).
 * A tenant with semantic search off that asks for mode=semantic or hybrid is answered lexically (the
 * documented fallback: a deployment may turn semantic search on per tenant, and a client need not know).
 */
describe('semantic and hybrid search', () => {
  let t: TestApp;
  let on: { authorization: string };
  let other: { authorization: string };
  let off: { authorization: string };
  let ids: Record<'exact' | 'currents' | 'waves' | 'money' | 'ledger', string>;
  let otherIds: Record<'twin', string>;

  const library = {
    exact: anAssetInput({ title: 'Ocean', description: 'A short film.', type: 'VIDEO' }),
    currents: anAssetInput({
      title: 'Deep currents',
      description: 'How the ocean moves water through the deep sea, and why the deep sea matters.',
      type: 'VIDEO',
    }),
    waves: anAssetInput({
      title: 'Songs of the sea',
      description: 'Music recorded on the ocean, waves and deep water.',
      type: 'AUDIO',
    }),
    money: anAssetInput({ title: 'Money and markets', description: 'Interest rates and inflation.' }),
    ledger: anAssetInput({ title: 'Blockchain ledgers', description: 'Distributed consensus.' }),
  };

  beforeAll(async () => {
    t = await createTestApp({ env: { SEMANTIC_SEARCH: 'true', EMBEDDING_MODEL: 'hashing' } });
    [on, other, off] = await Promise.all([
      t.keyFor('default', 'ADMIN'),
      t.keyFor('sem-other', 'ADMIN'),
      t.keyFor('sem-off', 'ADMIN'),
    ]);
    // A tenant may turn semantic search off (controller_configs 'semantic-search').
    await t.container.embeddings.setEnabled('sem-off', false);
    ids = await ingestNamed(t, on, library);
    // Another tenant holds a twin of the best match: the same words, nearer still to the query.
    otherIds = await ingestNamed(t, other, {
      twin: anAssetInput({
        title: 'Deep currents of the deep sea ocean water',
        description: 'How the ocean moves water through the deep sea, and why the deep sea matters.',
      }),
    });
    await ingestNamed(t, off, library);
  }, 180_000);
  afterAll(() => t?.close());

  const search = async (key: { authorization: string }, params: string, status = 200) => {
    const res = await t.app.inject({ url: `/v1/search?${params}`, headers: key });
    expect(res.statusCode, `${params}: ${res.body}`).toBe(status);
    return res.json<Page>();
  };
  const idsOf = (p: Page) => p.hits.map((h) => h.asset.id);

  it('mode=semantic ranks by nearness, with the vector parts in the explanation', async () => {
    const page = await search(on, 'q=deep+sea+water&mode=semantic&explain=true');
    expect(idsOf(page)[0]).toBe(ids.currents);
    expect(idsOf(page)).toContain(ids.waves);
    const best = page.hits[0]!.explanation!.fusion!;
    expect(best.semanticRank).toBe(1);
    expect(best.semantic).toBeGreaterThan(0);
    expect(best.similarity).toBeGreaterThan(0);
    expect(best.similarity).toBeLessThanOrEqual(1);
    // Scores follow the order.
    const scores = page.hits.map((h) => h.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    // Semantic search ends with its ranking: no text ranking after it, and the total is what it holds.
    expect(page.total).toEqual({ value: page.hits.length, exact: true });
  });

  it('mode=hybrid fuses both rankings, with text and semantic parts', async () => {
    const page = await search(on, 'q=deep+sea+water&mode=hybrid&explain=true');
    expect(idsOf(page).slice(0, 2)).toEqual(expect.arrayContaining([ids.currents, ids.waves]));
    const best = page.hits.find((h) => h.asset.id === ids.currents)!.explanation!.fusion!;
    expect(best.textRank).not.toBeNull();
    expect(best.text).toBeGreaterThan(0);
    expect(best.semanticRank).not.toBeNull();
    expect(best.semantic).toBeGreaterThan(0);
  });

  it('an exact title match stays first in hybrid and semantic search', async () => {
    for (const mode of ['hybrid', 'semantic']) {
      const page = await search(on, `q=ocean&mode=${mode}&explain=true`);
      expect(page.hits[0]!.asset.id, mode).toBe(ids.exact);
      expect(page.hits[0]!.exact, mode).toBe(true);
      expect(page.hits[0]!.explanation!.fusion!.pinned, mode).toBeGreaterThan(0);
    }
  });

  it("another tenant's vectors never come back", async () => {
    for (const mode of ['semantic', 'hybrid']) {
      const mine = await search(on, `q=deep+currents+of+the+deep+sea+ocean+water&mode=${mode}&limit=50`);
      expect(idsOf(mine), mode).not.toContain(otherIds.twin);
      expect(idsOf(mine), mode).toContain(ids.currents);
      const theirs = await search(other, `q=deep+sea+water&mode=${mode}&limit=50`);
      expect(idsOf(theirs), mode).toEqual([otherIds.twin]);
    }
  });

  it('filters apply to semantic and hybrid rankings', async () => {
    for (const mode of ['semantic', 'hybrid']) {
      const page = await search(on, `q=deep+sea+water&mode=${mode}&type=audio`);
      expect(idsOf(page), mode).toEqual([ids.waves]);
      expect(
        page.hits.every((h) => h.asset.type === 'AUDIO'),
        mode,
      ).toBe(true);
    }
  });

  it('a tenant with semantic search off is answered lexically whatever the mode', async () => {
    const lexical = await search(off, 'q=deep+sea+water&mode=lexical&explain=true');
    expect(lexical.hits.length).toBeGreaterThan(0);
    for (const mode of ['semantic', 'hybrid']) {
      const page = await search(off, `q=deep+sea+water&mode=${mode}&explain=true`);
      expect(idsOf(page), mode).toEqual(idsOf(lexical));
      expect(
        page.hits.some((h) => h.explanation?.fusion?.semanticRank !== undefined),
        mode,
      ).toBe(false);
    }
    // Its queries are not embedded.
    expect(await t.container.embeddings.queryVector('sem-off', 'deep sea')).toBeNull();
  });

  it('an unknown mode is a 400 problem', async () => {
    const res = await t.app.inject({ url: '/v1/search?q=ocean&mode=vector', headers: on });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  interface Related {
    items: {
      asset: { id: string };
      score: number;
      reasons: { type: string; name: string; contribution: number }[];
    }[];
  }
  const related = async (key: { authorization: string }, id: string, params = '') => {
    const res = await t.app.inject({ url: `/v1/assets/${id}/related?limit=20${params}`, headers: key });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Related>();
  };
  const meaningOf = (r: Related, id: string) =>
    r.items.find((i) => i.asset.id === id)?.reasons.find((x) => x.type === 'SIMILAR_MEANING');

  it('related content gives a SIMILAR_MEANING reason, explained, fused with the others', async () => {
    const r = await related(on, ids.currents);
    const near = meaningOf(r, ids.waves);
    expect(near).toBeDefined();
    expect(near!.name).toMatch(/^close in meaning \(cosine 0\.\d\d\)$/);
    expect(near!.contribution).toBeGreaterThan(0);
    // The nearest asset adds the signal's whole weight; a farther one less.
    const waves = r.items.find((i) => i.asset.id === ids.waves)!;
    expect(waves.score).toBeGreaterThanOrEqual(near!.contribution);
    const far = meaningOf(r, ids.money);
    if (far) expect(far.contribution).toBeLessThan(near!.contribution);
    // The asset itself is never its own neighbour.
    expect(r.items.map((i) => i.asset.id)).not.toContain(ids.currents);
    // via=SIMILAR_MEANING: that signal alone.
    const alone = await related(on, ids.currents, '&via=SIMILAR_MEANING');
    expect(alone.items.length).toBeGreaterThan(0);
    expect(alone.items.every((i) => i.reasons.every((x) => x.type === 'SIMILAR_MEANING'))).toBe(true);
    // via=TEXT leaves it out.
    const text = await related(on, ids.currents, '&via=TEXT');
    expect(text.items.some((i) => i.reasons.some((x) => x.type === 'SIMILAR_MEANING'))).toBe(false);
  });

  it("SIMILAR_MEANING never brings another tenant's asset, and is absent with semantic search off", async () => {
    const mine = await related(on, ids.currents, '&via=SIMILAR_MEANING');
    expect(mine.items.map((i) => i.asset.id)).not.toContain(otherIds.twin);
    // The other tenant's twin has no neighbour in its own tenant: nothing, not this tenant's assets.
    const theirs = await related(other, otherIds.twin, '&via=SIMILAR_MEANING');
    expect(theirs.items).toEqual([]);
    // An asset of another tenant is not found through this tenant's key.
    const res = await t.app.inject({ url: `/v1/assets/${otherIds.twin}/related`, headers: on });
    expect(res.statusCode).toBe(404);
    const offIds = await search(off, 'q=deep+currents');
    const offRelated = await related(off, offIds.hits[0]!.asset.id);
    expect(offRelated.items.some((i) => i.reasons.some((x) => x.type === 'SIMILAR_MEANING'))).toBe(false);
  });
});
