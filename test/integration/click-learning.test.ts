import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../domain/interaction-events.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { aStoredEvent } from '../support/factories.js';

const DAY = 86_400_000;

/**
 * The click-learning run on the real stores: the analytics store's searches and clicks of the
 * window → the model → click_boosts and search_query_stats (migration 0037), per tenant.
 */
describe('click learning run', () => {
  let t: TestApp;
  const shown = [randomUUID(), randomUUID(), randomUUID()];
  const sessionEvents = (tenantId: string, user: string, query: string, clicked: number | null, at: Date) => {
    const base = { tenantId, userToken: `tok_${user}`, sessionToken: `${user}-s`, asset: null };
    const events: StoredEvent[] = [
      aStoredEvent({
        ...base,
        type: 'search',
        occurredAt: at,
        search: { query, resultIds: shown, totalHits: 3 },
      }),
    ];
    if (clicked !== null)
      events.push(
        aStoredEvent({
          ...base,
          type: 'click',
          assetId: shown[clicked]!,
          occurredAt: new Date(at.getTime() + 1_000),
          search: { query, clickedRank: clicked + 1 },
        }),
      );
    return events;
  };
  const boostsOf = async (tenantId: string) =>
    t.container.db.query<{ query: string; asset_id: string; boost: number }>(
      'SELECT query, asset_id::text AS asset_id, boost FROM click_boosts WHERE tenant_id = $1 ORDER BY query, asset_id',
      [tenantId],
    );

  beforeAll(async () => {
    // No workers: the schedule's run at start would race the events recorded here.
    t = await createTestApp({ workers: false });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('replaces a tenant’s boosts each run, learns only from the window, and keeps tenants apart', async () => {
    await t.keyFor('cl-a', 'ADMIN');
    await t.keyFor('cl-b', 'ADMIN');
    const now = Date.now();
    const recent = (i: number) => new Date(now - 3_600_000 + i * 10_000);
    await t.container.analytics.record([
      // Eight people in tenant a click the third result of "Jazz".
      ...Array.from({ length: 8 }, (_, u) => sessionEvents('cl-a', `a${u}`, 'Jazz', 2, recent(u))).flat(),
      // Outside the 30-day window: ignored.
      ...Array.from({ length: 8 }, (_, u) =>
        sessionEvents('cl-a', `old${u}`, 'blues', 0, new Date(now - 40 * DAY)),
      ).flat(),
      // Tenant b: the same assets and query, nobody clicks.
      ...Array.from({ length: 8 }, (_, u) => sessionEvents('cl-b', `b${u}`, 'jazz', null, recent(u))).flat(),
    ]);
    const run = await t.container.clickLearning.recompute('cl-a');
    expect(run.eventsUsed).toBe(16);
    const a = await boostsOf('cl-a');
    expect(a.map((r) => r.query)).toEqual(['jazz', 'jazz', 'jazz']);
    expect(a.find((r) => r.asset_id === shown[2])!.boost).toBeGreaterThan(0);
    expect(a.filter((r) => r.asset_id !== shown[2]).every((r) => r.boost < 0)).toBe(true);
    expect(await t.container.clickLearning.boostsFor('cl-a', '  JAZZ ')).toHaveLength(3);

    await t.container.clickLearning.recompute('cl-b');
    expect(await boostsOf('cl-b')).toEqual([]);
    expect(await t.container.clickLearning.boostsFor('cl-b', 'jazz')).toEqual([]);
    expect(await t.container.clickLearning.curatorQueries('cl-b', 'low-clicks', 10)).toEqual([
      { query: 'jazz', searches: 8, zeroResultSearches: 0, clickedSearches: 0, voters: 8 },
    ]);

    // The next run replaces the set: once the events are gone (erased, expired), so are the boosts.
    await t.container.analytics.expireRaw('cl-a', new Date(now + 60_000));
    await t.container.clickLearning.recompute('cl-a');
    expect(await boostsOf('cl-a')).toEqual([]);
    expect((await t.container.clickLearning.lastRun('cl-a'))!.eventsUsed).toBe(0);
  });

  it('writes nothing for a tenant that never had searches', async () => {
    await t.keyFor('cl-none', 'ADMIN');
    const run = await t.container.clickLearning.recompute('cl-none');
    expect(run.eventsUsed).toBe(0);
    expect(await t.container.clickLearning.lastRun('cl-none')).toBeNull();
  });
});
