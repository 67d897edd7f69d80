import { applyOverrides } from '../domain/tag-overrides.js';
import { renameEnrichment, type Renames } from '../domain/tag-renames.js';
import type {
  Asset,
  Brand,
  Enrichment,
  Moment,
  ScoredKeyword,
  Speaker,
  Tag,
  Topic,
} from '../domain/asset.js';
import type { BrandGazetteer } from './brands.js';
import { BRAND_EXTRACTOR_VERSION } from './brands.js';
import {
  countTerms,
  KEYWORD_EXTRACTOR_VERSION,
  scoreKeywords,
  type CorpusStats,
  type TermCounts,
} from './keywords.js';
import type { LabelModel } from './label-model.js';
import { groupIntoMoments, MOMENT_EXTRACTOR_VERSION, parseTimedTranscript } from './moments.js';
import { extractSpeakers, SPEAKER_EXTRACTOR_VERSION } from './speakers.js';
import { mergeTags, TAG_EXTRACTOR_VERSION } from './tags.js';
import { assignTopics, TOPIC_EXTRACTOR_VERSION, type TopicDefinition } from './topics.js';
import { errorMessage } from '../domain/errors.js';

export const CAPABILITIES = ['keywords', 'topics', 'speakers', 'brands', 'moments', 'tags'] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** Raising a version makes the backfill re-enrich every asset enriched by an older one. */
export const EXTRACTOR_VERSIONS: Record<Capability, number> = {
  keywords: KEYWORD_EXTRACTOR_VERSION,
  topics: TOPIC_EXTRACTOR_VERSION,
  speakers: SPEAKER_EXTRACTOR_VERSION,
  brands: BRAND_EXTRACTOR_VERSION,
  moments: MOMENT_EXTRACTOR_VERSION,
  tags: TAG_EXTRACTOR_VERSION,
};

/** Classifiers see the title, the description and the start of the transcript: enough, and bounded. */
const CLASSIFIER_TRANSCRIPT_CHARS = 5_000;

export interface ExtractionContext {
  counts: TermCounts;
  corpus: CorpusStats;
  taxonomy: TopicDefinition[];
  topicModel: LabelModel | null;
  tagModel: LabelModel | null;
  gazetteer: BrandGazetteer;
  /** The tenant's renames: extractors' names are written the tenant's way before tags are merged. */
  renames: Renames;
}

export interface ExtractionResult {
  enrichment: Enrichment;
  completed: Capability[];
  failed: { capability: Capability; error: string }[];
  /** Milliseconds per capability. */
  timings: Record<string, number>;
}

export const classifierText = (a: Pick<Asset, 'title' | 'description' | 'transcript'>) =>
  `${a.title}.\n${a.description}\n${a.transcript.slice(0, CLASSIFIER_TRANSCRIPT_CHARS)}`;

/**
 * Runs the requested capabilities on one asset. Pure, apart from the clock: each capability fails on
 * its own, and the ones that depend on it (tags) use whatever the others produced.
 */
export function extractAll(
  asset: Asset,
  ctx: ExtractionContext,
  capabilities: readonly Capability[],
): ExtractionResult {
  const wanted = new Set(capabilities);
  const completed: Capability[] = [];
  const failed: { capability: Capability; error: string }[] = [];
  const timings: Record<string, number> = {};
  const run = <T>(capability: Capability, fallback: T, fn: () => T): T => {
    if (!wanted.has(capability)) return fallback;
    const t0 = performance.now();
    try {
      const result = fn();
      completed.push(capability);
      return result;
    } catch (err) {
      failed.push({ capability, error: errorMessage(err) });
      return fallback;
    } finally {
      timings[capability] = Math.round((performance.now() - t0) * 100) / 100;
    }
  };
  const text = classifierText(asset);

  const keywords = run<ScoredKeyword[]>('keywords', [], () => scoreKeywords(ctx.counts, ctx.corpus));
  const topics = run<Topic[]>('topics', [], () => assignTopics(ctx.taxonomy, ctx.topicModel, text));
  const speakers = run<Speaker[]>('speakers', [], () =>
    extractSpeakers(asset).map((s) => ({ name: s.name, source: s.source, confidence: s.confidence })),
  );
  const brands = run<Brand[]>('brands', [], () =>
    ctx.gazetteer
      .match(`${asset.title}\n${asset.description}\n${asset.transcript}`)
      .map((b) => ({ name: b.name, score: b.score })),
  );
  const moments = run<Moment[]>('moments', [], () =>
    groupIntoMoments(parseTimedTranscript(asset.transcript, asset.technicalMetadata.durationSeconds)).map(
      (m) => ({
        start: m.start,
        end: m.end,
        speaker: m.speaker,
        keywords: scoreKeywords(
          countTerms({ title: '', description: '', transcript: m.text }),
          ctx.corpus,
          5,
        ).map((k) => k.term),
      }),
    ),
  );
  const previous = asset.enrichment;
  // Renamed before the tags are merged, so that a suppressed or locked tag matches its new name.
  const named = renameEnrichment(
    {
      keywords,
      topics,
      speakers,
      brands,
      tags: [],
      moments,
      ...(previous?.suppressedTags ? { suppressedTags: previous.suppressedTags } : {}),
      ...(previous?.overrides ? { overrides: previous.overrides } : {}),
      extractors: {},
    },
    ctx.renames,
  );
  const tags = run<Tag[]>('tags', previous?.tags ?? [], () =>
    mergeTags({
      given: asset.tags,
      previous: previous?.tags ?? [],
      suppressed: named.suppressedTags ?? [],
      suggestions: (ctx.tagModel ? ctx.tagModel.classify(text, 12, 0) : []).map((s) => ({
        ...s,
        label: ctx.renames.name('TAG', s.label),
      })),
      topics: named.topics,
      keywords: named.keywords,
      brands: named.brands,
    }),
  );

  return {
    // An editor's topic, speaker, brand and keyword edits outlive the extraction.
    enrichment: applyOverrides(
      renameEnrichment(
        { ...named, tags, extractors: Object.fromEntries(completed.map((c) => [c, EXTRACTOR_VERSIONS[c]])) },
        ctx.renames,
      ),
    ),
    completed,
    failed,
    timings,
  };
}
