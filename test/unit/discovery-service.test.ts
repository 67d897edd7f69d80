import { describe, expect, it } from 'vitest';
import type { Asset } from '../../domain/asset.js';
import { NotFoundError } from '../../domain/errors.js';
import type { EntityType } from '../../domain/entities.js';
import type { RelatedAsset } from '../../graph/graph-store.js';
import type { SearchHit } from '../../search/search-index.js';
import { DiscoveryService, graphEvidence } from '../../services/discovery-service.js';
import { anAsset, fakeAssets, fakeDatabase, fakeGraph, fakeSearch } from '../support/fakes.js';

const tenantId = 'acme';
const round4 = (x: number) => Math.round(x * 10_000) / 10_000;
const explanation = { terms: [], exactMatch: 0, score: 1 };

function setup(world: {
  assets: Asset[];
  rankings: Record<string, Omit<SearchHit, 'highlights'>[]>;
  entities?: { type: EntityType; name: string; assets: string[] }[];
  related?: Record<string, RelatedAsset[]>;
  similar?: Record<string, Omit<SearchHit, 'highlights'>[]>;
  fedBack?: Record<string, Omit<SearchHit, 'highlights'>[]>;
}) {
  const search = fakeSearch(world.rankings, world.similar, world.fedBack);
  const sut = new DiscoveryService({
    db: fakeDatabase(),
    assets: fakeAssets(world.assets),
    search,
    graph: fakeGraph({
      ...(world.entities ? { entities: world.entities } : {}),
      ...(world.related ? { related: world.related } : {}),
    }),
  });
  return { sut, search };
}

describe('DiscoveryService.searchAssets', () => {
  const [byText, inBoth, byGraph] = [
    anAsset({ title: 'On engines' }),
    anAsset({ title: 'Notes on the analytical engine' }),
    anAsset({ title: 'Poetical science' }),
  ];
  const world = {
    assets: [byText, inBoth, byGraph],
    rankings: {
      'ada lovelace': [
        { assetId: byText.id, score: 3, explanation },
        { assetId: inBoth.id, score: 2, explanation },
      ],
    },
    entities: [{ type: 'SPEAKER' as const, name: 'Ada Lovelace', assets: [byGraph.id, inBoth.id] }],
  };

  it('blends the assets of the speaker a query names into the text ranking, and explains the text hits', async () => {
    const { sut } = setup(world);
    const res = await sut.searchAssets(tenantId, {
      q: 'ada lovelace',
      limit: 10,
      blend: 'graph',
      explain: true,
    });

    // In both lists, the asset ranked second by text comes first; the speaker's other talk joins.
    expect(res.hits.map((h) => h.asset.title)).toEqual([
      'Notes on the analytical engine',
      ...[byText, byGraph].sort((a, b) => (a.id < b.id ? -1 : 1)).map((a) => a.title),
    ]);
    const first = res.hits[0]!;
    const round6 = (x: number) => Math.round(x * 1_000_000) / 1_000_000;
    expect(first.score).toBe(round6(1 / 62 + 1 / 62));
    // The explanation explains the score shown: the fused one, with the text ranking's terms.
    expect(first.explanation).toEqual({
      ...explanation,
      score: first.score,
      fusion: {
        textRank: 2,
        textScore: 1,
        text: round6(1 / 62),
        entities: round6(1 / 62),
        neighbours: 0,
        pinned: 0,
      },
    });
    expect(first.highlights).toEqual({ title: '<mark>ada lovelace</mark>' });
    // What the graph alone brought in has no terms or highlights, only its fused parts.
    const graphOnly = res.hits.find((h) => h.asset.id === byGraph.id)!;
    expect(graphOnly.explanation).toEqual({
      terms: [],
      exactMatch: 0,
      score: graphOnly.score,
      fusion: {
        textRank: null,
        textScore: null,
        text: 0,
        entities: round6(1 / 61),
        neighbours: 0,
        pinned: 0,
      },
    });
    expect(graphOnly.highlights).toEqual({});
    expect(res.hits.map((h) => h.score)).toEqual(res.hits.map((h) => h.score).sort((a, b) => b - a));
  });

  it('keeps the text ranking when asked not to blend', async () => {
    const { sut } = setup(world);
    const res = await sut.searchAssets(tenantId, { q: 'ada lovelace', limit: 10, blend: 'none' });
    expect(res.hits.map((h) => h.asset.id)).toEqual([byText.id, inBoth.id]);
  });

  it('blends on auto only when the query names something', async () => {
    const { sut } = setup({ ...world, entities: [] });
    const res = await sut.searchAssets(tenantId, { q: 'ada lovelace', limit: 10, blend: 'auto' });
    expect(res.hits.map((h) => h.asset.id)).toEqual([byText.id, inBoth.id]);
  });

  it('leaves out a hit whose asset is gone from the canonical store', async () => {
    const { sut } = setup({
      ...world,
      rankings: {
        engines: [
          { assetId: 'e6a0f5de-0000-4000-8000-000000000000', score: 9 },
          { assetId: byText.id, score: 1 },
        ],
      },
    });
    const res = await sut.searchAssets(tenantId, { q: 'engines', limit: 10 });
    expect(res.hits.map((h) => h.asset.id)).toEqual([byText.id]);
  });
});

describe('DiscoveryService.related', () => {
  const asset = anAsset({ title: 'Kelp forests' });
  const shared = anAsset({ title: 'Under the kelp' });
  const worded = anAsset({ title: 'Forests of the sea' });
  const world = {
    assets: [asset, shared, worded],
    rankings: {},
    similar: {
      [asset.id]: [
        { assetId: shared.id, score: 4, explanation: { ...explanation, terms: [termOf('kelp')] } },
        { assetId: worded.id, score: 2, explanation: { ...explanation, terms: [termOf('forest')] } },
      ],
    },
    related: {
      [asset.id]: [
        {
          assetId: shared.id,
          score: 1.5,
          reasons: [{ type: 'SPEAKER' as const, name: 'Ada', contribution: 1.5 }],
        },
      ],
    },
  };

  it('adds the text similarity to what the graph relates, naming the words in common', async () => {
    const { sut } = setup(world);
    const res = await sut.related(tenantId, asset.id, { limit: 10 });
    const speaker = round4(graphEvidence(1.5));
    expect(res.items.map((i) => [i.asset.id, i.score])).toEqual([
      [shared.id, round4(speaker + 2)], // the speaker's evidence, 2 as the best textual match
      [worded.id, 1], // half the best match's score
    ]);
    expect(res.items[0]!.reasons).toEqual([
      { type: 'TEXT', name: 'kelp', contribution: 2 },
      { type: 'SPEAKER', name: 'Ada', contribution: speaker },
    ]);
  });

  it('leaves an archived asset out of the related list and fills its place with the next candidate', async () => {
    const shelved = anAsset({ title: 'Shelved', status: 'ARCHIVED' });
    const { sut } = setup({
      ...world,
      assets: [...world.assets, shelved],
      related: {
        [asset.id]: [
          {
            assetId: shelved.id,
            score: 9,
            reasons: [{ type: 'RELATED_TO' as const, name: 'see', contribution: 9 }],
          },
          ...world.related[asset.id]!,
        ],
      },
    });
    const res = await sut.related(tenantId, asset.id, { limit: 2 });
    expect(res.items.map((i) => i.asset.id)).toEqual([shared.id, worded.id]);
  });

  it('saturates what shared names add: no pile of them outranks the closest text, and the reasons still add up', async () => {
    const named = anAsset({ title: 'Same authors' });
    const { sut } = setup({
      ...world,
      assets: [...world.assets, named],
      related: {
        [asset.id]: [
          {
            assetId: named.id,
            score: 40,
            reasons: [
              { type: 'SPEAKER' as const, name: 'Ada', contribution: 13 },
              { type: 'CONTRIBUTOR' as const, name: 'Grace', contribution: 27 },
            ],
          },
        ],
      },
    });
    const res = await sut.related(tenantId, asset.id, { limit: 10 });
    expect(res.items.map((i) => i.asset.id)).toEqual([shared.id, named.id, worded.id]);
    const item = res.items.find((i) => i.asset.id === named.id)!;
    expect(item.score).toBeLessThan(2); // the closest text match alone adds 2
    expect(item.reasons.reduce((sum, r) => sum + r.contribution, 0)).toBeCloseTo(item.score, 3);
    // More evidence still counts more, with diminishing returns.
    expect(graphEvidence(13)).toBeGreaterThan(graphEvidence(6.5));
    expect(graphEvidence(13)).toBeLessThan(2 * graphEvidence(6.5));
  });

  it('counts an editor’s link in full beside the saturated shared names', async () => {
    const linked = anAsset({ title: 'Linked' });
    const { sut } = setup({
      ...world,
      assets: [...world.assets, linked],
      related: {
        [asset.id]: [
          {
            assetId: linked.id,
            score: 5,
            reasons: [{ type: 'RELATED_TO' as const, name: 'see also', contribution: 5 }],
          },
        ],
      },
    });
    const res = await sut.related(tenantId, asset.id, { limit: 10 });
    expect(res.items[0]!.asset.id).toBe(linked.id);
    expect(res.items[0]!.reasons).toEqual([{ type: 'RELATED_TO', name: 'see also', contribution: 5 }]);
  });

  it('names the shared wording by the words of the asset, never by stems, stop-words or honorifics', async () => {
    const seed = anAsset({
      title: 'Sir Ken on creativity, rather',
      description: 'Schools kill creativity.',
    });
    const other = anAsset({ title: 'Creative schools' });
    const { sut } = setup({
      assets: [seed, other],
      rankings: {},
      similar: {
        [seed.id]: [
          {
            assetId: other.id,
            score: 3,
            // As an engine explains a match: by its stems, and a term no word of the asset stands for.
            explanation: { ...explanation, terms: ['creativ', 'ken', 'school', 'kenn', 'sir'].map(termOf) },
          },
        ],
      },
    });
    const res = await sut.related(tenantId, seed.id, { limit: 10, via: ['TEXT'] });
    expect(res.items[0]!.reasons).toEqual([
      { type: 'TEXT', name: 'creativity ken schools', contribution: 2 },
    ]);
  });

  it("counts a keyword or a word that is part of a shared speaker's name as that speaker, not as a reason of its own", async () => {
    // As "Do schools kill creativity?" and "Changing education paradigms" were related: the
    // description's "Sir Ken Robinson" gave keywords "ken" and "robinson" beside the speaker.
    const seed = anAsset({ title: 'Schools and creativity', speakers: ['Ken Robinson'] });
    const other = anAsset({ title: 'Paradigms', speakers: ['Ken Robinson'] });
    const { sut } = setup({
      assets: [seed, other],
      rankings: {},
      similar: {
        [seed.id]: [
          {
            assetId: other.id,
            score: 3,
            explanation: { ...explanation, terms: ['ken', 'schools'].map(termOf) },
          },
        ],
      },
      related: {
        [seed.id]: [
          {
            assetId: other.id,
            score: 4,
            reasons: [
              { type: 'SPEAKER', name: 'Ken Robinson', contribution: 2 },
              { type: 'TAG', name: 'education', contribution: 1 },
              { type: 'KEYWORD', name: 'robinson', contribution: 0.75 },
              { type: 'KEYWORD', name: 'ken', contribution: 0.25 },
            ],
          },
        ],
      },
    });
    // Keywords asked for by name: by default the text signal stands for them (TEXT_DERIVED_TYPES).
    const res = await sut.related(tenantId, seed.id, {
      limit: 10,
      via: ['SPEAKER', 'TAG', 'KEYWORD', 'TEXT'],
    });
    // The graph's 4 counts graphEvidence(4), each of its reasons its share of that.
    const scale = graphEvidence(4) / 4;
    expect(res.items[0]!.score).toBe(round4(graphEvidence(4) + 2));
    expect(res.items[0]!.reasons).toEqual([
      { type: 'TEXT', name: 'schools', contribution: 2 },
      {
        type: 'SPEAKER',
        name: 'Ken Robinson',
        contribution: round4(round4(2 * scale) + round4(0.75 * scale) + round4(0.25 * scale)),
      },
      { type: 'TAG', name: 'education', contribution: round4(scale) },
    ]);
  });

  it('keeps wording that is only a speaker’s name when no speaker is shared', async () => {
    const seed = anAsset({ title: 'Ken on schools', speakers: ['Ken Robinson'] });
    const other = anAsset({ title: 'Ken again' });
    const { sut } = setup({
      assets: [seed, other],
      rankings: {},
      similar: {
        [seed.id]: [{ assetId: other.id, score: 3, explanation: { ...explanation, terms: [termOf('ken')] } }],
      },
    });
    const res = await sut.related(tenantId, seed.id, { limit: 10 });
    expect(res.items[0]!.reasons).toEqual([{ type: 'TEXT', name: 'ken', contribution: 2 }]);
  });

  it('uses only the signals asked for', async () => {
    const { sut, search } = setup(world);
    const res = await sut.related(tenantId, asset.id, { limit: 10, via: ['SPEAKER'] });
    expect(res.items.map((i) => i.asset.id)).toEqual([shared.id]);
    expect(res.items[0]!.reasons.map((r) => r.type)).toEqual(['SPEAKER']);
    expect(search.queries).toEqual([]);
  });

  it('leaves out entities derived from the text when the text signal counts, unless asked for by name', async () => {
    const other = anAsset({ title: 'Other' });
    const reasons = [
      { type: 'SPEAKER' as const, name: 'Ada', contribution: 1.5 },
      { type: 'KEYWORD' as const, name: 'kelp', contribution: 7 },
      { type: 'TOPIC' as const, name: 'Oceans', contribution: 1.2 },
    ];
    const { sut } = setup({
      ...world,
      assets: [...world.assets, other],
      related: { [asset.id]: [{ assetId: other.id, score: 9.7, reasons }] },
    });
    const byDefault = await sut.related(tenantId, asset.id, { limit: 10 });
    // The speaker still counts; the keyword and topic, which the text found again, do not.
    expect(byDefault.items.map((i) => [i.asset.id, i.score])).toEqual([
      [shared.id, 2],
      [worded.id, 1],
      [other.id, round4(graphEvidence(1.5))],
    ]);
    const named = await sut.related(tenantId, asset.id, { limit: 10, via: ['KEYWORD', 'TOPIC', 'TEXT'] });
    const asked = named.items.find((i) => i.asset.id === other.id)!;
    expect(asked.reasons.map((r) => r.type)).toEqual(['KEYWORD', 'TOPIC']);
  });

  it("adds what the asset's best matches lead to, half weight against its own lookup (pseudo-relevance feedback)", async () => {
    const found = anAsset({ title: 'Sea urchins' });
    const { sut, search } = setup({
      ...world,
      assets: [...world.assets, found],
      related: {},
      similar: world.similar,
      fedBack: {
        [asset.id]: [
          { assetId: found.id, score: 8, explanation: { ...explanation, terms: [termOf('kelp')] } },
          { assetId: shared.id, score: 4, explanation },
        ],
      },
    });
    const res = await sut.related(tenantId, asset.id, { limit: 10, via: ['TEXT'] });
    // shared: (1 + 0.5) / 2; found: (0 + 1) / 2; worded: 0.5 / 2; the best then adds 2.
    expect(res.items.map((i) => [i.asset.id, i.score])).toEqual([
      [shared.id, 2],
      [found.id, 1.3333],
      [worded.id, 0.6667],
    ]);
    // The second lookup likes the first's best matches.
    expect(search.likes).toEqual([[], [shared.id, worded.id]]);
  });

  it('answers 404 for an asset the tenant does not have', async () => {
    const { sut } = setup(world);
    await expect(sut.related('globex', asset.id, { limit: 10 })).rejects.toThrow(NotFoundError);
  });
});

function termOf(term: string) {
  return { term, fields: ['title'], idf: 1, tf: 1, weight: 1, contribution: 1 };
}
