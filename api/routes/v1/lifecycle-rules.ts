import { z } from 'zod';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { ApiDeps } from '../../deps.js';
import { MAX_LIFECYCLE_RULES_PER_TENANT } from '../../../domain/lifecycle-rules.js';
import { authProblems, conflict, IdParams, notFound } from '../../schemas/common.js';
import { backgroundJobDto, JobSchema } from '../../schemas/jobs.js';
import {
  LifecyclePreviewSchema,
  LifecycleRuleListSchema,
  LifecycleRulePatchBody,
  LifecycleRuleSchema,
  lifecycleRuleDto,
  NewLifecycleRuleBody,
  PreviewQuery,
  previewItemDto,
} from '../../schemas/lifecycle-rules.js';

/**
 * /v1/lifecycle-rules: rules that archive and delete a tenant's assets by age
 * (docs/lifecycle.md#lifecycle-rules). Managing them is an administrator's (workflows:manage); a
 * rule that deletes, and a run, also need what DELETE /v1/assets/{id} needs (assets:delete).
 */
const PERMISSION = 'workflows:manage' as const;
const TAGS = ['lifecycle-rules'];
const NEEDS_DELETE = 'A rule with deleteAfterDays needs assets:delete too (403 otherwise).';

const lifecycleRuleRoutes: FastifyPluginCallbackZod<{ deps: Pick<ApiDeps, 'lifecycleRules'> }> = (
  app,
  { deps: { lifecycleRules } },
  done,
) => {
  app.get(
    '/lifecycle-rules',
    {
      config: { permission: PERMISSION },
      schema: {
        tags: TAGS,
        operationId: 'listLifecycleRules',
        summary: "The tenant's lifecycle rules, highest priority first (ties by name)",
        security: [{ apiKey: [] }],
        response: { 200: LifecycleRuleListSchema, ...authProblems },
      },
    },
    async (req) => ({ items: (await lifecycleRules.list(req.principal.tenantId)).map(lifecycleRuleDto) }),
  );

  app.post(
    '/lifecycle-rules',
    {
      config: { permission: PERMISSION },
      schema: {
        tags: TAGS,
        operationId: 'createLifecycleRule',
        summary: 'Add a rule that archives and/or deletes assets past an age',
        description: `${NEEDS_DELETE} A tenant holds at most ${MAX_LIFECYCLE_RULES_PER_TENANT} rules; names are unique (409). Audited.`,
        security: [{ apiKey: [] }],
        body: NewLifecycleRuleBody,
        response: {
          201: LifecycleRuleSchema,
          409: conflict('a rule of that name exists, or the tenant holds the most rules it may.'),
          ...authProblems,
        },
      },
    },
    async (req, reply) =>
      reply.code(201).send(lifecycleRuleDto(await lifecycleRules.create(req.principal, req.body))),
  );

  app.get(
    '/lifecycle-rules/preview',
    {
      config: { permission: PERMISSION },
      schema: {
        tags: TAGS,
        operationId: 'previewLifecycleRules',
        summary: 'Dry run: what the active rules would archive and delete, and why, changing nothing',
        description:
          'Assets in the order a run takes them (by id), each with the deciding rule, the action, its age and threshold in days; assets under legal hold or still being enriched are listed with `skipped`. A run at the same clock does exactly this.',
        security: [{ apiKey: [] }],
        querystring: PreviewQuery,
        response: { 200: LifecyclePreviewSchema, ...authProblems },
      },
    },
    async (req) => {
      const page = await lifecycleRules.preview(req.principal.tenantId, req.query);
      return {
        at: page.at.toISOString(),
        items: page.items.map(previewItemDto),
        nextCursor: page.nextCursor,
      };
    },
  );

  app.post(
    '/lifecycle-rules/run',
    {
      config: { permission: PERMISSION },
      schema: {
        tags: TAGS,
        operationId: 'runLifecycleRules',
        summary: 'Run the active rules now, as a background job',
        description:
          'Needs assets:delete too. Answers 202 with the job; follow it at GET /v1/jobs/{id}. The job weighs every asset at the clock it started with, throttled (LIFECYCLE_ACTIONS_PER_SECOND), and resumes where it stopped after a crash. Archives and deletes are audited (ARCHIVE, DELETE) by `lifecycle-rule:<id>`, as the API does them. 409 while a run is in progress.',
        security: [{ apiKey: [] }],
        response: {
          202: JobSchema,
          409: conflict('a lifecycle run is in progress (jobId names it).'),
          ...authProblems,
        },
      },
    },
    async (req, reply) => reply.code(202).send(backgroundJobDto(await lifecycleRules.run(req.principal))),
  );

  app.get(
    '/lifecycle-rules/:id',
    {
      config: { permission: PERMISSION },
      schema: {
        tags: TAGS,
        operationId: 'getLifecycleRule',
        summary: 'One lifecycle rule',
        security: [{ apiKey: [] }],
        params: IdParams,
        response: { 200: LifecycleRuleSchema, 404: notFound, ...authProblems },
      },
    },
    async (req) => lifecycleRuleDto(await lifecycleRules.get(req.principal.tenantId, req.params.id)),
  );

  app.patch(
    '/lifecycle-rules/:id',
    {
      config: { permission: PERMISSION },
      schema: {
        tags: TAGS,
        operationId: 'updateLifecycleRule',
        summary: 'Change a lifecycle rule; null clears a filter or a threshold',
        description: `The rule as changed is checked whole (400). ${NEEDS_DELETE} Audited.`,
        security: [{ apiKey: [] }],
        params: IdParams,
        body: LifecycleRulePatchBody,
        response: {
          200: LifecycleRuleSchema,
          404: notFound,
          409: conflict('a rule of that name exists.'),
          ...authProblems,
        },
      },
    },
    async (req) => lifecycleRuleDto(await lifecycleRules.update(req.principal, req.params.id, req.body)),
  );

  app.delete(
    '/lifecycle-rules/:id',
    {
      config: { permission: PERMISSION },
      schema: {
        tags: TAGS,
        operationId: 'deleteLifecycleRule',
        summary: 'Delete a lifecycle rule; what it archived or deleted stays so',
        security: [{ apiKey: [] }],
        params: IdParams,
        response: { 204: z.null().describe('Deleted'), 404: notFound, ...authProblems },
      },
    },
    async (req, reply) => {
      await lifecycleRules.remove(req.principal, req.params.id);
      return reply.code(204).send(null);
    },
  );
  done();
};

export default lifecycleRuleRoutes;
