import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inBackground } from '../../store/db.js';
import { createTestApp, type TestApp } from '../support/app.js';

/**
 * The API answers while background work holds the database: on embedded PGlite, which runs in the
 * API's own thread, a long background transaction used to keep `/health` from being read at all, and
 * requests waited behind every queued job (docs/reliability.md, "The API stays responsive"). On a
 * Postgres server the same holds through the pool.
 */
describe('the API while background work holds the database', () => {
  let t: TestApp;
  let base: string;
  let key: { authorization: string };
  beforeAll(async () => {
    t = await createTestApp({ workers: false });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    key = await t.keyFor('default', 'EDITOR');
  });
  afterAll(() => t.close());

  /** A background transaction of many short statements, as an enrichment or a relay batch makes. */
  function longBackgroundTransaction(statements: number) {
    let finishedAt = 0;
    const done = inBackground(() =>
      t.container.db.transaction(async (tx) => {
        for (let i = 0; i < statements; i++) await tx.query('SELECT pg_sleep(0.002)');
      }),
    ).then(() => (finishedAt = performance.now()));
    return { done, finishedAt: () => finishedAt };
  }

  it('answers /health during a long background transaction', async () => {
    const tx = longBackgroundTransaction(200);
    const health = await fetch(`${base}/health`);
    const answeredAt = performance.now();
    expect(health.status).toBe(200);
    await tx.done;
    expect(answeredAt).toBeLessThan(tx.finishedAt());
  });

  // A Postgres server's pool serves both at once, first come first served: no turns to give.
  it("runs a request's statements before the background statements queued ahead of it (PGlite)", async (ctx) => {
    if (t.container.db.kind !== 'pglite') ctx.skip();
    let backgroundDoneAt = 0;
    const queued = inBackground(() =>
      Promise.all(Array.from({ length: 150 }, () => t.container.db.query('SELECT pg_sleep(0.004)'))),
    ).then(() => (backgroundDoneAt = performance.now()));
    const res = await fetch(`${base}/v1/search?q=anything`, { headers: key });
    const answeredAt = performance.now();
    expect(res.status).toBe(200);
    await queued;
    expect(answeredAt).toBeLessThan(backgroundDoneAt);
  });
});
