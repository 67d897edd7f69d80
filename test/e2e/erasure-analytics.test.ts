import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalyticsStore } from '../../analytics/analytics-store.js';
import { ClickHouseAnalyticsStore } from '../../analytics/clickhouse-analytics-store.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { aStoredEvent, anAssetInput, anEventAsset } from '../support/factories.js';

const HOUR = 3_600_000;
const clickhouseUrl = process.env.CLICKHOUSE_URL || null;

async function reachable(base: string): Promise<boolean> {
  try {
    return (await fetch(new URL('/ping', base), { signal: AbortSignal.timeout(3_000) })).ok;
  } catch {
    return false;
  }
}
const clickhouseUp = clickhouseUrl ? await reachable(clickhouseUrl) : false;

type Backend = { name: string; make: () => { store?: AnalyticsStore; drop?: () => Promise<void> } };
const backends: Backend[] = [
  // The container's own: the Postgres analytics store on the test's database.
  { name: 'postgres', make: () => ({}) },
  ...(clickhouseUrl && clickhouseUp
    ? [
        {
          name: 'clickhouse',
          make: () => {
            const store = new ClickHouseAnalyticsStore({
              url: clickhouseUrl,
              database: `test_${randomUUID().slice(0, 8)}`,
            });
            return { store, drop: () => store.dropDatabase() };
          },
        },
      ]
    : []),
];
if (backends.length === 1)
  console.log('erasure-analytics: clickhouse SKIPPED (no ClickHouse at CLICKHOUSE_URL)');

interface MetricsDto {
  series: { group: string | null; total: number }[];
}

/**
 * Issue 25: after `POST /v1/erasure` of a speaker, `GET /v1/metrics` grouped or filtered by speaker,
 * tag or topic no longer names the person, on each analytics store; the counts stay.
 */
describe.each(backends)('person erasure reaches the analytics rollups: $name', (backend) => {
  let t: TestApp;
  let admin: { authorization: string };
  let drop: (() => Promise<void>) | undefined;
  const to = new Date(Math.floor(Date.now() / HOUR) * HOUR);
  const from = new Date(to.getTime() - 3 * HOUR);
  const range = `from=${from.toISOString()}&to=${to.toISOString()}&interval=hour`;

  beforeAll(async () => {
    const made = backend.make();
    drop = made.drop;
    if (made.store) await made.store.ensureSchema();
    t = await createTestApp(made.store ? { analytics: made.store } : {});
    admin = await t.keyFor('default', 'ADMIN');
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/assets/batch?wait=true',
      headers: admin,
      payload: { assets: [anAssetInput({ title: 'Kelp talk', speakers: ['Mara Quill', 'Ode Brenn'] })] },
    });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(201);
    const assetId = res.json<{ items: { asset: { id: string } }[] }>().items[0]!.asset.id;
    const dims = anEventAsset({
      speakers: ['Mara Quill', 'Ode Brenn'],
      tags: ['kelp', 'Mara Quill'],
      topics: ['Dr. Mara Quill'],
    });
    await t.container.analytics.record(
      [0, 1, 2].map((h) =>
        aStoredEvent({ assetId, asset: dims, occurredAt: new Date(from.getTime() + h * HOUR + 60_000) }),
      ),
    );
  }, 300_000);
  afterAll(async () => {
    await t?.close();
    await drop?.();
  });

  const metrics = async (query: string) => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/v1/metrics?metric=views&${range}&${query}`,
      headers: admin,
    });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    return res.json<MetricsDto>();
  };
  const groups = async (groupBy: string): Promise<Record<string, number>> =>
    Object.fromEntries(
      (await metrics(`groupBy=${groupBy}`)).series.map((s): [string, number] => [String(s.group), s.total]),
    );

  it('names the person in no group or filter once erased, and keeps the counts', async () => {
    expect(await groups('speaker')).toEqual({ 'Mara Quill': 3, 'Ode Brenn': 3 });
    expect(await groups('topic')).toEqual({ 'Dr. Mara Quill': 3 });

    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/erasure',
      headers: admin,
      payload: { name: 'Mara Quill', reason: 'request #7' },
    });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const report = res.json<{ counts: { assets: number; analytics: { dimensionValues: number } } }>();
    expect(report.counts.assets).toBe(1);
    expect(report.counts.analytics.dimensionValues).toBe(2);

    expect(await groups('speaker')).toEqual({ 'Ode Brenn': 3 });
    expect(await groups('tag')).toEqual({ kelp: 3 });
    expect(await groups('topic')).toEqual({});
    const filtered = await metrics(`speaker=${encodeURIComponent('Mara Quill')}`);
    expect(filtered.series.map((s) => s.total)).toEqual([0]);
    expect((await metrics('')).series.map((s) => s.total)).toEqual([3]);
  }, 300_000);
});
