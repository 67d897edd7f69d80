import { describe, expect, it } from 'vitest';
import { MetricsService, type MetricsQuery } from '../../services/metrics-service.js';
import type { OperationalMetricsRepository } from '../../store/operational-metrics-repository.js';
import { aStoredEvent, fakeAnalyticsStore, fakeDatabase } from '../support/fakes.js';

const HOUR = 3_600_000;
const from = new Date('2026-05-01T00:00:00Z');
const to = new Date(from.getTime() + 3 * HOUR);
const at = (hour: number) => new Date(from.getTime() + hour * HOUR);

type Operational = Omit<OperationalMetricsRepository, 'recordProjectionLags'>;

/** The operational repository answering fixed rows, as its SQL would for them. */
function operationalWith(rows: Partial<{ [K in keyof Operational]: Awaited<ReturnType<Operational[K]>> }>) {
  const answer =
    <K extends keyof Operational>(k: K) =>
    () =>
      Promise.resolve(rows[k] ?? []);
  return {
    jobs: answer('jobs'),
    endedJobs: answer('endedJobs'),
    jobLatency: answer('jobLatency'),
    ingestLag: answer('ingestLag'),
    projectionLag: answer('projectionLag'),
    queueDepth: () => Promise.resolve(rows.queueDepth ?? { openAtFrom: 0, changes: [] }),
  } as Operational;
}

/** The health reads these tests do not ask about. */
const health = {
  drift: { latestForTenant: () => Promise.resolve(null) },
  controllers: {
    tenantHealth: () =>
      Promise.resolve({ counts: { healthy: 0, unhealthy: 0, unknown: 0, disabled: 0 }, unhealthy: [] }),
  },
};

const query = (overrides: Partial<MetricsQuery>): MetricsQuery => ({
  tenantId: 'acme',
  metric: 'views',
  from,
  to,
  interval: 'hour',
  filters: {},
  limit: 10,
  ...overrides,
});

describe('MetricsService', () => {
  it('computes the success rate per bucket and over the range, per workflow, largest first', async () => {
    const sut = new MetricsService({
      ...health,
      db: fakeDatabase(),
      analytics: fakeAnalyticsStore(),
      operational: operationalWith({
        endedJobs: [
          { t: at(0), group: 'video', completed: 3, ended: 4 },
          { t: at(2), group: 'video', completed: 1, ended: 2 },
          { t: at(1), group: 'text', completed: 2, ended: 2 },
        ],
      }),
    });
    const { series } = await sut.query(query({ metric: 'jobSuccessRate', groupBy: 'workflow' }));
    expect(series.map((s) => [s.group, s.total, s.points.map((p) => p.value)])).toEqual([
      ['text', 1, [0, 1, 0]],
      // 4 of 6 runs over the range, not the mean of the buckets' rates (0.625).
      ['video', 4 / 6, [0.75, 0, 0.5]],
    ]);
  });

  it('adds up the queue depth from the runs open at the start and those opened and ended per bucket', async () => {
    const sut = new MetricsService({
      ...health,
      db: fakeDatabase(),
      analytics: fakeAnalyticsStore(),
      operational: operationalWith({
        queueDepth: {
          openAtFrom: 2,
          changes: [
            { t: at(0), opened: 3, ended: 1 },
            { t: at(2), opened: 0, ended: 4 },
          ],
        },
      }),
    });
    const depth = await sut.queueDepth(query({}));
    // The depth at each bucket's close; the total is the last, as a gauge reads.
    expect([depth.total, depth.points.map((p) => p.value)]).toEqual([0, [4, 4, 0]]);
  });

  it('gives the percentile metrics three series with every bucket, zeros where nothing ended', async () => {
    const sut = new MetricsService({
      ...health,
      db: fakeDatabase(),
      analytics: fakeAnalyticsStore(),
      operational: operationalWith({
        jobLatency: [
          { t: at(1), p50: 2, p95: 5, p99: 9, n: 10 },
          { t: null, p50: 2, p95: 5, p99: 9, n: 10 },
        ],
      }),
    });
    const { series } = await sut.query(query({ metric: 'jobLatency' }));
    expect(series.map((s) => [s.group, s.total, s.points.map((p) => p.value)])).toEqual([
      ['p50', 2, [0, 2, 0]],
      ['p95', 5, [0, 5, 0]],
      ['p99', 9, [0, 9, 0]],
    ]);
    const empty = await new MetricsService({
      ...health,
      db: fakeDatabase(),
      analytics: fakeAnalyticsStore(),
      operational: operationalWith({}),
    }).query(query({ metric: 'projectionLag' }));
    expect(empty.series.map((s) => s.total)).toEqual([0, 0, 0]);
    expect(empty.series[0]!.points).toHaveLength(3);
  });

  it('answers one series of zeros for jobs when nothing ran', async () => {
    const sut = new MetricsService({
      ...health,
      db: fakeDatabase(),
      analytics: fakeAnalyticsStore(),
      operational: operationalWith({}),
    });
    const { series } = await sut.query(query({ metric: 'jobs' }));
    expect(series).toEqual([
      { group: null, total: 0, points: [0, 1, 2].map((h) => ({ t: at(h), value: 0 })) },
    ]);
  });

  it('ranks trending assets by score with their views over the range, and asks the store about the right tenant', async () => {
    const analytics = fakeAnalyticsStore();
    const hot = '00000000-0000-4000-8000-000000000001';
    const cold = '00000000-0000-4000-8000-000000000002';
    analytics.events.push(
      ...[0, 1, 2, 2].map((h) => aStoredEvent({ type: 'play', assetId: hot, occurredAt: at(h) })),
      aStoredEvent({ type: 'play', assetId: cold, occurredAt: at(2) }),
      // Viewed a lot in its baseline week: not trending.
      ...Array.from({ length: 200 }, (_, i) =>
        aStoredEvent({ type: 'play', assetId: cold, occurredAt: new Date(from.getTime() - (i + 30) * HOUR) }),
      ),
      aStoredEvent({ tenantId: 'other', type: 'play', assetId: cold, occurredAt: at(1) }),
    );
    const sut = new MetricsService({
      ...health,
      db: fakeDatabase(),
      analytics,
      operational: operationalWith({}),
    });
    const { series } = await sut.query(query({ metric: 'trendingAssets' }));
    expect(series.map((s) => s.group)).toEqual([hot, cold]);
    expect(series[0]!.points.map((p) => p.value)).toEqual([1, 1, 2]);
    expect(series[0]!.total).toBeGreaterThan(series[1]!.total);
  });
});
