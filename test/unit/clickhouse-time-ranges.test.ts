import { describe, expect, it } from 'vitest';
import { timeRanges } from '../../analytics/clickhouse-analytics-store.js';

// The de-duplication look-up reads a batch's time ranges of the raw table: few ranges, covering
// every second of the batch.
describe('timeRanges', () => {
  it('joins seconds up to a minute apart into one range and keeps a late event apart', () => {
    expect(timeRanges([100, 130, 101, 190, 100, 10_000])).toEqual([
      [100, 190],
      [10_000, 10_000],
    ]);
  });

  it('widens the gap until at most the given number of ranges remain, each second still inside one', () => {
    const seconds = Array.from({ length: 100 }, (_, i) => i * 1_000);
    const ranges = timeRanges(seconds, 16);
    expect(ranges.length).toBeLessThanOrEqual(16);
    for (const s of seconds) expect(ranges.some(([from, to]) => from <= s && s <= to)).toBe(true);
  });
});
