import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_BATCH_MAX } from '../../domain/interaction-events.js';
import { createTestApp, ingestNamed, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';
import { countingAnalyticsStore } from '../support/fakes.js';

const MASK_KEY = 'a-test-masking-key-of-at-least-32-chars';

describe('POST /v1/events and the event types', () => {
  let t: TestApp;
  let dev: { authorization: string };
  let asset: string;
  const store = countingAnalyticsStore();

  const anEvent = (overrides: Record<string, unknown> = {}) => ({
    id: randomUUID(),
    type: 'play',
    assetId: asset,
    userId: 'user-1',
    sessionId: 'session-1',
    occurredAt: new Date().toISOString(),
    ...overrides,
  });
  const post = (events: unknown[], headers = dev) =>
    t.app.inject({ method: 'POST', url: '/v1/events', headers, payload: { events } });
  /** Waits until the consumer recorded these events in the store. */
  async function recorded(ids: string[]) {
    const deadline = Date.now() + 20_000;
    while (ids.some((id) => !store.events.has(`ev\u0000${id}`))) {
      if (Date.now() > deadline) throw new Error('the events did not reach the store');
      await sleep(25);
    }
    return ids.map((id) => store.events.get(`ev\u0000${id}`)!);
  }

  beforeAll(async () => {
    t = await createTestApp({ env: { MASK_KEY, WATCHED_SHARE: '0.9' }, analytics: store });
    dev = await t.keyFor('ev', 'DEVELOPER');
    const admin = await t.keyFor('ev', 'ADMIN');
    ({ asset } = await ingestNamed(t, admin, {
      asset: anAssetInput({
        tags: ['ocean'],
        sourceSystem: 'cms',
        technicalMetadata: { durationSeconds: 100 },
      }),
    }));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('keeps the valid events of a batch, reports the others by index, and masks the person', async () => {
    const good = [
      anEvent(),
      anEvent({ type: 'search', assetId: undefined, search: { query: 'kelp', totalHits: 0 } }),
    ];
    const res = await post([
      good[0],
      anEvent({ type: 'plya' }),
      good[1],
      anEvent({ occurredAt: 'yesterday' }),
    ]);
    expect(res.statusCode, res.body).toBe(202);
    const body = res.json<{
      accepted: number;
      rejected: { index: number; pointer: string; detail: string }[];
    }>();
    expect(body.accepted).toBe(2);
    expect(body.rejected.map((r) => [r.index, r.pointer])).toEqual([
      [1, '/events/1/type'],
      [3, '/events/3/occurredAt'],
    ]);
    const [play, search] = await recorded(good.map((e) => e.id));
    expect(play).toMatchObject({
      tenantId: 'ev',
      type: 'play',
      assetId: asset,
      consent: true,
      asset: {
        type: 'VIDEO',
        sourceSystem: 'cms',
        tags: expect.arrayContaining(['ocean']),
        durationSeconds: 100,
      },
    });
    expect(play!.userToken).toMatch(/^tok_/);
    expect(play!.sessionToken).toMatch(/^tok_/);
    expect(JSON.stringify(play)).not.toContain('user-1');
    expect(search).toMatchObject({ assetId: null, asset: null, search: { query: 'kelp', totalHits: 0 } });
    expect(search!.userToken).toBe(play!.userToken);
  });

  it('keeps neither user nor session of an event without consent', async () => {
    const event = anEvent({ consent: false });
    expect((await post([event])).statusCode).toBe(202);
    const [stored] = await recorded([event.id]);
    expect(stored).toMatchObject({ consent: false, userToken: null, sessionToken: null });
  });

  it('answers 400 with every event by index when none is valid (unknown types included)', async () => {
    const res = await post([anEvent({ type: 'nope' }), anEvent({ assetId: randomUUID() }), { id: 'x' }]);
    expect(res.statusCode).toBe(400);
    const problem = res.json<{ type: string; errors: { index: number; pointer: string }[] }>();
    expect(problem.type).toBe('/problems/events-rejected');
    expect(problem.errors.map((e) => e.pointer)).toEqual([
      '/events/0/type',
      '/events/1/assetId',
      '/events/2/id',
    ]);
    const unknown = await post([anEvent({ type: 'nope' }), anEvent({ type: 'other' })]);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json<{ errors: unknown[] }>().errors).toHaveLength(2);
  });

  it('refuses more than the most events a batch holds with 413, whatever the events', async () => {
    const res = await post(Array.from({ length: EVENT_BATCH_MAX + 1 }, () => ({})));
    expect(res.statusCode).toBe(413);
    expect(res.json<{ type: string; maximum: number }>()).toMatchObject({
      type: '/problems/batch-too-large',
      maximum: EVENT_BATCH_MAX,
    });
    const full = await post(Array.from({ length: EVENT_BATCH_MAX }, () => anEvent()));
    expect(full.statusCode).toBe(202);
    expect(full.json<{ accepted: number }>().accepted).toBe(EVENT_BATCH_MAX);
  });

  it('needs events:write', async () => {
    const editor = await t.keyFor('ev', 'EDITOR');
    expect((await post([anEvent()], editor)).statusCode).toBe(403);
  });

  it('counts a batch sent twice once', async () => {
    const batch = [anEvent(), anEvent({ type: 'pause', position: 1_000 })];
    expect((await post(batch)).statusCode).toBe(202);
    expect((await post(batch)).statusCode).toBe(202);
    await recorded(batch.map((e) => e.id));
    // The second copy was appended before its 202: once the log is empty it was consumed too.
    while ((await t.container.eventLog.lag()).entries > 0) await sleep(25);
    expect([...store.events.keys()].filter((k) => batch.some((e) => k.endsWith(e.id)))).toHaveLength(2);
  });

  it('takes a type once the tenant registers it, and refuses it once unregistered', async () => {
    const typed = () => anEvent({ type: 'playlist.add' });
    expect((await post([typed()])).statusCode).toBe(400);
    const put = await t.app.inject({
      method: 'PUT',
      url: '/v1/events/types/playlist.add',
      headers: dev,
      payload: { description: 'Added to a playlist' },
    });
    expect(put.statusCode, put.body).toBe(201);
    const again = await t.app.inject({
      method: 'PUT',
      url: '/v1/events/types/playlist.add',
      headers: dev,
      payload: {},
    });
    expect(again.statusCode).toBe(200);
    expect((await post([typed()])).statusCode).toBe(202);
    const list = await t.app.inject({ url: '/v1/events/types', headers: dev });
    expect(list.json<{ builtIn: string[]; items: { name: string }[] }>()).toMatchObject({
      builtIn: expect.arrayContaining(['play', 'complete']),
      items: [{ name: 'playlist.add' }],
    });
    const del = await t.app.inject({ method: 'DELETE', url: '/v1/events/types/playlist.add', headers: dev });
    expect(del.statusCode).toBe(204);
    expect((await post([typed()])).statusCode).toBe(400);
    const audit = await t.container.db.query<{ action_type: string }>(
      `SELECT action_type FROM action_records WHERE tenant_id = 'ev' AND action_type LIKE 'EVENT_TYPE_%' ORDER BY started_at`,
    );
    expect(audit.map((a) => a.action_type)).toEqual([
      'EVENT_TYPE_CREATE',
      'EVENT_TYPE_UPDATE',
      'EVENT_TYPE_DELETE',
    ]);
  });

  it('refuses built-in names and more than 100 types', async () => {
    const put = (name: string) =>
      t.app.inject({ method: 'PUT', url: `/v1/events/types/${name}`, headers: dev, payload: {} });
    expect((await put('play')).statusCode).toBe(400);
    expect((await put('Upper')).statusCode).toBe(400);
    const other = await t.keyFor('ev-many', 'DEVELOPER');
    for (let i = 0; i < 100; i++) {
      const res = await t.app.inject({
        method: 'PUT',
        url: `/v1/events/types/t${i}`,
        headers: other,
        payload: {},
      });
      expect(res.statusCode).toBe(201);
    }
    const over = await t.app.inject({
      method: 'PUT',
      url: '/v1/events/types/t100',
      headers: other,
      payload: {},
    });
    expect(over.statusCode).toBe(409);
  });

  it('announces a watched asset once per session, and each playback error, through the outbox', async () => {
    const session = `s-${randomUUID()}`;
    const events = [
      anEvent({ type: 'progress', sessionId: session, position: 50_000 }), // half: not watched
      anEvent({ type: 'progress', sessionId: session, position: 91_000 }), // past 90 %
      anEvent({ type: 'complete', sessionId: session }), // the same session and asset: no second
      anEvent({ type: 'error', sessionId: session, properties: { code: 'E42' } }),
    ];
    expect((await post(events)).statusCode).toBe(202);
    expect((await post(events)).statusCode).toBe(202);
    await recorded(events.map((e) => e.id));
    while ((await t.container.eventLog.lag()).entries > 0) await sleep(25);
    const rows = await t.container.db.query<{
      event_type: string;
      payload: { interactionEventId: string; properties?: unknown };
    }>(
      `SELECT event_type, payload FROM outbox WHERE tenant_id = 'ev'
         AND event_type IN ('asset.watched', 'asset.playback-error') AND payload ->> 'interactionEventId' = ANY($1::text[])`,
      [events.map((e) => e.id)],
    );
    expect(rows.map((r) => [r.event_type, r.payload.interactionEventId]).sort()).toEqual(
      [
        ['asset.playback-error', events[3]!.id],
        ['asset.watched', events[1]!.id],
      ].sort(),
    );
    expect(rows.find((r) => r.event_type === 'asset.playback-error')!.payload.properties).toEqual({
      code: 'E42',
    });
  });
});
