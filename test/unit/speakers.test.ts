import { describe, expect, it } from 'vitest';
import {
  extractSpeakers,
  nameSentences,
  normalizeSpeakerName,
  parseDiarizedSpeakers,
  speakerKey,
  type SpeakerSource,
} from '../../enrichment/speakers.js';

const source = (fields: Partial<SpeakerSource>): SpeakerSource => ({
  speakers: [],
  title: '',
  description: '',
  transcript: '',
  ...fields,
});

const names = (src: Partial<SpeakerSource>) => extractSpeakers(source(src)).map((s) => s.name);

const ROBINSON_DESCRIPTION =
  'Sir Ken Robinson makes an entertaining and profoundly moving case for creating an education system that nurtures (rather than undermines) creativity.';

describe('normalizeSpeakerName', () => {
  it.each([
    ['Sir Ken Robinson', 'Ken Robinson'],
    ['ROBINSON, KEN', 'Ken Robinson'],
    ['Dr. Jane Goodall', 'Jane Goodall'],
    ['  brené   brown ', 'Brené Brown'],
    ['Prof. Stephen Hawking', 'Stephen Hawking'],
    ['Dame Stephanie Shirley', 'Stephanie Shirley'],
    ['Lord Nicholas Stern', 'Nicholas Stern'],
    ["O'BRIEN, CONAN", "Conan O'Brien"],
    ['JEAN-PAUL SARTRE', 'Jean-Paul Sartre'],
    ['Martin Luther King, Jr.', 'Martin Luther King Jr.'],
    ["Robinson's", 'Robinson'],
    ['Chris Anderson (TED)', 'Chris Anderson'],
    ['ROGIER VAN DER HEIDE', 'Rogier van der Heide'],
    ['Ken ROBINSON', 'Ken Robinson'],
  ])('%j -> %j', (raw, expected) => {
    expect(normalizeSpeakerName(raw)).toBe(expected);
  });

  it.each([
    '',
    '   ',
    'Speaker 1',
    'SPEAKER 2',
    'Speaker A',
    'Unknown',
    'Audience',
    'Audience Member',
    'Interviewer',
    'Narrator',
    'Male Voice',
    '1234',
    'Dr.',
    'PhD',
    'The End',
    "You'll",
  ])('rejects %j', (raw) => {
    expect(normalizeSpeakerName(raw)).toBeNull();
  });
});

describe('speakerKey', () => {
  it('gives one key for the forms of one name', () => {
    const keys = ['Ken Robinson', 'Sir Ken Robinson', 'ROBINSON, KEN', 'ken robinson', "Ken Robinson's"].map(
      speakerKey,
    );
    expect(new Set(keys)).toEqual(new Set(['ken robinson']));
  });

  it('folds accents and agrees on initials', () => {
    expect(speakerKey('Brené Brown')).toBe(speakerKey('Brene Brown'));
    expect(speakerKey('Olúfẹ́mi Táíwò')).toBe('olufemi taiwo');
    expect(speakerKey('J.K. Rowling')).toBe('jk rowling');
    expect(speakerKey('J. K. Rowling')).toBe('jk rowling');
    expect(speakerKey('JK Rowling')).toBe('jk rowling');
  });

  it('keeps different people apart', () => {
    expect(speakerKey('Ken Robinson')).not.toBe(speakerKey('Mary Robinson'));
  });
});

describe('parseDiarizedSpeakers', () => {
  it('reads plain and timestamped labels, in order of first appearance', () => {
    const transcript = [
      'KEN ROBINSON: Good morning. How are you?',
      '[00:01:02] Jane Goodall: Hello there.',
      '00:01:05 Ken Robinson: It has been great.',
      '[00:01] Dr. Hans Rosling: Let us look at the numbers.',
      '>> AL GORE: The climate is changing.',
      'ROBINSON, KEN: Back to me.',
      '<v Brené Brown>Vulnerability is not weakness.',
    ].join('\n');
    expect(parseDiarizedSpeakers(transcript)).toEqual([
      'Ken Robinson',
      'Jane Goodall',
      'Hans Rosling',
      'Al Gore',
      'Brené Brown',
    ]);
  });

  it('does not take ordinary colons, headings or role labels for speakers', () => {
    const transcript = [
      'Note: this is not a speaker.',
      'Step 1: open the box.',
      'See http://example.com for details.',
      'https://example.com/path',
      'The answer is simple: yes.',
      'Fun Fact: owls cannot move their eyes.',
      'Key Takeaways: a lot.',
      'Background: none.',
      'SPEAKER 1: hi',
      'Speaker 2: hello',
      'Unknown: hm',
      'AUDIENCE: (Laughter)',
      'Interviewer: so?',
      'Narrator: once upon a time',
      'Meeting starts at 10:30: be on time.',
      '00:00:01,000 --> 00:00:04,000',
    ].join('\n');
    expect(parseDiarizedSpeakers(transcript)).toEqual([]);
  });

  it('accepts a one-word speaker that keeps taking turns, not a one-off heading', () => {
    expect(parseDiarizedSpeakers('ZORBLAX: hi\nALICE: hello\nZORBLAX: bye')).toEqual(['Zorblax', 'Alice']);
    expect(parseDiarizedSpeakers('Zorblax: hi')).toEqual([]);
  });
});

describe('extractSpeakers', () => {
  it('finds the speaker in a description with compromise-backed NER', () => {
    expect(extractSpeakers(source({ description: ROBINSON_DESCRIPTION }))).toEqual([
      { name: 'Ken Robinson', source: 'ai', confidence: 0.6, mentions: 1 },
    ]);
  });

  it.each([
    [
      'With the same humor he exuded in "An Inconvenient Truth," Al Gore spells out 15 ways to fight climate change.',
      ['Al Gore'],
    ],
    ['Physicist Brian Greene explains superstring theory.', ['Brian Greene']],
    ["Beau Lotto's color games puzzle your vision.", ['Beau Lotto']],
    ['Nonny de la Peña is working on a new form of journalism.', ['Nonny de la Peña']],
    ['Neuroscientist Christopher deCharms demonstrates a new way to use fMRI.', ['Christopher deCharms']],
    ['British MP Rory Stewart walked across Afghanistan.', ['Rory Stewart']],
    ['Hours before the vote, State Senator Diane J. Savino made the case.', ['Diane J. Savino']],
    ['Jean-Baptiste Michel shows how to track culture.', ['Jean-Baptiste Michel']],
    ["It doesn't, says Olúfẹ́mi Táíwò -- it has a knowledge crisis.", ['Olúfẹ́mi Táíwò']],
  ])('names the person in %j', (description, expected) => {
    expect(names({ description })).toEqual(expected);
  });

  it('leaves out titles, places and capitalized common words', () => {
    expect(names({ description: 'Bees are dying in droves. Why? Nature is in trouble.' })).toEqual([]);
    expect(names({ description: 'He travelled to Sierra Leone and visited the Tinkering School.' })).toEqual(
      [],
    );
    expect(names({ description: 'The film "An Inconvenient Truth" changed minds.' })).toEqual([]);
  });

  it('merges a later surname mention into the full name', () => {
    const found = extractSpeakers(
      source({
        description: `${ROBINSON_DESCRIPTION} Robinson argues that schools kill creativity, and Robinson's jokes land.`,
      }),
    );
    expect(found).toEqual([{ name: 'Ken Robinson', source: 'ai', confidence: 0.8, mentions: 3 }]);
  });

  it('merges first + last into a fuller name and a bare surname that only recurs as a name', () => {
    const found = extractSpeakers(
      source({
        description:
          'Artist Aparna Rao re-imagines the familiar. With her collaborator Soren Pors, Rao creates art. Later Martin Luther King is quoted, and Martin King again.',
      }),
    );
    expect(found.map((s) => [s.name, s.mentions])).toEqual([
      ['Aparna Rao', 2],
      ['Martin Luther King', 2],
      ['Soren Pors', 1],
    ]);
  });

  it('lets manual entries win name and source, and ranks them first', () => {
    const found = extractSpeakers(
      source({
        speakers: ['ken robinson', 'Speaker 1'],
        description: ROBINSON_DESCRIPTION,
        transcript: 'KEN ROBINSON: Good morning.\nJANE DOE: Hello.\nKEN ROBINSON: Thank you.',
      }),
    );
    expect(found[0]).toEqual({ name: 'Ken Robinson', source: 'manual', confidence: 1, mentions: 4 });
    expect(found.slice(1)).toEqual([{ name: 'Jane Doe', source: 'ai', confidence: 0.9, mentions: 1 }]);
  });

  it('keeps the manual spelling when a manual surname merges with a fuller name from the text', () => {
    expect(extractSpeakers(source({ speakers: ['Robinson'], description: ROBINSON_DESCRIPTION }))).toEqual([
      { name: 'Robinson', source: 'manual', confidence: 1, mentions: 2 },
    ]);
  });

  it('ranks manual, then diarized, then prose by confidence and mentions, then name', () => {
    const found = extractSpeakers(
      source({
        speakers: ['Mary Major'],
        description: 'Jane Roe and Zed Zulu discuss it. Zed Zulu laughs.',
        transcript: 'JOHN ROE: Hi.\nJOHN ROE: Again.\nANNA DOE: Hello.',
      }),
    );
    expect(found.map((s) => [s.name, s.source, s.confidence])).toEqual([
      ['Mary Major', 'manual', 1],
      ['John Roe', 'ai', 0.9],
      ['Anna Doe', 'ai', 0.9],
      ['Zed Zulu', 'ai', 0.7],
      ['Jane Roe', 'ai', 0.6],
    ]);
    expect(found.every((s) => s.source === 'manual' || s.confidence < 1)).toBe(true);
  });

  it('reads names only from the start of the transcript', () => {
    const filler = 'and so on '.repeat(600);
    expect(names({ transcript: `Then Hans Rosling showed the data. ${filler}` })).toEqual(['Hans Rosling']);
    expect(names({ transcript: `${filler} Then Hans Rosling showed the data.` })).toEqual([]);
  });

  it('is pure: same input, same output, input untouched', () => {
    const src = source({ speakers: ['Sir Ken Robinson'], description: ROBINSON_DESCRIPTION });
    const copy = structuredClone(src);
    expect(extractSpeakers(src)).toEqual(extractSpeakers(src));
    expect(src).toEqual(copy);
  });
});

describe('nameSentences', () => {
  // Only these sentences are tagged, so a sentence left out here is a name extractSpeakers loses.
  it.each([
    [
      'a name at the start of a sentence',
      'The weather was fine. Rao creates robots.',
      ['Rao creates robots.'],
    ],
    [
      'a name after punctuation',
      'It was late; then, Rao spoke. The end came.',
      ['It was late; then, Rao spoke. '],
    ],
    [
      'a multi-word name of dictionary words',
      'So it goes. Tonight Grace Hopper speaks.',
      ['Tonight Grace Hopper speaks.'],
    ],
    [
      'a given name with a particle',
      'We heard from Rogier van der Heide.',
      ['We heard from Rogier van der Heide.'],
    ],
    ['a possessive, which compromise may split', "It is Hope's.", ["It is Hope's."]],
  ])('keeps %s', (_case, text, expected) => {
    expect(nameSentences(text)).toEqual(expected);
  });

  it.each([
    ['lower-case text', 'so i met ken robinson and we talked about schools.'],
    [
      'capitals that are only dictionary words or given names alone, or end in a function word',
      'The talk is short. In it, we learn why. So, Mary said nothing. And I agreed. Why? Nature is in trouble.',
    ],
    ['initials and places alone', 'It happened in Paris. A new day began.'],
    ['an empty text', ''],
  ])('leaves out %s', (_case, text) => {
    expect(nameSentences(text)).toEqual([]);
  });

  it('leaves the names found as tagging the whole text finds them', () => {
    // Sentences without a name around and between the ones with one.
    const description =
      'The weather was fine. Rao creates robots. It was late, and we left. Later, Rao builds more. So it goes. Physicist Brian Greene explains superstring theory.';
    expect(names({ description })).toEqual(['Brian Greene', 'Rao']);
    expect(names({ description: 'so i met ken robinson and we talked about schools.' })).toEqual([]);
  });
});
