import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { aStoredEvent, fakeAnalyticsStore } from '../support/fakes.js';

const ISSUER = 'https://idp.partner.example/';
const AUDIENCE = 'media-metrics';

/**
 * A partner's identity provider: a JWKS served on a local port, and tokens signed with its key.
 * The metrics routes accept its tokens; no other route does.
 */
describe('bearer JWTs on the metrics routes', () => {
  let t: TestApp;
  let jwks: Server;
  let jwksFetches = 0;
  let signingKey: CryptoKey;
  let strangerKey: CryptoKey;
  const analytics = fakeAnalyticsStore();

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    signingKey = pair.privateKey;
    // Another key published under the same id: a token it signs has a bad signature.
    strangerKey = (await generateKeyPair('ES256')).privateKey;
    const published: JWK = {
      ...(await exportJWK(pair.publicKey)),
      kid: 'partner-1',
      alg: 'ES256',
      use: 'sig',
    };
    jwks = createServer((_req, res) => {
      jwksFetches++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [published] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const { port } = jwks.address() as AddressInfo;
    t = await createTestApp({
      workers: false,
      analytics,
      env: {
        JWT_ISSUER: ISSUER,
        JWT_JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`,
        JWT_AUDIENCE: AUDIENCE,
      },
    });
    const now = new Date();
    analytics.events.push(
      aStoredEvent({ tenantId: 'partner', type: 'play', occurredAt: now }),
      aStoredEvent({ tenantId: 'partner', type: 'play', occurredAt: now }),
      aStoredEvent({ tenantId: 'someone-else', type: 'play', occurredAt: now }),
    );
  }, 180_000);
  afterAll(async () => {
    await t?.close();
    jwks?.close();
  });

  const token = (
    claims: Record<string, unknown> = {},
    opts: { key?: CryptoKey; issuer?: string; expiresAt?: number | string; audience?: string } = {},
  ) =>
    new SignJWT({ tenant: 'partner', scope: 'openid metrics:read', ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: 'partner-1' })
      .setIssuer(opts.issuer ?? ISSUER)
      .setAudience(opts.audience ?? AUDIENCE)
      .setSubject('dashboard-service')
      .setIssuedAt()
      .setExpirationTime(opts.expiresAt ?? '5m')
      .sign(opts.key ?? signingKey);
  const call = async (url: string, jwt: string) =>
    t.app.inject({ url, headers: { authorization: `Bearer ${jwt}` } });
  const metrics = (jwt: string) => call('/v1/metrics?metric=views', jwt);

  it("reads the metrics of the token's tenant, fetching the issuer's keys once", async () => {
    for (let i = 0; i < 3; i++) {
      const res = await metrics(await token());
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<{ series: { total: number }[] }>().series[0]!.total).toBe(2);
    }
    expect(jwksFetches).toBe(1);
    // The `scp` array some providers use instead of `scope`.
    const scp = await metrics(await token({ scope: undefined, scp: ['metrics:read'] }));
    expect(scp.statusCode, scp.body).toBe(200);
  });

  it('refuses a token of another issuer or audience, an expired one, a forged one, one without a tenant', async () => {
    const cases: [string, string, RegExp][] = [
      ['another issuer', await token({}, { issuer: 'https://idp.other.example/' }), /iss/],
      ['another audience', await token({}, { audience: 'something-else' }), /aud/],
      ['expired', await token({}, { expiresAt: Math.floor(Date.now() / 1000) - 3600 }), /expired/],
      ['bad signature', await token({}, { key: strangerKey }), /signature/],
      ['no tenant', await token({ tenant: undefined }), /tenant/],
      ['a tenant that cannot be one', await token({ tenant: 'Partner; DROP' }), /tenant/],
    ];
    for (const [what, jwt, reason] of cases) {
      const res = await metrics(jwt);
      expect(res.statusCode, `${what}: ${res.body}`).toBe(401);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(res.json<{ detail: string }>().detail, what).toMatch(reason);
    }
  });

  it('refuses a valid token whose scope lacks metrics:read with 403', async () => {
    const res = await metrics(await token({ scope: 'openid profile' }));
    expect(res.statusCode, res.body).toBe(403);
    expect(res.json<{ detail: string }>().detail).toMatch(/metrics:read/);
  });

  it('never lets a token reach another route', async () => {
    const jwt = await token({ scope: 'metrics:read assets:read keys:manage' });
    for (const url of ['/v1/me', '/v1/assets', '/v1/api-keys', '/v1/search?q=x', '/v1/pipeline/status']) {
      const res = await call(url, jwt);
      expect(res.statusCode, `${url}: ${res.body}`).toBe(401);
    }
  });

  it('keeps accepting API keys on the metrics routes', async () => {
    const key = await t.keyFor('partner', 'DEVELOPER');
    const res = await t.app.inject({ url: '/v1/metrics?metric=views', headers: key });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ series: { total: number }[] }>().series[0]!.total).toBe(2);
    const viewer = await t.keyFor('partner', 'VIEWER');
    expect((await t.app.inject({ url: '/v1/metrics?metric=views', headers: viewer })).statusCode).toBe(403);
  });
});
