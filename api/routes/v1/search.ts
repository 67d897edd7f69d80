import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { Container } from '../../../runtime/container.js';
import { toAssetSummary, SearchQuerySchema, SearchResultSchema } from '../../schemas/assets.js';
import { authProblems } from '../../schemas/common.js';

const searchRoutes: FastifyPluginCallbackZod<{ container: Container }> = (app, { container }, done) => {
  app.get(
    '/search',
    {
      config: { permission: 'search:read' },
      schema: {
        tags: ['discovery'],
        summary: 'Full-text search over assets, ranked by relevance',
        security: [{ apiKey: [] }],
        querystring: SearchQuerySchema,
        response: { 200: SearchResultSchema, ...authProblems },
      },
    },
    async (req) => {
      const result = await container.discovery.searchAssets(req.principal.tenantId, req.query);
      return {
        hits: result.hits.map((h) => ({ ...h, asset: toAssetSummary(h.asset) })),
        nextCursor: result.nextCursor,
      };
    },
  );
  done();
};

export default searchRoutes;
