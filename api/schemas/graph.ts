import { z } from 'zod';
import { ENTITY_TYPES } from '../../domain/entities.js';
import { GRAPH_LIMITS } from '../../graph/graph-store.js';
import { AssetSummarySchema } from './assets.js';
import { limitParam } from './common.js';

const EntityType = z.enum(ENTITY_TYPES);
const offsetParam = z.coerce
  .number()
  .int()
  .min(0)
  .max(10_000)
  .default(0)
  .describe('How many items to skip, at most 10,000.');

const MomentSchema = z.object({
  start: z.number(),
  end: z.number(),
  timestamp: z.string().describe('The start as h:mm:ss, for a t= deep link.'),
});

export const EntitySchema = z
  .object({ type: EntityType, name: z.string(), assetCount: z.number().int() })
  .meta({ id: 'Entity' });

export const EntitiesQuery = z.object({
  type: EntityType.optional(),
  q: z.string().max(200).optional().describe('Name prefix; case and accents are ignored.'),
  limit: limitParam(20),
  offset: offsetParam,
});

export const EntityListSchema = z
  .object({ items: z.array(EntitySchema), nextOffset: z.number().int().nullable() })
  .meta({ id: 'EntityList' });

export const EntityParams = z.object({ type: EntityType, name: z.string().min(1).max(300) });
export const EntityAssetsQuery = z.object({ limit: limitParam(20), offset: offsetParam });

export const EntityAssetsSchema = z
  .object({
    entity: EntitySchema,
    items: z.array(
      z.object({
        asset: AssetSummarySchema,
        weight: z.number().describe('Extractor score or confidence of the link.'),
        moments: z.array(MomentSchema).optional().describe('Where the entity occurs in the asset.'),
      }),
    ),
    nextOffset: z.number().int().nullable(),
  })
  .meta({ id: 'EntityAssets' });

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
    .max(GRAPH_LIMITS.maxPathEdges)
    .default(4)
    .describe(
      `Longest path searched, in asset-entity links (2 links join two assets sharing an entity), at most ${GRAPH_LIMITS.maxPathEdges}.`,
    ),
});

export const NeighbourhoodQuery = z.object({
  depth: z.coerce.number().int().min(1).max(4).default(2).describe('Links away from the asset, 1 to 4.'),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(GRAPH_LIMITS.maxNeighbourhoodNodes)
    .default(100)
    .describe(`Nodes returned at most (up to ${GRAPH_LIMITS.maxNeighbourhoodNodes}).`),
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
