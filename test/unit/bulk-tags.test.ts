import { describe, expect, it } from 'vitest';
import type { Enrichment } from '../../domain/asset.js';
import { tagPatchEffect } from '../../domain/bulk-tags.js';
import type { TagPatch } from '../../domain/tag-overrides.js';

const enrichment = (over: Partial<Enrichment> = {}): Enrichment => ({
  keywords: [],
  topics: [{ name: 'Oceans', confidence: 0.9 }],
  speakers: [],
  brands: [],
  tags: [
    { name: 'kelp', source: 'ai', locked: false, confidence: 0.7 },
    { name: 'reef', source: 'manual', locked: true, confidence: 1 },
  ],
  moments: [],
  extractors: {},
  ...over,
});
const patch = (p: Partial<TagPatch>): TagPatch => ({ add: [], remove: [], lock: [], unlock: [], ...p });

describe('tagPatchEffect: what a bulk change would do to one asset', () => {
  const asset = { tags: [], speakers: [], enrichment: enrichment() };

  it('names only what changes: new names added, present names removed, unlocked tags locked', () => {
    const effect = tagPatchEffect(
      asset,
      patch({
        add: [
          { name: 'Kelp', type: 'TAG' },
          { name: 'coral', type: 'TAG' },
          { name: 'Marine life', type: 'TOPIC' },
        ],
        remove: [{ name: 'absent', type: 'TAG' }],
        lock: [
          { name: 'kelp', type: 'TAG' },
          { name: 'reef', type: 'TAG' },
        ],
      }),
    );
    expect(effect).toEqual({
      added: [
        { name: 'coral', type: 'TAG' },
        { name: 'Marine life', type: 'TOPIC' },
      ],
      removed: [],
      locked: [{ name: 'kelp', type: 'TAG' }],
      unlocked: [],
      skipped: null,
    });
  });

  it('skips an asset the edit would refuse, with the reason, and changes nothing', () => {
    expect(tagPatchEffect(asset, patch({ remove: [{ name: 'reef', type: 'TAG' }] }))).toEqual({
      added: [],
      removed: [],
      locked: [],
      unlocked: [],
      skipped: 'tag "reef" is locked; unlock it to remove it',
    });
  });

  it('reads the given tags of an asset not enriched yet', () => {
    const fresh = { tags: ['draft'], speakers: [], enrichment: null };
    expect(tagPatchEffect(fresh, patch({ remove: [{ name: 'DRAFT', type: 'TAG' }] })).removed).toEqual([
      { name: 'DRAFT', type: 'TAG' },
    ]);
  });
});
