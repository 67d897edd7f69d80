import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ingestNamed, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';

const MASK_KEY = 'a-test-masking-key-of-at-least-32-chars';

/**
 * The whole analytics path on the configured backends: POST /v1/events → the event log → the
 * consumer → the analytics store (Postgres on this backend) → GET /v1/metrics.
 */
describe('events in, metrics out', () => {
  let t: TestApp;
  let player: { authorization: string };
  let analyst: { authorization: string };
  let kelp: string;
  let dunes: string;
  const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
  const at = (minutes: number) => new Date(hour.getTime() + minutes * 60_000).toISOString();

  const metric = async (params: Record<string, string>, key = analyst) => {
    const qs = new URLSearchParams({
      from: new Date(hour.getTime() - 86_400_000).toISOString(),
      to: new Date(hour.getTime() + 3_600_000).toISOString(),
      interval: 'hour',
      ...params,
    });
    const res = await t.app.inject({ url: `/v1/metrics?${qs.toString()}`, headers: key });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ series: { group: string | null; total: number }[] }>();
  };

  beforeAll(async () => {
    t = await createTestApp({ env: { MASK_KEY } });
    const admin = await t.keyFor('flow', 'ADMIN');
    player = await t.keyFor('flow', 'DEVELOPER');
    analyst = await t.keyFor('flow', 'CONTENT_MANAGER');
    ({ kelp, dunes } = await ingestNamed(t, admin, {
      kelp: anAssetInput({ title: 'Kelp forests', tags: ['ocean'] }),
      dunes: anAssetInput({ title: 'Dune fields', tags: ['desert'] }),
    }));
    const play = (assetId: string, userId: string, minute: number) => ({
      id: randomUUID(),
      type: 'play',
      assetId,
      userId,
      sessionId: `${userId}-s`,
      occurredAt: at(minute),
      position: 0,
    });
    const events = [
      play(kelp, 'ada', 1),
      play(kelp, 'ada', 2),
      play(kelp, 'bo', 3),
      play(dunes, 'cy', 4),
      {
        id: randomUUID(),
        type: 'complete',
        assetId: kelp,
        userId: 'ada',
        occurredAt: at(5),
        position: 60_000,
      },
      {
        id: randomUUID(),
        type: 'search',
        userId: 'bo',
        occurredAt: at(6),
        search: { query: 'Kelp', totalHits: 4 },
      },
      {
        id: randomUUID(),
        type: 'search',
        userId: 'bo',
        occurredAt: at(7),
        search: { query: 'xyzzy', totalHits: 0 },
      },
    ];
    const first = await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: player,
      payload: { events },
    });
    expect(first.statusCode, first.body).toBe(202);
    // The same batch again (a client retry): counted once.
    const again = await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: player,
      payload: { events },
    });
    expect(again.statusCode).toBe(202);
    const deadline = Date.now() + 30_000;
    while (
      (await t.container.eventLog.lag()).entries > 0 ||
      (await metric({ metric: 'views' })).series[0]?.total !== 4
    ) {
      if (Date.now() > deadline) throw new Error('the events did not reach the metrics');
      await sleep(100);
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  it('counts views, viewers and completion once each, per asset and per tag', async () => {
    expect((await metric({ metric: 'views' })).series[0]!.total).toBe(4);
    expect((await metric({ metric: 'uniqueViewers' })).series[0]!.total).toBe(3);
    expect((await metric({ metric: 'completionRate' })).series[0]!.total).toBeCloseTo(1 / 4);
    const byAsset = await metric({ metric: 'views', groupBy: 'asset' });
    expect(byAsset.series.map((s) => [s.group, s.total])).toEqual([
      [kelp, 3],
      [dunes, 1],
    ]);
    // Each tag the asset had when it was played (enrichment may have added more than its own).
    const byTag = new Map(
      (await metric({ metric: 'views', groupBy: 'tag' })).series.map((s) => [s.group, s.total]),
    );
    expect(byTag.get('ocean')).toBe(3);
    expect(byTag.get('desert')).toBe(1);
  });

  it('answers the search metrics: searches, zero-result rate and the zero-result queries', async () => {
    expect((await metric({ metric: 'searches' })).series[0]!.total).toBe(2);
    expect((await metric({ metric: 'zeroResultRate' })).series[0]!.total).toBeCloseTo(0.5);
    const zero = await metric({ metric: 'zeroResultQueries' });
    expect(zero.series.map((s) => s.group)).toEqual(['xyzzy']);
  });

  it('shows another tenant none of it', async () => {
    const other = await t.keyFor('elsewhere', 'CONTENT_MANAGER');
    expect((await metric({ metric: 'views' }, other)).series[0]?.total ?? 0).toBe(0);
  });
});
