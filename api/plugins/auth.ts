import type { FastifyInstance } from 'fastify';
import { ForbiddenError } from '../../domain/errors.js';
import type { Permission } from '../../domain/permissions.js';
import type { ApiKeyService, Principal } from '../../services/api-key-service.js';
import { actionsRepository } from '../../store/actions-repository.js';
import { inTenantScope } from '../../store/tenant-isolation.js';
import type { Database } from '../../store/db.js';

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
 * 403 without the route's permission (recorded in the audit trail).
 */
export function addAuthHooks(app: FastifyInstance, opts: { apiKeys: ApiKeyService; db: Database }): void {
  app.decorateRequest('principal', null as unknown as Principal);

  app.addHook('onRequest', async (req) => {
    req.principal = await opts.apiKeys.authenticate(req.headers.authorization);
  });
  // The rest of the request runs in its tenant's scope: every statement is bound by row-level security.
  app.addHook('onRequest', (req, _reply, done) => inTenantScope(req.principal.tenantId, done));

  app.addHook('preHandler', async (req) => {
    const needed = req.routeOptions.config.permission;
    // A /v1 route that forgot to name its permission is closed, not open.
    if (needed && req.principal.permissions.has(needed)) return;
    const startedAt = new Date();
    await actionsRepository.insertMany(opts.db, req.principal.tenantId, [
      {
        actionType: 'ACCESS',
        direction: 'INBOUND',
        controller: 'api',
        actor: `key:${req.principal.keyId}`,
        status: 'DENIED',
        details: { method: req.method, route: req.routeOptions.url, permission: needed ?? null },
        startedAt,
        durationMs: 0,
      },
    ]);
    throw new ForbiddenError(`this API key lacks the ${needed ?? 'required'} permission`);
  });
}
