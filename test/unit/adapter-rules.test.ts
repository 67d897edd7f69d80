import { describe, expect, it } from 'vitest';
import {
  filtersOf,
  nameTails,
  normalizeSuggestion,
  oneSuggestionPerName,
  sortOf,
  suggestionPrefixes,
} from '../../search/adapter-rules.js';
import { parseQuery } from '../../search/query-parser.js';

describe('what every search adapter reads the same way', () => {
  it("adds the query's field:value filters to the request's, as alternatives within a dimension", () => {
    const query = parseQuery('ocean tag:reefs type:audio');
    const createdFrom = new Date('2024-01-01');
    expect(filtersOf({ query, filters: { tags: ['Oceans'], createdFrom } })).toEqual({
      tags: ['Oceans', 'reefs'],
      type: ['AUDIO'],
      createdFrom,
    });
    expect(filtersOf({ query: parseQuery('ocean') })).toEqual({});
  });

  it('ranks text or exclusions by relevance and browses the rest newest first, unless a sort is asked', () => {
    expect(sortOf({ query: parseQuery('ocean') })).toBe('relevance');
    expect(sortOf({ query: parseQuery('-oil') })).toBe('relevance');
    expect(sortOf({ query: parseQuery('  tag:reefs ') })).toBe('createdAt');
    expect(sortOf({ query: parseQuery('ocean'), sort: 'popularity' })).toBe('popularity');
  });

  it('compares suggestion prefixes lower-cased, accents folded and whitespace collapsed', () => {
    expect(normalizeSuggestion('  Créa   Tor ')).toBe('crea tor');
  });

  it('looks a prefix up as typed and without the honorifics before a name', () => {
    expect(suggestionPrefixes('Sir Ken')).toEqual(['sir ken', 'ken']);
    expect(suggestionPrefixes('Dr. Jane Goodall')).toEqual(['dr. jane goodall', 'jane goodall']);
    // Only titles: the prefix as typed, nothing stripped.
    expect(suggestionPrefixes('sir')).toEqual(['sir']);
    expect(suggestionPrefixes('ocean')).toEqual(['ocean']);
    expect(nameTails('francis de los reyes')).toEqual(['de los reyes', 'los reyes', 'reyes']);
    expect(nameTails('education')).toEqual([]);
  });

  it('lists a name once: a person as a speaker, else the kind more assets carry', () => {
    const s = (kind: 'tag' | 'speaker' | 'topic' | 'title', value: string, assets: number) => ({
      kind,
      value,
      normalized: normalizeSuggestion(value),
      assets,
    });
    expect(
      oneSuggestionPerName([
        s('tag', 'education', 259),
        s('tag', 'Ken Robinson', 3),
        s('topic', 'Education', 34),
        s('speaker', 'Sir Ken Robinson', 1),
        s('title', 'Education', 1),
      ]).map((x) => [x.kind, x.value]),
    ).toEqual([
      ['tag', 'education'],
      ['speaker', 'Sir Ken Robinson'],
      ['title', 'Education'],
    ]);
  });
});
