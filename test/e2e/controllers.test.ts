import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

/** /v1/controllers through HTTP: who may, what is refused, and the resource's life (docs/connectors.md). */
describe('/v1/controllers', () => {
  let t: TestApp;
  let admin: { authorization: string };
  let editor: { authorization: string };

  beforeAll(async () => {
    // The default outbound policy: no private addresses.
    t = await createTestApp({ workers: false });
    admin = await t.keyFor('default', 'ADMIN');
    editor = await t.keyFor('default', 'EDITOR');
  });
  afterAll(() => t?.close());

  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    headers = admin,
    payload?: object,
  ) => t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const feed = {
    name: 'Library',
    kind: 'mrss',
    configuration: { url: 'https://feeds.example.com/library.rss' },
  };

  it('creates, lists, reads, changes and deletes a controller, with its defaults', async () => {
    const created = await call('POST', '/v1/controllers', admin, feed);
    expect(created.statusCode, created.body).toBe(201);
    const c = created.json<Record<string, unknown> & { id: string }>();
    expect(c).toMatchObject({
      name: 'Library',
      kind: 'mrss',
      direction: 'ingress',
      configuration: { url: 'https://feeds.example.com/library.rss' },
      sourceSystem: 'mrss:feeds.example.com',
      syncIntervalMinutes: 15,
      loggingLevel: 'info',
      enabled: true,
      health: 'unknown',
      lastSyncAt: null,
      lastError: null,
      syncing: false,
    });

    const list = await call('GET', '/v1/controllers');
    expect(list.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toContain(c.id);

    const patched = await call('PATCH', `/v1/controllers/${c.id}`, admin, {
      syncIntervalMinutes: 60,
      loggingLevel: 'error',
      enabled: false,
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ syncIntervalMinutes: 60, loggingLevel: 'error', enabled: false });
    expect((await call('GET', `/v1/controllers/${c.id}`)).json()).toMatchObject({ syncIntervalMinutes: 60 });
    expect((await call('GET', `/v1/controllers/${c.id}/runs`)).json()).toEqual({
      items: [],
      nextCursor: null,
    });

    expect((await call('DELETE', `/v1/controllers/${c.id}`)).statusCode).toBe(204);
    expect((await call('GET', `/v1/controllers/${c.id}`)).statusCode).toBe(404);
    expect((await call('POST', `/v1/controllers/${c.id}/sync`)).statusCode).toBe(404);
  });

  it('validates the configuration per kind, and refuses private feeds under the default policy', async () => {
    const noUrl = await call('POST', '/v1/controllers', admin, { ...feed, configuration: {} });
    expect(noUrl.statusCode).toBe(400);
    const unknownKind = await call('POST', '/v1/controllers', admin, { ...feed, kind: 'ftp' });
    expect(unknownKind.statusCode).toBe(400);
    const badInterval = await call('POST', '/v1/controllers', admin, { ...feed, syncIntervalMinutes: 0 });
    expect(badInterval.statusCode).toBe(400);
    const listingOption = await call('POST', '/v1/controllers', admin, {
      ...feed,
      configuration: { ...feed.configuration, cursorParam: 'after' },
    });
    expect(listingOption.statusCode).toBe(400);

    for (const url of [
      'http://127.0.0.1/feed.rss',
      'http://169.254.169.254/latest',
      'http://localhost/feed',
      'ftp://x.example.com/f',
    ]) {
      const res = await call('POST', '/v1/controllers', admin, { ...feed, configuration: { url } });
      expect(res.statusCode, url).toBe(400);
      expect(res.json<{ detail: string }>().detail).toMatch(/configuration\.url/);
    }

    const created = (await call('POST', '/v1/controllers', admin, feed)).json<{ id: string }>();
    const bad = await call('PATCH', `/v1/controllers/${created.id}`, admin, {
      configuration: { url: 'http://10.0.0.1/x' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ detail: string }>().detail).toMatch(/configuration\.url/);
  });

  it('is for administrators only', async () => {
    expect((await call('GET', '/v1/controllers', editor)).statusCode).toBe(403);
    expect((await call('POST', '/v1/controllers', editor, feed)).statusCode).toBe(403);
    expect((await call('GET', '/v1/controllers', { authorization: '' })).statusCode).toBe(401);
  });

  it('keeps tenants apart', async () => {
    const mine = (await call('POST', '/v1/controllers', admin, feed)).json<{ id: string }>();
    const other = await t.keyFor('other', 'ADMIN');
    expect((await call('GET', `/v1/controllers/${mine.id}`, other)).statusCode).toBe(404);
    expect((await call('GET', '/v1/controllers', other)).json<{ items: unknown[] }>().items).toEqual([]);
  });
});
