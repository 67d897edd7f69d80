import type { FastifyInstance } from 'fastify';
import type { Permission } from '../../domain/permissions.js';
import type { ApiKeyService, Principal } from '../../services/api-key-service.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
  interface FastifyContextConfig {
    /** The permission a route needs; every route under /v1 must name one. */
    permission?: Permission;
  }
}

/**
 * Bearer API keys for every route of the scope it is added to: 401 without a valid key,
 * 403 without the route's permission (the key service records the denial in the audit trail).
 */
export function addAuthHooks(
  app: FastifyInstance,
  opts: { apiKeys: Pick<ApiKeyService, 'authenticate' | 'inTenantScope' | 'authorize'> },
): void {
  const { apiKeys } = opts;
  app.decorateRequest('principal', null as unknown as Principal);

  app.addHook('onRequest', async (req) => {
    req.principal = await apiKeys.authenticate(req.headers.authorization);
  });
  // The rest of the request runs in its tenant's scope: every statement is bound by row-level security.
  app.addHook('onRequest', (req, _reply, done) => apiKeys.inTenantScope(req.principal.tenantId, done));

  app.addHook('preHandler', (req) =>
    // A /v1 route that forgot to name its permission is closed, not open.
    apiKeys.authorize(req.principal, req.routeOptions.config.permission, {
      method: req.method,
      route: req.routeOptions.url,
    }),
  );
}

/** Who acts, for the services' audit trail: the key's tenant and `key:<id>`. */
export const actorOf = (p: Principal) => ({ tenantId: p.tenantId, actor: `key:${p.keyId}` });
