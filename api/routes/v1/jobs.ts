import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { ApiDeps } from '../../deps.js';
import { actorOf } from '../../plugins/auth.js';
import { authProblems, conflict, IdParams, notFound } from '../../schemas/common.js';
import {
  backgroundJobDto,
  enrichmentJobDto,
  jobChangeDto,
  JobChangePageSchema,
  JobChangesQuery,
  JobListQuery,
  JobPageSchema,
  JobSchema,
} from '../../schemas/jobs.js';
import type { AnyJob } from '../../../services/jobs-service.js';

const jobDto = (found: AnyJob) =>
  found.kind === 'enrichment' ? enrichmentJobDto(found.job) : backgroundJobDto(found.job);

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
        summary: 'Enrichment runs and background jobs, newest first; status=FAILED is the dead-letter list',
        description:
          'Enrichment runs (kind enrichment, one asset version each, with its title) and background jobs (kind background: bulk tag changes, renames, backfills) in one list, newest first. kind and backgroundKind narrow it.',
        security: [{ apiKey: [] }],
        querystring: JobListQuery,
        response: { 200: JobPageSchema, ...authProblems },
      },
    },
    async (req) => {
      const page = await jobs.list(req.principal.tenantId, req.query);
      return { items: page.items.map(jobDto), nextCursor: page.nextCursor };
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
    async (req) => jobDto(await jobs.get(req.principal.tenantId, req.params.id)),
  );

  app.get(
    '/jobs/:id/changes',
    {
      config: { permission: 'assets:read' },
      schema: {
        tags: ['jobs'],
        operationId: 'listJobChanges',
        summary: 'What a bulk tag job did, asset by asset',
        description:
          "Each asset of a bulk tag change, in the job's order, once the job has reached it: what was added, removed, locked and unlocked there, the version made, or why it was skipped; with counts per outcome. 404 for jobs of other kinds.",
        security: [{ apiKey: [] }],
        params: IdParams,
        querystring: JobChangesQuery,
        response: { 200: JobChangePageSchema, 404: notFound, ...authProblems },
      },
    },
    async (req) => {
      const page = await jobs.changes(req.principal.tenantId, req.params.id, req.query);
      return { items: page.items.map(jobChangeDto), nextCursor: page.nextCursor, counts: page.counts };
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
