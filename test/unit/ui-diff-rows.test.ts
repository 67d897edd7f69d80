import { describe, expect, it } from 'vitest';
import { diffSnapshots, summarizeChange } from '../../domain/asset-diff.js';
import { diffRows } from '../../ui/diff-rows.js';
import type { FieldChange } from '../../ui/types.js';

const tag = (name: string, source: 'manual' | 'ai', locked = false) => ({
  name,
  source,
  locked,
  confidence: 1,
});
const change = (field: string, old: unknown, next: unknown, summary = `stored ${field}`): FieldChange => ({
  field,
  old,
  new: next,
  summary,
});

/** The asset page's diff names a manual tag edit as tags, not as the stored `enrichment.tags`. */
describe("the web UI's diff rows", () => {
  it('says a tag edit as one Tags row: added, removed, locked, confirmed', () => {
    const rows = diffRows([
      change('enrichment.suppressedTags', [], ['idea']),
      change(
        'enrichment.tags',
        [tag('idea', 'manual'), tag('education', 'manual'), tag('oceans', 'ai')],
        [tag('Climate', 'manual'), tag('education', 'manual', true), tag('oceans', 'manual')],
      ),
      change('tags', ['idea', 'education'], ['education']),
      change('status', 'QUEUED', 'PROCESSED', "status 'QUEUED' → 'PROCESSED'"),
    ]);
    expect(rows).toEqual([
      {
        label: 'Tags',
        fields: 'enrichment.tags, tags, enrichment.suppressedTags',
        summary: "added tag 'Climate'; confirmed tag 'oceans'; removed tag 'idea'; locked tag 'education'",
      },
      { label: 'status', fields: 'status', summary: "status 'QUEUED' → 'PROCESSED'" },
    ]);
    expect(rows.map((r) => r.label)).not.toContain('enrichment.tags');
  });

  it('says enrichment’s new tags as suggested, and matches names whatever their case', () => {
    const [row] = diffRows([
      change('enrichment.tags', [tag('Reefs', 'manual')], [tag('reefs', 'manual'), tag('kelp', 'ai')]),
    ]);
    expect(row!.summary).toBe("suggested tag 'kelp'");
  });

  it('reads the given list before enrichment as tags too', () => {
    const [row] = diffRows([change('tags', ['a', 'b'], ['b', 'c', 'd'])]);
    expect(row).toEqual({ label: 'Tags', fields: 'tags', summary: "added tags 'c', 'd'; removed tag 'a'" });
  });

  it('leaves a change of the removed names alone to the API’s words, and other fields as named', () => {
    const rows = diffRows([
      change('enrichment.suppressedTags', [], ['x'], "blocked tag 'x'"),
      change('title', 'a', 'b', "title 'a' → 'b'"),
    ]);
    expect(rows.map((r) => [r.label, r.summary])).toEqual([
      ['Tags', "blocked tag 'x'"],
      ['title', "title 'a' → 'b'"],
    ]);
  });

  it('says a tag edit in the words of the API’s version summary', () => {
    const before = {
      tags: ['idea'],
      enrichment: { tags: [tag('idea', 'manual'), tag('oceans', 'ai'), tag('Ice', 'manual')] },
    };
    const after = {
      tags: ['idea'],
      enrichment: {
        tags: [
          tag('oceans', 'manual', true),
          tag('Ice', 'manual'),
          ...'abcdef'.split('').map((n) => tag(n, 'ai')),
        ],
      },
    };
    const [row] = diffRows(diffSnapshots(before, after));
    expect(row!.summary).toBe(summarizeChange(before, after));
    expect(row!.summary).toBe(
      "suggested tags 'a', 'b', 'c', 'd', 'e' and 1 more; confirmed tag 'oceans'; removed tag 'idea'; locked tag 'oceans'",
    );
  });
});
