import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { GraphStore } from '../../graph/graph-store.js';
import { MetricsRegistry, serviceMetrics } from '../../services/metrics.js';
import type { SearchIndex } from '../../search/search-index.js';
import { SystemService } from '../../services/system-service.js';
import type { Database } from '../../store/db.js';
import type { JobQueue } from '../../queue/job-queue.js';

const never = () => new Promise<never>(() => undefined);
const after = (ms: number) => new Promise<never[]>((resolve) => setTimeout(() => resolve([]), ms));

function sut(
  probes: {
    db?: () => Promise<unknown>;
    search?: () => Promise<unknown>;
    analytics?: () => Promise<void>;
    eventLag?: () => Promise<{ entries: number; oldestMs: number | null }>;
  },
  metrics = serviceMetrics(),
) {
  const db = { kind: 'postgres', query: probes.db ?? (() => Promise.resolve([])) } as unknown as Database;
  const queue = {
    kind: 'bullmq',
    counts: () => Promise.resolve({ waiting: 0, active: 0, delayed: 0, failed: 0 }),
  } as unknown as JobQueue;
  const search = {
    kind: 'elasticsearch',
    projectedIdsAfter: probes.search ?? (() => Promise.resolve([])),
  } as unknown as SearchIndex;
  const graph = { kind: 'neo4j', projectedIdsAfter: () => Promise.resolve([]) } as unknown as GraphStore;
  return new SystemService(
    {
      db,
      outbox: { lag: () => Promise.resolve({ pending: 0, oldestAgeSeconds: 0 }) },
      drift: { latest: () => Promise.resolve(null) },
      pipeline: { inFlight: () => Promise.resolve({ assets: 0, oldestAgeSeconds: 0 }) },
      controllers: { healthCounts: () => Promise.resolve({ unknown: 0, healthy: 0, unhealthy: 0 }) },
      rebuilds: { list: () => Promise.resolve([]) },
      queue,
      graph,
      search,
      analytics: { kind: 'clickhouse', store: { ping: probes.analytics ?? (() => Promise.resolve()) } },
      eventLog: { lag: probes.eventLag ?? (() => Promise.resolve({ entries: 0, oldestMs: null })) },
      metrics,
    },
    // Far apart: a probe that waits 50 ms is past "slow" and well short of "down".
    { timeoutMs: 2_000, slowMs: 5, eventsBehindSeconds: 60 },
  );
}

describe('readiness', () => {
  // The clock stands still unless the test moves it: a probe that answers at once takes 0 ms even
  // on a busy machine (where a real 5 ms could pass before its promise settles), and one that
  // waits 50 ms takes exactly that.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  /** Readiness, with the clock moved past the timeout so every timer has fired. */
  async function ready(service: SystemService) {
    const answer = service.readiness();
    await vi.advanceTimersByTimeAsync(2_000);
    return answer;
  }

  it('calls a component that answers slowly degraded, and one that does not answer down', async () => {
    const r = await ready(sut({ search: () => after(50), db: never }));
    expect(r.status).toBe('down');
    expect(r.components).toEqual({
      database: { status: 'down', kind: 'postgres' },
      queue: { status: 'ok', kind: 'bullmq' },
      search: { status: 'degraded', kind: 'elasticsearch' },
      graph: { status: 'ok', kind: 'neo4j' },
      analytics: { status: 'ok', kind: 'clickhouse' },
    });
  }, 10_000);

  it('is degraded, not down, when every component answers and one is slow', async () => {
    expect((await ready(sut({ search: () => after(50) }))).status).toBe('degraded');
  });

  it('calls the analytics store down when its ping fails, and degraded when it is slow', async () => {
    const down = await ready(sut({ analytics: () => Promise.reject(new Error('ECONNREFUSED')) }));
    expect(down.status).toBe('down');
    expect(down.components.analytics).toEqual({ status: 'down', kind: 'clickhouse' });
    const slow = await ready(sut({ analytics: () => after(50).then(() => undefined) }));
    expect(slow.status).toBe('degraded');
    expect(slow.components.analytics.status).toBe('degraded');
  });

  it('reports the event backlog, behind past the threshold without failing readiness', async () => {
    const young = await ready(sut({ eventLag: () => Promise.resolve({ entries: 3, oldestMs: 1_500 }) }));
    expect(young.status).toBe('ok');
    expect(young.events).toEqual({ status: 'current', backlog: { entries: 3, oldestSeconds: 1.5 } });
    const old = await ready(sut({ eventLag: () => Promise.resolve({ entries: 40, oldestMs: 61_000 }) }));
    expect(old.status).toBe('ok');
    expect(old.events).toEqual({ status: 'behind', backlog: { entries: 40, oldestSeconds: 61 } });
    const empty = await ready(sut({}));
    expect(empty.events).toEqual({ status: 'current', backlog: { entries: 0, oldestSeconds: 0 } });
  });

  it('calls the event backlog unknown when the stream does not answer', async () => {
    const r = await ready(sut({ eventLag: () => Promise.reject(new Error('stream away')) }));
    expect(r.events).toEqual({ status: 'unknown', backlog: null });
  });

  it('scrapes the event backlog, and leaves it out when the stream does not answer', async () => {
    const metrics = serviceMetrics();
    const lines = async (s: SystemService) => (await s.metricsText()).split('\n');
    const up = await lines(
      sut({ eventLag: () => Promise.resolve({ entries: 7, oldestMs: 2_000 }) }, metrics),
    );
    expect(up).toContain('mdisc_event_stream_backlog_entries 7');
    expect(up).toContain('mdisc_event_stream_oldest_seconds 2');
    const away = await lines(sut({ eventLag: () => Promise.reject(new Error('away')) }, metrics));
    expect(away).not.toContainEqual(expect.stringMatching(/^mdisc_event_stream_backlog_entries /));
  });
});

describe('Prometheus text exposition', () => {
  it('writes help, type, sorted and escaped labels, and cumulative histogram buckets', () => {
    const registry = new MetricsRegistry();
    registry.counter('c_total', 'A counter.').inc({ z: 'a"b', a: 'x\\y\nz' }, 2);
    const h = registry.histogram('h_seconds', 'A histogram.', [0.1, 1]);
    h.observe({ route: '/r' }, 0.05);
    h.observe({ route: '/r' }, 0.5);
    h.observe({ route: '/r' }, 5);
    expect(registry.render()).toBe(
      [
        '# HELP c_total A counter.',
        '# TYPE c_total counter',
        'c_total{a="x\\\\y\\nz",z="a\\"b"} 2',
        '# HELP h_seconds A histogram.',
        '# TYPE h_seconds histogram',
        'h_seconds_bucket{le="0.1",route="/r"} 1',
        'h_seconds_bucket{le="1",route="/r"} 2',
        'h_seconds_bucket{le="+Inf",route="/r"} 3',
        'h_seconds_sum{route="/r"} 5.55',
        'h_seconds_count{route="/r"} 3',
        '',
      ].join('\n'),
    );
  });

  it('refuses an invalid or repeated metric name', () => {
    const registry = new MetricsRegistry();
    registry.gauge('g', 'A gauge.');
    expect(() => registry.gauge('g', 'Again.')).toThrow(/registered twice/);
    expect(() => registry.gauge('1bad', 'Bad.')).toThrow(/invalid metric name/);
  });
});
