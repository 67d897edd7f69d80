import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';

describe('HTTP API', () => {
  let t: TestApp;
  let admin: { authorization: string };
  let viewer: { authorization: string };
  let otherTenant: { authorization: string };

  beforeAll(async () => {
    t = await createTestApp({ env: { BODY_LIMIT_BYTES: String(64 * 1024) } });
    admin = await t.keyFor('default', 'ADMIN');
    viewer = await t.keyFor('default', 'VIEWER');
    otherTenant = await t.keyFor('globex', 'ADMIN');
  });
  afterAll(() => t.close());

  const countAssets = async () =>
    (await t.container.db.query<{ n: number }>('SELECT count(*)::int AS n FROM assets'))[0]!.n;

  it('answers /health, /openapi.json and /docs without a key', async () => {
    expect((await t.app.inject('/health')).json()).toEqual({ status: 'ok' });
    const spec = (await t.app.inject('/openapi.json')).json<{
      openapi: string;
      paths: Record<string, unknown>;
    }>();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/v1/assets',
        '/v1/assets/batch',
        '/v1/assets/{id}',
        '/v1/assets/{id}/related',
        '/v1/search',
      ]),
    );
    expect((await t.app.inject('/docs/')).statusCode).toBe(200);
  });

  it('rejects a missing or unknown key with 401 problem details', async () => {
    for (const headers of [
      {},
      { authorization: 'Bearer mdk_not-a-real-key' },
      { authorization: 'Basic abc' },
    ]) {
      const res = await t.app.inject({ url: '/v1/assets', headers });
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.json()).toMatchObject({ status: 401, title: 'Unauthorized' });
    }
  });

  it('rejects a key without the permission with 403, writes nothing, and audits the denial', async () => {
    const before = await countAssets();
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/assets',
      headers: viewer,
      payload: anAssetInput(),
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ status: 403, detail: expect.stringContaining('assets:write') });
    expect(await countAssets()).toBe(before);
    const denied = await t.container.db.query(`SELECT 1 FROM action_records WHERE status = 'DENIED'`);
    expect(denied.length).toBeGreaterThan(0);
  });

  it('GET /v1/me tells any key who it is and what it may do, without a permission or an audited denial', async () => {
    const denials = async () =>
      (
        await t.container.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM action_records WHERE status = 'DENIED'`,
        )
      )[0]!.n;
    const before = await denials();
    const me = await t.app.inject({ url: '/v1/me', headers: viewer });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual({
      tenantId: 'default',
      keyId: expect.any(String),
      name: 'test-VIEWER',
      prefix: expect.stringMatching(/^mdk_/),
      role: 'VIEWER',
      permissions: ['assets:read', 'search:read'],
    });
    expect(await denials()).toBe(before);

    // A key narrowed by scopes answers its effective permissions, and its own id and name.
    const made = await t.app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: admin,
      payload: { name: 'Scoped editor', role: 'EDITOR', scopes: ['assets:read', 'tags:write'] },
    });
    const scoped = made.json<{ id: string; secret: string; prefix: string }>();
    const mine = await t.app.inject({ url: '/v1/me', headers: { authorization: `Bearer ${scoped.secret}` } });
    expect(mine.json()).toEqual({
      tenantId: 'default',
      keyId: scoped.id,
      name: 'Scoped editor',
      prefix: scoped.prefix,
      role: 'EDITOR',
      permissions: ['assets:read', 'tags:write'],
    });
    expect(JSON.stringify(mine.json())).not.toContain(scoped.secret);

    // Each tenant's key sees its own tenant; a revoked key is no one.
    expect((await t.app.inject({ url: '/v1/me', headers: otherTenant })).json()).toMatchObject({
      tenantId: 'globex',
      role: 'ADMIN',
    });
    await t.app.inject({ method: 'DELETE', url: `/v1/api-keys/${scoped.id}`, headers: admin });
    const gone = await t.app.inject({ url: '/v1/me', headers: { authorization: `Bearer ${scoped.secret}` } });
    expect(gone.statusCode).toBe(401);
    expect((await t.app.inject({ url: '/v1/me' })).statusCode).toBe(401);
  });

  it('rejects bad input with a 400 naming the field, and writes nothing', async () => {
    const before = await countAssets();
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/assets/batch',
      headers: admin,
      payload: { assets: [anAssetInput(), { ...anAssetInput(), type: 'FILM' }] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      status: 400,
      detail: expect.stringContaining('assets.1.type'),
      errors: [expect.objectContaining({ location: 'body', field: 'assets.1.type' })],
    });
    expect(await countAssets()).toBe(before);

    const bad = await t.app.inject({ url: '/v1/search?limit=5000', headers: admin });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      errors: [expect.objectContaining({ location: 'querystring', field: 'limit' })],
    });

    const junk = await t.app.inject({
      method: 'POST',
      url: '/v1/assets',
      headers: { ...admin, 'content-type': 'application/json' },
      payload: '{"type":',
    });
    expect(junk.statusCode).toBe(400);
    expect(junk.json()).toMatchObject({ status: 400 });
  });

  it('rejects a body over the size limit with 413 and writes nothing', async () => {
    const before = await countAssets();
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/assets',
      headers: admin,
      payload: anAssetInput({ transcript: 'x'.repeat(100 * 1024) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ status: 413, title: 'Content Too Large' });
    expect(await countAssets()).toBe(before);
  });

  it('rejects a batch over 1,000 assets', async () => {
    const assets = Array.from({ length: 1001 }, () => ({ type: 'TEXT', title: 't' }));
    const big = await createTestApp();
    try {
      const key = await big.keyFor('default', 'ADMIN');
      const res = await big.app.inject({
        method: 'POST',
        url: '/v1/assets/batch',
        headers: key,
        payload: { assets },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ errors: [expect.objectContaining({ field: 'assets' })] });
    } finally {
      await big.close();
    }
    // It builds an app of its own (a database and migrations): beyond 30 s on a loaded machine.
  }, 180_000);

  it('ingests with ?wait=true, answering once the asset is enriched and searchable', async () => {
    const input = anAssetInput({
      title: 'Quantum tunnelling explained',
      speakers: ['Marie Curie'],
      tags: ['physics'],
    });
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/assets?wait=true',
      headers: admin,
      payload: input,
    });
    expect(res.statusCode).toBe(201);
    const body = res.json<{ asset: { id: string; status: string; version: number }; duplicate: boolean }>();
    expect(body).toMatchObject({ duplicate: false, asset: { status: 'PROCESSED', version: 2 } });

    const search = await t.app.inject({ url: '/v1/search?q=quantum%20tunnelling', headers: admin });
    expect(search.json()).toMatchObject({
      hits: [{ asset: { id: body.asset.id }, highlights: { title: expect.stringContaining('<mark>') } }],
    });

    const got = await t.app.inject({ url: `/v1/assets/${body.asset.id}`, headers: viewer });
    expect(got.json()).toMatchObject({
      id: body.asset.id,
      sourceId: null,
      status: 'PROCESSED',
      enrichment: {
        speakers: [{ name: 'Marie Curie', source: 'manual', confidence: 1 }],
        tags: expect.arrayContaining([{ name: 'physics', source: 'manual', locked: false, confidence: 1 }]),
        keywords: expect.arrayContaining([expect.objectContaining({ term: 'quantum' })]),
      },
    });

    const again = await t.app.inject({ method: 'POST', url: '/v1/assets', headers: admin, payload: input });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ duplicate: true, asset: { id: body.asset.id } });
  });

  it('answers 202 with the current status when the wait runs out', async () => {
    const slow = await createTestApp({ env: { WAIT_TIMEOUT_MS: '100' }, workers: false });
    try {
      const key = await slow.keyFor('default', 'ADMIN');
      const res = await slow.app.inject({
        method: 'POST',
        url: '/v1/assets?wait=true',
        headers: key,
        payload: anAssetInput(),
      });
      expect(res.statusCode).toBe(202);
      expect(res.json()).toMatchObject({ asset: { status: 'QUEUED' } });
    } finally {
      await slow.close();
    }
  });

  it('filters, sorts and counts facets through the query string and field:value syntax', async () => {
    const key = await t.keyFor('facets', 'ADMIN');
    const payload = {
      assets: [
        anAssetInput({
          type: 'VIDEO',
          title: 'Coral reef survey',
          tags: ['oceans'],
          technicalMetadata: { durationSeconds: 300 },
        }),
        anAssetInput({ type: 'AUDIO', title: 'Coral reef interview', tags: ['oceans', 'interviews'] }),
        anAssetInput({
          type: 'VIDEO',
          title: 'Coral garden',
          tags: ['gardens'],
          technicalMetadata: { durationSeconds: 900 },
        }),
      ],
    };
    await t.app.inject({ method: 'POST', url: '/v1/assets/batch?wait=true', headers: key, payload });
    const search = async (qs: string) =>
      (await t.app.inject({ url: `/v1/search?${qs}`, headers: key })).json<{
        hits: { asset: { title: string } }[];
        facets?: Record<string, { value: string; count: number }[]>;
      }>();
    expect((await search('q=coral&type=VIDEO&durationMin=600')).hits.map((h) => h.asset.title)).toEqual([
      'Coral garden',
    ]);
    expect((await search('q=coral%20tag:oceans%20type:audio')).hits.map((h) => h.asset.title)).toEqual([
      'Coral reef interview',
    ]);
    const faceted = await search('q=coral&tag=oceans&facets=true');
    expect(faceted.hits).toHaveLength(2);
    // AI tags count too; the given ones are among them, the tag filter itself not narrowing its own facet.
    expect(faceted.facets!.tags).toEqual(
      expect.arrayContaining([
        { value: 'oceans', count: 2 },
        { value: 'gardens', count: 1 },
        { value: 'interviews', count: 1 },
      ]),
    );
    expect(faceted.facets!.type).toEqual([
      { value: 'AUDIO', count: 1 },
      { value: 'VIDEO', count: 1 },
    ]);
    const suggest = await t.app.inject({ url: '/v1/suggest?q=CORAL%20R', headers: key });
    const suggestions = suggest.json<{ suggestions: { kind: string; value: string; assets: number }[] }>()
      .suggestions;
    // A title one asset has carries that asset's id, so a client can open it.
    expect(suggestions).toEqual(
      expect.arrayContaining([
        { kind: 'title', value: 'Coral reef survey', assets: 1, assetId: expect.any(String) as string },
      ]),
    );
    // A suggestion leads to what it came from.
    const found = await search(`q=${encodeURIComponent('Coral reef survey')}`);
    expect(found.hits[0]!.asset.title).toBe('Coral reef survey');
    const title = suggestions.find((s) => s.value === 'Coral reef survey') as { assetId?: string };
    expect(title.assetId).toBe((found.hits[0]!.asset as { id?: string }).id);

    const explained = (
      await t.app.inject({ url: '/v1/search?q=coral%20garden&explain=true&limit=1', headers: key })
    ).json<{
      hits: { asset: { title: string }; explanation: { terms: { term: string; fields: string[] }[] } }[];
    }>();
    expect(explained.hits[0]!.asset.title).toBe('Coral garden');
    expect(explained.hits[0]!.explanation.terms.map((x) => x.term).sort()).toEqual(['coral', 'garden']);

    // What is not well-formed is read as words, and said so: no 400 for text.
    const unclosed = await t.app.inject({ url: '/v1/search?q=%22coral', headers: key });
    expect(unclosed.statusCode).toBe(200);
    expect(unclosed.json()).toMatchObject({ queryNotes: [{ code: 'unclosed-quote', text: '"coral' }] });
    expect(unclosed.json<{ hits: unknown[] }>().hits.length).toBeGreaterThan(0);
    const film = await t.app.inject({ url: '/v1/search?q=type:film', headers: key });
    expect(film.statusCode).toBe(200);
    expect(film.json()).toMatchObject({ queryNotes: [{ code: 'invalid-field-value', text: 'type:film' }] });
    expect((await t.app.inject({ url: '/v1/search?q=coral', headers: key })).json()).not.toHaveProperty(
      'queryNotes',
    );
    expect((await t.app.inject({ url: '/v1/search?resolution=big', headers: key })).statusCode).toBe(400);

    // syntax=plain reads all of q as words: no phrase to close, no filter, no exclusion.
    const plain = await search(`syntax=plain&q=${encodeURIComponent('"coral type:film -garden')}`);
    expect(plain.hits.map((h) => h.asset.title).sort()).toEqual([
      'Coral garden',
      'Coral reef interview',
      'Coral reef survey',
    ]);
    const badSyntax = await t.app.inject({ url: '/v1/search?q=coral&syntax=lucene', headers: key });
    expect(badSyntax.statusCode).toBe(400);
    expect(badSyntax.json()).toMatchObject({ detail: expect.stringContaining('syntax') });
  });

  it('lists assets newest first with a cursor', async () => {
    const key = await t.keyFor('listing', 'ADMIN');
    const payload = {
      assets: Array.from({ length: 5 }, (_, i) => anAssetInput({ createdAt: `2024-01-0${i + 1}T00:00:00Z` })),
    };
    expect(
      (await t.app.inject({ method: 'POST', url: '/v1/assets/batch', headers: key, payload })).statusCode,
    ).toBe(201);
    const first = (await t.app.inject({ url: '/v1/assets?limit=3', headers: key })).json<{
      items: { createdAt: string }[];
      nextCursor: string;
    }>();
    expect(first.items.map((a) => a.createdAt.slice(0, 10))).toEqual([
      '2024-01-05',
      '2024-01-04',
      '2024-01-03',
    ]);
    const second = (
      await t.app.inject({ url: `/v1/assets?limit=3&cursor=${first.nextCursor}`, headers: key })
    ).json<{ items: { createdAt: string }[]; nextCursor: string | null }>();
    expect(second.items.map((a) => a.createdAt.slice(0, 10))).toEqual(['2024-01-02', '2024-01-01']);
    expect(second.nextCursor).toBeNull();
    expect((await t.app.inject({ url: '/v1/assets?cursor=bogus', headers: key })).statusCode).toBe(400);
  });

  it("never shows one tenant another tenant's assets", async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/assets?wait=true',
      headers: admin,
      payload: anAssetInput({ title: 'Secret merger plans', tags: ['secret'] }),
    });
    const id = res.json<{ asset: { id: string } }>().asset.id;
    expect((await t.app.inject({ url: `/v1/assets/${id}`, headers: otherTenant })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/v1/assets/${id}/related`, headers: otherTenant })).statusCode).toBe(
      404,
    );
    expect((await t.app.inject({ url: '/v1/search?q=merger', headers: otherTenant })).json()).toEqual({
      hits: [],
      nextCursor: null,
      total: { value: 0, exact: true },
    });
    expect((await t.app.inject({ url: '/v1/assets', headers: otherTenant })).json()).toMatchObject({
      items: [],
    });
  });

  it('answers unknown routes and ids with 404 problem details', async () => {
    expect((await t.app.inject({ url: '/nope' })).json()).toMatchObject({ status: 404 });
    const res = await t.app.inject({
      url: '/v1/assets/00000000-0000-4000-8000-000000000000',
      headers: admin,
    });
    expect(res.statusCode).toBe(404);
    expect((await t.app.inject({ url: '/v1/assets/not-a-uuid', headers: admin })).statusCode).toBe(400);
  });

  it('hides internals behind a 500', async () => {
    const broken = await createTestApp();
    try {
      const key = await broken.keyFor('default', 'ADMIN');
      await broken.container.db.exec('ALTER TABLE search_documents RENAME TO search_documents_gone');
      const res = await broken.app.inject({ url: '/v1/search?q=anything', headers: key });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual({
        type: 'about:blank',
        title: 'Internal Server Error',
        status: 500,
        instance: '/v1/search?q=anything',
      });
    } finally {
      await broken.close();
    }
  });
});
