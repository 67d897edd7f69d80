import { describe, expect, it } from 'vitest';
import type { Enrichment } from '../../domain/asset.js';
import { ValidationError } from '../../domain/errors.js';
import { Renames, renameAsset, renameEnrichment, withRename } from '../../domain/tag-renames.js';

const anEnrichment = (overrides: Partial<Enrichment> = {}): Enrichment => ({
  keywords: [{ term: 'machine learning', score: 0.6 }],
  topics: [{ name: 'AI', confidence: 0.8 }],
  speakers: [{ name: 'Fei-Fei Li', source: 'ai', confidence: 0.9 }],
  brands: [],
  tags: [
    { name: 'ml', source: 'ai', locked: false, confidence: 0.5 },
    { name: 'Machine Learning', source: 'ai', locked: false, confidence: 0.7 },
    { name: 'robots', source: 'manual', locked: true, confidence: 1 },
  ],
  moments: [{ start: 0, end: 30, speaker: 'Fei-Fei Li', keywords: ['machine learning', 'vision'] }],
  extractors: {},
  ...overrides,
});

describe('withRename', () => {
  it('collapses chains, so an old name goes straight to the newest one', () => {
    const once = withRename([], 'TAG', ['ml'], 'machine learning');
    const twice = withRename(once, 'TAG', ['machine learning'], 'ML methods');
    const renames = new Renames(twice);
    expect(renames.name('TAG', 'ML')).toBe('ML methods');
    expect(renames.name('TAG', 'Machine-Learning')).toBe('ML methods');
    // Other types are left alone.
    expect(renames.name('TOPIC', 'ml')).toBe('ml');
  });

  it('stops renaming a name that becomes a target again', () => {
    const there = withRename([], 'TAG', ['a'], 'b');
    const back = withRename(there, 'TAG', ['b'], 'a');
    const renames = new Renames(back);
    expect(renames.name('TAG', 'a')).toBe('a');
    expect(renames.name('TAG', 'b')).toBe('a');
  });

  it('keeps a change of spelling, also within a merge, and refuses a name without letters', () => {
    expect(new Renames(withRename([], 'TAG', ['ai'], 'AI')).name('TAG', 'Ai')).toBe('AI');
    const merged = new Renames(withRename([], 'TAG', ['ml', 'ML', 'M.L.'], 'ML'));
    expect(['ml', 'm l', 'Ml'].map((n) => merged.name('TAG', n))).toEqual(['ML', 'ML', 'ML']);
    expect(() => withRename([], 'TAG', ['ai'], '  --  ')).toThrow(ValidationError);
  });
});

describe('renameEnrichment', () => {
  it('merges tags that now share a name, keeping the strongest confidence, a lock and a manual source', () => {
    const rules = withRename([], 'TAG', ['ml', 'robots'], 'Machine Learning');
    const e = renameEnrichment(anEnrichment(), new Renames(rules));
    expect(e.tags).toEqual([{ name: 'Machine Learning', source: 'manual', locked: true, confidence: 1 }]);
  });

  it('renames topics, speakers, keywords, moments and editors’ overrides of the rule’s type', () => {
    const rules = [
      ...withRename([], 'TOPIC', ['AI'], 'Artificial intelligence'),
      ...withRename([], 'SPEAKER', ['Fei-Fei Li'], 'Li Fei-Fei'),
      ...withRename([], 'KEYWORD', ['machine learning'], 'statistical learning'),
    ];
    const e = renameEnrichment(
      anEnrichment({
        overrides: {
          added: [{ type: 'TOPIC', name: 'ai' }],
          removed: [{ type: 'SPEAKER', name: 'fei-fei li' }],
        },
      }),
      new Renames(rules),
    );
    expect(e.topics.map((t) => t.name)).toEqual(['Artificial intelligence']);
    expect(e.speakers.map((s) => s.name)).toEqual(['Li Fei-Fei']);
    expect(e.keywords.map((k) => k.term)).toEqual(['statistical learning']);
    expect(e.moments[0]).toMatchObject({
      speaker: 'Li Fei-Fei',
      keywords: ['statistical learning', 'vision'],
    });
    expect(e.overrides).toEqual({
      added: [{ type: 'TOPIC', name: 'Artificial intelligence' }],
      removed: [{ type: 'SPEAKER', name: 'Li Fei-Fei' }],
    });
    // A tag of the same name is another type: untouched.
    expect(e.tags.map((t) => t.name)).toContain('ml');
  });

  it('keeps a suppression against an AI tag renamed onto it, and drops it for an editor’s tag', () => {
    const renames = new Renames(withRename([], 'TAG', ['ml', 'robots'], 'machine learning'));
    const ai = renameEnrichment(
      anEnrichment({
        tags: [{ name: 'ml', source: 'ai', locked: false, confidence: 0.5 }],
        suppressedTags: ['Machine Learning'],
      }),
      renames,
    );
    expect(ai.tags).toEqual([]);
    expect(ai.suppressedTags).toEqual(['Machine Learning']);
    const manual = renameEnrichment(
      anEnrichment({
        tags: [{ name: 'robots', source: 'manual', locked: true, confidence: 1 }],
        suppressedTags: ['Machine Learning'],
      }),
      renames,
    );
    expect(manual.tags.map((t) => t.name)).toEqual(['machine learning']);
    expect(manual.suppressedTags).toBeUndefined();
  });
});

describe('renameAsset', () => {
  it('renames given tags and speakers too, and changes nothing without a matching rule', () => {
    const asset = { tags: ['ML', 'ml ', 'vision'], speakers: ['Fei-Fei Li'], enrichment: anEnrichment() };
    const edit = renameAsset(asset, new Renames(withRename([], 'TAG', ['ml'], 'machine learning')));
    expect(edit.tags).toEqual(['machine learning', 'vision']);
    expect(edit.speakers).toEqual(['Fei-Fei Li']);
    expect(renameAsset(asset, new Renames([]))).toEqual(asset);
  });
});
