import { describe, expect, it } from 'vitest';
import {
  ERASED,
  eraseDeep,
  eraseFromAsset,
  eraseFromRecord,
  personMatcher,
} from '../../domain/person-erasure.js';
import { anAsset } from '../support/fakes.js';

describe('person erasure: what a name matches', () => {
  const m = personMatcher('Mara Quill');

  it('erases the exact name in text, case-insensitive, as whole words only', () => {
    expect(m.eraseText('MARA QUILL: hello. Then mara  quill spoke, and Mara-Quill left.')).toBe(
      `${ERASED}: hello. Then ${ERASED} spoke, and ${ERASED} left.`,
    );
    expect(m.eraseText('Tamara Quillon and Mara Quills are other people')).toBe(
      'Tamara Quillon and Mara Quills are other people',
    );
    expect(m.mentions('said mara quill')).toBe(true);
    expect(m.mentions('said mara')).toBe(false);
  });

  it('knows the person as a value with a title or other spelling, not another name holding a part', () => {
    expect(m.isPerson('Mara Quill')).toBe(true);
    expect(m.isPerson('Dr. MARA   QUILL')).toBe(true);
    expect(m.isPerson('Mára Quill')).toBe(true);
    expect(m.isPerson('Mara Quillon')).toBe(false);
    expect(m.isPerson('Quill Mara')).toBe(false);
    expect(m.isPersonOrPart('quill')).toBe(true);
    expect(m.isPersonOrPart('Quill Mara')).toBe(true);
    expect(m.isPersonOrPart('quill pen')).toBe(false);
  });

  it('gives a Postgres pattern that finds whatever the matcher finds, in text and in JSON text', () => {
    // The POSIX pattern read as a JS one (`[:alnum:]` as Unicode letters and digits).
    const sql = new RegExp(m.sqlPattern.replaceAll('[:alnum:]', '\\p{L}\\p{N}'), 'u');
    const found = [
      'Mara Quill',
      'MÁRA QUÏLL',
      'Ma\u0301ra Quill',
      'Mara --- Quill',
      'ｍａｒａ ｑｕｉｌｌ',
      'Mara\n\tQuill',
    ];
    for (const s of found) {
      expect(m.mentions(s) || m.isPerson(s), s).toBe(true);
      expect(sql.test(s), s).toBe(true);
      expect(sql.test(JSON.stringify({ note: s, speakers: [s] })), s).toBe(true);
    }
    expect(sql.test('Marc Quill, Mara Quilt')).toBe(false);
    expect(personMatcher('Mára Quill').sqlPattern).toBe(m.sqlPattern);
  });

  it('drops list items and entities that are the person, clears moment speakers, keeps the rest', () => {
    const out = eraseDeep(
      {
        speakers: [
          { name: 'Mara Quill', source: 'ai' },
          { name: 'Ken Robinson', source: 'ai' },
        ],
        keywords: [
          { term: 'mara quill', score: 0.9 },
          { term: 'quill', score: 0.4 },
          { term: 'kelp', score: 0.5 },
        ],
        moments: [{ start: 0, end: 5, speaker: 'MARA QUILL', keywords: ['mara quill', 'kelp'] }],
        overrides: { added: [{ type: 'SPEAKER', name: 'Mara Quill' }], removed: [] },
      },
      m,
    );
    expect(out).toEqual({
      speakers: [{ name: 'Ken Robinson', source: 'ai' }],
      keywords: [{ term: 'kelp', score: 0.5 }],
      moments: [{ start: 0, end: 5, speaker: null, keywords: ['kelp'] }],
      overrides: { added: [], removed: [] },
    });
  });

  it('rewrites an asset and says what changed; an asset without the person is left alone', () => {
    const named = anAsset({
      title: 'Mara Quill',
      description: 'Mara Quill on kelp',
      speakers: ['Mara Quill', 'Ken Robinson'],
      contributors: ['mara quill'],
      links: [{ targetId: 'x', note: 'also with Mara Quill', createdBy: 'k', createdAt: 'now' }],
      enrichment: {
        keywords: [],
        topics: [],
        speakers: [{ name: 'Mara Quill', source: 'manual' }],
        brands: [],
        tags: [],
        moments: [{ start: 1, end: 2, speaker: 'Mara Quill', keywords: [] }],
        extractors: {},
      },
    });
    const erased = eraseFromAsset(named, m)!;
    expect(erased.fields.title).toBe(ERASED);
    expect(erased.fields.description).toBe(`${ERASED} on kelp`);
    expect(erased.fields.speakers).toEqual(['Ken Robinson']);
    expect(erased.fields.contributors).toEqual([]);
    expect(erased.fields.links[0]!.note).toBe(`also with ${ERASED}`);
    expect(erased.fields.enrichment!.speakers).toEqual([]);
    expect(erased.momentsChanged).toBe(1);
    expect(erased.changed.sort()).toEqual(
      ['contributors', 'description', 'enrichment', 'links', 'speakers', 'title'].sort(),
    );
    expect(JSON.stringify(erased.fields)).not.toMatch(/mara/i);
    expect(eraseFromAsset(anAsset({ speakers: ['Ken Robinson'] }), m)).toBeNull();
  });

  it('keeps a snapshot’s other keys and reports no change when there is nothing to erase', () => {
    const snap = {
      fileHash: 'abc',
      status: 'PROCESSED',
      transcript: 'hello Mara Quill',
      technicalMetadata: {},
    };
    const { record, changed } = eraseFromRecord(snap, m);
    expect(record).toEqual({ ...snap, transcript: `hello ${ERASED}` });
    expect(changed).toEqual(['transcript']);
    expect(eraseFromRecord(record, m).changed).toEqual([]);
  });
});
