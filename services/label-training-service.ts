import { classifierText } from '../enrichment/extract.js';
import { LabelModel } from '../enrichment/label-model.js';
import { topicsForTags } from '../enrichment/topics.js';
import type { JobPayloads } from '../queue/jobs.js';
import type { Database } from '../store/database.js';
import type { EnrichmentSettingsRepository } from '../store/enrichment-settings-repository.js';
import type { TenantContextCache } from './tenant-enrichment-context.js';

/** Training reads at most this many of the tenant's most recent labelled assets. */
const MAX_TRAINING_EXAMPLES = 20_000;

/** The training of a tenant's label models: the `train-label-models` job. */
export class LabelTrainingService {
  constructor(
    private readonly deps: {
      db: Database;
      settings: Pick<
        EnrichmentSettingsRepository,
        'trainingExamples' | 'saveLabelModel' | 'deleteLabelModel'
      >;
      contexts: Pick<TenantContextCache, 'get' | 'invalidate'>;
    },
  ) {}

  /**
   * Learns the tenant's topic and tag classifiers from its labelled assets: topics from given tags
   * that name a taxonomy topic and from manual topic overrides, tags from the given tags themselves.
   * With too few examples the model is removed, and keyword rules decide alone.
   */
  async trainLabelModels({ tenantId }: JobPayloads['train-label-models']): Promise<void> {
    const { db, settings, contexts } = this.deps;
    const { taxonomy } = await contexts.get(tenantId);
    const rows = await settings.trainingExamples(db, tenantId, MAX_TRAINING_EXAMPLES);
    const text = (r: (typeof rows)[number]) => classifierText(r);
    const topicModel = LabelModel.train(
      rows.map((r) => ({ text: text(r), labels: [...topicsForTags(taxonomy, r.tags), ...r.manualTopics] })),
    );
    const tagModel = LabelModel.train(rows.map((r) => ({ text: text(r), labels: r.tags })));
    await db.transaction(async (tx) => {
      for (const [kind, model] of [
        ['topics', topicModel],
        ['tags', tagModel],
      ] as const) {
        if (model) {
          await settings.saveLabelModel(tx, tenantId, kind, {
            json: model.toJSON(),
            labels: model.labels.length,
            examples: model.examples,
          });
        } else await settings.deleteLabelModel(tx, tenantId, kind);
      }
    });
    contexts.invalidate(tenantId);
  }
}
