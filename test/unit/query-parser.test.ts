import { describe, expect, it } from 'vitest';
import { QueryLimitError } from '../../domain/errors.js';
import { QUERY_LIMITS } from '../../domain/query-limits.js';
import { readCollection } from '../../scripts/lib/trec-collection.js';
import { rankedWords } from '../../search/adapter-rules.js';
import { parseQuery, PROSE_MIN_WORDS } from '../../search/query-parser.js';

const CISI = new URL('../../../shared/datasets/cisi/CISI', import.meta.url).pathname;
const codes = (q: string) => (parseQuery(q).notes ?? []).map((n) => n.code);

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
      notes: [
        expect.objectContaining({ code: 'unknown-field', text: 'gnere:' }),
        expect.objectContaining({ code: 'unknown-field', text: 'Genre:' }),
      ],
    });
    for (const q of ['at 10:30 see https://x.org/a mailto:a@b.org note: ftp://h', 'type:Audio source:TED'])
      expect(parseQuery(q).unknownFields, q).toBeUndefined();
    expect(parseQuery('gnere:bebop', 'plain').unknownFields).toBeUndefined();
  });

  it('searches a value that is none of the field’s, or no value, as words, and says so', () => {
    expect(parseQuery('type:film about cats')).toEqual({
      text: 'type:film about cats',
      phrases: [],
      exclusions: [],
      filters: {},
      notes: [
        {
          code: 'invalid-field-value',
          text: 'type:film',
          message: 'type:film is not one of VIDEO, IMAGE, AUDIO, TEXT; searched as words',
        },
      ],
    });
    expect(parseQuery('Topic: information retrieval')).toMatchObject({
      text: 'Topic: information retrieval',
      filters: {},
      notes: [{ code: 'empty-field-value', text: 'Topic:' }],
    });
    expect(codes('tag:""')).toEqual(['empty-field-value']);
    // A valid value beside them still filters.
    expect(parseQuery('status:gone type:audio').filters).toEqual({ type: ['AUDIO'] });
  });

  it('ignores empty phrases, and says a lone dash excludes nothing', () => {
    expect(parseQuery('"" - climate')).toMatchObject({
      text: 'climate',
      phrases: [],
      exclusions: [],
      filters: {},
      notes: [{ code: 'literal-minus', text: '-' }],
    });
  });

  it('reads an unclosed quote as part of a word, and says so', () => {
    expect(parseQuery('"climate change')).toMatchObject({
      text: '"climate change',
      phrases: [],
      notes: [{ code: 'unclosed-quote', text: '"climate' }],
    });
    // A well-formed phrase beside it still is one; a quote inside a word is no quote at all.
    expect(parseQuery('"coral reef" said "hello')).toMatchObject({
      phrases: ['coral reef'],
      notes: [{ code: 'unclosed-quote', text: '"hello' }],
    });
    expect(parseQuery('a 5" floppy')).toEqual({
      text: 'a 5" floppy',
      phrases: [],
      exclusions: [],
      filters: {},
    });
    expect(parseQuery('tag:"climate change')).toMatchObject({ filters: {}, text: 'tag:"climate change' });
    expect(() => parseQuery('x '.repeat(600))).toThrow(/more than 512 terms/);
  });

  it('answers prose without an error: questions, quotes, colons, hyphens, apostrophes, links', () => {
    const cases: [string, string[]][] = [
      ['what is 3:2 pulldown?', []],
      ['C++ templates for beginners', []],
      ["what's o'reilly's best-selling book?", []],
      ['why do people say "it\'s complicated', ['unclosed-quote']],
      ['see https://example.org/a?b=c or write to me@example.org', []],
      ['mailto:me@example.org', []],
      ['cats - dogs', ['literal-minus']],
      ['-', ['literal-minus']],
      ['note: the "real-time" clock at 10:30', []],
      ['Subject: type:movie topic: -', ['literal-minus', 'invalid-field-value', 'empty-field-value']],
      ['""""', ['unclosed-quote']],
      ['"', ['unclosed-quote']],
      ['a "b" "c', ['unclosed-quote']],
      ['---', ['literal-minus']],
    ];
    for (const [q, expected] of cases) expect(codes(q), q).toEqual(expected);
  });

  it('reads quotation marks in prose as punctuation, not as required phrases, and says so', () => {
    const prose =
      'During the "training" phase, words from a dictionary are matched, and the "classification" phase follows';
    expect(prose.split(' ').length).toBeGreaterThanOrEqual(PROSE_MIN_WORDS);
    expect(parseQuery(prose)).toMatchObject({
      text: prose.replace(/"/g, ''),
      phrases: [],
      notes: [{ code: 'prose-quotes', text: '"training" "classification"' }],
    });
    // A short query keeps its phrase; operators and filters do not count as prose.
    expect(parseQuery('"training" phase').phrases).toEqual(['training']);
    expect(
      parseQuery('"coral reef" -fishing -"deep sea" type:video tag:ocean speaker:"Ken Robinson" kelp')
        .phrases,
    ).toEqual(['coral reef']);
    // A minus still excludes in prose.
    expect(parseQuery(`${prose} -climate`).exclusions).toEqual(['climate']);
  });

  it('searches a hyphenated word also joined, beside the word, in either syntax', () => {
    const q = parseQuery('time-sharing and real-time systems, 1990-1995 e-mail');
    expect(q.joinedWords).toEqual(['timesharing', 'realtime', 'email']);
    expect(rankedWords(q)).toBe(
      'time-sharing timesharing and real-time realtime systems, 1990-1995 e-mail email',
    );
    expect(parseQuery('time-sharing', 'plain').joinedWords).toEqual(['timesharing']);
    expect(rankedWords(parseQuery('plain words'))).toBe('plain words');
  });

  it('reads every CISI query (prose, held out from the rules) without a phrase, a filter or an error', async () => {
    const cisi = await readCollection(CISI);
    expect(cisi.queries.length).toBeGreaterThan(100);
    let quoted = 0;
    for (const { id, text } of cisi.queries) {
      const q = parseQuery(text.slice(0, 4000));
      expect(q.phrases, id).toEqual([]);
      expect(q.filters, id).toEqual({});
      if (q.notes?.some((n) => n.code === 'prose-quotes')) quoted++;
    }
    expect(quoted).toBeGreaterThanOrEqual(5);
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
