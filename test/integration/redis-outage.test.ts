import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp, ingestNamed, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';

const hasRedis = spawnSync('redis-server', ['--version']).status === 0;
if (!hasRedis) console.info('redis-outage suite SKIPPED: no redis-server binary to start and stop');

/** A free loopback port for a Redis of the test's own. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Fault 2 of issue 9, with a real Redis stopped and started again: its own redis-server, so that the
 * shared one other suites use stays up.
 */
describe.skipIf(!hasRedis)('a Redis outage during ingest', () => {
  let redis: ChildProcess | undefined;
  let t: TestApp | undefined;

  const startRedis = async (port: number) => {
    redis = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    for (let i = 0; i < 100; i++) {
      if (
        spawnSync('redis-cli', ['-p', String(port), 'ping'])
          .stdout?.toString()
          .includes('PONG')
      )
        return;
      await sleep(50);
    }
    throw new Error('redis-server did not start');
  };
  const stopRedis = async () => {
    const exited = new Promise((resolve) => redis!.once('exit', resolve));
    redis!.kill('SIGKILL');
    await exited;
  };

  afterAll(async () => {
    await t?.close();
    redis?.kill('SIGKILL');
  });

  it('keeps accepting assets, reports the queue down, and drains the backlog when Redis returns', async () => {
    const port = await freePort();
    await startRedis(port);
    t = await createTestApp({ env: { REDIS_URL: `redis://127.0.0.1:${port}`, JOB_BACKOFF_MS: '50' } });
    const app = t.app;
    const key = await t.keyFor('outage', 'EDITOR');
    await ingestNamed(t, key, { before: anAssetInput({ title: 'Kelp before the outage' }) });

    await stopRedis();
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

    await startRedis(port);
    const settled = await t.container.assets.waitUntilSettled('outage', ids, 60_000);
    expect(settled.settled).toBe(true);
    const found = await app.inject({ url: '/v1/search?q=outage', headers: key });
    const hits = found.json<{ hits: { asset: { id: string } }[] }>().hits.map((h) => h.asset.id);
    expect(hits).toEqual(expect.arrayContaining(ids));
    for (let i = 0; i < 100 && (await app.inject({ url: '/ready' })).statusCode !== 200; i++)
      await sleep(100);
    expect((await app.inject({ url: '/ready' })).statusCode).toBe(200);
  }, 120_000);
});
