import { z } from 'zod';
import type { Topic } from '../domain/asset.js';
import { normalizeEntityName } from '../domain/entities.js';
import defaultTaxonomy from './data/default-taxonomy.json' with { type: 'json' };
import type { LabelModel } from './label-model.js';
import { contentTokens, stem } from './nlp.js';

export const TOPIC_EXTRACTOR_VERSION = 1;

export const TopicDefinitionSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    aliases: z.array(z.string().trim().min(1).max(100)).max(50).default([]),
    keywords: z.array(z.string().trim().min(1).max(100)).max(200).default([]),
  })
  .strict();
export type TopicDefinition = z.output<typeof TopicDefinitionSchema>;

/** The taxonomy shipped with the service; tenants extend or replace it. */
export const DEFAULT_TAXONOMY: TopicDefinition[] = z.array(TopicDefinitionSchema).parse(defaultTaxonomy);

export interface TenantTaxonomy {
  mode: 'extend' | 'replace';
  topics: TopicDefinition[];
}

/** A tenant's topics: its own list, or the default list extended (same-name topics replaced). */
export function effectiveTaxonomy(tenant: TenantTaxonomy | null): TopicDefinition[] {
  if (!tenant) return DEFAULT_TAXONOMY;
  if (tenant.mode === 'replace') return tenant.topics;
  const own = new Set(tenant.topics.map((t) => normalizeEntityName(t.name)));
  return [...DEFAULT_TAXONOMY.filter((t) => !own.has(normalizeEntityName(t.name))), ...tenant.topics];
}

const phraseKey = (text: string) =>
  normalizeEntityName(text)
    .split(' ')
    .filter(Boolean)
    .map((w) => stem(w))
    .join(' ');

/** Which topics a set of given tags names: a tag equal to a topic's name or alias, stemmed. */
export function topicsForTags(taxonomy: TopicDefinition[], tags: string[]): string[] {
  const byKey = new Map<string, string>();
  for (const t of taxonomy) for (const n of [t.name, ...t.aliases]) byKey.set(phraseKey(n), t.name);
  const found = new Set<string>();
  for (const tag of tags) {
    const topic = byKey.get(phraseKey(tag));
    if (topic) found.add(topic);
  }
  return [...found];
}

// A taxonomy's single-word keys, per topic: stemmed once per taxonomy (a tenant's is cached with its
// context), not once per asset.
const ruleWords = new WeakMap<TopicDefinition[], Set<string>[]>();
function ruleWordsOf(taxonomy: TopicDefinition[]): Set<string>[] {
  let words = ruleWords.get(taxonomy);
  if (!words) {
    words = taxonomy.map(
      (topic) =>
        new Set(
          [...topic.keywords, topic.name, ...topic.aliases].map(phraseKey).filter((k) => !k.includes(' ')),
        ),
    );
    ruleWords.set(taxonomy, words);
  }
  return words;
}

/** Cold-start rules: topics whose keywords (or name) occur in the text, with a confidence that grows with hits. */
export function ruleTopics(taxonomy: TopicDefinition[], text: string, limit = 3): Topic[] {
  const stems = new Map<string, number>();
  for (const t of contentTokens(text)) stems.set(t.stem, (stems.get(t.stem) ?? 0) + 1);
  const scored: Topic[] = [];
  const keys = ruleWordsOf(taxonomy);
  for (const [i, topic] of taxonomy.entries()) {
    const words = keys[i]!;
    let hits = 0;
    let distinct = 0;
    for (const w of words) {
      const n = stems.get(w) ?? 0;
      hits += n;
      if (n > 0) distinct++;
    }
    // One stray word is not a topic; two different topic words are the least evidence we act on.
    if (distinct < 2) continue;
    scored.push({ name: topic.name, confidence: round(Math.min(0.9, 1 - Math.exp(-hits / 4))) });
  }
  return scored.sort((a, b) => b.confidence - a.confidence || a.name.localeCompare(b.name)).slice(0, limit);
}

/** Below this share of the classifier's belief a topic is noise. */
export const MIN_TOPIC_CONFIDENCE = 0.1;

/** Classifier topics when a model exists, keyword rules otherwise or where it found nothing. */
export function assignTopics(
  taxonomy: TopicDefinition[],
  model: LabelModel | null,
  text: string,
  limit = 3,
): Topic[] {
  const allowed = new Set(taxonomy.map((t) => t.name));
  const learned = model
    ? model
        .classify(text, limit, MIN_TOPIC_CONFIDENCE)
        .filter((t) => allowed.has(t.label))
        .map((t) => ({ name: t.label, confidence: t.confidence }))
    : [];
  if (learned.length > 0) return learned;
  return ruleTopics(taxonomy, text, limit);
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;
