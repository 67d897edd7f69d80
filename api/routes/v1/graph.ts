import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { EntityType } from '../../../domain/entities.js';
import type { NodeRef } from '../../../graph/graph-store.js';
import type { ApiDeps } from '../../deps.js';
import { authProblems, notFound } from '../../schemas/common.js';
import {
  AssetIdParams,
  NeighbourhoodQuery,
  PathQuery,
  PathResultSchema,
  SubgraphSchema,
  subgraphDto,
} from '../../schemas/graph.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** "SPEAKER:Jane Goodall" or an asset id (the schema has checked it is one or the other). */
function nodeRef(value: string): NodeRef {
  if (UUID.test(value)) return { kind: 'asset', assetId: value };
  const at = value.indexOf(':');
  return { kind: 'entity', type: value.slice(0, at) as EntityType, name: value.slice(at + 1) };
}

/** /v1/graph: the shape of the graph, as paths and neighbourhoods. */
const graphRoutes: FastifyPluginCallbackZod<{ deps: Pick<ApiDeps, 'discovery'> }> = (
  app,
  { deps: { discovery } },
  done,
) => {
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
