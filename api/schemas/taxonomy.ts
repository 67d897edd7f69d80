import { z } from 'zod';
import { TopicDefinitionSchema } from '../../enrichment/topics.js';

const Topic = TopicDefinitionSchema.meta({ id: 'TopicDefinition' });

export const TaxonomyBody = z
  .object({
    mode: z
      .enum(['extend', 'replace'])
      .describe('extend: the defaults plus these (same name replaces); replace: these only.'),
    topics: z.array(Topic).min(1).max(500),
  })
  .strict()
  .meta({ id: 'TaxonomyUpdate' });

export const TaxonomySchema = z
  .object({
    mode: z.enum(['default', 'extend', 'replace']),
    topics: z.array(Topic).describe('The effective taxonomy enrichment uses.'),
  })
  .meta({ id: 'Taxonomy' });
