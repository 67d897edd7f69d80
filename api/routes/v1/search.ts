import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { Container } from '../../../runtime/container.js';
import {
  searchFiltersOf,
  toAssetSummary,
  SearchQuerySchema,
  SearchResultSchema,
} from '../../schemas/assets.js';
import { z } from 'zod';
import { authProblems, limitParam } from '../../schemas/common.js';
import { formatTimeCode } from '../../../domain/time-code.js';

const searchRoutes: FastifyPluginCallbackZod<{ container: Container }> = (app, { container }, done) => {
  app.get(
    '/search',
    {
      config: { permission: 'search:read' },
      schema: {
        tags: ['discovery'],
        operationId: 'searchAssets',
        summary: 'Full-text search over assets, ranked by relevance',
        security: [{ apiKey: [] }],
        querystring: SearchQuerySchema,
        response: { 200: SearchResultSchema, ...authProblems },
      },
    },
    async (req) => {
      const q = req.query;
      const result = await container.discovery.searchAssets(req.principal.tenantId, {
        q: q.q,
        syntax: q.syntax,
        limit: q.limit,
        cursor: q.cursor,
        filters: searchFiltersOf(q),
        sort: q.sort,
        facets: q.facets,
        explain: q.explain,
        blend: q.blend ?? container.config.SEARCH_BLEND,
      });
      return {
        hits: result.hits.map(({ moment, asset, ...h }) => ({
          ...h,
          asset: toAssetSummary(asset),
          ...(moment ? { moment: { start: moment.start, timestamp: formatTimeCode(moment.start) } } : {}),
        })),
        nextCursor: result.nextCursor,
        ...(result.facets ? { facets: result.facets } : {}),
        ...(result.facetsEstimated ? { facetsEstimated: true } : {}),
      };
    },
  );
  app.get(
    '/suggest',
    {
      config: { permission: 'search:read' },
      schema: {
        tags: ['discovery'],
        operationId: 'suggest',
        summary: 'Titles, tags, speakers and topics starting with a prefix',
        description:
          'Searching a suggested value (as q, or as tag:/speaker:/topic: filters) returns the assets it came from.',
        security: [{ apiKey: [] }],
        querystring: z.object({ q: z.string().min(1).max(200), limit: limitParam(10) }),
        response: {
          200: z.object({
            suggestions: z.array(
              z.object({
                kind: z.enum(['title', 'tag', 'speaker', 'topic']),
                value: z.string(),
                assets: z.number().int().describe('How many assets carry it.'),
              }),
            ),
          }),
          ...authProblems,
        },
      },
    },
    async (req) => ({
      suggestions: (
        await container.discovery.suggest(req.principal.tenantId, req.query.q, req.query.limit)
      ).map((s) => ({
        kind: s.kind,
        value: s.value,
        assets: s.assets ?? 0,
      })),
    }),
  );
  done();
};

export default searchRoutes;
