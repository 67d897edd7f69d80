import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ingestNamed, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';

const MASK_KEY = 'a-test-masking-key-of-at-least-32-chars';

/**
 * Learning from clicks through HTTP (docs/clicks.md): POST /v1/events (searches and clicks) → the
 * event log → the analytics store → the click-learning schedule → GET /v1/search ranks with the
 * boosts, GET /v1/suggest offers the popular query, GET /v1/metrics/queries lists queries for curators.
 */
describe('learning from clicks', () => {
  let t: TestApp;
  let admin: { authorization: string };
  let player: { authorization: string };
  let analyst: { authorization: string };
  let ids: Record<'coral' | 'tides' | 'whales' | 'reefs', string>;
  let oceanBefore: string[];
  let seaBefore: string[];
  let oceansBefore: string[];
  let minute = 0;
  const start = Date.now() - 3_600_000;
  const nextTime = () => new Date(start + minute++ * 1_000).toISOString();

  const search = async (q: string, key = admin) => {
    const res = await t.app.inject({ url: `/v1/search?q=${encodeURIComponent(q)}&blend=none`, headers: key });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ hits: { asset: { id: string } }[] }>().hits.map((h) => h.asset.id);
  };
  /** One person's search of `q` showing `shown`, then clicks on the given assets. */
  const session = (user: string, q: string, shown: string[], clicked: string[], totalHits = shown.length) => [
    {
      id: randomUUID(),
      type: 'search',
      userId: user,
      sessionId: `${user}-s`,
      occurredAt: nextTime(),
      search: { query: q, resultIds: shown, totalHits },
    },
    ...clicked.map((assetId) => ({
      id: randomUUID(),
      type: 'click',
      userId: user,
      sessionId: `${user}-s`,
      assetId,
      occurredAt: nextTime(),
      search: { query: q, clickedRank: shown.indexOf(assetId) + 1 },
    })),
  ];
  const post = async (events: object[]) => {
    for (let i = 0; i < events.length; i += 1_000) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/events',
        headers: player,
        payload: { events: events.slice(i, i + 1_000) },
      });
      expect(res.statusCode, res.body).toBe(202);
    }
  };

  beforeAll(async () => {
    t = await createTestApp({ env: { MASK_KEY, CLICK_LEARNING_INTERVAL_MS: '0' } });
    admin = await t.keyFor('clicks', 'ADMIN');
    player = await t.keyFor('clicks', 'DEVELOPER');
    analyst = await t.keyFor('clicks', 'CONTENT_MANAGER');
    ids = await ingestNamed(t, admin, {
      coral: anAssetInput({ title: 'Ocean coral and ocean sea life', description: 'The ocean sea.' }),
      tides: anAssetInput({ title: 'Tides of the ocean', description: 'Sea water moves.' }),
      whales: anAssetInput({ title: 'Whales', description: 'They swim in the ocean and the sea.' }),
      reefs: anAssetInput({ title: 'Reefs', description: 'Far below.', transcript: 'the ocean, the sea' }),
    });
    [oceanBefore, seaBefore, oceansBefore] = [
      await search('ocean'),
      await search('sea'),
      await search('oceans ocean'),
    ];
    expect(oceanBefore).toHaveLength(4);
    const last = oceanBefore[3]!;
    const events = [
      // Six people search "ocean" and each clicks the result shown last (some twice, in two sessions).
      ...Array.from({ length: 6 }, (_, u) => session(`person-${u}`, 'Ocean', oceanBefore, [last])).flat(),
      ...session('person-0', 'ocean', oceanBefore, [last]),
      // One client clicks the last result of "sea" 600 times.
      ...Array.from({ length: 600 }, () =>
        session('spammer', 'sea', seaBefore, [seaBefore[seaBefore.length - 1]!]),
      ).flat(),
      // Five people search "kelp" and click nothing; three search "xyzzy" and find nothing.
      ...Array.from({ length: 5 }, (_, u) => session(`person-${u}`, 'kelp', [ids.coral], [])).flat(),
      ...Array.from({ length: 3 }, (_, u) => session(`person-${u}`, 'xyzzy', [], [], 0)).flat(),
    ];
    await post(events);
    const searches = events.filter((e) => e.type === 'search').length;
    const deadline = Date.now() + 60_000;
    for (;;) {
      const res = await t.app.inject({
        url: `/v1/metrics?metric=searches&interval=hour&from=${new Date(start - 3_600_000).toISOString()}&to=${new Date(Date.now() + 3_600_000).toISOString()}`,
        headers: analyst,
      });
      const total = res.json<{ series: { total: number }[] }>().series[0]?.total ?? 0;
      if ((await t.container.eventLog.lag()).entries === 0 && total === searches) break;
      if (Date.now() > deadline)
        throw new Error(`the events did not reach the analytics store (${total} of ${searches})`);
      await sleep(100);
    }
    // What the schedule runs every CLICK_LEARNING_INTERVAL_MS.
    await t.container.clickLearningSchedule.runNow();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('moves the result people click up for that query, whatever its case, and leaves other queries alone', async () => {
    const after = await search('ocean');
    expect(after.indexOf(oceanBefore[3]!)).toBeLessThan(3);
    expect(new Set(after)).toEqual(new Set(oceanBefore));
    expect(await search('OCEAN ')).toEqual(after);
    expect(await search('oceans ocean')).toEqual(oceansBefore);
  });

  it('lets one client clicking one result 600 times move nothing', async () => {
    expect(await search('sea')).toEqual(seaBefore);
  });

  it('suggests a query enough people searched, not one a single client did', async () => {
    const suggest = async (q: string, key = admin) => {
      const res = await t.app.inject({ url: `/v1/suggest?q=${q}`, headers: key });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ suggestions: { kind: string }[]; queries?: { kind: string; value: string }[] }>();
    };
    const ocean = await suggest('oce');
    expect(ocean.queries).toEqual([{ kind: 'query', value: 'Ocean' }]);
    // The released list of suggestions keeps its kinds.
    expect(ocean.suggestions.map((s) => s.kind)).not.toContain('query');
    expect((await suggest('se')).queries).toBeUndefined();
    // Another tenant sees none of it.
    const other = await t.keyFor('clicks-elsewhere', 'ADMIN');
    expect((await suggest('oce', other)).queries).toBeUndefined();
  });

  it('lists zero-result and low-click queries for curators, with metrics:read, per tenant', async () => {
    const list = async (kind: string, key = analyst) => {
      const res = await t.app.inject({ url: `/v1/metrics/queries?kind=${kind}`, headers: key });
      return res;
    };
    const zero = (await list('zero-results')).json<{
      computedAt: string | null;
      queries: { query: string; people: number }[];
    }>();
    expect(zero.computedAt).not.toBeNull();
    expect(zero.queries).toEqual([
      expect.objectContaining({ query: 'xyzzy', searches: 3, zeroResultSearches: 3, people: 3 }),
    ]);
    const low = (await list('low-clicks')).json<{ queries: { query: string; clickedSearches: number }[] }>();
    expect(low.queries[0]).toMatchObject({ query: 'kelp', clickedSearches: 0, searches: 5 });
    expect(low.queries.map((q) => q.query)).not.toContain('xyzzy');
    expect((await list('everything')).statusCode).toBe(400);
    const viewer = await t.keyFor('clicks', 'VIEWER');
    expect((await list('zero-results', viewer)).statusCode).toBe(403);
    const other = await t.keyFor('clicks-elsewhere', 'CONTENT_MANAGER');
    expect((await list('zero-results', other)).json<{ queries: unknown[] }>().queries).toEqual([]);
  });
});
