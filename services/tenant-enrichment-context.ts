import { gazetteerFor, type BrandEntry, type BrandGazetteer } from '../enrichment/brands.js';
import type { Capability } from '../enrichment/extract.js';
import { LabelModel, type LabelModelJson } from '../enrichment/label-model.js';
import { effectiveTaxonomy, type TenantTaxonomy, type TopicDefinition } from '../enrichment/topics.js';
import type { Workflow, WorkflowRule } from '../enrichment/workflows.js';
import type { Database } from '../store/database.js';
import type { EnrichmentSettingsRepository } from '../store/enrichment-settings-repository.js';
import type { WorkflowsRepository } from '../store/workflows-repository.js';

export const TAXONOMY_CONTROLLER = 'enrichment.taxonomy';
export const BRANDS_CONTROLLER = 'enrichment.brands';

/** Everything tenant-specific an enrichment needs, besides the asset itself. */
export interface TenantEnrichmentContext {
  taxonomy: TopicDefinition[];
  gazetteer: BrandGazetteer;
  /** The tenant's own brand entries, that `gazetteer` was made from (with the defaults). */
  brands: BrandEntry[];
  topicModel: LabelModel | null;
  tagModel: LabelModel | null;
  workflows: Workflow[];
  /** When the label models were last trained; null when never. */
  modelsTrainedAt: Date | null;
}

/** Settings change rarely and parsing a model is costly, so a worker reuses them for a short while. */
const TTL_MS = 30_000;

/**
 * The tenants' enrichment contexts, cached per process. Shared by the workers and the API in one
 * process, so that a settings change there invalidates what the workers use.
 */
export class TenantContextCache {
  private readonly cache = new Map<string, { at: number; value: TenantEnrichmentContext }>();
  private readonly models = new Map<string, { trainedAt: number; model: LabelModel | null }>();

  constructor(
    private readonly deps: {
      db: Database;
      settings: Pick<EnrichmentSettingsRepository, 'getConfig' | 'getLabelModels'>;
      workflows: Pick<WorkflowsRepository, 'list'>;
      ttlMs?: number;
    },
  ) {}

  invalidate(tenantId: string): void {
    this.cache.delete(tenantId);
  }

  async get(tenantId: string): Promise<TenantEnrichmentContext> {
    const hit = this.cache.get(tenantId);
    if (hit && Date.now() - hit.at < (this.deps.ttlMs ?? TTL_MS)) return hit.value;
    const { db, settings } = this.deps;
    const [taxonomy, brands, stored, workflows] = await Promise.all([
      settings.getConfig<TenantTaxonomy>(db, tenantId, TAXONOMY_CONTROLLER),
      settings.getConfig<{ entries: BrandEntry[] }>(db, tenantId, BRANDS_CONTROLLER),
      settings.getLabelModels(db, tenantId),
      this.deps.workflows.list(db, tenantId),
    ]);
    const model = (kind: 'topics' | 'tags') => {
      const s = stored[kind];
      if (!s) return null;
      const key = `${tenantId}:${kind}`;
      const cached = this.models.get(key);
      if (cached && cached.trainedAt === s.trainedAt.getTime()) return cached.model;
      const parsed = LabelModel.fromJSON(s.model as LabelModelJson);
      this.models.set(key, { trainedAt: s.trainedAt.getTime(), model: parsed });
      return parsed;
    };
    const trained = [stored.topics?.trainedAt, stored.tags?.trainedAt].filter((d): d is Date => !!d);
    const value: TenantEnrichmentContext = {
      taxonomy: effectiveTaxonomy(taxonomy),
      gazetteer: gazetteerFor(brands?.entries ?? []),
      brands: brands?.entries ?? [],
      topicModel: model('topics'),
      tagModel: model('tags'),
      workflows: workflows.map((w) => ({
        name: w.name,
        rules: w.rules as WorkflowRule[],
        capabilities: w.capabilities as Capability[],
        enabled: w.enabled,
        priority: w.priority,
      })),
      modelsTrainedAt: trained.length > 0 ? new Date(Math.min(...trained.map((d) => d.getTime()))) : null,
    };
    this.cache.set(tenantId, { at: Date.now(), value });
    return value;
  }
}
