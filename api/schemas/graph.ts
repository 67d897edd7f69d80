import { z } from 'zod';
import { ENTITY_TYPES } from '../../domain/entities.js';
import { GRAPH_REQUEST_LIMITS } from '../../domain/graph-limits.js';
import type { GraphEdge, Subgraph } from '../../graph/graph-store.js';
import { MomentSchema, withTimestamps } from './entities.js';

/** An asset id, or an entity as TYPE:name. */
export const NodeRefParam = z
  .union([
    z.uuid(),
    z
      .string()
      .max(320)
      .regex(new RegExp(`^(${ENTITY_TYPES.join('|')}):.+$`)),
  ])
  .describe('An asset id, or an entity as TYPE:name (e.g. SPEAKER:Jane Goodall).');

export const PathQuery = z.object({
  from: NodeRefParam,
  to: NodeRefParam,
  maxDepth: z.coerce
    .number()
    .int()
    .min(1)
    .max(GRAPH_REQUEST_LIMITS.maxPathEdges)
    .default(4)
    .describe(
      `Longest path searched, in asset-entity links (2 links join two assets sharing an entity), at most ${GRAPH_REQUEST_LIMITS.maxPathEdges}.`,
    ),
});

export const NeighbourhoodQuery = z.object({
  depth: z.coerce.number().int().min(1).max(4).default(2).describe('Links away from the asset, 1 to 4.'),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(GRAPH_REQUEST_LIMITS.maxNeighbourhoodNodes)
    .default(100)
    .describe(`Nodes returned at most (up to ${GRAPH_REQUEST_LIMITS.maxNeighbourhoodNodes}).`),
});

export const AssetIdParams = z.object({ assetId: z.uuid() });

export const SubgraphSchema = z
  .object({
    nodes: z.array(
      z.object({
        id: z.string().describe('The asset id, or TYPE:normalized name for an entity.'),
        kind: z.enum(['ASSET', ...ENTITY_TYPES]),
        label: z.string().describe("The asset's title or the entity's name."),
      }),
    ),
    edges: z.array(
      z.object({
        source: z.string().describe('An asset node id.'),
        target: z.string().describe('An entity node id.'),
        weight: z.number(),
        moments: z.array(MomentSchema).optional(),
      }),
    ),
  })
  .meta({ id: 'Subgraph' });

export const PathResultSchema = z
  .object({
    path: SubgraphSchema.nullable().describe(
      'Nodes in order from `from` to `to`, and the links between them; null when none is within maxDepth.',
    ),
  })
  .meta({ id: 'PathResult' });

export const subgraphDto = (g: Subgraph) => ({
  nodes: g.nodes,
  edges: g.edges.map(({ moments, ...e }: GraphEdge) => ({ ...e, ...withTimestamps(moments) })),
});
