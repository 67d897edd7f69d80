import type { ScoredKeyword } from '../domain/asset.js';
import { isGenericTerm, isKeywordTerm } from './keyword-quality.js';
import { contentRuns } from './nlp.js';

/**
 * 3: stop-words, honorifics, library-generic words and non-noun phrases are no keywords.
 * 4: a general stop list instead of stopwords-iso's, so content words such as "research" are back.
 */
export const KEYWORD_EXTRACTOR_VERSION = 4;

export interface KeywordSource {
  title: string;
  description: string;
  transcript: string;
}

/** Where a term occurs matters: a word in the title says more about the asset than one in the transcript. */
const FIELD_WEIGHTS = { title: 3, description: 1.5, transcript: 1 } as const;
/** A phrase must recur (or stand in the title) to be a keyphrase rather than an accident of word order. */
const MIN_PHRASE_OCCURRENCES = 2;
const MAX_PHRASE_WORDS = 3;
/**
 * Terms an asset contributes to the tenant's document frequencies, strongest first. Bounds the
 * statistics a two-hour transcript writes; the tail it cuts would never rank as a keyword anyway.
 */
export const MAX_TERMS_PER_ASSET = 1_000;

export interface TermCounts {
  /** term key (stems joined by spaces) → weighted term frequency */
  tf: Map<string, number>;
  /** term key → the surface form seen most often, used as the keyword's display name */
  display: Map<string, string>;
}

/** Single words and multi-word keyphrases (adjacent content words that recur) with their frequencies. */
export function countTerms(source: KeywordSource): TermCounts {
  const tf = new Map<string, number>();
  const surfaces = new Map<string, Map<string, number>>();
  const phraseHits = new Map<string, number>();
  const inTitle = new Set<string>();
  const add = (key: string, surface: string, weight: number) => {
    tf.set(key, (tf.get(key) ?? 0) + weight);
    const forms = surfaces.get(key) ?? new Map<string, number>();
    forms.set(surface, (forms.get(surface) ?? 0) + 1);
    surfaces.set(key, forms);
  };
  for (const field of ['title', 'description', 'transcript'] as const) {
    for (const run of contentRuns(source[field])) {
      for (let i = 0; i < run.length; i++) {
        add(run[i]!.stem, run[i]!.word, FIELD_WEIGHTS[field]);
        for (let n = 2; n <= MAX_PHRASE_WORDS && i + n <= run.length; n++) {
          const words = run.slice(i, i + n);
          // A phrase repeating one word ("very very") is not a keyphrase.
          if (new Set(words.map((w) => w.stem)).size < n) continue;
          const key = words.map((w) => w.stem).join(' ');
          add(key, words.map((w) => w.word).join(' '), FIELD_WEIGHTS[field]);
          phraseHits.set(key, (phraseHits.get(key) ?? 0) + 1);
          if (field === 'title') inTitle.add(key);
        }
      }
    }
  }
  for (const [key, hits] of phraseHits) {
    if (hits < MIN_PHRASE_OCCURRENCES && !inTitle.has(key)) {
      tf.delete(key);
      surfaces.delete(key);
    }
  }
  const display = new Map<string, string>();
  for (const [key, forms] of surfaces) {
    // Most frequent form; ties go to the shorter, then alphabetically first, so output is deterministic.
    const best = [...forms].sort(
      (a, b) => b[1] - a[1] || a[0].length - b[0].length || a[0].localeCompare(b[0]),
    )[0];
    if (best) display.set(key, best[0]);
  }
  return { tf, display };
}

/** The terms an asset counts in document frequencies: its strongest, bounded in number. */
export function documentTerms(counts: TermCounts): string[] {
  return [...counts.tf]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, MAX_TERMS_PER_ASSET)
    .map(([key]) => key);
}

export interface CorpusStats {
  documentCount: number;
  /** Document frequency per term key, including the document being scored. */
  df: Map<string, number>;
}

/**
 * TF-IDF keywords and keyphrases: sublinear term frequency times smoothed inverse document
 * frequency, scaled so the strongest scores 1. A phrase that ranks replaces the single words it
 * contains when they rank no higher, so "climate change" does not also list "climate" and "change".
 * Only terms that pass the quality rules (keyword-quality.ts) are kept: no stop-word, honorific,
 * word on a large share of the library, or phrase that is not a noun phrase.
 */
export function scoreKeywords(counts: TermCounts, corpus: CorpusStats, limit = 15): ScoredKeyword[] {
  const n = Math.max(1, corpus.documentCount);
  const scored: { key: string; term: string; raw: number }[] = [];
  for (const [key, tf] of counts.tf) {
    const df = Math.max(1, corpus.df.get(key) ?? 1);
    const idf = Math.log(1 + n / df);
    scored.push({ key, term: counts.display.get(key) ?? key, raw: (1 + Math.log(tf)) * idf });
  }
  scored.sort((a, b) => b.raw - a.raw || a.term.localeCompare(b.term));
  const kept: typeof scored = [];
  const covered = new Set<string>();
  for (const k of scored) {
    if (kept.length >= limit) break;
    if (covered.has(k.key)) continue;
    if (isGenericTerm(corpus.df.get(k.key) ?? 1, n) || !isKeywordTerm(k.term.split(' '))) continue;
    kept.push(k);
    const parts = k.key.split(' ');
    if (parts.length > 1) for (const p of parts) covered.add(p);
  }
  const max = kept[0]?.raw ?? 1;
  return kept.map((k) => ({ term: k.term, score: Math.round((k.raw / max) * 10_000) / 10_000 }));
}
