import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../domain/errors.js';
import { parseQuery } from '../../search/query-parser.js';

describe('query parser', () => {
  it('separates words, phrases and exclusions', () => {
    expect(parseQuery('ocean "coral reef" -fishing -"deep sea" life')).toEqual({
      text: 'ocean coral reef life',
      phrases: ['coral reef'],
      exclusions: ['fishing', 'deep sea'],
    });
  });

  it('ignores empty phrases and a lone dash', () => {
    expect(parseQuery('"" - climate')).toEqual({ text: 'climate', phrases: [], exclusions: [] });
  });

  it('names the problem with bad syntax', () => {
    expect(() => parseQuery('"climate change')).toThrow(ValidationError);
    expect(() => parseQuery('"climate change')).toThrow(/unclosed quote/);
    expect(() => parseQuery('x '.repeat(600))).toThrow(/more than 512 terms/);
  });
});
