import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError } from '../domain/errors.js';
import type { ActionsRepository } from '../store/actions-repository.js';
import type { Database, Sql } from '../store/database.js';
import type { EnrichmentSettingsRepository } from '../store/enrichment-settings-repository.js';
import type { OutboxRepository } from '../store/outbox-repository.js';
import type { WorkflowRow, WorkflowsRepository } from '../store/workflows-repository.js';
import type { BrandEntry } from '../enrichment/brands.js';
import type { Capability } from '../enrichment/extract.js';
import {
  DEFAULT_TAXONOMY,
  effectiveTaxonomy,
  type TenantTaxonomy,
  type TopicDefinition,
} from '../enrichment/topics.js';
import type { WorkflowRule } from '../enrichment/workflows.js';
import type { Actor } from './ingest-service.js';
import {
  BRANDS_CONTROLLER,
  TAXONOMY_CONTROLLER,
  type TenantContextCache,
} from './tenant-enrichment-context.js';
import { apiAction } from './api-action.js';

export interface WorkflowInput {
  name: string;
  description: string;
  rules: WorkflowRule[];
  capabilities: Capability[];
  enabled: boolean;
  priority: number;
}

/** A tenant's taxonomy, brand list, workflows and label-model training. Every change is audited. */
export class EnrichmentSettingsService {
  constructor(
    private readonly deps: {
      db: Database;
      actions: Pick<ActionsRepository, 'insertMany'>;
      settings: Pick<EnrichmentSettingsRepository, 'getConfig' | 'setConfig'>;
      outbox: Pick<OutboxRepository, 'insertMany'>;
      workflows: Pick<WorkflowsRepository, 'list' | 'insert' | 'update'>;
      /** The enrichment contexts that a change makes stale. */
      contexts: Pick<TenantContextCache, 'invalidate'>;
      /** Told when a transaction wrote outbox events, so the relay moves them at once. */
      nudge?: () => void;
    },
  ) {}

  private async audit(tx: Sql, who: Actor, actionType: string, details: Record<string, unknown>) {
    await this.deps.actions.insertMany(tx, who.tenantId, [apiAction(who.actor, actionType, details)]);
  }

  async getTaxonomy(
    tenantId: string,
  ): Promise<{ own: TenantTaxonomy | null; effective: TopicDefinition[]; defaults: number }> {
    const own = await this.deps.settings.getConfig<TenantTaxonomy>(
      this.deps.db,
      tenantId,
      TAXONOMY_CONTROLLER,
    );
    return { own, effective: effectiveTaxonomy(own), defaults: DEFAULT_TAXONOMY.length };
  }

  /** Replaces or extends the default taxonomy, then retrains the classifiers on it. */
  async setTaxonomy(who: Actor, taxonomy: TenantTaxonomy): Promise<TopicDefinition[]> {
    await this.deps.db.transaction(async (tx) => {
      await this.deps.settings.setConfig(tx, who.tenantId, TAXONOMY_CONTROLLER, taxonomy);
      await this.audit(tx, who, 'TAXONOMY_SET', { mode: taxonomy.mode, topics: taxonomy.topics.length });
      await this.requestTraining(tx, who.tenantId);
    });
    this.deps.contexts.invalidate(who.tenantId);
    this.deps.nudge?.();
    return effectiveTaxonomy(taxonomy);
  }

  async getBrands(tenantId: string): Promise<BrandEntry[]> {
    const own = await this.deps.settings.getConfig<{ entries: BrandEntry[] }>(
      this.deps.db,
      tenantId,
      BRANDS_CONTROLLER,
    );
    return own?.entries ?? [];
  }

  async setBrands(who: Actor, entries: BrandEntry[]): Promise<void> {
    await this.deps.db.transaction(async (tx) => {
      await this.deps.settings.setConfig(tx, who.tenantId, BRANDS_CONTROLLER, { entries });
      await this.audit(tx, who, 'BRANDS_SET', { entries: entries.length });
    });
    this.deps.contexts.invalidate(who.tenantId);
  }

  /** Queues a training run of the tenant's topic and tag classifiers now. */
  async train(who: Actor): Promise<void> {
    await this.deps.db.transaction(async (tx) => {
      await this.requestTraining(tx, who.tenantId);
      await this.audit(tx, who, 'MODELS_TRAIN', {});
    });
    this.deps.nudge?.();
  }

  private async requestTraining(tx: Sql, tenantId: string) {
    // A fresh bucket makes a new job even if a periodic training ran this period.
    await this.deps.outbox.insertMany(tx, tenantId, [
      { type: 'labels.training-due', aggregateId: randomUUID(), payload: { bucket: Date.now() } },
    ]);
  }

  listWorkflows(tenantId: string): Promise<WorkflowRow[]> {
    return this.deps.workflows.list(this.deps.db, tenantId);
  }

  async createWorkflow(who: Actor, input: WorkflowInput): Promise<WorkflowRow> {
    const created = await this.deps.db.transaction(async (tx) => {
      const row = await this.deps.workflows.insert(tx, who.tenantId, { id: randomUUID(), ...input });
      if (!row) throw new ConflictError(`a workflow named "${input.name}" already exists`, { field: 'name' });
      await this.audit(tx, who, 'WORKFLOW_CREATE', { id: row.id, name: row.name, enabled: row.enabled });
      return row;
    });
    this.deps.contexts.invalidate(who.tenantId);
    return created;
  }

  async updateWorkflow(
    who: Actor,
    id: string,
    patch: Partial<Omit<WorkflowInput, 'name'>>,
  ): Promise<WorkflowRow> {
    const updated = await this.deps.db.transaction(async (tx) => {
      const row = await this.deps.workflows.update(tx, who.tenantId, id, patch);
      if (!row) throw new NotFoundError(`workflow ${id} not found`);
      await this.audit(tx, who, 'WORKFLOW_UPDATE', { id, ...patch });
      return row;
    });
    this.deps.contexts.invalidate(who.tenantId);
    return updated;
  }
}
