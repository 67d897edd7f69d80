import type { FastifyInstance, FastifyRequest } from 'fastify';
import { queryBinding, type CursorSigner } from '../../domain/cursor.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route's cursors are positions that must outlive the process and stay valid whatever the
     * filters (a change feed's, docs/change-feeds.md): neither signed nor checked here; the route
     * validates them itself, and they name nothing outside the key's tenant.
     */
    positionCursors?: boolean;
  }
}

/** Parameters that change how a page is shown, not which items follow: a later page may change them. */
const UNBOUND = new Set(['cursor', 'limit', 'facets', 'explain']);

/** The query a request pages: route, tenant, path parameters and the validated query string. */
function bindingOf(req: FastifyRequest): string {
  const query = Object.entries((req.query ?? {}) as Record<string, unknown>).filter(([k]) => !UNBOUND.has(k));
  return queryBinding({
    route: `${req.method} ${req.routeOptions.url ?? ''}`,
    tenantId: req.principal?.tenantId ?? '',
    params: req.params ?? {},
    query: Object.fromEntries(query),
  });
}

/**
 * Signed page cursors for every route of the scope, after authentication: a `nextCursor` in an
 * answer is signed for the request's query, and a `cursor` in the query string must carry that
 * signature (else 400) and reaches the route unsigned, as the service issued it.
 */
export function addCursorSigning(app: FastifyInstance, opts: { cursors: CursorSigner }): void {
  const { cursors } = opts;
  app.addHook('preHandler', (req, _reply, done) => {
    const query = req.query as Record<string, unknown> | undefined;
    if (typeof query?.cursor !== 'string' || req.routeOptions.config.positionCursors) return done();
    try {
      query.cursor = cursors.verify(query.cursor, bindingOf(req));
      done();
    } catch (err) {
      done(err as Error);
    }
  });
  app.addHook('preSerialization', (req, _reply, payload: unknown, done) => {
    const page = payload as { nextCursor?: unknown } | null;
    if (typeof page?.nextCursor !== 'string' || req.routeOptions.config.positionCursors)
      return done(null, payload);
    done(null, { ...page, nextCursor: cursors.sign(page.nextCursor, bindingOf(req)) });
  });
}
