import { z } from 'zod';
import { ENTITY_TYPES } from '../../domain/entities.js';
import { formatTimeCode } from '../../domain/time-code.js';
import { AssetSummarySchema } from './assets.js';
import { limitParam } from './common.js';

export const EntityTypeSchema = z.enum(ENTITY_TYPES);
const offsetParam = z.coerce
  .number()
  .int()
  .min(0)
  .max(10_000)
  .default(0)
  .describe('How many items to skip, at most 10,000.');

/** Where an entity occurs in an asset. */
export const MomentSchema = z.object({
  start: z.number(),
  end: z.number(),
  timestamp: z.string().describe('The start as h:mm:ss, for a t= deep link.'),
});

/** An entity's moments with their time codes; nothing when there are none. */
export const withTimestamps = (moments?: { start: number; end: number }[]) =>
  moments?.length ? { moments: moments.map((m) => ({ ...m, timestamp: formatTimeCode(m.start) })) } : {};

export const EntitySchema = z
  .object({ type: EntityTypeSchema, name: z.string(), assetCount: z.number().int() })
  .meta({ id: 'Entity' });

export const EntitiesQuery = z.object({
  type: EntityTypeSchema.optional(),
  q: z.string().max(200).optional().describe('Name prefix; case and accents are ignored.'),
  limit: limitParam(20),
  offset: offsetParam,
});

export const EntityListSchema = z
  .object({ items: z.array(EntitySchema), nextOffset: z.number().int().nullable() })
  .meta({ id: 'EntityList' });

export const EntityParams = z.object({ type: EntityTypeSchema, name: z.string().min(1).max(300) });
export const EntityAssetsQuery = z.object({ limit: limitParam(20), offset: offsetParam });

export const CooccurringQuery = z.object({
  type: EntityTypeSchema.optional().describe('Only entities of this type; every type when absent.'),
  limit: limitParam(20),
});

export const CooccurringSchema = z
  .object({
    entity: EntitySchema,
    items: z.array(
      EntitySchema.extend({
        sharedAssets: z.number().int().describe('How many of the counted assets carry both.'),
      }),
    ),
  })
  .meta({ id: 'CooccurringEntities' });

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
