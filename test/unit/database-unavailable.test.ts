import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import errors from '../../api/plugins/errors.js';
import { QueryLimitError, QueryTimeoutError } from '../../domain/errors.js';

/** A route failing the way the pg driver fails when Postgres restarts under it. */
async function appFailingWith(err: Error) {
  const app = Fastify({ logger: false });
  await app.register(errors);
  app.get('/x', () => Promise.reject(err));
  return app;
}

describe('database outages through the error handler', () => {
  it.each([
    [
      'a server shutting down (57P01)',
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    ],
    ['a lost connection (08006)', Object.assign(new Error('connection failure'), { code: '08006' })],
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    ],
    ['a connection ended mid-query', new Error('Connection terminated unexpectedly')],
    ['an exhausted pool', new Error('timeout exceeded when trying to connect')],
  ])('answers %s with 503 and a retry hint, showing no internals', async (_what, err) => {
    const app = await appFailingWith(err);
    const res = await app.inject({ url: '/x' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toEqual({
      type: '/problems/unavailable',
      title: 'Service Unavailable',
      status: 503,
      detail: 'the database is unavailable; retry shortly',
      instance: '/x',
    });
    await app.close();
  });

  it.each([
    ['a deadlock (40P01)', Object.assign(new Error('deadlock detected'), { code: '40P01' })],
    [
      'a serialization failure (40001)',
      Object.assign(new Error('could not serialize access'), { code: '40001' }),
    ],
  ])('answers %s with 503 and a retry hint: the transaction was rolled back whole', async (_what, err) => {
    const app = await appFailingWith(err);
    const res = await app.inject({ url: '/x' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.json()).toMatchObject({
      status: 503,
      detail: 'a concurrent request conflicted with this one; retry',
    });
    expect(res.body).not.toContain('deadlock');
    await app.close();
  });

  it('answers a search cancelled past its time limit with 503, a retry hint and the limit named', async () => {
    const app = await appFailingWith(new QueryTimeoutError(3_000));
    const res = await app.inject({ url: '/x' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.json()).toMatchObject({
      title: 'Service Unavailable',
      limit: 'statementTimeoutMs',
      maximum: 3_000,
      detail: expect.stringContaining('time limit of 3000 ms'),
    });
    await app.close();
  });

  it('answers a query past a hard limit with 400 naming the limit, and no retry hint', async () => {
    const app = await appFailingWith(new QueryLimitError('query has too much', 'maxOperators'));
    const res = await app.inject({ url: '/x' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['retry-after']).toBeUndefined();
    expect(res.json()).toMatchObject({ field: 'q', limit: 'maxOperators', maximum: 32 });
    await app.close();
  });

  it('still answers other failures with a bare 500', async () => {
    const app = await appFailingWith(Object.assign(new Error('duplicate key value'), { code: '23505' }));
    const res = await app.inject({ url: '/x' });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('duplicate');
    await app.close();
  });
});
