import type { TagRenameParams } from '../../../services/background-jobs-service.js';
import { BulkTagsBody, RenameRulesSchema, TagMergeBody, TagRenameBody } from '../../schemas/assets.js';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { Container } from '../../../runtime/container.js';
import { authProblems, conflict, IdParams, notFound } from '../../schemas/common.js';
import {
  backgroundJobDto,
  BackfillBody,
  enrichmentJobDto,
  JobListQuery,
  JobPageSchema,
  JobSchema,
} from '../../schemas/jobs.js';

const actorOf = (p: { tenantId: string; keyId: string }) => ({
  tenantId: p.tenantId,
  actor: `key:${p.keyId}`,
});

const jobRoutes: FastifyPluginCallbackZod<{ container: Container }> = (app, { container }, done) => {
  const { jobs } = container;

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

  app.post(
    '/enrichment/backfill',
    {
      config: { permission: 'jobs:manage' },
      schema: {
        tags: ['jobs'],
        operationId: 'startBackfill',
        summary: 'Re-enrich every asset enriched by an older extractor version, throttled',
        description: 'Returns the background job; follow its progress at GET /v1/jobs/{id}.',
        security: [{ apiKey: [] }],
        body: BackfillBody,
        response: { 202: JobSchema, ...authProblems },
      },
    },
    async (req, reply) =>
      reply.code(202).send(backgroundJobDto(await jobs.startBackfill(actorOf(req.principal), req.body))),
  );
  app.post(
    '/tags/bulk',
    {
      config: { permission: 'tags:write' },
      schema: {
        tags: ['curation'],
        operationId: 'bulkEditTags',
        summary: 'Change tags on many assets, as a background job',
        description:
          'The assets are named by ids or by a search query. Each one gets its own version and audit record, as if edited alone; an asset the change cannot apply to (a locked tag) is skipped and counted in the job. Follow the progress at GET /v1/jobs/{id}.',
        security: [{ apiKey: [] }],
        body: BulkTagsBody,
        response: { 202: JobSchema, ...authProblems },
      },
    },
    async (req, reply) => {
      const { ids, q, ...patch } = req.body;
      const job = await jobs.startBulkTags(actorOf(req.principal), { patch, ids, q });
      return reply.code(202).send(backgroundJobDto(job));
    },
  );
  const renameDescription =
    "The rule holds from the moment this answers: every enrichment after it writes the new name. The job then rewrites every asset that carries an old name (its tags, topics, speakers, brands or keywords, and editors' overrides), each as a new version with an audit record, and re-projects it; when the job is COMPLETED (GET /v1/jobs/{id}), no search document or graph edge has an old name.";
  const rename = async (principal: { tenantId: string; keyId: string }, body: TagRenameParams) =>
    backgroundJobDto(await jobs.startTagRename(actorOf(principal), body));

  app.post(
    '/tags/rename',
    {
      config: { permission: 'tags:write' },
      schema: {
        tags: ['curation'],
        operationId: 'renameTag',
        summary: 'Rename a tag, topic, speaker, brand or keyword across the tenant, as a background job',
        description: renameDescription,
        security: [{ apiKey: [] }],
        body: TagRenameBody,
        response: { 202: JobSchema, ...authProblems },
      },
    },
    async (req, reply) => {
      const { type, from, to } = req.body;
      return reply.code(202).send(await rename(req.principal, { type, sources: [from], into: to }));
    },
  );

  app.post(
    '/tags/merge',
    {
      config: { permission: 'tags:write' },
      schema: {
        tags: ['curation'],
        operationId: 'mergeTags',
        summary: 'Merge several names into one across the tenant, as a background job',
        description: renameDescription,
        security: [{ apiKey: [] }],
        body: TagMergeBody,
        response: { 202: JobSchema, ...authProblems },
      },
    },
    async (req, reply) => reply.code(202).send(await rename(req.principal, req.body)),
  );

  app.get(
    '/tags/renames',
    {
      config: { permission: 'assets:read' },
      schema: {
        tags: ['curation'],
        operationId: 'listTagRenames',
        summary: 'The renames and merges in force: enrichment writes each `from` as its `to`',
        security: [{ apiKey: [] }],
        response: { 200: RenameRulesSchema, ...authProblems },
      },
    },
    async (req) => ({ items: await jobs.renames(req.principal.tenantId) }),
  );
  done();
};

export default jobRoutes;
