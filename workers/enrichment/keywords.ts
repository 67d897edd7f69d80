import type { ScoredKeyword } from '../../domain/asset.js';
import { contentTokens } from './nlp.js';

export const KEYWORD_EXTRACTOR_VERSION = 1;

export interface KeywordSource {
  title: string;
  description: string;
  transcript: string;
}

/** Where a term occurs matters: a word in the title says more about the asset than one in the transcript. */
const FIELD_WEIGHTS = { title: 3, description: 1.5, transcript: 1 } as const;

export interface TermCounts {
  /** stem → weighted term frequency */
  tf: Map<string, number>;
  /** stem → the surface form seen most often, used as the keyword's display name */
  display: Map<string, string>;
}

export function countTerms(source: KeywordSource): TermCounts {
  const tf = new Map<string, number>();
  const surfaces = new Map<string, Map<string, number>>();
  for (const field of ['title', 'description', 'transcript'] as const) {
    for (const { word, stem } of contentTokens(source[field])) {
      tf.set(stem, (tf.get(stem) ?? 0) + FIELD_WEIGHTS[field]);
      const forms = surfaces.get(stem) ?? new Map<string, number>();
      forms.set(word, (forms.get(word) ?? 0) + 1);
      surfaces.set(stem, forms);
    }
  }
  const display = new Map<string, string>();
  for (const [stem, forms] of surfaces) {
    // Most frequent form; ties go to the shorter, then alphabetically first, so output is deterministic.
    const best = [...forms].sort(
      (a, b) => b[1] - a[1] || a[0].length - b[0].length || a[0].localeCompare(b[0]),
    )[0];
    if (best) display.set(stem, best[0]);
  }
  return { tf, display };
}

export interface CorpusStats {
  documentCount: number;
  /** Document frequency per stem, including the document being scored. */
  df: Map<string, number>;
}

/**
 * TF-IDF keywords: sublinear term frequency times smoothed inverse document frequency,
 * scaled so the strongest keyword scores 1.
 */
export function scoreKeywords(counts: TermCounts, corpus: CorpusStats, limit = 15): ScoredKeyword[] {
  const n = Math.max(1, corpus.documentCount);
  const scored: { term: string; raw: number }[] = [];
  for (const [stem, tf] of counts.tf) {
    const df = Math.max(1, corpus.df.get(stem) ?? 1);
    const idf = Math.log(1 + n / df);
    scored.push({ term: counts.display.get(stem) ?? stem, raw: (1 + Math.log(tf)) * idf });
  }
  scored.sort((a, b) => b.raw - a.raw || a.term.localeCompare(b.term));
  const top = scored.slice(0, limit);
  const max = top[0]?.raw ?? 1;
  return top.map((k) => ({ term: k.term, score: Math.round((k.raw / max) * 10_000) / 10_000 }));
}
