import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { Principal } from '../../../services/api-key-service.js';
import type { JobsService } from '../../../services/jobs-service.js';
import type { ApiDeps } from '../../deps.js';
import { actorOf } from '../../plugins/auth.js';
import { authProblems } from '../../schemas/common.js';
import { backgroundJobDto, JobSchema } from '../../schemas/jobs.js';
import { BulkTagsBody, RenameRulesSchema, TagMergeBody, TagRenameBody } from '../../schemas/tags.js';

/**
 * /v1/tags: tag changes across many assets (bulk edits, renames, merges) as background jobs, and
 * the renames in force. One asset's tags are edited at PATCH /v1/assets/{id}/tags (assets.ts).
 */
const tagRoutes: FastifyPluginCallbackZod<{ deps: Pick<ApiDeps, 'jobs'> }> = (
  app,
  { deps: { jobs } },
  done,
) => {
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
  const rename = async (principal: Principal, body: Parameters<JobsService['startTagRename']>[1]) =>
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

export default tagRoutes;
