import { z } from 'zod';
import type { Asset } from '../domain/asset.js';
import { CAPABILITIES, type Capability } from './extract.js';

/** A routing rule: an asset field equals, or contains, a value (case-insensitive). */
export const WorkflowRuleSchema = z
  .object({
    field: z.enum([
      'type',
      'sourceSystem',
      'title',
      'description',
      'transcript',
      'tags',
      'speakers',
      'operationalTags',
      'platform',
      'codec',
    ]),
    op: z.enum(['equals', 'contains']),
    value: z.string().min(1).max(200),
  })
  .strict();
export type WorkflowRule = z.output<typeof WorkflowRuleSchema>;

export interface Workflow {
  name: string;
  /** All rules must match; no rules matches every asset. */
  rules: WorkflowRule[];
  capabilities: Capability[];
  enabled: boolean;
  priority: number;
}

/** Used when no tenant workflow matches: every capability. */
export const DEFAULT_WORKFLOW: Workflow = {
  name: 'default-enrichment',
  rules: [],
  capabilities: [...CAPABILITIES],
  enabled: true,
  priority: Number.NEGATIVE_INFINITY,
};

function fieldValues(asset: Asset, field: WorkflowRule['field']): string[] {
  switch (field) {
    case 'type':
      return [asset.type];
    case 'sourceSystem':
      return [asset.sourceSystem];
    case 'title':
      return [asset.title];
    case 'description':
      return [asset.description];
    case 'transcript':
      return [asset.transcript];
    case 'tags':
      return asset.tags;
    case 'speakers':
      return asset.speakers;
    case 'operationalTags':
      return asset.operationalTags;
    case 'platform':
      return asset.technicalMetadata.platform ? [asset.technicalMetadata.platform] : [];
    case 'codec':
      return asset.technicalMetadata.codec ? [asset.technicalMetadata.codec] : [];
  }
}

export function matches(asset: Asset, rule: WorkflowRule): boolean {
  const value = rule.value.toLowerCase();
  return fieldValues(asset, rule.field).some((v) =>
    rule.op === 'equals' ? v.toLowerCase() === value : v.toLowerCase().includes(value),
  );
}

/** The enabled workflow of highest priority (then name) whose rules all match; the default otherwise. */
export function selectWorkflow(asset: Asset, workflows: Workflow[]): Workflow {
  const candidates = workflows
    .filter((w) => w.enabled && w.rules.every((r) => matches(asset, r)))
    .sort((a, b) => b.priority - a.priority || a.name.localeCompare(b.name));
  return candidates[0] ?? DEFAULT_WORKFLOW;
}
