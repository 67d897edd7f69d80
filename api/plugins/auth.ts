import type { FastifyInstance } from 'fastify';
import {
  ForbiddenError,
  UnauthorizedError,
  UnavailableError,
  type DomainError,
} from '../../domain/errors.js';
import type { Permission } from '../../domain/permissions.js';
import type { ApiKeyService, Principal } from '../../services/api-key-service.js';
import { looksLikeJwt, TOKEN_PERMISSION, type TokenVerifier } from '../../services/token-verifier.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The key's principal; null only until addAuthorization has refused a request without one. */
    principal: Principal;
    /**
     * Why the request has no principal, thrown once the rate limit has counted it: 401, or for a
     * bearer token 403 (no metrics:read in its scope) or 503 (its issuer's keys unreachable).
     */
    authFailure: DomainError | null;
  }
  interface FastifyContextConfig {
    /**
     * The permission a route needs; every route under /v1 must name one. `authenticated`: any
     * valid key, for the few routes about the calling key itself (GET /v1/me).
     */
    permission?: Permission | 'authenticated';
  }
}

/**
 * Bearer API keys, first step: who calls. A request without a valid key is not refused yet, so that
 * the rate limit counts it too (per client address); addAuthorization refuses it.
 *
 * With a token issuer configured, a bearer JWT is verified instead, on the routes that need
 * metrics:read only: everywhere else a token is read as a key, and no key has dots (401).
 */
export function addAuthentication(
  app: FastifyInstance,
  opts: { apiKeys: Pick<ApiKeyService, 'authenticate'>; tokens?: TokenVerifier | null | undefined },
): void {
  app.decorateRequest('principal', null as unknown as Principal);
  app.decorateRequest('authFailure', null);
  app.addHook('onRequest', async (req) => {
    try {
      const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
      const tokenRoute = req.routeOptions.config.permission === TOKEN_PERMISSION;
      req.principal =
        opts.tokens && tokenRoute && bearer && looksLikeJwt(bearer)
          ? await opts.tokens.verify(bearer)
          : await opts.apiKeys.authenticate(req.headers.authorization);
    } catch (err) {
      if (!(
        err instanceof UnauthorizedError ||
        err instanceof ForbiddenError ||
        err instanceof UnavailableError
      ))
        throw err;
      req.authFailure = err;
    }
  });
}

/**
 * Second step, after the rate limit: 401 without a valid key, then the tenant scope, then 403
 * without the route's permission (the key service records the denial). All in onRequest, so a
 * refused request is answered before its body is read, parsed or validated: a forbidden caller
 * learns nothing of the schema, and a large body costs nothing.
 */
export function addAuthorization(
  app: FastifyInstance,
  opts: { apiKeys: Pick<ApiKeyService, 'inTenantScope' | 'authorize' | 'admitClient'> },
): void {
  const { apiKeys } = opts;
  app.addHook('onRequest', (req, _reply, done) => done(req.authFailure ?? undefined));
  // The rest of the request runs in its tenant's scope: every statement is bound by row-level security.
  app.addHook('onRequest', (req, _reply, done) => apiKeys.inTenantScope(req.principal.tenantId, done));
  // A key limited to origins or address ranges is refused (403) from anywhere else.
  app.addHook('onRequest', (req) =>
    apiKeys.admitClient(
      req.principal,
      { origin: req.headers.origin, ip: req.ip },
      { method: req.method, route: req.routeOptions.url },
    ),
  );
  app.addHook('onRequest', (req) =>
    // A /v1 route that forgot to name its permission is closed, not open.
    apiKeys.authorize(req.principal, req.routeOptions.config.permission, {
      method: req.method,
      route: req.routeOptions.url,
    }),
  );
}

/** Who acts, for the services' audit trail: the key's tenant and `key:<id>`. */
export const actorOf = (p: Principal) => ({ tenantId: p.tenantId, actor: `key:${p.keyId}` });
