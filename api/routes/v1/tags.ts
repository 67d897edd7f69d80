import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { Principal } from '../../../services/api-key-service.js';
import type { JobsService } from '../../../services/jobs-service.js';
import type { ApiDeps } from '../../deps.js';
import { actorOf } from '../../plugins/auth.js';
import { authProblems, conflict } from '../../schemas/common.js';
import { backgroundJobDto, JobSchema } from '../../schemas/jobs.js';
import { searchFiltersOf } from '../../schemas/search.js';
import {
  BulkTagsBody,
  BulkTagsPreviewBody,
  BulkTagsPreviewSchema,
  RenameRulesSchema,
  TagMergeBody,
  TagRenameBody,
} from '../../schemas/tags.js';
import { BULK_TAG_CONFIRM_ABOVE, BULK_TAG_MAX_ASSETS } from '../../../domain/bulk-tags.js';
import type { BulkTagsParams } from '../../../services/background-jobs-service.js';

/** A bulk body as the service takes it: the search filters as the search port takes them. */
function bulkParams(body: {
  ids?: string[] | undefined;
  q?: string | undefined;
  filters?: Parameters<typeof searchFiltersOf>[0] & { syntax?: BulkTagsParams['syntax'] };
  add: BulkTagsParams['patch']['add'];
  remove: BulkTagsParams['patch']['remove'];
  lock: BulkTagsParams['patch']['lock'];
  unlock: BulkTagsParams['patch']['unlock'];
}): BulkTagsParams {
  const { ids, q, filters, add, remove, lock, unlock } = body;
  return {
    patch: { add, remove, lock, unlock },
    ...(ids ? { ids } : {}),
    ...(q !== undefined ? { q } : {}),
    ...(filters?.syntax ? { syntax: filters.syntax } : {}),
    ...(filters ? { filters: searchFiltersOf(filters), filtersAsGiven: filters } : {}),
  };
}

/**
 * /v1/tags: tag changes across many assets (bulk edits, renames, merges) as background jobs, and
 * the renames in force. One asset's tags are edited at PATCH /v1/assets/{id}/tags (assets.ts).
 */
const tagRoutes: FastifyPluginCallbackZod<{ deps: Pick<ApiDeps, 'jobs'> }> = (
  app,
  { deps: { jobs } },
  done,
) => {
  const bulkDescription = `The assets are named by ids, or by a search query \`q\` and/or \`filters\` (those of GET /v1/search), resolved when the request is made: the job changes exactly those, at most ${BULK_TAG_MAX_ASSETS}. A query that matches more than ${BULK_TAG_CONFIRM_ABOVE} assets needs \`confirm\` set to the count a preview answered (POST /v1/tags/bulk/preview); without it, or when the count has changed since, 409 with the current \`matched\`, and nothing changes. Each asset gets its own version and audit record (with the job id), as if edited alone; an asset the change cannot apply to (a locked tag) is skipped. Follow the progress at GET /v1/jobs/{id} and what changed on each asset at GET /v1/jobs/{id}/changes.`;
  app.post(
    '/tags/bulk',
    {
      config: { permission: 'tags:write' },
      schema: {
        tags: ['curation'],
        operationId: 'bulkEditTags',
        summary: 'Change tags on many assets, as a background job',
        description: bulkDescription,
        security: [{ apiKey: [] }],
        body: BulkTagsBody,
        response: {
          202: JobSchema,
          409: conflict(
            'the query matches more assets than may change unconfirmed, or not the count confirmed.',
          ),
          ...authProblems,
        },
      },
    },
    async (req, reply) => {
      const { confirm, ...body } = req.body;
      const job = await jobs.startBulkTags(actorOf(req.principal), bulkParams(body), confirm);
      return reply.code(202).send(backgroundJobDto(job));
    },
  );

  app.post(
    '/tags/bulk/preview',
    {
      config: { permission: 'tags:write' },
      schema: {
        tags: ['curation'],
        operationId: 'previewBulkTags',
        summary: 'What a bulk tag change would do: the count and a sample, changing nothing',
        description: `Takes the body of POST /v1/tags/bulk (without confirm). Answers how many assets it names (\`matched\`: send it as \`confirm\` when \`confirmationRequired\`, above ${BULK_TAG_CONFIRM_ABOVE} by query) and the first of them with what would be added, removed, locked or unlocked on each, or why it would be skipped.`,
        security: [{ apiKey: [] }],
        body: BulkTagsPreviewBody,
        response: { 200: BulkTagsPreviewSchema, ...authProblems },
      },
    },
    async (req) => jobs.previewBulkTags(actorOf(req.principal), bulkParams(req.body)),
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
