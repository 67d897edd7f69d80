import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Container } from '../../../runtime/container.js';
import type { WorkflowRow } from '../../../store/workflows-repository.js';
import { authProblems, conflict, IdParams, notFound } from '../../schemas/common.js';
import {
  BrandsBody,
  TaxonomyBody,
  TaxonomySchema,
  WorkflowBody,
  WorkflowPatch,
  WorkflowSchema,
} from '../../schemas/enrichment.js';
import type { WorkflowRule } from '../../../enrichment/workflows.js';

const actorOf = (p: { tenantId: string; keyId: string }) => ({
  tenantId: p.tenantId,
  actor: `key:${p.keyId}`,
});

const workflowDto = (w: WorkflowRow) => ({
  ...w,
  rules: w.rules as WorkflowRule[],
  createdAt: w.createdAt.toISOString(),
  updatedAt: w.updatedAt.toISOString(),
});

const enrichmentRoutes: FastifyPluginCallbackZod<{ container: Container }> = (app, { container }, done) => {
  const settings = container.enrichmentSettings;
  const security = [{ apiKey: [] }];

  app.get(
    '/taxonomy',
    {
      config: { permission: 'assets:read' },
      schema: {
        tags: ['enrichment'],
        operationId: 'getTaxonomy',
        summary: 'The topic taxonomy enrichment assigns from',
        security,
        response: { 200: TaxonomySchema, ...authProblems },
      },
    },
    async (req) => {
      const t = await settings.getTaxonomy(req.principal.tenantId);
      return { mode: t.own?.mode ?? ('default' as const), topics: t.effective };
    },
  );

  app.put(
    '/taxonomy',
    {
      config: { permission: 'taxonomy:manage' },
      schema: {
        tags: ['enrichment'],
        operationId: 'putTaxonomy',
        summary: 'Extend or replace the default taxonomy',
        description: 'The topic classifier retrains on the new taxonomy; assets enriched later use it.',
        security,
        body: TaxonomyBody,
        response: { 200: TaxonomySchema, ...authProblems },
      },
    },
    async (req) => ({
      mode: req.body.mode,
      topics: await settings.setTaxonomy(actorOf(req.principal), req.body),
    }),
  );

  app.get(
    '/brands',
    {
      config: { permission: 'assets:read' },
      schema: {
        tags: ['enrichment'],
        operationId: 'getBrands',
        summary: "The tenant's own brand gazetteer (used with the default list)",
        security,
        response: { 200: BrandsBody, ...authProblems },
      },
    },
    async (req) => ({ entries: await settings.getBrands(req.principal.tenantId) }),
  );

  app.put(
    '/brands',
    {
      config: { permission: 'taxonomy:manage' },
      schema: {
        tags: ['enrichment'],
        operationId: 'putBrands',
        summary: "Replace the tenant's own brand list",
        security,
        body: BrandsBody,
        response: { 200: BrandsBody, ...authProblems },
      },
    },
    async (req) => {
      await settings.setBrands(actorOf(req.principal), req.body.entries);
      return { entries: req.body.entries };
    },
  );

  app.post(
    '/enrichment/train',
    {
      config: { permission: 'taxonomy:manage' },
      schema: {
        tags: ['enrichment'],
        operationId: 'trainClassifiers',
        summary: "Retrain the tenant's topic and tag classifiers now",
        security,
        response: { 202: z.object({ queued: z.literal(true) }), ...authProblems },
      },
    },
    async (req, reply) => {
      await settings.train(actorOf(req.principal));
      return reply.code(202).send({ queued: true as const });
    },
  );

  app.get(
    '/workflows',
    {
      config: { permission: 'assets:read' },
      schema: {
        tags: ['enrichment'],
        operationId: 'listWorkflows',
        summary: 'Enrichment workflows, highest priority first',
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

export default enrichmentRoutes;
