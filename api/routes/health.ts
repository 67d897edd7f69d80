import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { ApiDeps } from '../deps.js';
import { PROMETHEUS_CONTENT_TYPE } from '../../services/metrics.js';
import { LivenessSchema, ReadinessSchema } from '../schemas/health.js';

/** Liveness, readiness and metrics: unauthenticated, for load balancers, orchestrators and scrapers. */
const healthRoutes: FastifyPluginCallbackZod<{ deps: Pick<ApiDeps, 'system' | 'config'> }> = (
  app,
  { deps: { system, config } },
  done,
) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['system'],
        operationId: 'getHealth',
        summary: 'The process is up',
        // Public: load balancers probe it without a key.
        security: [],
        response: { 200: LivenessSchema },
      },
    },
    () => ({ status: 'ok' as const }),
  );

  app.get(
    '/ready',
    {
      schema: {
        tags: ['system'],
        operationId: 'getReadiness',
        summary:
          'Every backend answers: Postgres, the job queue, the search index, the graph and the analytics store',
        description:
          'Each component is `ok`, `degraded` (answered, but slower than READY_SLOW_MS) or `down` (failed, or no ' +
          'answer within READY_TIMEOUT_MS). 200 when all are `ok`, 503 otherwise; the reasons are logged, not sent.',
        response: { 200: ReadinessSchema, 503: ReadinessSchema },
      },
    },
    async (_req, reply) => {
      const readiness = await system.readiness();
      return reply.code(readiness.status === 'ok' ? 200 : 503).send(readiness);
    },
  );

  if (config.METRICS_ENABLED) {
    // Not in the OpenAPI document: a Prometheus text exposition for scrapers, not an API operation.
    app.get('/metrics', { schema: { hide: true } }, async (_req, reply) =>
      reply.type(PROMETHEUS_CONTENT_TYPE).send(await system.metricsText()),
    );
  }
  done();
};

export default healthRoutes;
