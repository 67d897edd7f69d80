import type { FastifyInstance, FastifyPluginCallback, FastifyReply } from 'fastify';
import { normalizeOrigin } from '../../domain/key-restrictions.js';

/**
 * The routes a browser may call from another origin: those a web player's key uses. Each gets a
 * preflight answer here; the actual request is answered for an allowed origin by addKeyCors.
 */
export const CORS_ROUTES: { url: string; methods: string[] }[] = [{ url: '/v1/events', methods: ['POST'] }];

/** Adds Origin to the answer's Vary header, keeping what it varies on already. */
function varyOnOrigin(reply: FastifyReply): void {
  const vary = reply.getHeader('vary');
  const current = Array.isArray(vary) ? vary.join(', ') : typeof vary === 'string' ? vary : '';
  if (!/(^|,)\s*origin\s*(,|$)/i.test(current))
    void reply.header('vary', current ? `${current}, Origin` : 'Origin');
}

/** How long a browser may keep a preflight answer. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * Preflights (OPTIONS) of the CORS routes, answered without a key: a browser sends none on a
 * preflight, so which origins a key allows is not known yet. The preflight only lets the browser
 * send the request; the request itself is refused (403) from an origin its key does not allow, and
 * its answer carries Access-Control-Allow-Origin only for an allowed one. Registered at the root,
 * outside /v1's authentication.
 */
export const corsPreflights: FastifyPluginCallback = (app, _opts, done) => {
  for (const route of CORS_ROUTES) {
    app.options(route.url, { schema: { hide: true } }, (req, reply) => {
      const origin = typeof req.headers.origin === 'string' ? normalizeOrigin(req.headers.origin) : null;
      varyOnOrigin(reply);
      if (origin) {
        void reply
          .header('access-control-allow-origin', origin)
          .header('access-control-allow-methods', route.methods.join(', '))
          .header('access-control-allow-headers', 'authorization, content-type, idempotency-key')
          .header('access-control-max-age', String(PREFLIGHT_MAX_AGE_SECONDS));
      }
      return reply.code(204).send();
    });
  }
  done();
};

/**
 * Access-Control-Allow-Origin on answers to a key limited to origins, echoing the request's Origin
 * when it is one of the key's. A key without origins gets no CORS headers: a key that may be used
 * from anywhere does not belong in a web page.
 */
export function addKeyCors(app: FastifyInstance): void {
  app.addHook('onSend', async (req, reply, payload) => {
    const allowed = req.principal?.restrictions?.allowedOrigins ?? [];
    const origin = typeof req.headers.origin === 'string' ? normalizeOrigin(req.headers.origin) : null;
    if (allowed.length > 0) {
      varyOnOrigin(reply);
      if (origin && allowed.includes(origin)) void reply.header('access-control-allow-origin', origin);
    }
    return payload;
  });
}
