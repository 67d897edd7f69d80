import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { COOCCURRENCE_ASSETS } from '../../../domain/graph-limits.js';
import type { ApiDeps } from '../../deps.js';
import { toAssetSummary } from '../../schemas/assets.js';
import { authProblems, notFound } from '../../schemas/common.js';
import {
  CooccurringQuery,
  CooccurringSchema,
  EntitiesQuery,
  EntityAssetsQuery,
  EntityAssetsSchema,
  EntityListSchema,
  EntityParams,
  withTimestamps,
} from '../../schemas/entities.js';

/** /v1/entities: the graph's entities by type and name, and the assets each appears in. */
const entityRoutes: FastifyPluginCallbackZod<{ deps: Pick<ApiDeps, 'discovery'> }> = (
  app,
  { deps: { discovery } },
  done,
) => {
  app.get(
    '/entities',
    {
      config: { permission: 'search:read' },
      schema: {
        tags: ['graph'],
        operationId: 'listEntities',
        summary: 'Entities (speakers, contributors, topics, tags, keywords, brands) by type and name prefix',
        description: 'Most linked first. Only entities some asset links to are listed.',
        security: [{ apiKey: [] }],
        querystring: EntitiesQuery,
        response: { 200: EntityListSchema, ...authProblems },
      },
    },
    async (req) => {
      const { limit, offset } = req.query;
      const items = await discovery.entities(req.principal.tenantId, {
        type: req.query.type,
        q: req.query.q,
        limit: limit + 1,
        offset,
      });
      return { items: items.slice(0, limit), nextOffset: items.length > limit ? offset + limit : null };
    },
  );

  app.get(
    '/entities/:type/:name/assets',
    {
      config: { permission: 'search:read' },
      schema: {
        tags: ['graph'],
        operationId: 'listEntityAssets',
        summary: 'The assets an entity appears in, strongest link first',
        description: 'Names match ignoring case, accents and punctuation.',
        security: [{ apiKey: [] }],
        params: EntityParams,
        querystring: EntityAssetsQuery,
        response: { 200: EntityAssetsSchema, 404: notFound, ...authProblems },
      },
    },
    async (req) => {
      const { limit, offset } = req.query;
      const page = await discovery.entityAssets(req.principal.tenantId, req.params, {
        limit: limit + 1,
        offset,
      });
      return {
        entity: page.entity,
        items: page.items.slice(0, limit).map((i) => ({
          asset: toAssetSummary(i.asset),
          weight: i.weight,
          ...withTimestamps(i.moments),
        })),
        nextOffset: page.items.length > limit ? offset + limit : null,
      };
    },
  );

  app.get(
    '/entities/:type/:name/related',
    {
      config: { permission: 'search:read' },
      schema: {
        tags: ['graph'],
        operationId: 'listCooccurringEntities',
        summary: 'The entities that appear on the same assets as this one, most shared first',
        description: `Counted over the entity's ${COOCCURRENCE_ASSETS.toLocaleString('en')} strongest links, so the answer stays fast for an entity on very many assets. Names match ignoring case, accents and punctuation.`,
        security: [{ apiKey: [] }],
        params: EntityParams,
        querystring: CooccurringQuery,
        response: { 200: CooccurringSchema, 404: notFound, ...authProblems },
      },
    },
    async (req) => discovery.cooccurring(req.principal.tenantId, req.params, req.query),
  );
  done();
};

export default entityRoutes;
