import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { Container } from '../../../runtime/container.js';
import { toAssetSummary, SearchQuerySchema, SearchResultSchema } from '../../schemas/assets.js';
import { authProblems } from '../../schemas/common.js';
import type { SearchFilters } from '../../../search/search-index.js';

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
      const q = req.query;
      const [width, height] = q.resolution?.split('x').map(Number) ?? [];
      const filters: SearchFilters = {
        ...(q.type && { type: q.type }),
        ...(q.sourceSystem && { sourceSystem: q.sourceSystem }),
        ...(q.status && { status: q.status }),
        ...(q.tag && { tags: q.tag }),
        ...(q.topic && { topics: q.topic }),
        ...(q.speaker && { speakers: q.speaker }),
        ...(q.brand && { brands: q.brand }),
        ...(q.createdFrom && { createdFrom: new Date(q.createdFrom) }),
        ...(q.createdTo && { createdTo: new Date(q.createdTo) }),
        ...(q.durationMin !== undefined && { durationMin: q.durationMin }),
        ...(q.durationMax !== undefined && { durationMax: q.durationMax }),
        ...(width && height ? { resolution: { width, height } } : {}),
      };
      const result = await container.discovery.searchAssets(req.principal.tenantId, {
        q: q.q,
        limit: q.limit,
        cursor: q.cursor,
        filters,
        sort: q.sort,
        facets: q.facets,
      });
      return {
        hits: result.hits.map((h) => ({ ...h, asset: toAssetSummary(h.asset) })),
        nextCursor: result.nextCursor,
        ...(result.facets ? { facets: result.facets } : {}),
      };
    },
  );
  done();
};

export default searchRoutes;
