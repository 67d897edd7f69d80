import { Renames, type RenameRule } from '../../domain/tag-renames.js';
import { enrichmentSettingsRepository } from '../../store/enrichment-settings-repository.js';
import type { Sql } from '../../store/db.js';
import { workflowsRepository } from '../../store/workflows-repository.js';
import { gazetteerFor, type BrandEntry, type BrandGazetteer } from '../../enrichment/brands.js';
import type { Capability } from '../../enrichment/extract.js';
import { LabelModel, type LabelModelJson } from '../../enrichment/label-model.js';
import { effectiveTaxonomy, type TenantTaxonomy, type TopicDefinition } from '../../enrichment/topics.js';
import type { Workflow, WorkflowRule } from '../../enrichment/workflows.js';

export const TAXONOMY_CONTROLLER = 'enrichment.taxonomy';
export const BRANDS_CONTROLLER = 'enrichment.brands';
export const RENAMES_CONTROLLER = 'enrichment.renames';

const renamesLock = (tenantId: string) => `renames:${tenantId}`;

/**
 * The tenant's renames, for a transaction that writes names onto an asset. Never cached, and read
 * under a shared lock that a change of the rules waits for: once a rename commits, every later
 * write applies it and every earlier one is visible to the rename's scan, so none slips between.
 */
export async function renamesOf(tx: Sql, tenantId: string): Promise<Renames> {
  await tx.query('SELECT pg_advisory_xact_lock_shared(hashtext($1))', [renamesLock(tenantId)]);
  return new Renames(await storedRenames(tx, tenantId));
}

/** The rules as stored, oldest first. */
export async function storedRenames(sql: Sql, tenantId: string): Promise<RenameRule[]> {
  const stored = await enrichmentSettingsRepository.getConfig<{ rules: RenameRule[] }>(
    sql,
    tenantId,
    RENAMES_CONTROLLER,
  );
  return stored?.rules ?? [];
}

/** Changes the tenant's renames under the exclusive lock (see renamesOf). */
export async function changeRenames(
  tx: Sql,
  tenantId: string,
  change: (rules: RenameRule[]) => RenameRule[],
): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [renamesLock(tenantId)]);
  const rules = change(await storedRenames(tx, tenantId));
  await enrichmentSettingsRepository.setConfig(tx, tenantId, RENAMES_CONTROLLER, { rules });
}

/** Everything tenant-specific an enrichment needs, besides the asset itself. */
export interface TenantEnrichmentContext {
  taxonomy: TopicDefinition[];
  gazetteer: BrandGazetteer;
  topicModel: LabelModel | null;
  tagModel: LabelModel | null;
  workflows: Workflow[];
  /** When the label models were last trained; null when never. */
  modelsTrainedAt: Date | null;
}

/** Settings change rarely and parsing a model is costly, so a worker reuses them for a short while. */
const TTL_MS = 30_000;

export class TenantContextCache {
  private readonly cache = new Map<string, { at: number; value: TenantEnrichmentContext }>();
  private readonly models = new Map<string, { trainedAt: number; model: LabelModel | null }>();

  constructor(private readonly ttlMs = TTL_MS) {}

  invalidate(tenantId: string): void {
    this.cache.delete(tenantId);
  }

  async get(sql: Sql, tenantId: string): Promise<TenantEnrichmentContext> {
    const hit = this.cache.get(tenantId);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.value;
    const [taxonomy, brands, stored, workflows] = await Promise.all([
      enrichmentSettingsRepository.getConfig<TenantTaxonomy>(sql, tenantId, TAXONOMY_CONTROLLER),
      enrichmentSettingsRepository.getConfig<{ entries: BrandEntry[] }>(sql, tenantId, BRANDS_CONTROLLER),
      enrichmentSettingsRepository.getLabelModels(sql, tenantId),
      workflowsRepository.list(sql, tenantId),
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
