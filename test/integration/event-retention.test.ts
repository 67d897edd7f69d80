import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { aStoredEvent } from '../support/factories.js';

const DAY = 86_400_000;

/** The retention run: each tenant's raw events older than its setting (default 90 days) are deleted. */
describe('raw-event retention', () => {
  let t: TestApp;
  const daysAgo = (n: number) => new Date(Date.now() - n * DAY);
  const rawOf = async (tenantId: string) => {
    const rows = await t.container.db.query<{ user_token: string }>(
      'SELECT user_token FROM analytics_events WHERE tenant_id = $1 ORDER BY user_token',
      [tenantId],
    );
    return rows.map((r) => r.user_token);
  };

  beforeAll(async () => {
    // No workers: the run at start would race the events recorded here.
    t = await createTestApp({ workers: false });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("expires each tenant's old raw events by its own setting and keeps the recent ones", async () => {
    await t.keyFor('ret-default', 'ADMIN');
    const short = await t.keyFor('ret-short', 'ADMIN');
    const put = await t.app.inject({
      method: 'PUT',
      url: '/v1/events/settings',
      headers: short,
      payload: { rawRetentionDays: 10 },
    });
    expect(put.statusCode, put.body).toBe(200);
    const at = (tenantId: string, userToken: string, days: number) =>
      aStoredEvent({ tenantId, userToken, occurredAt: daysAgo(days) });
    await t.container.analytics.record([
      at('ret-default', 'd-120', 120),
      at('ret-default', 'd-95', 95),
      at('ret-default', 'd-60', 60),
      at('ret-default', 'd-20', 20),
      // The same days in the other tenant: partitions hold both tenants' rows.
      at('ret-short', 's-60', 60),
      at('ret-short', 's-20', 20),
      at('ret-short', 's-12', 12),
      at('ret-short', 's-5', 5),
    ]);

    const run = await t.container.eventPrivacy.expireAll();
    expect(run.failed).toEqual([]);
    expect(run.expired).toBe(5);
    expect(await rawOf('ret-default')).toEqual(['d-20', 'd-60']);
    expect(await rawOf('ret-short')).toEqual(['s-5']);
    // Again: nothing left to expire.
    expect((await t.container.eventPrivacy.expireAll()).expired).toBe(0);
  });
});
