import { createRequire } from 'node:module';
import { contentTokens } from './nlp.js';

interface WinkClassifier {
  definePrepTasks(tasks: ((input: string) => string[])[]): number;
  defineConfig(cfg: { considerOnlyPresence?: boolean; smoothingFactor?: number }): boolean;
  learn(input: string, label: string): boolean;
  consolidate(): boolean;
  computeOdds(input: string): [string, number][];
  exportJSON(): string;
  importJSON(json: string): boolean;
}
const require = createRequire(import.meta.url);
const createWinkClassifier = require('wink-naive-bayes-text-classifier') as () => WinkClassifier;

const prepare = (text: string) => contentTokens(text).map((t) => t.stem);

// An asset's classifier text is classified by the topic model, then by the tag model: its stems are
// computed once for both. One entry, compared by reference first, so holding it costs nothing.
let lastPrepared: { text: string; stems: string[] } | null = null;
function preparedOnce(text: string): string[] {
  if (lastPrepared?.text !== text) lastPrepared = { text, stems: prepare(text) };
  return lastPrepared.stems;
}

/** Fewer labelled assets than this per label teach the classifier nothing reliable about it. */
export const MIN_EXAMPLES_PER_LABEL = 3;

export interface LabelledText {
  text: string;
  labels: string[];
}

export interface LabelScore {
  label: string;
  /** The label's share of the classifier's belief over all labels, in (0, 1]. */
  confidence: number;
}

export interface LabelModelJson {
  classifier: string;
  labels: string[];
  examples: number;
}

/**
 * A multi-label text classifier learned from a tenant's own labelling (given tags, topic
 * overrides): wink's naive Bayes, in log space, with one-vs-rest odds per label.
 */
export class LabelModel {
  private readonly scorer: OddsScorer;

  private constructor(
    private readonly classifier: WinkClassifier,
    readonly labels: string[],
    readonly examples: number,
  ) {
    this.scorer = new OddsScorer(classifier.exportJSON());
  }

  /** Null when there is too little to learn from. */
  static train(examples: LabelledText[]): LabelModel | null {
    const perLabel = new Map<string, number>();
    for (const e of examples) for (const l of new Set(e.labels)) perLabel.set(l, (perLabel.get(l) ?? 0) + 1);
    const labels = [...perLabel].filter(([, n]) => n >= MIN_EXAMPLES_PER_LABEL).map(([l]) => l);
    if (labels.length < 2) return null;
    const known = new Set(labels);
    const classifier = createWinkClassifier();
    classifier.definePrepTasks([prepare]);
    classifier.defineConfig({ considerOnlyPresence: true, smoothingFactor: 0.5 });
    let used = 0;
    for (const e of examples) {
      const ls = [...new Set(e.labels)].filter((l) => known.has(l));
      if (ls.length === 0 || prepare(e.text).length === 0) continue;
      used++;
      for (const l of ls) classifier.learn(e.text, l);
    }
    try {
      classifier.consolidate();
    } catch {
      // wink refuses vocabularies too small to learn from: that is "too little to learn from" too.
      return null;
    }
    return new LabelModel(classifier, labels.sort(), used);
  }

  static fromJSON(json: LabelModelJson): LabelModel {
    const classifier = createWinkClassifier();
    classifier.definePrepTasks([prepare]);
    classifier.importJSON(json.classifier);
    // An imported model is learned but not yet consolidated; wink refuses to predict until it is.
    classifier.consolidate();
    return new LabelModel(classifier, json.labels, json.examples);
  }

  toJSON(): LabelModelJson {
    return { classifier: this.classifier.exportJSON(), labels: this.labels, examples: this.examples };
  }

  /**
   * The most likely labels with confidences: a softmax over the per-label log odds, scaled by the
   * square root of the evidence so long texts do not make every answer certain.
   */
  classify(text: string, limit: number, minConfidence: number): LabelScore[] {
    const stems = preparedOnce(text);
    const words = stems.length;
    if (words === 0) return [];
    const odds = this.scorer.odds(stems);
    if (odds.length === 0) return [];
    const scale = 1 / Math.sqrt(words);
    const top = Math.max(...odds.map(([, o]) => o));
    const weights = odds.map(([label, o]) => [label, Math.pow(2, (o - top) * scale)] as const);
    const total = weights.reduce((s, [, w]) => s + w, 0);
    return weights
      .map(([label, w]) => ({ label, confidence: Math.round((w / total) * 10_000) / 10_000 }))
      .filter((l) => l.confidence >= minConfidence)
      .sort((a, b) => b.confidence - a.confidence || a.label.localeCompare(b.label))
      .slice(0, limit);
  }
}

type WinkState = [
  { smoothingFactor: number },
  Record<string, number>,
  Record<string, Record<string, number>>,
  Record<string, number>,
  string[],
];

/**
 * wink's one-vs-rest log2 odds, computed from its exported counts. wink's own computeOdds re-sums
 * every other label's counts for each token and label, O(labels² × tokens): about 300 ms per asset
 * with 400 tags. Same formula, by its sparsity: a word most labels never saw adds the same to every
 * label's odds but for the label's constants, so each text costs one pass over its tokens plus one
 * correction per (token, label that saw it), O(tokens × labels per word + labels).
 */
class OddsScorer {
  private readonly labels: string[];
  private readonly vocabulary: Set<string>;
  private readonly smoothing: number;
  /**
   * word → log2 of its smoothed count over all labels, and the labels (by index) that saw it with
   * their correction to the odds: both depend on the word alone, so they are computed once here.
   */
  private readonly words = new Map<string, { logTotal: number; seenBy: { label: number; odds: number }[] }>();
  /** Per label: log2 of its word total plus the smoothed vocabulary, inside and outside it. */
  private readonly logWordsIn: Float64Array;
  private readonly logWordsOut: Float64Array;
  /** Per label: its prior log odds, from the samples inside and outside it. */
  private readonly prior: Float64Array;

  constructor(exported: string) {
    const [config, samples, counts, words, voc] = JSON.parse(exported) as WinkState;
    this.smoothing = config.smoothingFactor;
    this.labels = Object.keys(samples);
    this.vocabulary = new Set(voc);
    const v = this.vocabulary.size * this.smoothing;
    const totalWords = this.labels.reduce((s, l) => s + (words[l] ?? 0), 0);
    const totalSamples = this.labels.reduce((s, l) => s + (samples[l] ?? 0), 0);
    const n = this.labels.length;
    this.logWordsIn = new Float64Array(n);
    this.logWordsOut = new Float64Array(n);
    this.prior = new Float64Array(n);
    this.labels.forEach((l, i) => {
      const wordsIn = words[l] ?? 0;
      this.logWordsIn[i] = Math.log2(wordsIn + v);
      this.logWordsOut[i] = Math.log2(totalWords - wordsIn + v);
      const samplesIn = samples[l] ?? 0;
      this.prior[i] =
        Math.log2(samplesIn) -
        Math.log2(totalSamples) -
        (Math.log2(totalSamples - samplesIn) - Math.log2(totalSamples));
    });
    const totalCount = new Map<string, number>();
    const postings = new Map<string, { label: number; count: number }[]>();
    this.labels.forEach((l, label) => {
      for (const [w, count] of Object.entries(counts[l] ?? {})) {
        totalCount.set(w, (totalCount.get(w) ?? 0) + count);
        if (count === 0) continue;
        let list = postings.get(w);
        if (!list) postings.set(w, (list = []));
        list.push({ label, count });
      }
    });
    const s = this.smoothing;
    const logS = Math.log2(s);
    for (const [w, total] of totalCount) {
      const logTotal = Math.log2(total + s);
      const seenBy = (postings.get(w) ?? []).map(({ label, count }) => ({
        label,
        odds: Math.log2(count + s) - logS - (Math.log2(total - count + s) - logTotal),
      }));
      this.words.set(w, { logTotal, seenBy });
    }
  }

  odds(tokens: string[]): [string, number][] {
    const known = tokens.filter((t) => this.vocabulary.has(t));
    if (known.length === 0) return [];
    const s = this.smoothing;
    const logS = Math.log2(s);
    const n = known.length;
    // Every label as if it never saw a word of the text, then corrected where it did.
    let unseenOut = 0;
    const seen = new Float64Array(this.labels.length);
    for (const w of known) {
      const word = this.words.get(w);
      unseenOut += word?.logTotal ?? logS;
      for (const p of word?.seenBy ?? []) seen[p.label]! += p.odds;
    }
    return this.labels.map((label, i) => [
      label,
      n * logS - n * this.logWordsIn[i]! - (unseenOut - n * this.logWordsOut[i]!) + seen[i]! + this.prior[i]!,
    ]);
  }
}
