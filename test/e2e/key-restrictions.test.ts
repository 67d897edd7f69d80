import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

/**
 * A key a web player carries: ingest-only, limited to its site's origins and to address ranges.
 * Refused (403) from anywhere else; CORS answers only its own origins.
 */
describe('keys limited to origins and address ranges', () => {
  let t: TestApp;
  let admin: { authorization: string };
  let player: { authorization: string };
  const SITE = 'https://player.example.com';
  const INSIDE = '203.0.113.9';

  beforeAll(async () => {
    t = await createTestApp({ workers: false });
    admin = await t.keyFor('restricted', 'ADMIN');
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: admin,
      payload: {
        name: 'Web player',
        role: 'DEVELOPER',
        scopes: ['events:write'],
        allowedOrigins: ['https://Player.example.com:443', 'http://localhost:8080', SITE],
        allowedIpRanges: ['203.0.113.7/24', '2001:db8::1/32'],
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const key = res.json<{
      secret: string;
      scopes: string[];
      allowedOrigins: string[];
      allowedIpRanges: string[];
    }>();
    // Stored as browsers send origins and as networks: compared exactly later.
    expect(key).toMatchObject({
      scopes: ['events:write'],
      allowedOrigins: [SITE, 'http://localhost:8080'],
      allowedIpRanges: ['203.0.113.0/24', '2001:db8::/32'],
    });
    player = { authorization: `Bearer ${key.secret}` };
  }, 180_000);
  afterAll(() => t?.close());

  const me = (headers: Record<string, string>, remoteAddress = INSIDE) =>
    t.app.inject({ url: '/v1/me', headers, remoteAddress });

  it('lists the restrictions with the key', async () => {
    const list = await t.app.inject({ url: '/v1/api-keys', headers: admin });
    const listed = list.json<{ items: { name: string; allowedOrigins: string[] }[] }>().items;
    expect(listed.find((k) => k.name === 'Web player')?.allowedOrigins).toEqual([
      SITE,
      'http://localhost:8080',
    ]);
    expect(listed.find((k) => k.name !== 'Web player')?.allowedOrigins).toEqual([]);
  });

  it('answers its own origin from an allowed address, echoing the origin for CORS', async () => {
    const res = await me({ ...player, origin: SITE });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(SITE);
    expect(res.headers.vary).toMatch(/Origin/);
    // A dual-stack socket reports IPv4 clients as IPv4-mapped IPv6 addresses.
    expect((await me({ ...player, origin: SITE }, `::ffff:${INSIDE}`)).statusCode).toBe(200);
    expect((await me({ ...player, origin: 'http://localhost:8080' }, '2001:db8:5::1')).statusCode).toBe(200);
  });

  it('refuses another origin, a request without one, and another address, with 403', async () => {
    for (const [headers, address] of [
      [{ ...player, origin: 'https://evil.example.com' }, INSIDE],
      [{ ...player, origin: 'https://player.example.com.evil.example' }, INSIDE],
      [player, INSIDE],
      [{ ...player, origin: SITE }, '198.51.100.1'],
      [{ ...player, origin: SITE }, '2001:db9::1'],
    ] as [Record<string, string>, string][]) {
      const res = await me(headers, address);
      expect(res.statusCode, `${headers.origin ?? 'no origin'} from ${address}: ${res.body}`).toBe(403);
      // Another origin's page cannot even read the refusal; the key's own site can read why.
      expect(res.headers['access-control-allow-origin']).toBe(headers.origin === SITE ? SITE : undefined);
    }
    // Audited like any denial.
    const rows = await t.container.db.query<{ details: { origin: string | null } }>(
      `SELECT details FROM action_records WHERE tenant_id = 'restricted' AND status = 'DENIED'`,
    );
    expect(rows.map((r) => r.details.origin)).toContain('https://evil.example.com');
  });

  it('gives a key without origins no CORS headers', async () => {
    const res = await me({ ...admin, origin: SITE }, '198.51.100.1');
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers the preflight of POST /v1/events without a key', async () => {
    const res = await t.app.inject({
      method: 'OPTIONS',
      url: '/v1/events',
      headers: {
        origin: SITE,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(res.statusCode).toBe(204);
    expect(res.headers).toMatchObject({
      'access-control-allow-origin': SITE,
      'access-control-allow-methods': 'POST',
    });
    expect(res.headers['access-control-allow-headers']).toMatch(/authorization/);
  });

  it('lets a restricted key make only keys restricted as far', async () => {
    const made = await t.app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: admin,
      payload: { name: 'office admin', role: 'ADMIN', allowedIpRanges: ['203.0.113.0/24'] },
    });
    const office = { authorization: `Bearer ${made.json<{ secret: string }>().secret}` };
    const create = (payload: object) =>
      t.app.inject({ method: 'POST', url: '/v1/api-keys', headers: office, payload, remoteAddress: INSIDE });
    expect((await create({ name: 'anywhere', role: 'VIEWER' })).statusCode).toBe(403);
    const wider = await create({ name: 'wider', role: 'VIEWER', allowedIpRanges: ['203.0.0.0/16'] });
    expect(wider.statusCode).toBe(403);
    expect(wider.json<{ detail: string }>().detail).toMatch(
      /allowedIpRanges must be some of 203.0.113.0\/24/,
    );
    const same = await create({ name: 'same', role: 'VIEWER', allowedIpRanges: ['203.0.113.0/24'] });
    expect(same.statusCode, same.body).toBe(201);
  });

  it('refuses malformed or too many origins and ranges, naming the value', async () => {
    const create = (extra: object) =>
      t.app.inject({
        method: 'POST',
        url: '/v1/api-keys',
        headers: admin,
        payload: { name: 'bad', role: 'DEVELOPER', scopes: ['events:write'], ...extra },
      });
    for (const [extra, field] of [
      [{ allowedOrigins: ['https://player.example.com/embed'] }, 'allowedOrigins.0'],
      [{ allowedOrigins: ['player.example.com'] }, 'allowedOrigins.0'],
      [{ allowedOrigins: [SITE, 'ftp://files.example.com'] }, 'allowedOrigins.1'],
      [{ allowedIpRanges: ['10.0.0.0/33'] }, 'allowedIpRanges.0'],
      [{ allowedIpRanges: ['10.0.0.1'] }, 'allowedIpRanges.0'],
      [{ allowedIpRanges: Array.from({ length: 51 }, (_, i) => `10.0.${i}.0/24`) }, 'allowedIpRanges'],
    ] as [object, string][]) {
      const res = await create(extra);
      expect(res.statusCode, `${JSON.stringify(extra).slice(0, 80)}: ${res.body}`).toBe(400);
      expect(res.json<{ errors: { field: string }[] }>().errors[0]!.field).toBe(field);
    }
  });
});
