import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { ApiDeps } from '../../deps.js';
import { actorOf } from '../../plugins/auth.js';
import { authProblems, conflict, IdParams, notFound } from '../../schemas/common.js';
import {
  backgroundJobDto,
  enrichmentJobDto,
  JobListQuery,
  JobPageSchema,
  JobSchema,
} from '../../schemas/jobs.js';

/** /v1/jobs: enrichment runs and background jobs, their progress, and retries of failed runs. */
const jobRoutes: FastifyPluginCallbackZod<{ deps: Pick<ApiDeps, 'jobs'> }> = (
  app,
  { deps: { jobs } },
  done,
) => {
  app.get(
    '/jobs',
    {
      config: { permission: 'assets:read' },
      schema: {
        tags: ['jobs'],
        operationId: 'listJobs',
        summary: 'Enrichment runs, newest first; status=FAILED is the dead-letter list',
        security: [{ apiKey: [] }],
        querystring: JobListQuery,
        response: { 200: JobPageSchema, ...authProblems },
      },
    },
    async (req) => {
      const page = await jobs.list(req.principal.tenantId, req.query);
      return { items: page.items.map(enrichmentJobDto), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/jobs/:id',
    {
      config: { permission: 'assets:read' },
      schema: {
        tags: ['jobs'],
        operationId: 'getJob',
        summary: 'One enrichment run or background job, with its progress',
        security: [{ apiKey: [] }],
        params: IdParams,
        response: { 200: JobSchema, 404: notFound, ...authProblems },
      },
    },
    async (req) => {
      const found = await jobs.get(req.principal.tenantId, req.params.id);
      return found.kind === 'enrichment' ? enrichmentJobDto(found.job) : backgroundJobDto(found.job);
    },
  );

  app.post(
    '/jobs/:id/retry',
    {
      config: { permission: 'jobs:manage' },
      schema: {
        tags: ['jobs'],
        operationId: 'retryJob',
        summary: 'Re-run a failed (dead-lettered) or retrying enrichment run',
        security: [{ apiKey: [] }],
        params: IdParams,
        response: {
          202: JobSchema,
          404: notFound,
          409: conflict('only FAILED or RETRYING enrichment runs can be retried.'),
          ...authProblems,
        },
      },
    },
    async (req, reply) =>
      reply.code(202).send(enrichmentJobDto(await jobs.retry(actorOf(req.principal), req.params.id))),
  );
  done();
};

export default jobRoutes;
