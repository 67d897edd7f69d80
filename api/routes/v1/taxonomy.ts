import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { ApiDeps } from '../../deps.js';
import { actorOf } from '../../plugins/auth.js';
import { authProblems } from '../../schemas/common.js';
import { TaxonomyBody, TaxonomySchema } from '../../schemas/taxonomy.js';

/** /v1/taxonomy: the topics enrichment assigns from, the defaults extended or replaced per tenant. */
const taxonomyRoutes: FastifyPluginCallbackZod<{ deps: Pick<ApiDeps, 'enrichmentSettings'> }> = (
  app,
  { deps: { enrichmentSettings: settings } },
  done,
) => {
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
      config: { permission: 'taxonomy:manage', largeBody: true },
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
  done();
};

export default taxonomyRoutes;
