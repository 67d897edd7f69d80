import { describe, expect, it } from 'vitest';
import { formatTimeCode, parseTimeCode, TIME_CODE } from '../../domain/time-code.js';

describe('formatTimeCode', () => {
  it('formats as hh:mm:ss, dropping fractions', () => {
    expect(formatTimeCode(3723)).toBe('01:02:03');
    expect(formatTimeCode(0)).toBe('00:00:00');
    expect(formatTimeCode(59.9)).toBe('00:00:59');
    expect(formatTimeCode(100 * 3600 + 5)).toBe('100:00:05');
  });

  it('formats what is not a position in the media as the start', () => {
    expect(formatTimeCode(-3)).toBe('00:00:00');
    expect(formatTimeCode(Number.NaN)).toBe('00:00:00');
    expect(formatTimeCode(Number.POSITIVE_INFINITY)).toBe('00:00:00');
  });
});

describe('parseTimeCode', () => {
  it('reads hh:mm:ss, mm:ss and m:ss, with a fraction after a dot or a comma', () => {
    expect(parseTimeCode('01:02:03')).toBe(3723);
    expect(parseTimeCode('1:02:03')).toBe(3723);
    expect(parseTimeCode('01:02')).toBe(62);
    expect(parseTimeCode('1:02')).toBe(62);
    expect(parseTimeCode('00:00:01.500')).toBe(1.5);
    expect(parseTimeCode('00:00:01,250')).toBe(1.25);
    expect(parseTimeCode('100:00:05')).toBe(360_005);
  });

  it('allows minutes past 59 only without hours', () => {
    expect(parseTimeCode('75:30')).toBe(4530);
    expect(parseTimeCode('01:75:30')).toBeNull();
  });

  it('refuses impossible seconds and text that is not a time code', () => {
    for (const text of [
      '00:60',
      '01:00:60',
      '',
      '12',
      'ab:cd',
      '1:2',
      '00:00:01.5000',
      ' 01:02',
      '1000:00:00',
    ]) {
      expect(parseTimeCode(text), text).toBeNull();
    }
  });

  it('reads back every time code it formats', () => {
    for (const seconds of [0, 1, 59, 60, 3599, 3600, 86_399, 360_005]) {
      expect(parseTimeCode(formatTimeCode(seconds))).toBe(seconds);
    }
  });
});

describe('TIME_CODE', () => {
  it('finds the time codes in a line, whatever surrounds them', () => {
    const found = '[00:01:02] Jane: at (1:05) and 00:00:04,500 --> 00:00:06.000'.match(
      new RegExp(TIME_CODE, 'g'),
    );
    expect(found).toEqual(['00:01:02', '1:05', '00:00:04,500', '00:00:06.000']);
  });
});
