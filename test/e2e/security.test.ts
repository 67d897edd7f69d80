import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../../services/api-key-service.js';
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
