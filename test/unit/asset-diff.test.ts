import { describe, expect, it } from 'vitest';
import { diffSnapshots, summarizeChange } from '../../domain/asset-diff.js';

const tag = (name: string, more: { source?: string; locked?: boolean; confidence?: number } = {}) => ({
  name,
  source: 'manual',
  locked: false,
  confidence: 1,
  ...more,
});

describe('diffSnapshots', () => {
  it('names each changed field with its old and new value, nested ones by path', () => {
    const before = { title: 'A', tags: ['x'], enrichment: { tags: [{ name: 'x' }], topics: [] }, links: [] };
    const after = { title: 'B', tags: ['x'], enrichment: { tags: [], topics: [] }, contributors: ['C'] };
    expect(diffSnapshots(before, after)).toEqual([
      {
        field: 'contributors',
        old: null,
        new: ['C'],
        added: ['C'],
        removed: [],
        updated: [],
        summary: "added contributor 'C'",
      },
      {
        field: 'enrichment.tags',
        old: [{ name: 'x' }],
        new: [],
        added: [],
        removed: [{ name: 'x' }],
        updated: [],
        summary: "removed tag 'x'",
      },
      { field: 'title', old: 'A', new: 'B', summary: "title 'A' → 'B'" },
    ]);
  });

  it('finds nothing between equal states, nor between null and empty', () => {
    expect(diffSnapshots({ a: { b: [1] } }, { a: { b: [1] } })).toEqual([]);
    // The noise editors saw: an empty override record where there was none is no change.
    expect(
      diffSnapshots(
        { enrichment: { overrides: null, tags: [] }, links: [], description: '' },
        { enrichment: { overrides: { added: [], removed: [] } }, links: null },
      ),
    ).toEqual([]);
    expect(diffSnapshots({ enrichment: null }, { enrichment: { tags: [tag('x')] } })).toEqual([
      expect.objectContaining({ field: 'enrichment', old: null, summary: "added tag 'x'" }),
    ]);
  });

  it('lists what a tag edit added, removed and locked, item by item, with a summary', () => {
    const before = { enrichment: { tags: [tag('education'), tag('idea'), tag('oceans', { source: 'ai' })] } };
    const after = {
      enrichment: {
        tags: [tag('education', { locked: true }), tag('oceans', { source: 'ai' }), tag('climate')],
        overrides: { added: [{ type: 'TOPIC', name: 'Reefs' }], removed: [] },
      },
    };
    const [overrides, tags] = diffSnapshots(before, after);
    expect(tags).toMatchObject({
      field: 'enrichment.tags',
      added: [tag('climate')],
      removed: [tag('idea')],
      updated: [{ old: tag('education'), new: tag('education', { locked: true }) }],
      summary: "added tag 'climate'; removed tag 'idea'; locked tag 'education'",
    });
    expect(overrides).toMatchObject({ field: 'enrichment.overrides', summary: "pinned topic 'Reefs'" });
  });
});

describe('summarizeChange', () => {
  it('says a tag edit as a curator sees it, once, whichever lists it touched', () => {
    const before = {
      tags: ['education', 'idea'],
      status: 'PROCESSED',
      enrichment: { tags: [tag('education'), tag('idea'), tag('oceans', { source: 'ai', confidence: 0.4 })] },
    };
    const after = {
      tags: ['education'],
      status: 'PROCESSED',
      enrichment: {
        tags: [tag('education', { locked: true }), tag('oceans'), tag('climate')],
        suppressedTags: ['idea'],
        topics: [{ name: 'Reefs', confidence: 1, source: 'manual' }],
        overrides: { added: [{ type: 'TOPIC', name: 'Reefs' }], removed: [] },
      },
    };
    expect(summarizeChange(before, after)).toBe(
      "added tag 'climate'; confirmed tag 'oceans'; removed tag 'idea'; locked tag 'education'; added topic 'Reefs'",
    );
    expect(summarizeChange(after, after)).toBe('');
  });

  it('says an enrichment run with its suggestions, and other fields in words', () => {
    const queued = { title: 'Kelp', status: 'QUEUED', tags: ['kelp'], enrichment: null };
    const enriched = {
      ...queued,
      status: 'PROCESSED',
      enrichment: {
        tags: [tag('kelp'), tag('forests', { source: 'ai', confidence: 0.5 })],
        keywords: ['a', 'b', 'c', 'd', 'e'].map((term) => ({ term, score: 0.5 })),
        extractors: { tags: 1 },
      },
    };
    // Many keywords are counted, and extractor versions are bookkeeping, not said.
    expect(summarizeChange(queued, enriched)).toBe(
      "suggested tag 'forests'; added 5 keywords; status 'QUEUED' → 'PROCESSED'",
    );
    expect(summarizeChange(enriched, { ...enriched, title: 'Kelp at night' })).toBe(
      "title 'Kelp' → 'Kelp at night'",
    );
  });
});
