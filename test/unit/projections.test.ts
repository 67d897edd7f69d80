import { describe, expect, it } from 'vitest';
import type { Asset } from '../../domain/asset.js';
import { toAssetSummary } from '../../api/schemas/assets.js';
import { tagDetailsOf } from '../../domain/asset-tags.js';
import { toAssetGraph } from '../../indexers/asset-graph.js';
import { toSearchDocument } from '../../indexers/search-document.js';

const anAsset = (overrides: Partial<Asset> = {}): Asset => ({
  id: '00000000-0000-4000-8000-000000000001',
  tenantId: 't',
  type: 'VIDEO',
  title: 'Title',
  description: 'Description',
  transcript: '',
  fileHash: 'a'.repeat(64),
  sourceSystem: 'api',
  sourceId: null,
  tags: ['given tag'],
  speakers: ['Given Speaker'],
  contributors: [],
  operationalTags: [],
  technicalMetadata: {},
  links: [],
  status: 'PROCESSED',
  statusDetail: null,
  version: 3,
  versionId: '00000000-0000-4000-8000-000000000002',
  enrichment: {
    keywords: [
      { term: 'strong', score: 1 },
      { term: 'weak', score: 0.05 },
    ],
    topics: [{ name: 'Education', confidence: 0.7 }],
    speakers: [{ name: 'Ken Robinson', source: 'manual' }],
    brands: [],
    tags: [{ name: 'creativity', source: 'manual', locked: false, confidence: 1 }],
    moments: [],
    extractors: {},
  },
  enrichedFromVersion: 2,
  createdAt: new Date('2024-01-01T00:00:00Z'),
  updatedAt: new Date('2024-01-01T00:00:00Z'),
  ...overrides,
});

describe('search document', () => {
  it('carries the asset version and the enriched entities, without noise keywords', () => {
    const doc = toSearchDocument(anAsset());
    expect(doc).toMatchObject({
      version: 3,
      speakers: ['Ken Robinson'],
      tags: ['creativity'],
      topics: ['Education'],
      keywords: ['strong'],
    });
  });

  it('falls back to the given tags and speakers before enrichment', () => {
    const doc = toSearchDocument(anAsset({ enrichment: null, version: 1 }));
    expect(doc).toMatchObject({ speakers: ['Given Speaker'], tags: ['given tag'], keywords: [] });
  });
});

describe('asset graph', () => {
  it('links the asset to its speakers, tags, topics and strong keywords, weighted', () => {
    const g = toAssetGraph(anAsset());
    expect(g.version).toBe(3);
    expect(g.entities).toEqual([
      { type: 'SPEAKER', name: 'Ken Robinson', weight: 1 },
      { type: 'TAG', name: 'creativity', weight: 1 },
      { type: 'TOPIC', name: 'Education', weight: 0.7 },
      { type: 'KEYWORD', name: 'strong', weight: 1 },
    ]);
  });

  it('links the given contributors, enriched or not', () => {
    const contributors = ['Jane Campion', 'BBC Studios'];
    const linked = [
      { type: 'CONTRIBUTOR', name: 'Jane Campion', weight: 1 },
      { type: 'CONTRIBUTOR', name: 'BBC Studios', weight: 1 },
    ];
    expect(toAssetGraph(anAsset({ contributors })).entities).toEqual(expect.arrayContaining(linked));
    expect(toAssetGraph(anAsset({ contributors, enrichment: null, version: 1 })).entities).toEqual([
      { type: 'SPEAKER', name: 'Given Speaker', weight: 1 },
      { type: 'TAG', name: 'given tag', weight: 1 },
      ...linked,
    ]);
  });

  it('projects an archived asset at its version with no entity and no link, and a restored one with all of them', () => {
    const links = [{ targetId: '00000000-0000-4000-8000-000000000009', note: 'see also' }] as Asset['links'];
    const archived = toAssetGraph(
      anAsset({ status: 'ARCHIVED', version: 4, contributors: ['BBC Studios'], links }),
    );
    expect(archived).toEqual({
      assetId: '00000000-0000-4000-8000-000000000001',
      version: 4,
      entities: [],
      createdAt: '2024-01-01T00:00:00.000Z',
      links: [],
    });
    const restored = toAssetGraph(anAsset({ version: 5, contributors: ['BBC Studios'], links }));
    expect(restored.entities.length).toBeGreaterThan(0);
    expect(restored.links).toEqual([{ targetId: links[0]!.targetId, note: 'see also' }]);
  });
});

describe('the tag model', () => {
  const enriched = anAsset({
    tags: ['Education'],
    enrichment: {
      ...anAsset().enrichment!,
      tags: [
        { name: 'education', source: 'manual', locked: true, confidence: 1 },
        { name: 'climate', source: 'manual', locked: false, confidence: 1 },
        { name: 'oceans', source: 'ai', locked: false, confidence: 0.4 },
      ],
      suppressedTags: ['idea'],
    },
  });

  it('tells given, manual and suggested tags apart, matching given names as entities match', () => {
    expect(tagDetailsOf(enriched)).toEqual([
      { name: 'education', source: 'given', locked: true, confidence: 1 },
      { name: 'climate', source: 'manual', locked: false, confidence: 1 },
      { name: 'oceans', source: 'suggested', locked: false, confidence: 0.4 },
    ]);
    expect(tagDetailsOf(anAsset({ enrichment: null }))).toEqual([
      { name: 'given tag', source: 'given', locked: false, confidence: 1 },
    ]);
  });

  it('links a tag enrichment suggested more weakly than a given or an editor’s tag of the same confidence', () => {
    const asset = anAsset({
      tags: ['oceans'],
      enrichment: {
        ...anAsset().enrichment!,
        tags: [
          { name: 'oceans', source: 'manual', locked: false, confidence: 1 },
          { name: 'climate', source: 'manual', locked: false, confidence: 1 },
          { name: 'kelp', source: 'ai', locked: false, confidence: 1 },
        ],
      },
    });
    const weight = (name: string) =>
      toAssetGraph(asset).entities.find((e) => e.type === 'TAG' && e.name === name)!.weight;
    expect(weight('oceans')).toBe(1);
    expect(weight('climate')).toBe(1);
    expect(weight('kelp')).toBeLessThan(weight('climate'));
  });

  it('is the one set the API, search and the graph show, enriched or not', () => {
    for (const asset of [enriched, anAsset({ enrichment: null })]) {
      const tags = toAssetSummary(asset).tags;
      expect(toSearchDocument(asset).tags).toEqual(tags);
      expect(
        toAssetGraph(asset)
          .entities.filter((e) => e.type === 'TAG')
          .map((e) => e.name),
      ).toEqual(tags);
    }
    expect(toAssetSummary(enriched)).toMatchObject({ removedTags: ['idea'] });
  });
});
