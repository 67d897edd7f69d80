import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { EntityType } from '../../../domain/entities.js';
import type { GraphEdge, NodeRef, Subgraph } from '../../../graph/graph-store.js';
import type { Container } from '../../../runtime/container.js';
import { formatTimeCode } from '../../../domain/time-code.js';
import { toAssetSummary } from '../../schemas/assets.js';
import { authProblems, notFound } from '../../schemas/common.js';
import {
  AssetIdParams,
  EntitiesQuery,
  EntityAssetsQuery,
  EntityAssetsSchema,
  EntityListSchema,
  EntityParams,
  NeighbourhoodQuery,
  PathQuery,
  PathResultSchema,
  SubgraphSchema,
} from '../../schemas/graph.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** "SPEAKER:Jane Goodall" or an asset id (the schema has checked it is one or the other). */
function nodeRef(value: string): NodeRef {
  if (UUID.test(value)) return { kind: 'asset', assetId: value };
  const at = value.indexOf(':');
  return { kind: 'entity', type: value.slice(0, at) as EntityType, name: value.slice(at + 1) };
}

const withTimestamps = (moments?: { start: number; end: number }[]) =>
  moments?.length ? { moments: moments.map((m) => ({ ...m, timestamp: formatTimeCode(m.start) })) } : {};

const subgraphDto = (g: Subgraph) => ({
  nodes: g.nodes,
  edges: g.edges.map(({ moments, ...e }: GraphEdge) => ({ ...e, ...withTimestamps(moments) })),
});

/** Entities and the shape of the graph: entity pages, paths and neighbourhoods. */
const graphRoutes: FastifyPluginCallbackZod<{ container: Container }> = (app, { container }, done) => {
  const { discovery } = container;

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
    '/graph/path',
    {
      config: { permission: 'search:read' },
      schema: {
        tags: ['graph'],
        operationId: 'getGraphPath',
        summary: 'The shortest explained path between two assets or entities',
        description:
          'Over asset-entity links: each entity on the path is what its neighbours share. Each step follows the strongest links of a node first, so paths through very common entities are found without walking all of them.',
        security: [{ apiKey: [] }],
        querystring: PathQuery,
        response: { 200: PathResultSchema, 404: notFound, ...authProblems },
      },
    },
    async (req) => {
      const path = await discovery.path(
        req.principal.tenantId,
        nodeRef(req.query.from),
        nodeRef(req.query.to),
        req.query.maxDepth,
      );
      return { path: path && subgraphDto(path) };
    },
  );

  app.get(
    '/graph/neighborhood/:assetId',
    {
      config: { permission: 'search:read' },
      schema: {
        tags: ['graph'],
        operationId: 'getGraphNeighbourhood',
        summary: 'Nodes and edges around an asset, for drawing',
        security: [{ apiKey: [] }],
        params: AssetIdParams,
        querystring: NeighbourhoodQuery,
        response: { 200: SubgraphSchema, 404: notFound, ...authProblems },
      },
    },
    async (req) =>
      subgraphDto(await discovery.neighbourhood(req.principal.tenantId, req.params.assetId, req.query)),
  );
  done();
};

export default graphRoutes;
