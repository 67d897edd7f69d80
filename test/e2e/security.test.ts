import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret, MAX_ACTIVE_KEYS } from '../../services/api-key-service.js';
import { createTestApp, type TestApp } from '../support/app.js';

interface KeyDto {
  id: string;
  prefix: string;
  role: string;
  scopes: string[];
  status: string;
  lastUsedAt: string | null;
  secret?: string;
}

describe('API keys over REST', () => {
  let t: TestApp;
  let developer: { authorization: string };

  beforeAll(async () => {
    t = await createTestApp({ workers: false });
    developer = await t.keyFor('keys', 'DEVELOPER');
  });
  afterAll(() => t?.close());

  const post = (payload: object, headers = developer) =>
    t.app.inject({ method: 'POST', url: '/v1/api-keys', headers, payload });
  const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

  it('returns the secret once, stores only its hash, and lists the key without it', async () => {
    const res = await post({ name: 'CMS sync', role: 'VIEWER' });
    expect(res.statusCode, res.body).toBe(201);
    const made = res.json<KeyDto>();
    expect(made.secret).toMatch(/^mdk_/);
    expect(made.secret!.startsWith(made.prefix)).toBe(true);
    expect(made).toMatchObject({ role: 'VIEWER', scopes: ['assets:read', 'search:read'], status: 'ACTIVE' });

    const stored = await t.container.db.query<Record<string, unknown>>(
      'SELECT * FROM api_keys WHERE id = $1',
      [made.id],
    );
    expect(stored[0]!.key_hash).toBe(hashSecret(made.secret!));
    expect(JSON.stringify(stored)).not.toContain(made.secret);

    // Used once, then listed with lastUsedAt and never with a secret.
    expect((await t.app.inject({ url: '/v1/search?q=x', headers: bearer(made.secret!) })).statusCode).toBe(
      200,
    );
    const list = (await t.app.inject({ url: '/v1/api-keys', headers: developer })).json<{
      items: KeyDto[];
    }>();
    const listed = list.items.find((k) => k.id === made.id)!;
    expect(listed.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(list)).not.toContain(made.secret);
    expect(JSON.stringify(list)).not.toContain(stored[0]!.key_hash);
  });

  it('never makes a key with more than its maker holds', async () => {
    const editorKey = await post({ name: 'too much', role: 'EDITOR' });
    expect(editorKey.statusCode).toBe(403);
    expect(editorKey.json<{ detail: string }>().detail).toMatch(/tags:write/);
    expect((await post({ name: 'scoped', scopes: ['export:read'] })).statusCode).toBe(403);
    const narrowed = await post({ name: 'read only', scopes: ['search:read'] });
    expect(narrowed.statusCode).toBe(201);
    expect(narrowed.json<KeyDto>()).toMatchObject({ role: 'DEVELOPER', scopes: ['search:read'] });
    const editor = await t.keyFor('keys', 'EDITOR');
    expect((await post({ name: 'x' }, editor)).statusCode).toBe(403);
  });

  it('revokes a key at once, audits it, and hides other tenants’ keys behind 404', async () => {
    const made = (await post({ name: 'short-lived', role: 'VIEWER' })).json<KeyDto>();
    expect((await t.app.inject({ url: '/v1/search?q=x', headers: bearer(made.secret!) })).statusCode).toBe(
      200,
    );
    const del = await t.app.inject({ method: 'DELETE', url: `/v1/api-keys/${made.id}`, headers: developer });
    expect(del.statusCode).toBe(204);
    expect((await t.app.inject({ url: '/v1/search?q=x', headers: bearer(made.secret!) })).statusCode).toBe(
      401,
    );
    const again = await t.app.inject({
      method: 'DELETE',
      url: `/v1/api-keys/${made.id}`,
      headers: developer,
    });
    expect(again.statusCode).toBe(404);

    const other = await t.keyFor('other', 'DEVELOPER');
    const theirs = (await post({ name: 'theirs', role: 'VIEWER' }, other)).json<KeyDto>();
    const cross = await t.app.inject({
      method: 'DELETE',
      url: `/v1/api-keys/${theirs.id}`,
      headers: developer,
    });
    expect(cross.statusCode).toBe(404);
    expect((await t.app.inject({ url: '/v1/search?q=x', headers: bearer(theirs.secret!) })).statusCode).toBe(
      200,
    );

    const audit = await t.container.db.query<{ action_type: string }>(
      `SELECT action_type FROM action_records WHERE tenant_id = 'keys' AND action_type LIKE 'KEY_%' ORDER BY started_at`,
    );
    expect(audit.map((a) => a.action_type)).toEqual(expect.arrayContaining(['KEY_CREATE', 'KEY_REVOKE']));
  });

  it('shows workflows to admins only, as the README says', async () => {
    for (const role of ['VIEWER', 'EDITOR', 'DEVELOPER', 'CONTENT_MANAGER'] as const) {
      const res = await t.app.inject({ url: '/v1/workflows', headers: await t.keyFor('keys', role) });
      expect(res.statusCode, role).toBe(403);
    }
    const admin = await t.keyFor('keys', 'ADMIN');
    expect((await t.app.inject({ url: '/v1/workflows', headers: admin })).statusCode).toBe(200);
  });

  it('sends security headers', async () => {
    const res = await t.app.inject({ url: '/health' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['strict-transport-security']).toBeDefined();
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
  });
});

describe('limits', () => {
  let t: TestApp;
  let key: { authorization: string };

  beforeAll(async () => {
    t = await createTestApp({
      workers: false,
      env: { RATE_LIMIT_PER_MINUTE: '3', BODY_LIMIT_BYTES: '2048' },
    });
    key = await t.keyFor('limited', 'EDITOR');
  });
  afterAll(() => t?.close());

  it('answers 429 with Retry-After past the per-key rate, counting each key apart', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 4; i++)
      codes.push((await t.app.inject({ url: '/v1/search?q=x', headers: key })).statusCode);
    expect(codes).toEqual([200, 200, 200, 429]);
    const limited = await t.app.inject({ url: '/v1/search?q=x', headers: key });
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    expect(limited.headers['content-type']).toContain('application/problem+json');
    expect(limited.json<{ status: number; detail: string }>()).toMatchObject({ status: 429 });
    const another = await t.keyFor('limited', 'VIEWER');
    expect((await t.app.inject({ url: '/v1/search?q=x', headers: another })).statusCode).toBe(200);
  });

  it('counts forbidden requests against the rate, and records repeated denials as one counted row', async () => {
    const viewer = await t.keyFor('limited-denied', 'VIEWER');
    const codes = (
      await Promise.all(
        Array.from({ length: 30 }, () => t.app.inject({ url: '/v1/api-keys', headers: viewer })),
      )
    ).map((r) => r.statusCode);
    expect(codes.filter((c) => c === 403)).toHaveLength(3);
    expect(codes.filter((c) => c === 429)).toHaveLength(27);
    const rows = await t.container.db.query<{ details: { count: number; route: string } }>(
      `SELECT details FROM action_records WHERE tenant_id = 'limited-denied' AND status = 'DENIED'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.details).toMatchObject({ route: '/v1/api-keys', count: 3 });
  });

  it('counts requests without a valid key per client address', async () => {
    const from = (remoteAddress: string) =>
      t.app.inject({ url: '/v1/search?q=x', headers: { authorization: 'Bearer nope' }, remoteAddress });
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await from('198.51.100.7')).statusCode);
    expect(codes).toEqual([401, 401, 401, 429, 429]);
    expect((await from('198.51.100.8')).statusCode).toBe(401);
  });

  it('checks the permission before reading or validating the body', async () => {
    for (const payload of ['{}', '{"type": "FILM"}', '['.repeat(1_000), 'not json']) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/assets',
        headers: { ...(await t.keyFor('limited-order', 'VIEWER')), 'content-type': 'application/json' },
        payload,
      });
      expect(res.statusCode, `${payload.slice(0, 20)}: ${res.body}`).toBe(403);
    }
  });

  it('refuses a body over the size limit with 413, writing nothing', async () => {
    const other = await t.keyFor('limited-body', 'EDITOR');
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/assets',
      headers: { ...other, 'content-type': 'application/json' },
      payload: JSON.stringify({ type: 'TEXT', title: 'x'.repeat(4096) }),
    });
    expect(res.statusCode).toBe(413);
    const rows = await t.container.db.query(`SELECT 1 FROM assets WHERE tenant_id = 'limited-body'`);
    expect(rows).toEqual([]);
  });
});

describe('who may revoke a key, and how many keys a tenant holds', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ workers: false });
  });
  afterAll(() => t?.close());

  const revoke = (id: string, headers: { authorization: string }) =>
    t.app.inject({ method: 'DELETE', url: `/v1/api-keys/${id}`, headers });
  const idOf = async ({ authorization }: { authorization: string }) => {
    const [row] = await t.container.db.query<{ id: string }>('SELECT id FROM api_keys WHERE key_hash = $1', [
      hashSecret(authorization.replace('Bearer ', '')),
    ]);
    return row!.id;
  };
  const keyIds = async (tenantId: string, role: string) =>
    (
      await t.container.db.query<{ id: string }>(
        `SELECT id FROM api_keys WHERE tenant_id = $1 AND role = $2 AND status = 'ACTIVE' ORDER BY created_at`,
        [tenantId, role],
      )
    ).map((r) => r.id);

  it('never lets a key revoke a key holding more than itself', async () => {
    const admin = await t.keyFor('acme', 'ADMIN');
    await t.keyFor('acme', 'ADMIN');
    const developer = await t.keyFor('acme', 'DEVELOPER');
    const [adminId] = await keyIds('acme', 'ADMIN');
    const res = await revoke(adminId!, developer);
    expect(res.statusCode, res.body).toBe(403);
    expect(res.json<{ detail: string }>().detail).toMatch(/more than itself/);
    expect(await keyIds('acme', 'ADMIN')).toHaveLength(2);
    // A key as strong as itself, or weaker, it may revoke.
    const [developerId] = await keyIds('acme', 'DEVELOPER');
    expect((await revoke(developerId!, admin)).statusCode).toBe(204);
  });

  it('keeps the last ADMIN key of a tenant, even against parallel revocations', async () => {
    const [adminA, adminB] = [await t.keyFor('solo', 'ADMIN'), await t.keyFor('solo', 'ADMIN')] as const;
    const [idA, idB] = [await idOf(adminA), await idOf(adminB)] as const;
    // Each admin revokes the other at the same time: one of the two must stay.
    const codes = (await Promise.all([revoke(idA, adminB), revoke(idB, adminA)])).map((r) => r.statusCode);
    // The loser is refused as the last ADMIN (409), or, if the winner committed before the loser was
    // authenticated, as a revoked key (401).
    expect(codes.filter((c) => c === 204)).toHaveLength(1);
    expect(codes.filter((c) => c === 409 || c === 401)).toHaveLength(1);
    const remaining = await keyIds('solo', 'ADMIN');
    expect(remaining).toHaveLength(1);
    const last = remaining[0]!;
    const self = await revoke(last, last === idA ? adminA : adminB);
    expect(self.statusCode).toBe(409);
    expect(self.json<{ detail: string }>().detail).toMatch(/last ADMIN key/);
    // The operator's CLI may.
    await t.container.apiKeys.revokeAsOperator('solo', last);
    expect(await keyIds('solo', 'ADMIN')).toHaveLength(0);
  });

  it('holds the active-key cap under parallel creation', async () => {
    const developer = await t.keyFor('crowded', 'DEVELOPER');
    const [{ n }] = (await t.container.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM api_keys WHERE tenant_id = 'crowded' AND status = 'ACTIVE'`,
    )) as [{ n: number }];
    // Fill up to 195 directly, then race 40 creations for the last 5 places.
    for (let i = n; i < MAX_ACTIVE_KEYS - 5; i++)
      await t.container.apiKeys.create({ tenantId: 'crowded', name: `filler-${i}`, role: 'VIEWER' });
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        t.app.inject({
          method: 'POST',
          url: '/v1/api-keys',
          headers: developer,
          payload: { name: `racer-${i}`, role: 'VIEWER' },
        }),
      ),
    );
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 201)).toHaveLength(5);
    expect(codes.filter((c) => c === 409)).toHaveLength(35);
    const [after] = await t.container.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM api_keys WHERE tenant_id = 'crowded' AND status = 'ACTIVE'`,
    );
    expect(after!.n).toBe(MAX_ACTIVE_KEYS);
  });
});
