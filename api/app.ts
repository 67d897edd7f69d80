import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import helmet from '@fastify/helmet';
import { inRequest } from '../domain/request-ids.js';
import type { ApiDeps } from './deps.js';
import { corsPreflights } from './plugins/cors.js';
import drain from './plugins/drain.js';
import errors from './plugins/errors.js';
import jsonBody from './plugins/json-body.js';
import textChecks from './plugins/text-checks.js';
import { registerTracing } from './plugins/tracing.js';
import metrics from './plugins/metrics.js';
import swagger from './plugins/swagger.js';
import ui from './plugins/ui.js';
import { problemTypeUri } from './problem-types.js';
import healthRoutes from './routes/health.js';
import problemRoutes from './routes/problems.js';
import v1 from './routes/v1/index.js';

/**
 * The Fastify app, built on its dependencies (the runtime's container provides them) and not
 * listening: the server and the tests both use it.
 */
export async function buildApp(
  deps: ApiDeps,
  options: Pick<FastifyServerOptions, 'logger' | 'loggerInstance'> = { logger: false },
): Promise<FastifyInstance> {
  const app = Fastify({
    ...options,
    bodyLimit: deps.config.BODY_LIMIT_BYTES,
    // Request ids in logs, not in URLs or bodies.
    requestIdHeader: 'x-request-id',
    // Requests Fastify refuses before routing (a URL that does not decode) answer as problems too.
    frameworkErrors: (err, _req, reply: FastifyReply) => {
      const status = err.statusCode ?? 400;
      void reply
        .code(status)
        .type('application/problem+json')
        .send({
          type: status === 400 ? problemTypeUri('invalid-request') : 'about:blank',
          title: 'Bad Request',
          status,
          detail: err.message,
        });
    },
  });
  // First, so that its span encloses every hook and handler (nothing is added with tracing off).
  await registerTracing(app);
  // Everything a request does runs as foreground work: on embedded PGlite its statements go before
  // the workers' (docs/reliability.md, "The API stays responsive").
  app.addHook('onRequest', (_req, _reply, done) => deps.foreground(done));
  // Its outbox events keep its id, so the jobs they start log it (domain/request-ids.ts).
  app.addHook('onRequest', (req, _reply, done) => inRequest(req.id, done));
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(errors);
  await app.register(jsonBody);
  await app.register(textChecks);
  await app.register(metrics, { metrics: deps.metrics });
  await app.register(drain);
  // Security headers on every answer: a strict CSP (the docs page and the UI load nothing inline),
  // no sniffing, no framing, HSTS.
  await app.register(helmet);
  await app.register(swagger);
  await app.register(healthRoutes, { deps });
  await app.register(problemRoutes);
  // Browsers' preflights of the CORS routes, answered without a key (outside /v1's authentication).
  await app.register(corsPreflights);
  await app.register(v1, { prefix: '/v1', deps });
  await app.register(ui);
  return app;
}
