import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiDeps } from '../../deps.js';
import { actorOf } from '../../plugins/auth.js';
import { authProblems, conflict, IdParams, notFound } from '../../schemas/common.js';
import { workflowDto, WorkflowBody, WorkflowPatch, WorkflowSchema } from '../../schemas/workflows.js';

/** /v1/workflows: which capabilities enrichment runs on which assets. */
const workflowRoutes: FastifyPluginCallbackZod<{ deps: Pick<ApiDeps, 'enrichmentSettings'> }> = (
  app,
  { deps: { enrichmentSettings: settings } },
  done,
) => {
  const security = [{ apiKey: [] }];

  app.get(
    '/workflows',
    {
      // Admins only, as the rest of /v1/workflows: the rules name operational tags and masking tokens.
      config: { permission: 'workflows:manage' },
      schema: {
        tags: ['enrichment'],
        operationId: 'listWorkflows',
        summary: 'Enrichment workflows, highest priority first (admins only)',
        security,
        response: { 200: z.object({ items: z.array(WorkflowSchema) }), ...authProblems },
      },
    },
    async (req) => ({ items: (await settings.listWorkflows(req.principal.tenantId)).map(workflowDto) }),
  );

  app.post(
    '/workflows',
    {
      config: { permission: 'workflows:manage' },
      schema: {
        tags: ['enrichment'],
        operationId: 'createWorkflow',
        summary: 'Create a workflow: assets matching its rules run its capabilities',
        security,
        body: WorkflowBody,
        response: {
          201: WorkflowSchema,
          409: conflict('a workflow with this name already exists.'),
          ...authProblems,
        },
      },
    },
    async (req, reply) =>
      reply.code(201).send(workflowDto(await settings.createWorkflow(actorOf(req.principal), req.body))),
  );

  app.patch(
    '/workflows/:id',
    {
      config: { permission: 'workflows:manage' },
      schema: {
        tags: ['enrichment'],
        operationId: 'updateWorkflow',
        summary: 'Enable, disable or change a workflow',
        security,
        params: IdParams,
        body: WorkflowPatch,
        response: { 200: WorkflowSchema, 404: notFound, ...authProblems },
      },
    },
    async (req) =>
      workflowDto(await settings.updateWorkflow(actorOf(req.principal), req.params.id, req.body)),
  );
  done();
};

export default workflowRoutes;
