import { describe, expect, it } from 'vitest';
import { prefixUpperBound } from '../../search/postgres/suggestions.js';
import { uuidAtFraction } from '../../search/postgres/translator.js';

describe('prefixUpperBound', () => {
  it('is above every string with the prefix and below the next prefix, in code point order', () => {
    const bound = prefixUpperBound('cli')!;
    for (const s of ['cli', 'climate', 'cli\u{10ffff}x', 'cliz']) expect(s < bound, s).toBe(true);
    for (const s of ['clj', 'clja', 'd']) expect(s >= bound, s).toBe(true);
  });

  it('steps over the surrogates and past a last code point that cannot grow', () => {
    expect(prefixUpperBound('a\ud7ff')).toBe('a\ue000');
    expect(prefixUpperBound('a\u{10ffff}')).toBe('b');
    expect(prefixUpperBound('\u{10ffff}')).toBeNull();
  });
});

describe('uuidAtFraction', () => {
  it('splits the uuid space in proportion', () => {
    expect(uuidAtFraction(0)).toBe('00000000-0000-0000-0000-000000000000');
    expect(uuidAtFraction(0.5)).toBe('80000000-0000-0000-0000-000000000000');
    expect(uuidAtFraction(0.25)).toBe('40000000-0000-0000-0000-000000000000');
    expect(uuidAtFraction(1)).toBe('ffffffff-ffff-ffff-ffff-ffffffffffff');
  });
});
