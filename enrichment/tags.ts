import type { Brand, ScoredKeyword, Tag, Topic } from '../domain/asset.js';
import { normalizeEntityName } from '../domain/entities.js';
import type { LabelScore } from './label-model.js';

export const TAG_EXTRACTOR_VERSION = 1;

/** Thresholds an extracted entity must pass to become an AI tag. */
export const TAG_THRESHOLDS = {
  /** Share of the tag model's belief. */
  suggestion: 0.02,
  topic: 0.3,
  /** Only multi-word keyphrases: single keywords are already keywords. */
  keyphrase: 0.6,
  brand: 0.5,
} as const;
const MAX_AI_TAGS = 12;

export interface TagInputs {
  /** Tags given at ingest: manual. */
  given: string[];
  /** The previous enrichment's tags: manual and locked ones survive re-enrichment. */
  previous: Tag[];
  /** Names an editor removed; never re-added by a worker. */
  suppressed?: string[];
  suggestions: LabelScore[];
  topics: Topic[];
  keywords: ScoredKeyword[];
  brands: Brand[];
}

/**
 * Given tags ∪ extracted entities that pass their thresholds. Manual tags always win: a manual or
 * locked tag is kept as it was, a suppressed name never comes back, and AI tags fill the rest in
 * order of confidence.
 */
export function mergeTags(inputs: TagInputs): Tag[] {
  const tags = new Map<string, Tag>();
  const suppressed = new Set((inputs.suppressed ?? []).map(normalizeEntityName));
  const put = (tag: Tag) => {
    const key = normalizeEntityName(tag.name);
    if (key === '' || tags.has(key)) return;
    if (tag.source === 'ai' && suppressed.has(key)) return;
    tags.set(key, tag);
  };
  for (const t of inputs.previous) if (t.locked || t.source === 'manual') put(t);
  for (const name of inputs.given) put({ name, source: 'manual', locked: false, confidence: 1 });

  // A suggestion's confidence is its share of belief over all the tenant's tags, so a strong one can
  // be 0.1 among hundreds of tags; relative to the best suggestion it compares with the others.
  const best = inputs.suggestions[0]?.confidence ?? 1;
  const candidates: Tag[] = [
    ...inputs.suggestions
      .filter((s) => s.confidence >= TAG_THRESHOLDS.suggestion)
      .map((s) => ({ name: s.label, confidence: round((s.confidence / best) * 0.9) })),
    ...inputs.topics
      .filter((t) => t.confidence >= TAG_THRESHOLDS.topic)
      .map((t) => ({ name: t.name, confidence: t.confidence })),
    ...inputs.keywords
      .filter((k) => k.term.includes(' ') && k.score >= TAG_THRESHOLDS.keyphrase)
      .map((k) => ({ name: k.term, confidence: k.score * 0.5 })),
    ...inputs.brands
      .filter((b) => b.score >= TAG_THRESHOLDS.brand)
      .map((b) => ({ name: b.name, confidence: b.score * 0.5 })),
  ]
    .map((c) => ({ ...c, source: 'ai' as const, locked: false }))
    .sort((a, b) => b.confidence - a.confidence || a.name.localeCompare(b.name));
  let added = 0;
  for (const c of candidates) {
    if (added >= MAX_AI_TAGS) break;
    const before = tags.size;
    put(c);
    if (tags.size > before) added++;
  }
  return [...tags.values()];
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;
