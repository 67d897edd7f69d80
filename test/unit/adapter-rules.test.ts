import { describe, expect, it } from 'vitest';
import { filtersOf, normalizeSuggestion, sortOf } from '../../search/adapter-rules.js';
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
});
