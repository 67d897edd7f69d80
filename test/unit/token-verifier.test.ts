import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWTVerifyGetKey,
} from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { ForbiddenError, UnauthorizedError, UnavailableError } from '../../domain/errors.js';
import { looksLikeJwt, TokenVerifier } from '../../services/token-verifier.js';

const config = { issuer: 'https://idp.example/', jwksUrl: 'https://idp.example/jwks', tenantClaim: 'org' };

describe('TokenVerifier', () => {
  let key: CryptoKey;
  let keys: JWTVerifyGetKey;

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    key = pair.privateKey;
    keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256' }] });
  });

  const sign = (claims: Record<string, unknown>) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer(config.issuer)
      .setExpirationTime('1m')
      .sign(key);

  it('grants metrics:read on the tenant its claim names, and nothing more', async () => {
    const sut = new TokenVerifier(config, keys);
    const p = await sut.verify(await sign({ org: 'acme', sub: 'dash', scope: 'metrics:read keys:manage' }));
    expect(p).toMatchObject({ tenantId: 'acme', keyId: 'token:dash', token: { subject: 'dash' } });
    expect([...p.permissions]).toEqual(['metrics:read']);
    expect(p.restrictions).toBeUndefined();
  });

  it('refuses a token without the scope (403), without exp or tenant (401)', async () => {
    const sut = new TokenVerifier(config, keys);
    await expect(sut.verify(await sign({ org: 'acme', scope: 'metrics:readonly' }))).rejects.toThrow(
      ForbiddenError,
    );
    await expect(sut.verify(await sign({ org: 42, scope: 'metrics:read' }))).rejects.toThrow(
      UnauthorizedError,
    );
    const forever = await new SignJWT({ org: 'acme', scope: 'metrics:read' })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer(config.issuer)
      .sign(key);
    await expect(sut.verify(forever)).rejects.toThrow(/exp/);
    await expect(sut.verify('not.a.token')).rejects.toThrow(UnauthorizedError);
  });

  it('answers 503, not 401, when the issuer keys cannot be fetched', async () => {
    const unreachable: JWTVerifyGetKey = () => Promise.reject(new TypeError('fetch failed'));
    const sut = new TokenVerifier(config, unreachable);
    await expect(sut.verify(await sign({ org: 'acme', scope: 'metrics:read' }))).rejects.toThrow(
      UnavailableError,
    );
  });

  it('tells a JWT from an API key by its shape', () => {
    expect(looksLikeJwt('eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln')).toBe(true);
    expect(looksLikeJwt('mdk_1a2b3c4d5e6f7g8h9i0j')).toBe(false);
    // A chosen secret with dots stays a key.
    expect(looksLikeJwt('my.local.secret-key')).toBe(false);
  });
});
