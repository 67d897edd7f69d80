import { describe, expect, it } from 'vitest';
import { diffSnapshots } from '../../domain/asset-diff.js';

describe('diffSnapshots', () => {
  it('names each changed field with its old and new value, nested ones by path', () => {
    const before = { title: 'A', tags: ['x'], enrichment: { tags: [{ name: 'x' }], topics: [] }, links: [] };
    const after = { title: 'B', tags: ['x'], enrichment: { tags: [], topics: [] }, contributors: ['C'] };
    expect(diffSnapshots(before, after)).toEqual([
      { field: 'contributors', old: null, new: ['C'] },
      { field: 'enrichment.tags', old: [{ name: 'x' }], new: [] },
      { field: 'links', old: [], new: null },
      { field: 'title', old: 'A', new: 'B' },
    ]);
  });

  it('finds nothing between equal states, and a whole object where the other side has none', () => {
    expect(diffSnapshots({ a: { b: [1] } }, { a: { b: [1] } })).toEqual([]);
    expect(diffSnapshots({ enrichment: null }, { enrichment: { tags: [] } })).toEqual([
      { field: 'enrichment', old: null, new: { tags: [] } },
    ]);
  });
});
