import { describe, expect, it } from 'vitest';
import type { Enrichment } from '../../domain/asset.js';
import { applyOverrides, applyTagPatch, type TagPatch } from '../../domain/tag-overrides.js';

const anEnrichment = (overrides: Partial<Enrichment> = {}): Enrichment => ({
  keywords: [{ term: 'coral', score: 0.9 }],
  topics: [{ name: 'Oceans', confidence: 0.8 }],
  speakers: [{ name: 'Sylvia Earle', source: 'ai', confidence: 0.9 }],
  brands: [],
  tags: [
    { name: 'reefs', source: 'ai', locked: false, confidence: 0.7 },
    { name: 'diving', source: 'manual', locked: true, confidence: 1 },
  ],
  moments: [],
  extractors: {},
  ...overrides,
});
const patch = (p: Partial<TagPatch>): TagPatch => ({ add: [], remove: [], lock: [], unlock: [], ...p });

describe('applyTagPatch', () => {
  it('pins a locked topic, speaker, brand or keyword through re-extraction, until unlocked', () => {
    const current = { tags: [], speakers: [], enrichment: anEnrichment() };
    const locked = applyTagPatch(
      current,
      patch({
        lock: [
          { type: 'TOPIC', name: 'Oceans' },
          { type: 'KEYWORD', name: 'coral' },
        ],
      }),
    );
    // A tag of the same name is not locked by it.
    expect(locked.enrichment!.tags.every((t) => t.name === 'diving' || !t.locked)).toBe(true);
    const reextracted = applyOverrides({ ...locked.enrichment!, topics: [], keywords: [] });
    expect(reextracted.topics.map((t) => t.name)).toEqual(['Oceans']);
    expect(reextracted.keywords.map((k) => k.term)).toEqual(['coral']);
    const unlocked = applyTagPatch(
      { ...current, enrichment: locked.enrichment },
      patch({ unlock: [{ type: 'TOPIC', name: 'oceans' }] }),
    );
    expect(applyOverrides({ ...unlocked.enrichment!, topics: [] }).topics).toEqual([]);
  });

  it('adds manual tags, suppresses removed ones and keeps other edits as overrides', () => {
    const edit = applyTagPatch(
      { tags: ['reefs'], speakers: [], enrichment: anEnrichment() },
      patch({
        add: [
          { type: 'TAG', name: 'Conservation' },
          { type: 'TOPIC', name: 'Marine biology' },
        ],
        remove: [
          { type: 'TAG', name: 'REEFS' },
          { type: 'SPEAKER', name: 'sylvia earle' },
        ],
      }),
    );
    expect(edit.tags).toEqual([]);
    expect(edit.enrichment!.tags.map((t) => [t.name, t.source])).toEqual([
      ['diving', 'manual'],
      ['Conservation', 'manual'],
    ]);
    expect(edit.enrichment!.suppressedTags).toEqual(['REEFS']);
    expect(edit.enrichment!.topics.map((t) => t.name)).toEqual(['Oceans', 'Marine biology']);
    expect(edit.enrichment!.speakers).toEqual([]);
    expect(edit.enrichment!.overrides).toEqual({
      added: [{ type: 'TOPIC', name: 'Marine biology' }],
      removed: [{ type: 'SPEAKER', name: 'sylvia earle' }],
    });
  });

  it('refuses to remove a locked tag unless unlocked in the same patch, and locks only tags it has', () => {
    const current = { tags: [], speakers: [], enrichment: anEnrichment() };
    expect(() => applyTagPatch(current, patch({ remove: [{ type: 'TAG', name: 'diving' }] }))).toThrow(
      /locked/,
    );
    const unlocked = applyTagPatch(
      current,
      patch({ remove: [{ type: 'TAG', name: 'diving' }], unlock: [{ type: 'TAG', name: 'diving' }] }),
    );
    expect(unlocked.enrichment!.tags.map((t) => t.name)).toEqual(['reefs']);
    expect(() => applyTagPatch(current, patch({ lock: [{ type: 'TAG', name: 'nope' }] }))).toThrow(/no tag/);
    expect(() => applyTagPatch(current, patch({ lock: [{ type: 'TOPIC', name: 'Lakes' }] }))).toThrow(
      /no topic "Lakes"/,
    );
    expect(() =>
      applyTagPatch(
        current,
        patch({ add: [{ type: 'TAG', name: 'x' }], remove: [{ type: 'TAG', name: 'X' }] }),
      ),
    ).toThrow(/both added and removed/);
  });

  it('edits the given tags and speakers of an asset not enriched yet', () => {
    const edit = applyTagPatch(
      { tags: ['a'], speakers: ['S'], enrichment: null },
      patch({ add: [{ type: 'SPEAKER', name: 'T' }], remove: [{ type: 'TAG', name: 'A' }] }),
    );
    expect(edit).toEqual({ tags: [], speakers: ['S', 'T'], enrichment: null });
    expect(() =>
      applyTagPatch(
        { tags: [], speakers: [], enrichment: null },
        patch({ add: [{ type: 'TOPIC', name: 'x' }] }),
      ),
    ).toThrow(/not enriched yet/);
  });
});

describe('applyOverrides', () => {
  it('applies the editor overrides again to a fresh extraction', () => {
    const fresh = anEnrichment({
      overrides: {
        added: [
          { type: 'KEYWORD', name: 'kelp' },
          { type: 'BRAND', name: 'Rolex' },
        ],
        removed: [{ type: 'TOPIC', name: 'oceans' }],
      },
    });
    const e = applyOverrides(fresh);
    expect(e.topics).toEqual([]);
    expect(e.keywords.map((k) => k.term)).toEqual(['kelp', 'coral']);
    expect(e.brands).toEqual([{ name: 'Rolex', score: 1 }]);
    expect(applyOverrides(anEnrichment())).toEqual(anEnrichment());
  });
});
