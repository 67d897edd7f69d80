import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { ApiDeps } from '../../deps.js';
import { authProblems, problem } from '../../schemas/common.js';
import {
  connectorHealthDto,
  ConnectorHealthSchema,
  driftDto,
  DriftSchema,
  CuratorQueriesQuerySchema,
  CuratorQueriesSchema,
  metricsDto,
  MetricsQuerySchema,
  MetricsSchema,
  queueDepthDto,
  QueueDepthQuerySchema,
  QueueDepthSchema,
} from '../../schemas/metrics.js';
import { MAX_BUCKETS } from '../../../services/metrics-service.js';

/**
 * /v1/metrics: interaction and pipeline metrics of the caller's tenant as time series. Read with a
 * key holding metrics:read, or a partner's bearer JWT (docs/security.md). The root /metrics is
 * this process's Prometheus metrics, a different thing.
 */
const metricsRoutes: FastifyPluginCallbackZod<{ deps: Pick<ApiDeps, 'metricsQueries' | 'clickLearning'> }> = (
  app,
  { deps: { metricsQueries, clickLearning } },
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
  app.get(
    '/metrics/queue-depth',
    {
      config: { permission: 'metrics:read' },
      schema: {
        tags: ['metrics'],
        operationId: 'getQueueDepth',
        summary: "Enrichment in progress over time: the tenant's runs not yet ended (not the backlog)",
        description:
          `At the close of each bucket of the range (every bucket listed), at most ${MAX_BUCKETS}: runs QUEUED, RUNNING or RETRYING, from their record to their end. A run is recorded when a worker takes its batch, so assets still waiting on the queue are not counted. ` +
          'docs/metrics.md says how it is counted. Accepts a bearer JWT of the configured issuer as well as an API key.',
        security: [{ apiKey: [] }, { jwt: [] }],
        querystring: QueueDepthQuerySchema,
        response: {
          200: QueueDepthSchema,
          ...authProblems,
          400: problem(`Invalid query: from not before to, or more than ${MAX_BUCKETS} buckets.`),
          401: problem(
            'No valid API key or bearer token: missing, unknown, revoked, expired, wrong issuer or signature.',
          ),
          403: problem("The key lacks metrics:read, or the token's scope does."),
        },
      },
    },
    async (req) =>
      queueDepthDto(await metricsQueries.queueDepth({ ...req.query, tenantId: req.principal.tenantId })),
  );
  app.get(
    '/metrics/drift',
    {
      config: { permission: 'metrics:read' },
      schema: {
        tags: ['metrics'],
        operationId: 'getProjectionDrift',
        summary:
          "Projection drift: the tenant's part of the latest drift check, and what it could not repair",
        description:
          'Search and graph against the canonical assets, as the latest drift check that covered the tenant found them (docs/metrics.md). ' +
          'Accepts a bearer JWT of the configured issuer as well as an API key.',
        security: [{ apiKey: [] }, { jwt: [] }],
        response: {
          200: DriftSchema,
          ...authProblems,
          403: problem("The key lacks metrics:read, or the token's scope does."),
        },
      },
    },
    async (req) => driftDto(await metricsQueries.drift(req.principal.tenantId)),
  );
  app.get(
    '/metrics/connectors',
    {
      config: { permission: 'metrics:read' },
      schema: {
        tags: ['metrics'],
        operationId: 'getConnectorHealth',
        summary:
          "Connector health: the tenant's controllers (ingress and egress) by health, and the failing ones",
        description:
          "Each controller's health is its last run's outcome (docs/connectors.md). Accepts a bearer JWT of the configured issuer as well as an API key.",
        security: [{ apiKey: [] }, { jwt: [] }],
        response: {
          200: ConnectorHealthSchema,
          ...authProblems,
          403: problem("The key lacks metrics:read, or the token's scope does."),
        },
      },
    },
    async (req) => connectorHealthDto(await metricsQueries.connectors(req.principal.tenantId)),
  );
  app.get(
    '/metrics/queries',
    {
      config: { permission: 'metrics:read' },
      schema: {
        tags: ['metrics'],
        operationId: 'getCuratorQueries',
        summary: 'Queries for curators: those that found nothing, and those whose results are seldom clicked',
        description:
          'From the click learning, recomputed on a schedule over the last 30 days of search and click events (docs/clicks.md). Accepts a bearer JWT of the configured issuer as well as an API key.',
        security: [{ apiKey: [] }, { jwt: [] }],
        querystring: CuratorQueriesQuerySchema,
        response: {
          200: CuratorQueriesSchema,
          ...authProblems,
          403: problem("The key lacks metrics:read, or the token's scope does."),
        },
      },
    },
    async (req) => {
      const tenantId = req.principal.tenantId;
      const [run, queries] = await Promise.all([
        clickLearning.lastRun(tenantId),
        clickLearning.curatorQueries(tenantId, req.query.kind, req.query.limit),
      ]);
      return {
        kind: req.query.kind,
        computedAt: run ? run.computedAt.toISOString() : null,
        queries: queries.map((q) => ({
          query: q.query,
          searches: q.searches,
          zeroResultSearches: q.zeroResultSearches,
          clickedSearches: q.clickedSearches,
          people: q.voters,
        })),
      };
    },
  );
  done();
};

export default metricsRoutes;
