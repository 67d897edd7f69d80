import { z } from 'zod';
import { CAPABILITIES } from '../../enrichment/extract.js';
import { WorkflowRuleSchema, type WorkflowRule } from '../../enrichment/workflows.js';
import type { WorkflowRow } from '../../store/workflows-repository.js';

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

export const workflowDto = (w: WorkflowRow): z.output<typeof WorkflowSchema> => ({
  ...w,
  rules: w.rules as WorkflowRule[],
  createdAt: w.createdAt.toISOString(),
  updatedAt: w.updatedAt.toISOString(),
});
