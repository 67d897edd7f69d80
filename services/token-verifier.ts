import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors as joseErrors,
  jwtVerify,
  type JWTVerifyGetKey,
} from 'jose';
import { ForbiddenError, UnauthorizedError, UnavailableError } from '../domain/errors.js';
import type { Permission } from '../domain/permissions.js';
import type { Principal } from './api-key-service.js';

/** The identity provider whose tokens the metrics routes accept (JWT_* settings). */
export interface TokenIssuerConfig {
  issuer: string;
  jwksUrl: string;
  /** When set, a token must name it in `aud`. */
  audience?: string | undefined;
  /** The claim that names the tenant. */
  tenantClaim: string;
}

/** What a token may ever grant: reading metrics, whatever else its scope says. */
export const TOKEN_PERMISSION: Permission = 'metrics:read';

/** A tenant id as the canonical store accepts it (tenants.id). */
const TENANT_ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/**
 * A compact JWS: three base64url parts, the first a JSON header naming its algorithm. Generated API
 * keys have no dots; a chosen secret (BOOTSTRAP_API_KEY, `keys --secret`) with dots is still read as
 * a key unless its first part decodes to such a header.
 */
export function looksLikeJwt(token: string): boolean {
  if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) return false;
  try {
    return typeof decodeProtectedHeader(token).alg === 'string';
  } catch {
    return false;
  }
}

/**
 * Bearer JWTs of a partner's identity provider, verified against its JWKS (fetched once and cached
 * by jose, refetched when a token names a key it does not hold, at most every 30 s). A valid token
 * whose `scope` (or `scp`) holds `metrics:read` is a principal of the tenant its claim names, with
 * that one permission; nothing else is ever granted to a token.
 */
export class TokenVerifier {
  private readonly keys: JWTVerifyGetKey;

  constructor(
    private readonly config: TokenIssuerConfig,
    keys?: JWTVerifyGetKey,
  ) {
    this.keys = keys ?? createRemoteJWKSet(new URL(config.jwksUrl));
  }

  /** 401 for a token that is not valid (signature, issuer, audience, expiry); 403 without the scope. */
  async verify(token: string): Promise<Principal> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        issuer: this.config.issuer,
        ...(this.config.audience ? { audience: this.config.audience } : {}),
        requiredClaims: ['exp'],
        // Clocks of two services drift a little.
        clockTolerance: 30,
      }));
    } catch (err) {
      // The issuer's keys could not be had: not the caller's fault, and it may pass.
      if (err instanceof joseErrors.JWKSTimeout || !(err instanceof joseErrors.JOSEError)) {
        throw new UnavailableError("the token issuer's keys (JWT_JWKS_URL) could not be fetched; retry");
      }
      throw new UnauthorizedError(`invalid bearer token: ${reasonOf(err)}`);
    }
    const tenant = payload[this.config.tenantClaim];
    if (typeof tenant !== 'string' || !TENANT_ID.test(tenant)) {
      throw new UnauthorizedError(`invalid bearer token: no tenant in the claim ${this.config.tenantClaim}`);
    }
    if (!scopesOf(payload).includes(TOKEN_PERMISSION)) {
      throw new ForbiddenError(`this bearer token's scope lacks ${TOKEN_PERMISSION}`);
    }
    const subject = typeof payload.sub === 'string' ? payload.sub : null;
    return {
      tenantId: tenant,
      // Rate limits and audit rows name who called: the token's subject at its issuer.
      keyId: `token:${subject ?? 'anonymous'}`,
      role: 'VIEWER',
      permissions: new Set([TOKEN_PERMISSION]),
      token: { issuer: this.config.issuer, subject },
    };
  }
}

/** RFC 8693 `scope` (space-separated) or the `scp` array some providers use. */
function scopesOf(payload: Record<string, unknown>): string[] {
  const { scope, scp } = payload;
  if (typeof scope === 'string') return scope.split(' ').filter(Boolean);
  if (Array.isArray(scp)) return scp.filter((s): s is string => typeof s === 'string');
  if (typeof scp === 'string') return scp.split(' ').filter(Boolean);
  return [];
}

/** What a caller may be told: which check failed, never the key material. */
function reasonOf(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return 'expired';
  if (err instanceof joseErrors.JWTClaimValidationFailed) return `claim ${err.claim} ${err.reason}`;
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return 'bad signature';
  if (err instanceof joseErrors.JWKSNoMatchingKey) return 'signed by a key the issuer does not publish';
  if (err instanceof joseErrors.JOSEError) return err.code;
  return 'unreadable';
}
