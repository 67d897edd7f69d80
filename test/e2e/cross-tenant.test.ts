import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ingestNamed, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';
import { aStoredEvent, fakeAnalyticsStore } from '../support/fakes.js';

/**
 * Tenant A's keys against tenant B's data: nothing is read, searched, related or edited, and every
 * attempt at one of B's ids answers 404 (not 403), so that existence does not leak.
 */
describe('tenant isolation through the API', () => {
  let t: TestApp;
  let a: { authorization: string };
  let b: { authorization: string };
  let mine: string;
  let theirs: string;
  let theirJob: string;
  let theirWebhook: string;
  let theirComment: string;
  let myComment: string;
  const analytics = fakeAnalyticsStore();

  beforeAll(async () => {
    t = await createTestApp({ analytics, env: { MASK_KEY: 'a-test-masking-key-of-at-least-32-chars' } });
    a = await t.keyFor('tenant-a', 'ADMIN');
    b = await t.keyFor('tenant-b', 'ADMIN');
    ({ mine } = await ingestNamed(t, a, {
      mine: anAssetInput({ title: 'Shared words: kelp forest', speakers: ['Ada Lovelace'], tags: ['kelp'] }),
    }));
    ({ theirs } = await ingestNamed(t, b, {
      theirs: anAssetInput({
        title: 'Shared words: kelp forest',
        speakers: ['Ada Lovelace'],
        tags: ['kelp'],
      }),
    }));
    const jobs = await t.app.inject({ url: '/v1/jobs', headers: b });
    theirJob = jobs.json<{ items: { id: string }[] }>().items[0]!.id;
    const hook = await t.app.inject({
      method: 'POST',
      url: '/v1/webhooks',
      headers: b,
      payload: { url: 'https://example.com/hooks/media', events: ['asset.created'] },
    });
    expect(hook.statusCode, hook.body).toBe(201);
    theirWebhook = hook.json<{ id: string }>().id;
    const comment = await t.app.inject({
      method: 'POST',
      url: `/v1/assets/${theirs}/comments`,
      headers: b,
      payload: { author: { id: 'user-b', displayName: 'B' }, text: 'theirs', timestamp: 1000, type: 'issue' },
    });
    expect(comment.statusCode, comment.body).toBe(201);
    theirComment = comment.json<{ id: string }>().id;
    const mineComment = await t.app.inject({
      method: 'POST',
      url: `/v1/assets/${mine}/comments`,
      headers: a,
      payload: { author: { id: 'user-a', displayName: 'A' }, text: 'mine' },
    });
    myComment = mineComment.json<{ id: string }>().id;
  }, 300_000);
  afterAll(() => t?.close());

  const who = { id: 'user-a', displayName: 'A' };
  const as = (headers: { authorization: string }, method: string, url: string, payload?: object) =>
    t.app.inject({ method: method as 'GET', url, headers, ...(payload ? { payload } : {}) });

  it("answers 404 for every route given one of the other tenant's ids", async () => {
    const attempts: [string, string, object?][] = [
      ['GET', `/v1/assets/${theirs}`],
      ['PATCH', `/v1/assets/${theirs}`, { title: 'taken' }],
      ['PATCH', `/v1/assets/${theirs}/tags`, { add: [{ name: 'taken' }] }],
      ['GET', `/v1/assets/${theirs}/versions`],
      ['GET', `/v1/assets/${theirs}/versions/1`],
      ['GET', `/v1/assets/${theirs}/versions/1/diff`],
      ['POST', `/v1/assets/${theirs}/rollback`, { version: 1, expectedVersion: 2 }],
      ['GET', `/v1/assets/${theirs}/actions`],
      ['GET', `/v1/assets/${theirs}/related`],
      ['GET', `/v1/assets/${theirs}/links`],
      ['PUT', `/v1/assets/${mine}/links/${theirs}`, { note: 'x' }],
      ['PUT', `/v1/assets/${theirs}/links/${mine}`, { note: 'x' }],
      ['GET', `/v1/graph/neighborhood/${theirs}`],
      ['GET', `/v1/graph/path?from=${mine}&to=${theirs}`],
      ['GET', `/v1/jobs/${theirJob}`],
      ['POST', `/v1/jobs/${theirJob}/retry`],
      ['GET', `/v1/webhooks/${theirWebhook}`],
      ['PATCH', `/v1/webhooks/${theirWebhook}`, { enabled: false }],
      ['GET', `/v1/webhooks/${theirWebhook}/deliveries`],
      ['DELETE', `/v1/webhooks/${theirWebhook}`],
      ['GET', `/v1/assets/${theirs}/comments`],
      ['POST', `/v1/assets/${theirs}/comments`, { author: who, text: 'taken' }],
      ['GET', `/v1/assets/${theirs}/comments/${theirComment}`],
      ['POST', `/v1/assets/${theirs}/comments/${theirComment}/replies`, { author: who, text: 'taken' }],
      ['PATCH', `/v1/assets/${theirs}/comments/${theirComment}`, { author: who, text: 'taken' }],
      ['DELETE', `/v1/assets/${theirs}/comments/${theirComment}`, { author: who }],
      ['POST', `/v1/assets/${theirs}/comments/${theirComment}/reactions`, { author: who, emoji: 'x' }],
      ['POST', `/v1/assets/${theirs}/comments/${theirComment}/reactions/remove`, { author: who, emoji: 'x' }],
      [
        'POST',
        `/v1/assets/${theirs}/comments/${theirComment}/transitions`,
        { author: who, status: 'resolved' },
      ],
      ['GET', `/v1/assets/${theirs}/comments/stream`],
      // Their comment through my asset's URL.
      ['GET', `/v1/assets/${mine}/comments/${theirComment}`],
      ['POST', `/v1/assets/${mine}/comments/${theirComment}/replies`, { author: who, text: 'taken' }],
      ['PATCH', `/v1/assets/${mine}/comments/${theirComment}`, { author: who, text: 'taken' }],
      ['DELETE', `/v1/assets/${mine}/comments/${theirComment}`, { author: who }],
      ['POST', `/v1/assets/${mine}/comments/${theirComment}/reactions`, { author: who, emoji: 'x' }],
      [
        'POST',
        `/v1/assets/${mine}/comments/${theirComment}/transitions`,
        { author: who, status: 'resolved' },
      ],
    ];
    for (const [method, url, payload] of attempts) {
      const res = await as(a, method, url, payload);
      expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(404);
    }
    // Nothing of theirs changed.
    const asset = (await as(b, 'GET', `/v1/assets/${theirs}`)).json<{ version: number; title: string }>();
    expect(asset).toMatchObject({ version: 2, title: 'Shared words: kelp forest' });
    const comment = (await as(b, 'GET', `/v1/assets/${theirs}/comments/${theirComment}`)).json<{
      text: string;
      status: string;
      edited: number;
      reactions: unknown[];
    }>();
    expect(comment).toMatchObject({ text: 'theirs', status: 'open', edited: 0, reactions: [] });
    const threads = (await as(b, 'GET', `/v1/assets/${theirs}/comments`)).json<{ items: unknown[] }>();
    expect(threads.items).toHaveLength(1);
    // And my own listing holds only mine.
    const mineListed = (await as(a, 'GET', `/v1/assets/${mine}/comments`)).json<{
      items: { id: string }[];
    }>();
    expect(mineListed.items.map((c) => c.id)).toEqual([myComment]);
  });

  it('finds only its own assets, entities and audit rows, for the same words and names', async () => {
    const ids = (res: { json: <T>() => T }) =>
      res.json<{ hits: { asset: { id: string } }[] }>().hits.map((h) => h.asset.id);
    expect(ids(await as(a, 'GET', '/v1/search?q=kelp'))).toEqual([mine]);
    expect(ids(await as(a, 'GET', `/v1/search?speaker=${encodeURIComponent('Ada Lovelace')}`))).toEqual([
      mine,
    ]);
    const facets = (await as(a, 'GET', '/v1/search?facets=true')).json<{
      facets: { tags: { value: string; count: number }[] };
    }>();
    expect(facets.facets.tags.find((f) => f.value === 'kelp')?.count).toBe(1);
    const suggested = (await as(a, 'GET', '/v1/suggest?q=ada')).json<{ suggestions: { assets: number }[] }>();
    expect(suggested.suggestions.map((s) => s.assets)).toEqual([1]);
    const entity = (
      await as(a, 'GET', `/v1/entities/SPEAKER/${encodeURIComponent('Ada Lovelace')}/assets`)
    ).json<{
      items: { asset: { id: string } }[];
    }>();
    expect(entity.items.map((i) => i.asset.id)).toEqual([mine]);
    const related = (await as(a, 'GET', `/v1/assets/${mine}/related`)).json<{ items: unknown[] }>();
    expect(related.items).toEqual([]);
    const listed = (await as(a, 'GET', '/v1/assets')).json<{ items: { id: string }[] }>();
    expect(listed.items.map((i) => i.id)).toEqual([mine]);
    const actions = (await as(a, 'GET', '/v1/actions?limit=100')).json<{
      items: { assetId: string | null }[];
    }>();
    expect(actions.items.map((x) => x.assetId)).not.toContain(theirs);
    const jobs = (await as(a, 'GET', '/v1/jobs')).json<{ items: { id: string }[] }>();
    expect(jobs.items.map((j) => j.id)).not.toContain(theirJob);
    const hooks = (await as(a, 'GET', '/v1/webhooks')).json<{ items: unknown[] }>();
    expect(hooks.items).toEqual([]);
    // The change log: JSON, SSE and NDJSON all name A's assets only. (Any transaction running on
    // the database server holds the log back while it runs: A's entries are waited for first.)
    await expect.poll(async () => (await as(a, 'GET', '/v1/changes?limit=1000')).body).toContain(mine);
    for (const accept of ['application/json', 'text/event-stream', 'application/x-ndjson']) {
      const res = await t.app.inject({ url: '/v1/changes?limit=1000', headers: { ...a, accept } });
      expect(res.statusCode, `${accept}: ${res.body}`).toBe(200);
      expect(res.body, accept).toContain(mine);
      expect(res.body, accept).not.toContain(theirs);
    }
    const theirCursor = (await t.app.inject({ url: '/v1/changes?limit=1000', headers: b })).json<{
      nextCursor: string;
    }>().nextCursor;
    // B's cursor is only a place in the log: from it A reads its own entries, never B's.
    const fromTheirs = await as(a, 'GET', `/v1/changes?cursor=${theirCursor}`);
    expect(fromTheirs.statusCode).toBe(200);
    expect(fromTheirs.body).not.toContain(theirs);
    for (const qs of ['', '?q=kelp']) {
      const csv = await as(a, 'GET', `/v1/exports/assets.csv${qs}`);
      expect(csv.statusCode).toBe(200);
      expect(csv.body).toContain(mine);
      expect(csv.body).not.toContain(theirs);
    }
  });

  // POST /v1/events (the events-ingest branch): once it lands, add here that A's key never writes
  // into B (events land in the key's tenant whatever the body says), that a batch naming B's asset
  // ids is counted under A with no asset dimensions of B, and DELETE /v1/events/users/{token} with
  // B's token erases nothing of B.
  it("measures only its own events and its own pipeline on /v1/metrics, even filtered by the other's ids", async () => {
    const now = new Date();
    analytics.events.push(
      ...Array.from({ length: 5 }, () =>
        aStoredEvent({
          tenantId: 'tenant-b',
          type: 'play',
          assetId: theirs,
          occurredAt: now,
          context: { country: 'DE' },
        }),
      ),
      aStoredEvent({
        tenantId: 'tenant-b',
        type: 'search',
        occurredAt: now,
        search: { query: 'kelp', totalHits: 0 },
      }),
      aStoredEvent({ tenantId: 'tenant-a', type: 'play', assetId: mine, occurredAt: now }),
    );
    const total = async (query: string) => {
      const res = await as(a, 'GET', `/v1/metrics?${query}`);
      expect(res.statusCode, `${query}: ${res.body}`).toBe(200);
      return res.json<{ series: { group: string | null; total: number }[] }>().series;
    };
    expect((await total('metric=views'))[0]!.total).toBe(1);
    expect((await total(`metric=views&assetId=${theirs}`))[0]!.total).toBe(0);
    expect((await total('metric=topAssets')).map((s) => s.group)).toEqual([mine]);
    expect(await total('metric=zeroResultQueries')).toEqual([]);
    expect(await total('metric=views&groupBy=country')).toEqual([]);
    // One enrichment run each: A counts its own only.
    expect((await total('metric=jobs'))[0]!.total).toBe(1);
    expect((await total('metric=jobs&groupBy=status')).map((s) => s.total)).toEqual([1]);
  });

  it("reads no metadata record, kind or log entry of the other's, and cannot write its kinds", async () => {
    const kind = await as(b, 'POST', '/v1/metadata/kinds', {
      kind: 'b_private',
      version: '1.0.0',
      schema: { type: 'object', properties: { n: { type: 'number' } } },
    });
    expect(kind.statusCode, kind.body).toBe(201);
    const stored = await as(b, 'POST', '/v1/metadata/records', {
      target: { type: 'asset', id: theirs },
      kind: 'b_private',
      payload: { n: 1 },
      producerId: 'tenant-b.v1',
      extras: { window_start: '2026-12-01' },
    });
    expect(stored.statusCode, stored.body).toBe(201);
    const target = encodeURIComponent(`asset:${theirs}`);
    expect(
      (await as(a, 'GET', `/v1/metadata/records/latest?target=${target}&kind=b_private`)).statusCode,
    ).toBe(404);
    expect((await as(a, 'GET', '/v1/metadata/kinds/b_private')).statusCode).toBe(404);
    const history = await as(a, 'GET', `/v1/metadata/records/history?target=${target}&kind=b_private`);
    expect(history.json<{ items: unknown[] }>().items).toEqual([]);
    const query = await as(a, 'GET', '/v1/metadata/records/query?filter=extras.window_start:eq:2026-12-01');
    expect(query.json<{ items: unknown[] }>().items).toEqual([]);
    const kinds = (await as(a, 'GET', '/v1/metadata/kinds')).json<{ items: { kind: string }[] }>();
    expect(kinds.items.map((k) => k.kind)).not.toContain('b_private');
    // Writing B's kind from A: A has no such kind.
    const write = await as(a, 'POST', '/v1/metadata/records', {
      records: [
        { target: { type: 'asset', id: mine }, kind: 'b_private', payload: { n: 2 }, producerId: 'a' },
      ],
    });
    expect(write.json<{ items: { status: string; error?: string }[] }>().items[0]).toMatchObject({
      status: 'rejected',
      error: expect.stringMatching(/not registered/),
    });
    // A's log holds A's records only (its ingest's volume), never B's.
    const log = await t.app.inject({ url: '/v1/metadata/log?format=ndjson&follow=false', headers: a });
    expect(log.statusCode).toBe(200);
    const lines = log.body
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { kind: string; context: { tenant: string } });
    expect(lines.map((l) => l.kind)).toContain('ingestion_volume');
    expect(lines.every((l) => l.context.tenant === 'tenant-a')).toBe(true);
  });
});
