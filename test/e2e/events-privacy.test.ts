import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_PATTERN } from '../../domain/masking.js';
import { createTestApp, ingestNamed, type TestApp } from '../support/app.js';
import { anAssetInput, aStoredEvent } from '../support/factories.js';

const MASK_KEY = 'a-test-masking-key-of-at-least-32-chars';

/** Erasure of one person's raw events, and the tenant's retention setting (docs/events.md, "Privacy"). */
describe('events privacy', () => {
  let t: TestApp;
  let admin: { authorization: string };
  let analyst: { authorization: string };
  let player: { authorization: string };
  const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);

  const views = async () => {
    const qs = new URLSearchParams({
      metric: 'views',
      from: new Date(hour.getTime() - 86_400_000).toISOString(),
      to: new Date(hour.getTime() + 3_600_000).toISOString(),
      interval: 'hour',
    });
    const res = await t.app.inject({ url: `/v1/metrics?${qs.toString()}`, headers: analyst });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ series: { total: number }[] }>().series[0]?.total ?? 0;
  };
  const rawOf = async (tenantId: string, userToken: string) => {
    const [row] = await t.container.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM analytics_events WHERE tenant_id = $1 AND user_token = $2',
      [tenantId, userToken],
    );
    return row!.n;
  };
  const tokenOf = async (userId: string, key = admin) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/events/users/token',
      headers: key,
      payload: { userId },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ userToken: string }>().userToken;
  };

  beforeAll(async () => {
    t = await createTestApp({ env: { MASK_KEY } });
    admin = await t.keyFor('priv', 'ADMIN');
    analyst = await t.keyFor('priv', 'CONTENT_MANAGER');
    player = await t.keyFor('priv', 'DEVELOPER');
    const { kelp } = await ingestNamed(t, admin, { kelp: anAssetInput({ title: 'Kelp forests' }) });
    const play = (userId: string, minute: number) => ({
      id: randomUUID(),
      type: 'play',
      assetId: kelp,
      userId,
      sessionId: `${userId}-s`,
      occurredAt: new Date(hour.getTime() + minute * 60_000).toISOString(),
      position: 0,
    });
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: player,
      payload: { events: [play('ada', 1), play('ada', 2), play('bo', 3)] },
    });
    expect(res.statusCode, res.body).toBe(202);
    const deadline = Date.now() + 30_000;
    while ((await t.container.eventLog.lag()).entries > 0 || (await views()) !== 3) {
      if (Date.now() > deadline) throw new Error('the events did not reach the metrics');
      await sleep(100);
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  it("erases one person's raw events of the tenant only; the metrics keep their counts; audited", async () => {
    const ada = await tokenOf('ada');
    const bo = await tokenOf('bo');
    expect(ada).toMatch(TOKEN_PATTERN);
    expect(await rawOf('priv', ada)).toBe(2);
    // Another tenant's events stored under the same token (as if its userId had the same token).
    await t.keyFor('priv-other', 'ADMIN');
    await t.container.analytics.record([aStoredEvent({ tenantId: 'priv-other', userToken: ada })]);

    const res = await t.app.inject({ method: 'DELETE', url: `/v1/events/users/${ada}`, headers: admin });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ erased: 2 });
    expect(await rawOf('priv', ada)).toBe(0);
    expect(await rawOf('priv', bo)).toBe(1);
    expect(await rawOf('priv-other', ada)).toBe(1);
    expect(await views()).toBe(3);
    const audit = await t.container.db.query<{ details: { userToken: string; erased: number } }>(
      `SELECT details FROM action_records WHERE tenant_id = 'priv' AND action_type = 'EVENT_USER_ERASE'`,
    );
    expect(audit.map((a) => a.details)).toEqual([{ userToken: ada, erased: 2 }]);

    const again = await t.app.inject({ method: 'DELETE', url: `/v1/events/users/${ada}`, headers: admin });
    expect(again.json()).toEqual({ erased: 0 });
  });

  it('refuses keys without masking:resolve and malformed tokens', async () => {
    const token = `tok_${'a'.repeat(32)}`;
    for (const key of [analyst, player]) {
      const res = await t.app.inject({ method: 'DELETE', url: `/v1/events/users/${token}`, headers: key });
      expect(res.statusCode).toBe(403);
      const tokenRes = await t.app.inject({
        method: 'POST',
        url: '/v1/events/users/token',
        headers: key,
        payload: { userId: 'ada' },
      });
      expect(tokenRes.statusCode).toBe(403);
    }
    for (const bad of ['ada', `tok_${'A'.repeat(32)}`, `tok_${'a'.repeat(31)}`]) {
      const res = await t.app.inject({ method: 'DELETE', url: `/v1/events/users/${bad}`, headers: admin });
      expect(res.statusCode, bad).toBe(400);
    }
  });

  it('keeps raw events 90 days by default; an admin sets the retention, audited', async () => {
    const get = async () => {
      const res = await t.app.inject({ url: '/v1/events/settings', headers: admin });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ rawRetentionDays: number; updatedAt: string | null }>();
    };
    expect(await get()).toEqual({ rawRetentionDays: 90, updatedAt: null });
    const put = (rawRetentionDays: unknown, key = admin) =>
      t.app.inject({
        method: 'PUT',
        url: '/v1/events/settings',
        headers: key,
        payload: { rawRetentionDays },
      });
    for (const bad of [0, 3651, 1.5, '30']) expect((await put(bad)).statusCode, String(bad)).toBe(400);
    expect((await put(30, analyst)).statusCode).toBe(403);
    const saved = await put(30);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(await get()).toMatchObject({ rawRetentionDays: 30, updatedAt: expect.any(String) });
    const other = await t.keyFor('priv-other', 'ADMIN');
    const ofOther = await t.app.inject({ url: '/v1/events/settings', headers: other });
    expect(ofOther.json()).toMatchObject({ rawRetentionDays: 90 });
    const audit = await t.container.db.query<{ details: object }>(
      `SELECT details FROM action_records WHERE tenant_id = 'priv' AND action_type = 'EVENT_SETTINGS_UPDATE'`,
    );
    expect(audit.map((a) => a.details)).toEqual([{ rawRetentionDays: 30 }]);
  });
});
