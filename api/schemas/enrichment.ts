import { z } from 'zod';
import { BrandEntrySchema } from '../../enrichment/brands.js';
import { CAPABILITIES } from '../../enrichment/extract.js';
import { TopicDefinitionSchema } from '../../enrichment/topics.js';
import { WorkflowRuleSchema } from '../../enrichment/workflows.js';

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

export const BrandsBody = z
  .object({ entries: z.array(BrandEntrySchema).max(10_000) })
  .strict()
  .meta({ id: 'BrandList' });

export const WorkflowBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    description: z.string().max(1_000).default(''),
    rules: z
      .array(WorkflowRuleSchema)
      .max(20)
      .default([])
      .describe('All must match; preprocessing_logic in the platform design.'),
    capabilities: z.array(z.enum(CAPABILITIES)).min(1),
    enabled: z.boolean().default(true),
    priority: z.number().int().min(-1_000).max(1_000).default(0),
  })
  .strict()
  .meta({ id: 'NewWorkflow' });

export const WorkflowPatch = z
  .object({
    description: z.string().max(1_000).optional(),
    rules: z.array(WorkflowRuleSchema).max(20).optional(),
    capabilities: z.array(z.enum(CAPABILITIES)).min(1).optional(),
    enabled: z.boolean().optional(),
    priority: z.number().int().min(-1_000).max(1_000).optional(),
  })
  .strict()
  .meta({ id: 'WorkflowPatch' });

export const WorkflowSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string(),
    rules: z.array(WorkflowRuleSchema),
    capabilities: z.array(z.string()),
    enabled: z.boolean(),
    priority: z.number().int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Workflow' });
