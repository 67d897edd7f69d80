import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ingestNamed, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';

interface Related {
  items: {
    asset: { id: string };
    score: number;
    reasons: { type: string; name: string; contribution: number; count?: number }[];
  }[];
}

/**
 * "Viewers also watched" through HTTP: sessions posted to POST /v1/events → the analytics store →
 * the co-view schedule → asset_co_views and the graph → GET /v1/assets/{id}/related.
 */
describe('viewers also watched', () => {
  let t: TestApp;
  let admin: { authorization: string };
  let player: { authorization: string };
  let otherAdmin: { authorization: string };
  let otherPlayer: { authorization: string };
  let ids: Record<'seed' | 'partner' | 'bystander', string>;
  let otherIds: Record<'seed' | 'partner', string>;
  const related = async (id: string, headers: { authorization: string }, query = '') => {
    const res = await t.app.inject({ url: `/v1/assets/${id}/related?limit=20${query}`, headers });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Related>();
  };
  /** Sessions of one user each, playing the assets a minute apart. */
  const post = async (headers: { authorization: string }, sessions: string[][]) => {
    const start = Date.now() - 3_600_000;
    const events = sessions.flatMap((assets, s) => {
      const user = `viewer-${randomUUID().slice(0, 8)}`;
      return assets.map((assetId, i) => ({
        id: randomUUID(),
        type: 'play',
        assetId,
        userId: user,
        sessionId: `${user}-s${s}`,
        occurredAt: new Date(start + (s * 10 + i) * 60_000).toISOString(),
        position: 0,
      }));
    });
    const res = await t.app.inject({ method: 'POST', url: '/v1/events', headers, payload: { events } });
    expect(res.statusCode, res.body).toBe(202);
    return events.length;
  };

  beforeAll(async () => {
    // The schedule runs when the test says so (and once at start, before any event).
    t = await createTestApp({
      env: { CO_VIEW_INTERVAL_MS: '0', MASK_KEY: 'a-test-masking-key-of-at-least-32-chars' },
    });
    admin = await t.keyFor('coview', 'ADMIN');
    player = await t.keyFor('coview', 'DEVELOPER');
    otherAdmin = await t.keyFor('coview-other', 'ADMIN');
    otherPlayer = await t.keyFor('coview-other', 'DEVELOPER');
    ids = await ingestNamed(t, admin, {
      seed: anAssetInput({ title: 'Glacier hydrology', tags: ['ice'] }),
      partner: anAssetInput({ title: 'Volcanic soils', tags: ['lava'] }),
      bystander: anAssetInput({ title: 'Medieval tapestries', tags: ['textiles'] }),
    });
    otherIds = await ingestNamed(t, otherAdmin, {
      seed: anAssetInput({ title: 'Glacier hydrology', tags: ['ice'] }),
      partner: anAssetInput({ title: 'Medieval tapestries', tags: ['textiles'] }),
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('relates assets played in the same sessions, with the count, and only through events of the tenant', async () => {
    const before = {
      seed: await related(ids.seed, admin),
      bystander: await related(ids.bystander, admin),
      other: await related(otherIds.seed, otherAdmin),
    };
    expect(before.seed.items.flatMap((i) => i.reasons.map((r) => r.type))).not.toContain('CO_VIEWED');

    // Four sessions play the seed and its partner; one plays the seed and the bystander (under the
    // minimum support). The other tenant pairs the seed's id with the bystander's in its own sessions.
    let posted = await post(player, [
      [ids.seed, ids.partner],
      [ids.partner, ids.seed],
      [ids.seed, ids.partner],
      [ids.seed, ids.partner, ids.bystander],
    ]);
    posted += await post(otherPlayer, [
      [ids.seed, ids.bystander],
      [ids.seed, ids.bystander],
      [ids.seed, ids.bystander],
      [otherIds.seed, otherIds.partner],
    ]);
    expect(posted).toBe(17);
    const deadline = Date.now() + 60_000;
    let found: Related['items'][number] | undefined;
    for (;;) {
      if ((await t.container.eventLog.lag()).entries === 0) {
        await t.container.coViewSchedule.runNow();
        found = (await related(ids.seed, admin)).items.find((i) => i.asset.id === ids.partner);
        if (found) break;
      }
      if (Date.now() > deadline) throw new Error('the sessions did not reach related content');
      await sleep(200);
    }
    expect(found.reasons).toContainEqual({
      type: 'CO_VIEWED',
      name: '4 sessions watched both',
      count: 4,
      contribution: expect.any(Number),
    });
    const coViewed = found.reasons.find((r) => r.type === 'CO_VIEWED')!;
    expect(coViewed.contribution).toBeGreaterThan(0);
    expect(found.score).toBeCloseTo(
      found.reasons.reduce((s, r) => s + r.contribution, 0),
      3,
    );
    // Both ways: each asset keeps its own partners.
    const back = (await related(ids.partner, admin, '&via=CO_VIEWED')).items;
    expect(back.map((i) => i.asset.id)).toEqual([ids.seed]);
    // via=CO_VIEWED: only what viewers also watched; the bystander's one session is under the support,
    // and the other tenant's three sessions with it count nothing here.
    const only = await related(ids.seed, admin, '&via=CO_VIEWED');
    expect(only.items.map((i) => i.asset.id)).toEqual([ids.partner]);
    expect(only.items[0]!.reasons.map((r) => r.type)).toEqual(['CO_VIEWED']);
    // An asset no pair of sessions relates (one session is under the support) answers as before.
    expect(await related(ids.bystander, admin)).toEqual(before.bystander);

    // The other tenant: its own pair is related, and the ids of this tenant's assets relate nothing there.
    const theirs = await related(otherIds.seed, otherAdmin, '&via=CO_VIEWED');
    expect(theirs.items.map((i) => [i.asset.id, i.reasons[0]!.count])).toEqual([]);
    expect((await related(otherIds.seed, otherAdmin)).items).toEqual(before.other.items);
  });

  it('keeps CO_VIEWED relationships through an online rebuild of the graph', async () => {
    const before = await related(ids.seed, admin, '&via=CO_VIEWED');
    expect(before.items.map((i) => i.asset.id)).toEqual([ids.partner]);
    const result = await t.container.rebuild.rebuild('graph', { graceMs: 0 });
    expect(result.state).toBe('done');
    expect(await related(ids.seed, admin, '&via=CO_VIEWED')).toEqual(before);
  });

  it('answers a tenant without events exactly as before', async () => {
    const quiet = await t.keyFor('coview-quiet', 'ADMIN');
    const quietIds = await ingestNamed(t, quiet, {
      a: anAssetInput({ title: 'Glacier hydrology', tags: ['ice'] }),
      b: anAssetInput({ title: 'Glacier mapping', tags: ['ice'] }),
    });
    const before = await related(quietIds.a, quiet);
    await t.container.coViewSchedule.runNow();
    expect(await related(quietIds.a, quiet)).toEqual(before);
    expect(before.items.flatMap((i) => i.reasons.map((r) => r.type))).not.toContain('CO_VIEWED');
  });
});
