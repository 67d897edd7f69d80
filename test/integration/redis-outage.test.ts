import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp, ingestNamed, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';
import { RedisServer } from '../support/processes.js';

const hasRedis = RedisServer.available();
if (!hasRedis) console.info('redis-outage suite SKIPPED: no redis-server binary to start and stop');

/**
 * Fault 2 of issue 9, with a real Redis stopped and started again: its own redis-server, so that the
 * shared one other suites use stays up.
 */
describe.skipIf(!hasRedis)('a Redis outage during ingest', () => {
  let redis: RedisServer | undefined;
  let t: TestApp | undefined;

  afterAll(async () => {
    await t?.close();
    await redis?.kill();
  });

  it('keeps accepting assets, reports the queue down, and drains the backlog when Redis returns', async () => {
    redis = await RedisServer.start();
    t = await createTestApp({ env: { REDIS_URL: redis.url, JOB_BACKOFF_MS: '50' } });
    const app = t.app;
    const key = await t.keyFor('outage', 'EDITOR');
    await ingestNamed(t, key, { before: anAssetInput({ title: 'Kelp before the outage' }) });

    await redis.kill();
    // Acknowledged: the assets and their events are in Postgres; the queue gets them later.
    const res = await app.inject({
      method: 'POST',
      url: '/v1/assets/batch',
      headers: key,
      payload: {
        assets: [
          anAssetInput({ title: 'Kelp during the outage, one' }),
          anAssetInput({ title: 'Kelp during the outage, two' }),
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const ids = res.json<{ items: { asset: { id: string } }[] }>().items.map((i) => i.asset.id);
    const ready = await app.inject({ url: '/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json<{ components: { queue: { status: string } } }>().components.queue.status).toBe('down');
    const [pending] = await t.container.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox WHERE tenant_id = 'outage' AND dispatched_at IS NULL`,
    );
    expect(pending!.n).toBeGreaterThanOrEqual(ids.length);

    await redis.start();
    const settled = await t.container.assets.waitUntilSettled('outage', ids, 60_000);
    expect(settled.settled).toBe(true);
    const found = await app.inject({ url: '/v1/search?q=outage', headers: key });
    const hits = found.json<{ hits: { asset: { id: string } }[] }>().hits.map((h) => h.asset.id);
    expect(hits).toEqual(expect.arrayContaining(ids));
    await expect
      .poll(async () => (await app.inject({ url: '/ready' })).statusCode, { timeout: 60_000, interval: 100 })
      .toBe(200);
    expect((await app.inject({ url: '/ready' })).statusCode).toBe(200);
  }, 120_000);
});
