import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { ApiDeps } from '../../deps.js';
import { authProblems, problem } from '../../schemas/common.js';
import { metricsDto, MetricsQuerySchema, MetricsSchema } from '../../schemas/metrics.js';
import { MAX_BUCKETS } from '../../../services/metrics-service.js';

/**
 * /v1/metrics: interaction and pipeline metrics of the caller's tenant as time series. Read with a
 * key holding metrics:read, or a partner's bearer JWT (docs/security.md). The root /metrics is
 * this process's Prometheus metrics, a different thing.
 */
const metricsRoutes: FastifyPluginCallbackZod<{ deps: Pick<ApiDeps, 'metricsQueries'> }> = (
  app,
  { deps: { metricsQueries } },
  done,
) => {
  app.get(
    '/metrics',
    {
      config: { permission: 'metrics:read' },
      schema: {
        tags: ['metrics'],
        operationId: 'getMetrics',
        summary: 'A metric of the tenant over time: views, searches, rankings, job and lag figures',
        description:
          `Every bucket of the range is listed (0 where nothing happened), at most ${MAX_BUCKETS} per series. ` +
          'Definitions, group-bys and filters per metric: docs/metrics.md. Accepts a bearer JWT of the configured issuer as well as an API key.',
        security: [{ apiKey: [] }, { jwt: [] }],
        querystring: MetricsQuerySchema,
        response: {
          200: MetricsSchema,
          ...authProblems,
          400: problem(
            `Invalid query: from not before to, more than ${MAX_BUCKETS} buckets, a groupBy or filter the metric does not take.`,
          ),
          401: problem(
            'No valid API key or bearer token: missing, unknown, revoked, expired, wrong issuer or signature.',
          ),
          403: problem("The key lacks metrics:read, or the token's scope does."),
        },
      },
    },
    async (req) => metricsDto(await metricsQueries.query({ ...req.query, tenantId: req.principal.tenantId })),
  );
  done();
};

export default metricsRoutes;
