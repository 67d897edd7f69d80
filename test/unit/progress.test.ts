import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { formatDuration, formatProgress, progress } from '../../scripts/lib/progress.js';

describe('progress of a load (npm run import:ted, npm run gen)', () => {
  it('formats durations as seconds, minutes or hours', () => {
    expect(formatDuration(9.4)).toBe('9s');
    expect(formatDuration(75)).toBe('1m15s');
    expect(formatDuration(3725)).toBe('1h02m');
  });

  it('gives the count of the total, the rate and the time left', () => {
    expect(formatProgress({ done: 1000, total: 2550, unit: 'talks', elapsedMs: 20_000 })).toBe(
      '1,000 of 2,550 talks (39%), 50/s, 20s elapsed, about 31s left',
    );
  });

  it('gives a slow rate with a decimal, and no time left once done', () => {
    expect(formatProgress({ done: 500, total: 500, unit: 'talks', elapsedMs: 200_000 })).toBe(
      '500 of 500 talks (100%), 2.5/s, 3m20s elapsed',
    );
  });

  it('without a total, no share and no time left', () => {
    expect(formatProgress({ done: 30, unit: 'assets', elapsedMs: 10_000 })).toBe(
      '30 assets, 3.0/s, 10s elapsed',
    );
  });

  it('before anything is done, no rate to judge by', () => {
    expect(formatProgress({ done: 0, total: 10, unit: 'talks', elapsedMs: 0 })).toBe(
      '0 of 10 talks (0%), 0.0/s, 0s elapsed',
    );
  });

  it('off a terminal writes a line per interval and the last one', () => {
    let clock = 0;
    const lines: string[] = [];
    const stream = { write: (s: string) => lines.push(s) > 0 } as unknown as NodeJS.WritableStream;
    const bar = progress({ unit: 'talks', total: 100, stream, intervalMs: 10_000, now: () => clock });
    for (const done of [10, 20, 30, 40]) {
      clock += 4_000;
      bar.update(done);
    }
    bar.finish();
    expect(lines).toEqual([
      '10 of 100 talks (10%), 2.5/s, 4s elapsed, about 36s left\n',
      '40 of 100 talks (40%), 2.5/s, 16s elapsed, about 24s left\n',
      '40 of 100 talks (40%), 2.5/s, 16s elapsed, about 24s left\n',
    ]);
  });

  it('off a terminal prints the last count once', () => {
    const lines: string[] = [];
    const stream = { write: (s: string) => lines.push(s) > 0 } as unknown as NodeJS.WritableStream;
    const bar = progress({ unit: 'talks', total: 300, stream, now: () => 2_000 });
    bar.update(300);
    bar.finish();
    expect(lines).toHaveLength(1);
  });

  it('on a terminal draws a bar (cli-progress) on one line, with the count, rate and time left', () => {
    let written = '';
    let clock = 0;
    const stream = {
      isTTY: true,
      columns: 200,
      write: (s: string) => ((written += s), true),
    } as unknown as NodeJS.WriteStream;
    const bar = progress({ unit: 'assets', total: 4, initial: 1, stream, now: () => clock });
    clock = 2_000;
    bar.update(3);
    bar.finish();
    // The last drawing, after the last carriage return or cursor move.
    const last = stripVTControlCharacters(written.split('\x1b[1G').at(-1)!);
    expect(last).toMatch(/^[█░]{24} 75% \| 3 of 4 assets \| 1\.0\/s \| 2s elapsed \| \S+ left/);
    // One line: the bar ends with a single newline, when it stops.
    expect(written.trimEnd().includes('\n')).toBe(false);
  });

  it('a resumed load counts the rate of this run only', () => {
    expect(formatProgress({ done: 1500, initial: 1000, total: 2000, unit: 'talks', elapsedMs: 10_000 })).toBe(
      '1,500 of 2,000 talks (75%), 50/s, 10s elapsed, about 10s left',
    );
  });
});
