import { describe, expect, it } from 'vitest';
import {
  KEYWORD_SUPERNODE,
  SYNTHETIC_SOURCE_SYSTEMS,
  SYNTHETIC_TAG_PREFIX,
  TOPICS,
  TOPIC_SUPERNODE,
  syntheticLibrary,
  syntheticTenantOf,
} from '../../scripts/lib/synthetic-library.js';
import { AssetInputSchema } from '../../domain/asset.js';

describe('the synthetic library (npm run gen, npm run bench)', () => {
  const assets = [...syntheticLibrary({ assets: 5_000, seed: 3 })];
  const share = (f: (a: (typeof assets)[number]) => boolean) => assets.filter(f).length / assets.length;

  it('is deterministic for a seed', () => {
    expect([...syntheticLibrary({ assets: 50, seed: 3 })]).toEqual(assets.slice(0, 50));
  });

  it('has the supernodes: a keyword tag on ~30% of assets, a topic tag on ~20%', () => {
    expect(share((a) => a.tags.includes(KEYWORD_SUPERNODE))).toBeGreaterThan(0.28);
    expect(share((a) => a.tags.includes(TOPIC_SUPERNODE))).toBeGreaterThan(0.19);
  });

  it('makes up its speakers, tags and sources, so none is taken for a real one', () => {
    const speakers = new Set(assets.flatMap((a) => a.speakers));
    // Three syllables each way ("Kalomi Torvisa"), never a real speaker's name.
    for (const name of speakers) expect(name).toMatch(/^[A-Z][a-z]{4,} [A-Z][a-z]{4,}( \d+)?$/);
    for (const real of ['Ken Robinson', 'Ada Lovelace', 'Brene Brown', 'Amy Cuddy'])
      expect(speakers.has(real)).toBe(false);
    const tags = new Set(assets.flatMap((a) => a.tags));
    for (const tag of tags) expect(TOPICS.includes(tag) || tag.startsWith(SYNTHETIC_TAG_PREFIX)).toBe(true);
    expect(new Set(assets.map((a) => a.sourceSystem))).toEqual(new Set(SYNTHETIC_SOURCE_SYSTEMS));
  });

  it('repeats about 2% of file hashes', () => {
    const repeated = assets.length - new Set(assets.map((a) => a.fileHash)).size;
    expect(repeated / assets.length).toBeGreaterThan(0.01);
    expect(repeated / assets.length).toBeLessThan(0.03);
  });

  it('has Zipf words: the most frequent word far ahead of the hundredth', () => {
    const counts = new Map<string, number>();
    for (const a of assets)
      for (const w of a.description.split(/\W+/)) counts.set(w, (counts.get(w) ?? 0) + 1);
    const sorted = [...counts.values()].sort((a, b) => b - a);
    expect(sorted[0]! / sorted[99]!).toBeGreaterThan(20);
  });

  it('gives valid API inputs with timed transcripts and technical metadata', () => {
    for (const a of assets.slice(0, 200)) {
      expect(AssetInputSchema.safeParse(a).success).toBe(true);
      expect(a.transcript).toMatch(/^\[00:00:00\] /);
      expect(a.technicalMetadata.mimeType).toBeTruthy();
    }
  });

  it('spreads assets over tenants, the first holding most', () => {
    const first = Array.from({ length: 5_000 }, (_, i) => syntheticTenantOf(i, 3)).filter(
      (t) => t === 'tenant-1',
    );
    expect(first.length / 5_000).toBeGreaterThan(0.65);
    expect(new Set(Array.from({ length: 5_000 }, (_, i) => syntheticTenantOf(i, 3)))).toEqual(
      new Set(['tenant-1', 'tenant-2', 'tenant-3']),
    );
  });

  it('takes a vocabulary (the TED talks), after the topic words', () => {
    const vocabulary = Array.from({ length: 6_000 }, (_, i) => `word${i}`);
    const words = [...syntheticLibrary({ assets: 200, seed: 3, vocabulary })].flatMap((a) =>
      a.description.replace(/\.$/, '').split(' '),
    );
    expect(words.filter((w) => !/^word\d+$/.test(w)).every((w) => /^[a-z]+$/.test(w))).toBe(true);
    expect(words).toContain(KEYWORD_SUPERNODE);
    expect(words.some((w) => w.startsWith('word'))).toBe(true);
  });
});
