import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SAVED_SEARCHES_PER_TENANT } from '../../services/saved-search-service.js';
import { savedSearchesRepository } from '../../store/saved-searches-repository.js';
import { createTestApp, type TestApp } from '../support/app.js';

interface SavedSearchDto {
  id: string;
  name: string;
  query: string;
  createdBy: string;
  createdAt: string;
}

type Headers = { authorization: string };

describe('/v1/saved-searches', () => {
  let t: TestApp;
  let viewer: Headers;
  let otherViewer: Headers;
  let admin: Headers;
  let otherTenant: Headers;

  beforeAll(async () => {
    t = await createTestApp({ workers: false });
    viewer = await t.keyFor('saver', 'VIEWER');
    otherViewer = await t.keyFor('saver', 'VIEWER');
    admin = await t.keyFor('saver', 'ADMIN');
    otherTenant = await t.keyFor('stranger', 'ADMIN');
  }, 60_000);
  afterAll(() => t?.close());

  const call = (headers: Headers, method: string, url: string, payload?: object) =>
    t.app.inject({ method: method as 'GET', url, headers, ...(payload ? { payload } : {}) });
  const save = async (headers: Headers, name: string, query: string) => {
    const res = await call(headers, 'POST', '/v1/saved-searches', { name, query });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<SavedSearchDto>();
  };

  it('saves a search for every key of the tenant, newest first, and audits it', async () => {
    const first = await save(viewer, '  Ocean talks  ', '?q=ocean&type=VIDEO&tag=climate');
    expect(first).toMatchObject({ name: 'Ocean talks', query: 'q=ocean&type=VIDEO&tag=climate' });
    expect(first.createdBy).toMatch(/^key:/);
    const second = await save(viewer, 'Kelp', 'q=kelp');

    // Another key of the tenant (another device, another person) sees both.
    const list = await call(otherViewer, 'GET', '/v1/saved-searches');
    expect(list.statusCode).toBe(200);
    expect(list.json<{ items: SavedSearchDto[] }>().items.map((s) => s.id)).toEqual([second.id, first.id]);
    const one = await call(otherViewer, 'GET', `/v1/saved-searches/${first.id}`);
    expect(one.json<SavedSearchDto>()).toEqual(first);

    const audit = await call(admin, 'GET', '/v1/actions?type=SAVED_SEARCH_CREATE');
    expect(
      audit
        .json<{ items: { actor: string; details: { savedSearchId: string } }[] }>()
        .items.map((a) => [a.actor, a.details.savedSearchId]),
    ).toEqual([
      [second.createdBy, second.id],
      [first.createdBy, first.id],
    ]);
  });

  it('refuses an empty name, an overlong query and unknown fields', async () => {
    for (const payload of [
      { name: ' ', query: 'q=x' },
      { name: 'x'.repeat(101), query: 'q=x' },
      { name: 'long', query: `q=${'x'.repeat(2000)}` },
      { name: 'extra', query: 'q=x', owner: 'key:someone' },
      { name: 'nul', query: 'q=\u0000' },
    ]) {
      const res = await call(viewer, 'POST', '/v1/saved-searches', payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    }
  });

  it('lets only the saving key, or a keys:manage key, delete a search, and audits the deletion', async () => {
    const mine = await save(viewer, 'Mine', 'q=mine');
    const refused = await call(otherViewer, 'DELETE', `/v1/saved-searches/${mine.id}`);
    expect(refused.statusCode).toBe(403);
    expect(refused.json<{ detail: string }>().detail).toMatch(/only the key that saved/);

    expect((await call(viewer, 'DELETE', `/v1/saved-searches/${mine.id}`)).statusCode).toBe(204);
    expect((await call(viewer, 'GET', `/v1/saved-searches/${mine.id}`)).statusCode).toBe(404);
    expect((await call(viewer, 'DELETE', `/v1/saved-searches/${mine.id}`)).statusCode).toBe(404);

    const theirs = await save(otherViewer, 'Theirs', 'q=theirs');
    expect((await call(admin, 'DELETE', `/v1/saved-searches/${theirs.id}`)).statusCode).toBe(204);

    const audit = await call(admin, 'GET', '/v1/actions?type=SAVED_SEARCH_DELETE');
    expect(
      audit
        .json<{ items: { details: { savedSearchId: string } }[] }>()
        .items.map((a) => a.details.savedSearchId),
    ).toEqual([theirs.id, mine.id]);
  });

  it("keeps tenants apart: another tenant's key neither lists, reads nor deletes them (404)", async () => {
    const kept = await save(viewer, 'Kept', 'q=kept');
    const list = await call(otherTenant, 'GET', '/v1/saved-searches');
    expect(list.json<{ items: SavedSearchDto[] }>().items).toEqual([]);
    expect((await call(otherTenant, 'GET', `/v1/saved-searches/${kept.id}`)).statusCode).toBe(404);
    expect((await call(otherTenant, 'DELETE', `/v1/saved-searches/${kept.id}`)).statusCode).toBe(404);
    expect((await call(viewer, 'GET', `/v1/saved-searches/${kept.id}`)).statusCode).toBe(200);
    // And its own saves stay its own.
    const foreign = await save(otherTenant, 'Foreign', 'q=foreign');
    expect(
      (await call(viewer, 'GET', '/v1/saved-searches'))
        .json<{ items: SavedSearchDto[] }>()
        .items.map((s) => s.id),
    ).not.toContain(foreign.id);
  });

  it('needs search:read: a key scoped without it is refused', async () => {
    const { secret } = await t.container.apiKeys.create({
      tenantId: 'saver',
      name: 'hooks only',
      role: 'DEVELOPER',
      permissions: ['webhooks:manage'],
    });
    const res = await call({ authorization: `Bearer ${secret}` }, 'GET', '/v1/saved-searches');
    expect(res.statusCode).toBe(403);
  });

  it(`holds at most ${MAX_SAVED_SEARCHES_PER_TENANT} saved searches per tenant (409 beyond)`, async () => {
    // The key first: it makes the tenant the rows belong to.
    const crowded = await t.keyFor('crowded', 'VIEWER');
    await t.container.db.transaction(async (tx) => {
      for (let i = 0; i < MAX_SAVED_SEARCHES_PER_TENANT - 1; i++) {
        await savedSearchesRepository.insert(tx, {
          tenantId: 'crowded',
          id: randomUUID(),
          name: `s${i}`,
          query: `q=${i}`,
          createdBy: 'key:seed',
        });
      }
    });
    await save(crowded, 'The last one', 'q=last');
    const over = await call(crowded, 'POST', '/v1/saved-searches', { name: 'One too many', query: 'q=more' });
    expect(over.statusCode).toBe(409);
    expect(over.json<{ detail: string }>().detail).toMatch(/at most 500 saved searches/);
  });
});
