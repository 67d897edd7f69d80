import { enrichmentSettingsRepository } from '../../store/enrichment-settings-repository.js';
import type { Database } from '../../store/db.js';
import { LabelModel } from '../../enrichment/label-model.js';
import type { TenantContextCache } from './tenant-context.js';
import { classifierText } from '../../enrichment/extract.js';
import { topicsForTags } from '../../enrichment/topics.js';

/** Training reads at most this many of the tenant's most recent labelled assets. */
export const MAX_TRAINING_EXAMPLES = 20_000;

/**
 * Learns the tenant's topic and tag classifiers from its labelled assets: topics from given tags
 * that name a taxonomy topic and from manual topic overrides, tags from the given tags themselves.
 * With too few examples the model is removed, and keyword rules decide alone.
 */
export async function trainLabelModels(
  db: Database,
  contexts: TenantContextCache,
  tenantId: string,
): Promise<{ topics: number; tags: number }> {
  const { taxonomy } = await contexts.get(db, tenantId);
  const rows = await enrichmentSettingsRepository.trainingExamples(db, tenantId, MAX_TRAINING_EXAMPLES);
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
        await enrichmentSettingsRepository.saveLabelModel(tx, tenantId, kind, {
          json: model.toJSON(),
          labels: model.labels.length,
          examples: model.examples,
        });
      } else await enrichmentSettingsRepository.deleteLabelModel(tx, tenantId, kind);
    }
  });
  contexts.invalidate(tenantId);
  return { topics: topicModel?.labels.length ?? 0, tags: tagModel?.labels.length ?? 0 };
}
