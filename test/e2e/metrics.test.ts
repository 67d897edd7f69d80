import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { StoredEvent } from '../../domain/interaction-events.js';
import { createTestApp, ingestNamed, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';
import { aStoredEvent, fakeAnalyticsStore } from '../support/fakes.js';

interface MetricsDto {
  metric: string;
  interval: string;
  from: string;
  to: string;
  series: { group: string | null; total: number; points: { t: string; value: number }[] }[];
  approximate?: true;
}

const HOUR = 3_600_000;

/**
 * GET /v1/metrics over an in-memory analytics store (the adapters have a contract suite of their
 * own) and the real canonical store for the pipeline metrics.
 */
describe('GET /v1/metrics', () => {
  let t: TestApp;
  let reader: { authorization: string };
  let editor: { authorization: string };
  const analytics = fakeAnalyticsStore();
  // Three whole hours, ending at the start of the current hour.
  const to = new Date(Math.floor(Date.now() / HOUR) * HOUR);
  const from = new Date(to.getTime() - 3 * HOUR);
  const at = (hour: number, minute = 10) => new Date(from.getTime() + hour * HOUR + minute * 60_000);
  const assetX = randomUUID();
  const assetY = randomUUID();
  const range = `from=${from.toISOString()}&to=${to.toISOString()}&interval=hour`;

  const event = (overrides: Partial<StoredEvent>) => aStoredEvent({ tenantId: 'metrics-a', ...overrides });
  const play = (assetId: string, hour: number, country: string, user: string) =>
    event({
      type: 'play',
      assetId,
      occurredAt: at(hour),
      userToken: user,
      context: { country },
      asset: {
        type: 'VIDEO',
        sourceSystem: 'cms',
        tags: ['kelp'],
        topics: [],
        speakers: [],
        durationSeconds: 60,
      },
    });
  const search = (query: string, totalHits: number, hour: number) =>
    event({ type: 'search', occurredAt: at(hour), search: { query, totalHits } });

  beforeAll(async () => {
    t = await createTestApp({ analytics });
    reader = await t.keyFor('metrics-a', 'DEVELOPER');
    editor = await t.keyFor('metrics-a', 'EDITOR');
    analytics.events.push(
      play(assetX, 0, 'DE', 'u1'),
      play(assetX, 0, 'DE', 'u2'),
      play(assetX, 0, 'DE', 'u1'),
      play(assetX, 2, 'AT', 'u3'),
      play(assetY, 1, 'DE', 'u1'),
      event({ type: 'complete', assetId: assetX, occurredAt: at(0, 30), position: 60_000 }),
      search('kelp', 5, 0),
      search('kelp', 3, 0),
      search('zzz', 0, 1),
      // Outside the range, and another tenant's: never counted.
      play(assetX, 3, 'DE', 'u1'),
      ...Array.from({ length: 10 }, () => ({ ...play(assetX, 0, 'DE', 'u9'), tenantId: 'metrics-b' })),
    );
  }, 180_000);
  afterAll(() => t?.close());

  const get = async (query: string, headers = reader) => {
    const res = await t.app.inject({ url: `/v1/metrics?${query}`, headers });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<MetricsDto>();
  };
  const refused = async (query: string, headers = reader) =>
    t.app.inject({ url: `/v1/metrics?${query}`, headers });

  it('answers a metric as one series with every bucket of the range, of its own tenant only', async () => {
    const m = await get(`metric=views&${range}`);
    expect(m).toMatchObject({
      metric: 'views',
      interval: 'hour',
      from: from.toISOString(),
      to: to.toISOString(),
    });
    expect(m.approximate).toBeUndefined();
    expect(m.series).toEqual([
      {
        group: null,
        total: 5,
        points: [0, 1, 2].map((h, i) => ({
          t: new Date(from.getTime() + h * HOUR).toISOString(),
          value: [3, 1, 1][i],
        })),
      },
    ]);
  });

  it('splits a metric by a dimension, largest first, and filters it', async () => {
    const byCountry = await get(`metric=views&groupBy=country&${range}`);
    expect(byCountry.series.map((s) => [s.group, s.total, s.points.map((p) => p.value)])).toEqual([
      ['DE', 4, [3, 1, 0]],
      ['AT', 1, [0, 0, 1]],
    ]);
    const rate = await get(`metric=completionRate&assetId=${assetX}&${range}`);
    expect(rate.series[0]!.total).toBeCloseTo(1 / 4);
    const austria = await get(`metric=views&country=at&${range}`);
    expect(austria.series[0]!.total).toBe(1);
  });

  it('marks unique viewers approximate', async () => {
    const m = await get(`metric=uniqueViewers&${range}`);
    expect(m.approximate).toBe(true);
    expect(m.series[0]!.total).toBe(3);
  });

  it('ranks assets and queries', async () => {
    const top = await get(`metric=topAssets&${range}`);
    expect(top.series.map((s) => [s.group, s.total])).toEqual([
      [assetX, 4],
      [assetY, 1],
    ]);
    expect((await get(`metric=topAssets&limit=1&${range}`)).series.map((s) => s.group)).toEqual([assetX]);
    const queries = await get(`metric=topQueries&${range}`);
    expect(queries.series.map((s) => [s.group, s.total])).toEqual([
      ['kelp', 2],
      ['zzz', 1],
    ]);
    const zero = await get(`metric=zeroResultQueries&${range}`);
    expect(zero.series.map((s) => [s.group, s.total])).toEqual([['zzz', 1]]);
    const trending = await get(`metric=trendingAssets&${range}`);
    expect(trending.series.map((s) => s.group)).toEqual([assetX, assetY]);
    expect(trending.series[0]!.points.map((p) => p.value)).toEqual([3, 0, 1]);
  });

  it('defaults to the last 7 days up to now, by the hour', async () => {
    const before = Date.now();
    const m = await get('metric=views');
    expect(m.interval).toBe('hour');
    expect(Date.parse(m.to)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(m.to) - Date.parse(m.from)).toBe(7 * 24 * HOUR);
    expect(m.series[0]!.points.length).toBeGreaterThanOrEqual(168);
    expect(m.series[0]!.points.length).toBeLessThanOrEqual(169);
  });

  it('refuses queries it cannot answer well with a 400 naming the problem', async () => {
    const cases: [string, string, RegExp][] = [
      [`metric=views&from=${to.toISOString()}&to=${from.toISOString()}`, 'from', /before to/],
      [
        `metric=views&from=2026-01-01T00:00:00Z&to=2026-01-03T00:00:00Z&interval=minute`,
        'interval',
        /2880 buckets; at most 1500 .*maxBuckets/,
      ],
      [`metric=jobLatency&groupBy=status&${range}`, 'groupBy', /jobLatency takes no groupBy/],
      [`metric=views&groupBy=status&${range}`, 'groupBy', /views is grouped by asset, tag/],
      [`metric=jobs&country=DE&${range}`, 'country', /jobs takes no filters/],
      [`metric=wishes&${range}`, 'metric', /./],
    ];
    for (const [query, field, message] of cases) {
      const res = await refused(query);
      expect(res.statusCode, `${query}: ${res.body}`).toBe(400);
      const body = res.json<{ detail: string; errors?: { field: string; message: string }[] }>();
      expect(body.errors?.[0]?.field ?? '', query).toContain(field);
      if (field !== 'metric') expect(body.detail, query).toMatch(message);
    }
  });

  it('needs metrics:read', async () => {
    const viewer = await t.keyFor('metrics-a', 'VIEWER');
    expect((await refused(`metric=views&${range}`, viewer)).statusCode).toBe(403);
    const none = await t.app.inject({ url: `/v1/metrics?metric=views&${range}` });
    expect(none.statusCode).toBe(401);
  });

  it("reports the tenant's own pipeline: jobs, success rate, latency, ingest and projection lag", async () => {
    const started = new Date(Date.now() - 60_000);
    await ingestNamed(t, editor, { one: anAssetInput(), two: anAssetInput() });
    await ingestNamed(t, await t.keyFor('metrics-b', 'EDITOR'), { other: anAssetInput() });
    const window = `from=${started.toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}&interval=minute`;

    const jobs = await get(`metric=jobs&${window}`);
    expect(jobs.series).toHaveLength(1);
    expect(jobs.series[0]!.total).toBe(2);
    expect(jobs.series[0]!.points.reduce((n, p) => n + p.value, 0)).toBe(2);
    const byStatus = await get(`metric=jobs&groupBy=status&${window}`);
    expect(byStatus.series.map((s) => [s.group, s.total])).toEqual([['COMPLETED', 2]]);
    expect((await get(`metric=jobSuccessRate&${window}`)).series[0]!.total).toBe(1);

    for (const metric of ['jobLatency', 'ingestLag']) {
      const m = await get(`metric=${metric}&${window}`);
      expect(m.series.map((s) => s.group)).toEqual(['p50', 'p95', 'p99']);
      const [p50, p95, p99] = m.series.map((s) => s.total);
      expect(p50, metric).toBeGreaterThan(0);
      expect(p50).toBeLessThanOrEqual(p95!);
      expect(p95).toBeLessThanOrEqual(p99!);
    }
    // The projection job counts its lag once it has projected, which may be just after the write answered.
    await vi.waitFor(
      async () => expect((await get(`metric=projectionLag&${window}`)).series[0]!.total).toBeGreaterThan(0),
      { timeout: 20_000, interval: 200 },
    );
  });

  it("follows the queue depth: runs open at each bucket's close, of the tenant only", async () => {
    const [asset] = Object.values(await ingestNamed(t, editor, { queued: anAssetInput() }));
    const [other] = Object.values(
      await ingestNamed(t, await t.keyFor('metrics-b', 'EDITOR'), { queued: anAssetInput() }),
    );
    // A window of its own, two days back, where no real run falls.
    const start = new Date(Math.floor((Date.now() - 2 * 24 * HOUR) / HOUR) * HOUR);
    const minute = (m: number) => new Date(start.getTime() + m * 60_000);
    const run = (
      tenant: string,
      assetId: string,
      workflow: string,
      status: string,
      s: Date,
      e: Date | null,
    ) =>
      t.container.db.query(
        `INSERT INTO processing_jobs (tenant_id, id, asset_id, asset_version, workflow, status, created_at, finished_at, updated_at)
         VALUES ($1, $2, $3, 1, $4, $5, $6, $7, COALESCE($7, now()))`,
        [tenant, randomUUID(), assetId, workflow, status, s, e],
      );
    await run('metrics-a', asset!, 'qd-before', 'FAILED', minute(-5), minute(2));
    await run('metrics-a', asset!, 'qd-done', 'COMPLETED', minute(1), minute(3));
    await run('metrics-a', asset!, 'qd-open', 'QUEUED', minute(2), null);
    await run('metrics-a', asset!, 'qd-old', 'COMPLETED', minute(-9), minute(-6));
    await run('metrics-b', other!, 'qd-other', 'QUEUED', minute(0), null);
    const window = `from=${start.toISOString()}&to=${minute(5).toISOString()}&interval=minute`;
    const res = await t.app.inject({ url: `/v1/metrics/queue-depth?${window}`, headers: reader });
    expect(res.statusCode, res.body).toBe(200);
    const depth = res.json<{ interval: string; total: number; points: { t: string; value: number }[] }>();
    expect(depth.interval).toBe('minute');
    expect(depth.points.map((p) => p.t)).toEqual([0, 1, 2, 3, 4].map((m) => minute(m).toISOString()));
    expect([depth.total, depth.points.map((p) => p.value)]).toEqual([1, [1, 2, 2, 1, 1]]);
    const tooFine = await t.app.inject({
      url: `/v1/metrics/queue-depth?from=${minute(-3000).toISOString()}&to=${minute(5).toISOString()}&interval=minute`,
      headers: reader,
    });
    expect(tooFine.statusCode).toBe(400);
    expect(
      (await t.app.inject({ url: `/v1/metrics/queue-depth?${window}`, headers: editor })).statusCode,
    ).toBe(403);
  });
});
