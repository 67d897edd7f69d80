import { describe, expect, it } from 'vitest';
import { MetricsQuerySchema } from '../../api/schemas/metrics.js';
import {
  addressAllowed,
  normalizeCidr,
  normalizeOrigin,
  originAllowed,
} from '../../domain/key-restrictions.js';
import {
  bucketCount,
  histogramPercentiles,
  MAX_BUCKETS,
  METRIC_GROUP_BYS_ALLOWED,
  METRICS,
} from '../../services/metrics-service.js';

const DAY = 86_400_000;

describe('the metrics query', () => {
  const parse = (q: Record<string, string | string[]>) => MetricsQuerySchema.safeParse(q);

  it('picks the interval from the range and counts partial buckets at both ends', () => {
    const to = '2026-03-10T00:00:00.000Z';
    const interval = (from: string) => {
      const r = parse({ metric: 'views', from, to });
      return r.success ? r.data.interval : r.error.message;
    };
    expect(interval('2026-03-09T20:00:00.000Z')).toBe('minute');
    expect(interval('2026-03-01T00:00:00.000Z')).toBe('hour');
    expect(interval('2025-03-01T00:00:00.000Z')).toBe('day');
    // 10:30 to 12:30 by the hour touches three hours: 10, 11 and 12.
    expect(bucketCount(new Date('2026-03-09T10:30:00Z'), new Date('2026-03-09T12:30:00Z'), 'hour')).toBe(3);
    expect(bucketCount(new Date('2026-03-09T10:00:00Z'), new Date('2026-03-09T12:00:00Z'), 'hour')).toBe(2);
  });

  it('allows at most MAX_BUCKETS buckets, naming the limit', () => {
    const from = new Date('2026-01-01T00:00:00Z');
    const at = (minutes: number) => new Date(from.getTime() + minutes * 60_000).toISOString();
    const ok = parse({ metric: 'views', from: from.toISOString(), to: at(MAX_BUCKETS), interval: 'minute' });
    expect(ok.success).toBe(true);
    const over = parse({
      metric: 'views',
      from: from.toISOString(),
      to: at(MAX_BUCKETS + 1),
      interval: 'minute',
    });
    expect(over.success).toBe(false);
    expect(over.error?.issues[0]).toMatchObject({ path: ['interval'] });
    expect(over.error?.issues[0]?.message).toContain(`at most ${MAX_BUCKETS} per series (limit maxBuckets)`);
    // Four years by the day is within it.
    const years = parse({ metric: 'views', from: '2022-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' });
    expect(years.success && years.data.interval).toBe('day');
  });

  it('takes only the groupBys and filters that make sense for the metric', () => {
    for (const metric of METRICS) {
      for (const groupBy of METRIC_GROUP_BYS_ALLOWED[metric])
        expect(parse({ metric, groupBy }).success, `${metric} by ${groupBy}`).toBe(true);
    }
    expect(parse({ metric: 'searches', groupBy: 'tag' }).success).toBe(false);
    expect(parse({ metric: 'topAssets', groupBy: 'asset' }).success).toBe(false);
    expect(parse({ metric: 'projectionLag', groupBy: 'workflow' }).success).toBe(false);
    expect(parse({ metric: 'trendingAssets', country: 'DE' }).success).toBe(false);
    const filtered = parse({ metric: 'views', country: ['de', 'AT'], type: 'video,audio' });
    expect(filtered.success && filtered.data.filters).toEqual({
      country: ['DE', 'AT'],
      type: ['VIDEO', 'AUDIO'],
    });
  });

  it('ends at now and starts 7 days before by default, and refuses an empty or reversed range', () => {
    const before = Date.now();
    const r = parse({ metric: 'jobs' });
    expect(r.success).toBe(true);
    if (!r.success) return;
    expect(r.data.to.getTime()).toBeGreaterThanOrEqual(before);
    expect(r.data.to.getTime() - r.data.from.getTime()).toBe(7 * DAY);
    const same = '2026-01-01T00:00:00Z';
    expect(parse({ metric: 'jobs', from: same, to: same }).error?.issues[0]?.path).toEqual(['from']);
  });
});

describe('percentiles from a histogram', () => {
  it('reads the upper bound of the bucket holding each percentile, per bucket and overall', () => {
    const t1 = new Date('2026-01-01T00:00:00Z');
    const t2 = new Date('2026-01-01T00:01:00Z');
    const rows = histogramPercentiles([
      { t: t1, leMs: 100, n: 90 },
      { t: t1, leMs: 1_000, n: 9 },
      { t: t1, leMs: 60_000, n: 1 },
      { t: t2, leMs: 2_147_483_647, n: 1 },
    ]);
    const at = (t: Date | null) => rows.find((r) => (r.t?.getTime() ?? null) === (t?.getTime() ?? null));
    expect(at(t1)).toMatchObject({ p50: 0.1, p95: 1, p99: 1, n: 100 });
    // Past the last finite bound it reads as that bound: "an hour or more".
    expect(at(t2)).toMatchObject({ p50: 3600, n: 1 });
    expect(at(null)).toMatchObject({ p50: 0.1, n: 101 });
  });
});

describe('key restrictions', () => {
  it('normalizes origins as browsers send them and refuses anything else', () => {
    expect(normalizeOrigin('HTTPS://Player.Example.com:443')).toBe('https://player.example.com');
    expect(normalizeOrigin('http://localhost:8080')).toBe('http://localhost:8080');
    for (const bad of [
      'https://a.example/',
      'https://a.example/x',
      'a.example',
      'null',
      'https://u:p@a.example',
      'ws://a.example',
    ])
      expect(normalizeOrigin(bad), bad).toBeNull();
  });

  it('matches addresses against IPv4 and IPv6 ranges, mapped IPv4 included', () => {
    expect(normalizeCidr('192.0.2.77/24')).toBe('192.0.2.0/24');
    expect(normalizeCidr('2001:DB8::1/32')).toBe('2001:db8::/32');
    expect(normalizeCidr('192.0.2.1')).toBeNull();
    const r = { allowedOrigins: [], allowedIpRanges: ['192.0.2.0/24', '2001:db8::/32'] };
    expect(addressAllowed(r, '192.0.2.200')).toBe(true);
    expect(addressAllowed(r, '::ffff:192.0.2.200')).toBe(true);
    expect(addressAllowed(r, '2001:db8:ffff::1')).toBe(true);
    expect(addressAllowed(r, '192.0.3.1')).toBe(false);
    expect(addressAllowed(r, 'not-an-address')).toBe(false);
    expect(addressAllowed({ allowedOrigins: [], allowedIpRanges: [] }, '198.51.100.1')).toBe(true);
    expect(
      originAllowed({ allowedOrigins: ['https://a.example'], allowedIpRanges: [] }, 'https://A.example'),
    ).toBe(true);
  });
});
