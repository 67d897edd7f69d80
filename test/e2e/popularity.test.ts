import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ingestNamed, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';

const DAY = 86_400_000;

/**
 * Popularity and trending through HTTP: assets ingested, plays posted to POST /v1/events, the
 * popularity run (what the schedule runs), and GET /v1/search ordered by them.
 */
describe('popularity and trending from events', () => {
  let t: TestApp;
  let admin: { authorization: string };
  let player: { authorization: string };
  let names: Record<'famous' | 'rising' | 'steady' | 'quiet', string>;
  const tag = `pop-${randomUUID().slice(0, 8)}`;

  const order = async (sort: string, headers = admin, limit = 10) => {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const qs: URLSearchParams = new URLSearchParams({
        tag,
        sort,
        limit: String(limit),
        ...(cursor ? { cursor } : {}),
      });
      const res: { statusCode: number; body: string; json<T>(): T } = await t.app.inject({
        url: `/v1/search?${qs.toString()}`,
        headers,
      });
      expect(res.statusCode, res.body).toBe(200);
      const page: { hits: { asset: { id: string } }[]; nextCursor: string | null } = res.json();
      ids.push(...page.hits.map((h) => h.asset.id));
      cursor = page.nextCursor;
    } while (cursor);
    const byId = new Map(Object.entries(names).map(([name, id]) => [id, name]));
    return ids.map((id) => byId.get(id));
  };

  beforeAll(async () => {
    t = await createTestApp({
      env: { POPULARITY_INTERVAL_MS: '0', MASK_KEY: 'a-test-masking-key-of-at-least-32-chars' },
    });
    admin = await t.keyFor('pop', 'ADMIN');
    player = await t.keyFor('pop', 'DEVELOPER');
    const asset = (title: string, viewCount: number) =>
      anAssetInput({ title, tags: [tag], technicalMetadata: { viewCount } });
    names = await ingestNamed(t, admin, {
      famous: asset('Famous at the source', 1_000_000),
      rising: asset('Rising here', 10),
      steady: asset('Steady here', 500),
      quiet: asset('Quiet everywhere', 100),
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('keeps the source view count order without events, then follows the events after a run', async () => {
    // No events yet: both sorts are the source's order.
    expect(await order('popularity')).toEqual(['famous', 'steady', 'quiet', 'rising']);
    expect(await order('trending')).toEqual(['famous', 'steady', 'quiet', 'rising']);

    const now = Date.now();
    const play = (assetId: string, ms: number) => ({
      id: randomUUID(),
      type: 'play',
      assetId,
      userId: `u-${randomUUID().slice(0, 6)}`,
      occurredAt: new Date(ms).toISOString(),
      position: 0,
    });
    const events = [
      // Steady: many plays ten days ago, three now (a large, decayed popularity; barely trending).
      // Three, not two: trending divides by the recent window's elapsed days (1 to 2 by the hour),
      // and two fell below the 30-play baseline's rate late in the UTC day.
      ...Array.from({ length: 30 }, (_, i) => play(names.steady, now - 10 * DAY + i * 60_000)),
      play(names.steady, now - 60_000),
      play(names.steady, now - 120_000),
      play(names.steady, now - 180_000),
      // Rising: six plays now and nothing before.
      ...Array.from({ length: 6 }, (_, i) => play(names.rising, now - (i + 1) * 60_000)),
    ];
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: player,
      payload: { events },
    });
    expect(res.statusCode, res.body).toBe(202);
    const deadline = Date.now() + 60_000;
    while ((await t.container.eventLog.lag()).entries > 0) {
      if (Date.now() > deadline) throw new Error('the events did not reach the analytics store');
      await sleep(100);
    }

    const run = await t.container.popularity.recomputeAll();
    expect(run.failed).toEqual([]);
    expect(run.assets).toBeGreaterThanOrEqual(2);

    // Learned popularity first (steady: 30 × 2^(−10/7) + 3 ≈ 14; rising: 6), then the source's views.
    expect(await order('popularity')).toEqual(['steady', 'rising', 'famous', 'quiet']);
    // Trending: rising has no baseline; steady's three recent plays are a little over its old rate.
    expect(await order('trending')).toEqual(['rising', 'steady', 'famous', 'quiet']);
    // The same across pages of one (the cursors carry every sort key).
    expect(await order('trending', admin, 1)).toEqual(['rising', 'steady', 'famous', 'quiet']);
    expect(await order('popularity', admin, 1)).toEqual(['steady', 'rising', 'famous', 'quiet']);

    // A second run changes nothing, and another tenant's order is its own.
    await t.container.popularity.recomputeAll();
    expect(await order('popularity')).toEqual(['steady', 'rising', 'famous', 'quiet']);
    const other = await t.keyFor('pop-other', 'ADMIN');
    const res2 = await t.app.inject({ url: `/v1/search?tag=${tag}&sort=trending`, headers: other });
    expect(res2.json<{ hits: unknown[] }>().hits).toEqual([]);
  });
});
