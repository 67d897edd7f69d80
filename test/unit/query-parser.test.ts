import { describe, expect, it } from 'vitest';
import { QueryLimitError, ValidationError } from '../../domain/errors.js';
import { QUERY_LIMITS } from '../../domain/query-limits.js';
import { parseQuery } from '../../search/query-parser.js';

describe('query parser', () => {
  it('separates words, phrases and exclusions', () => {
    expect(parseQuery('ocean "coral reef" -fishing -"deep sea" life')).toEqual({
      text: 'ocean coral reef life',
      phrases: ['coral reef'],
      exclusions: ['fishing', 'deep sea'],
      filters: {},
    });
  });

  it('reads field:value filters, quoted values included, and leaves other colons as words', () => {
    expect(
      parseQuery('type:video tag:"climate change" speaker:"Ken Robinson" tag:oceans see http://x.org'),
    ).toEqual({
      text: 'see http://x.org',
      phrases: [],
      exclusions: [],
      filters: { type: ['VIDEO'], tags: ['climate change', 'oceans'], speakers: ['Ken Robinson'] },
    });
  });

  it('names what looked like a field and is none, searched as words; not links, times or plain text', () => {
    expect(parseQuery('jazz gnere:bebop Genre:"cool jazz" gnere:x')).toEqual({
      text: 'jazz gnere:bebop Genre:"cool jazz" gnere:x',
      phrases: [],
      exclusions: [],
      filters: {},
      unknownFields: ['gnere', 'genre'],
    });
    for (const q of ['at 10:30 see https://x.org/a mailto:a@b.org note: ftp://h', 'type:Audio source:TED'])
      expect(parseQuery(q).unknownFields, q).toBeUndefined();
    expect(parseQuery('gnere:bebop', 'plain').unknownFields).toBeUndefined();
  });

  it('rejects unknown enum values and empty filter values', () => {
    expect(() => parseQuery('type:film')).toThrow(/type:film is not one of/);
    expect(() => parseQuery('tag:""')).toThrow(/tag: needs a value/);
  });

  it('ignores empty phrases and a lone dash', () => {
    expect(parseQuery('"" - climate')).toEqual({ text: 'climate', phrases: [], exclusions: [], filters: {} });
  });

  it('names the problem with bad syntax', () => {
    expect(() => parseQuery('"climate change')).toThrow(ValidationError);
    expect(() => parseQuery('"climate change')).toThrow(/unclosed quote/);
    expect(() => parseQuery('x '.repeat(600))).toThrow(/more than 512 terms/);
  });

  it('reads plain syntax as words only, with the same limits', () => {
    expect(parseQuery('ocean "coral reef -fishing type:film', 'plain')).toEqual({
      text: 'ocean "coral reef -fishing type:film',
      phrases: [],
      exclusions: [],
      filters: {},
    });
    expect(() => parseQuery('x '.repeat(600), 'plain')).toThrow(/more than 512 terms/);
    expect(() => parseQuery('x'.repeat(4_001), 'plain')).toThrow(/longer than 4000 characters/);
  });

  it('refuses a query past a hard limit, naming the limit and its value', () => {
    const refusal = (text: string, syntax?: 'plain') => {
      try {
        parseQuery(text, syntax);
      } catch (err) {
        return err instanceof QueryLimitError ? err.extensions : err;
      }
      return null;
    };
    expect(refusal('x '.repeat(513))).toEqual({ field: 'q', limit: 'maxClauses', maximum: 512 });
    expect(refusal('x '.repeat(513), 'plain')).toMatchObject({ limit: 'maxClauses', maximum: 512 });
    expect(refusal('x'.repeat(4_001))).toMatchObject({ limit: 'maxLength', maximum: 4_000 });
    expect(refusal('x '.repeat(512))).toBeNull();
  });

  it('refuses more phrases, exclusions and filters than maxOperators, counting all three', () => {
    const max = QUERY_LIMITS.maxOperators;
    const operators = (n: number) =>
      Array.from({ length: n }, (_, i) => [`-x${i}`, `"y ${i}"`, `tag:z${i}`, `-"w ${i}"`][i % 4]).join(' ');
    expect(parseQuery(`kelp ${operators(max)}`).exclusions).toHaveLength(max / 2);
    expect(() => parseQuery(`kelp ${operators(max + 1)}`)).toThrow(QueryLimitError);
    expect(() => parseQuery(`kelp ${operators(max + 1)}`)).toThrow(
      `query has more than ${max} phrases, exclusions and filters (limit maxOperators: ${max})`,
    );
    // Words, empty phrases and lone dashes are no operators; plain syntax has none.
    expect(() => parseQuery(`${'kelp "" - '.repeat(max + 1)}`)).not.toThrow();
    expect(() => parseQuery(operators(max + 1), 'plain')).not.toThrow();
  });

  it('leaves surrounding whitespace out of the query, and out of its length', () => {
    const padded = `  ${'x'.repeat(4_000)}\n`;
    expect(parseQuery(padded).text).toBe('x'.repeat(4_000));
    expect(parseQuery(padded, 'plain').text).toBe('x'.repeat(4_000));
  });
});
