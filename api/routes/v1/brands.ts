import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { ApiDeps } from '../../deps.js';
import { actorOf } from '../../plugins/auth.js';
import { authProblems } from '../../schemas/common.js';
import { BrandsBody } from '../../schemas/brands.js';

/** /v1/brands: the tenant's own brand gazetteer, used with the default list. */
const brandRoutes: FastifyPluginCallbackZod<{ deps: Pick<ApiDeps, 'enrichmentSettings'> }> = (
  app,
  { deps: { enrichmentSettings: settings } },
  done,
) => {
  const security = [{ apiKey: [] }];

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
      config: { permission: 'taxonomy:manage', largeBody: true },
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
  done();
};

export default brandRoutes;
