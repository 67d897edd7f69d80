import { describe, expect, it } from 'vitest';
import { formatTimeCode } from '../../domain/time-code.js';
import { groupIntoMoments, parseTimedTranscript, type TranscriptSegment } from '../../enrichment/moments.js';

const seg = (start: number, end: number, speaker: string | null, text: string): TranscriptSegment => ({
  start,
  end,
  speaker,
  text,
});

describe('parseTimedTranscript', () => {
  it('parses bracketed hh:mm:ss lines with speakers', () => {
    const transcript = ['[00:00:05] Alice: Hello there.', '[00:00:09] BOB SMITH: Hi Alice, welcome.'].join(
      '\n',
    );
    expect(parseTimedTranscript(transcript)).toEqual([
      seg(5, 9, 'Alice', 'Hello there.'),
      // Last segment: 3 words at 2.5 words/s, at least 1 s → 1.2 s.
      seg(9, 10.2, 'BOB SMITH', 'Hi Alice, welcome.'),
    ]);
  });

  it('parses mm:ss, bare and parenthesized timestamps', () => {
    const transcript = [
      '[01:02] first part',
      '00:01:10 Dr. Jane Doe: second part',
      '(00:01:20) third part',
      '00:01:30 - Speaker 2: fourth part',
    ].join('\n');
    expect(parseTimedTranscript(transcript)).toEqual([
      seg(62, 70, null, 'first part'),
      seg(70, 80, 'Dr. Jane Doe', 'second part'),
      seg(80, 90, null, 'third part'),
      seg(90, 91, 'Speaker 2', 'fourth part'),
    ]);
  });

  it('does not take a sentence with a colon for a speaker label', () => {
    const [only] = parseTimedTranscript('[00:10] Here is the thing: it works.');
    expect(only).toEqual(seg(10, 12.4, null, 'Here is the thing: it works.'));
    const [five] = parseTimedTranscript('[00:10] The Five Big Red Ideas: none');
    expect(five?.speaker).toBeNull();
  });

  it('continues the previous segment with lines that have no timestamp', () => {
    const transcript = [
      'Episode 12 notes', // before any timestamp: ignored
      '[00:00:01] Alice: We start here',
      'and carry on here.',
      '',
      '[00:00:20]',
      'Bob: A speaker on the line after its timestamp.',
    ].join('\n');
    expect(parseTimedTranscript(transcript)).toEqual([
      seg(1, 20, 'Alice', 'We start here and carry on here.'),
      seg(20, 23.2, 'Bob', 'A speaker on the line after its timestamp.'),
    ]);
  });

  it('parses WebVTT cues with voice tags, ids, settings, markup and notes', () => {
    const vtt = [
      'WEBVTT',
      'Kind: captions',
      '',
      'NOTE this comment is not speech',
      'and neither is this line',
      '',
      'intro',
      '00:00:01.000 --> 00:00:04.500 align:start position:10%',
      '<v Roger Bingham>We are in New York City',
      '',
      '00:00:04.500 --> 00:00:06.000',
      '<v.loud Neil deGrasse Tyson><i>Yes</i>, we are',
      'still here</v>',
      '',
      '01:00.000 --> 01:02.000',
      'No voice here',
    ].join('\n');
    expect(parseTimedTranscript(vtt)).toEqual([
      seg(1, 4.5, 'Roger Bingham', 'We are in New York City'),
      seg(4.5, 6, 'Neil deGrasse Tyson', 'Yes, we are still here'),
      seg(60, 62, null, 'No voice here'),
    ]);
  });

  it('parses SRT cues, dropping their numeric indices and empty cues', () => {
    const srt = [
      '1',
      '00:00:00,500 --> 00:00:02,000',
      'HOST: Welcome back.',
      '',
      '2',
      '00:00:02,000 --> 00:00:03,000',
      '',
      '3',
      '00:00:03,250 --> 00:00:05,000',
      'Thanks for having me.',
      'Second line.',
      '',
    ].join('\r\n');
    expect(parseTimedTranscript(srt)).toEqual([
      seg(0.5, 2, 'HOST', 'Welcome back.'),
      seg(3.25, 5, null, 'Thanks for having me. Second line.'),
    ]);
  });

  it('sorts segments by start', () => {
    const transcript = '[00:00:30] later\n[00:00:10] earlier';
    expect(parseTimedTranscript(transcript)).toEqual([
      seg(10, 30, null, 'earlier'),
      seg(30, 31, null, 'later'),
    ]);
  });

  it('gives the last segment at least one second, estimated from its words', () => {
    const words = Array.from({ length: 25 }, (_, i) => `w${i}`).join(' ');
    expect(parseTimedTranscript(`[00:00] ${words}`)).toEqual([seg(0, 10, null, words)]);
    expect(parseTimedTranscript('[00:00] Hi')).toEqual([seg(0, 1, null, 'Hi')]);
  });

  it('caps ends at the duration', () => {
    const words = Array.from({ length: 25 }, (_, i) => `w${i}`).join(' ');
    expect(parseTimedTranscript(`[00:00] a\n[00:05] ${words}`, 8)).toEqual([
      seg(0, 5, null, 'a'),
      seg(5, 8, null, words),
    ]);
    expect(parseTimedTranscript('00:00:01.000 --> 00:00:09.000\ncue text', 4)).toEqual([
      seg(1, 4, null, 'cue text'),
    ]);
  });

  it('returns nothing for a transcript without timestamps', () => {
    expect(parseTimedTranscript('Alice: hello\nBob: hi, at 10 past 3 we meet.')).toEqual([]);
    expect(parseTimedTranscript('')).toEqual([]);
  });

  it('rejects impossible times', () => {
    expect(parseTimedTranscript('[00:75] nope\n[01:00:60] nope')).toEqual([]);
  });

  it('reads back the time codes the API writes, past 99 hours too', () => {
    const transcript = [3723, 100 * 3600 + 5].map((s) => `[${formatTimeCode(s)}] text`).join('\n');
    expect(parseTimedTranscript(transcript).map((s) => s.start)).toEqual([3723, 360_005]);
  });
});

describe('groupIntoMoments', () => {
  it('merges consecutive segments of one speaker up to the limit', () => {
    const segments = [
      seg(0, 20, 'A', 'one'),
      seg(20, 40, 'A', 'two'),
      seg(40, 70, 'A', 'three'),
      seg(70, 80, 'B', 'four'),
      seg(80, 90, 'A', 'five'),
    ];
    expect(groupIntoMoments(segments)).toEqual([
      seg(0, 40, 'A', 'one two'),
      seg(40, 70, 'A', 'three'),
      seg(70, 80, 'B', 'four'),
      seg(80, 90, 'A', 'five'),
    ]);
  });

  it('treats unlabelled segments as one speaker and honours a custom limit', () => {
    const segments = [
      seg(0, 3, null, 'a'),
      seg(3, 6, null, 'b'),
      seg(6, 9, null, 'c'),
      seg(9, 12, null, 'd'),
    ];
    expect(groupIntoMoments(segments, 6)).toEqual([seg(0, 6, null, 'a b'), seg(6, 12, null, 'c d')]);
  });

  it('keeps an over-long segment whole and does not mutate its input', () => {
    const segments = [seg(0, 90, 'A', 'long'), seg(90, 95, 'A', 'short')];
    const copy = structuredClone(segments);
    expect(groupIntoMoments(segments, 60)).toEqual([seg(0, 90, 'A', 'long'), seg(90, 95, 'A', 'short')]);
    expect(segments).toEqual(copy);
  });

  it('rejects a non-positive limit', () => {
    expect(() => groupIntoMoments([], 0)).toThrow(RangeError);
  });
});
