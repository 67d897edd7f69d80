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
    const words = prepare(text).length;
    if (words === 0) return [];
    const odds = this.scorer.odds(prepare(text));
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
 * wink's one-vs-rest log2 odds, computed from its exported counts in O(labels × tokens). wink's
 * own computeOdds re-sums every other label's counts for each token and label, O(labels² × tokens):
 * about 300 ms per asset with 400 tags, against well under a millisecond here. Same formula.
 */
class OddsScorer {
  private readonly labels: string[];
  private readonly counts: Record<string, Record<string, number>>;
  private readonly words: Record<string, number>;
  private readonly samples: Record<string, number>;
  private readonly totalCount = new Map<string, number>();
  private readonly totalWords: number;
  private readonly totalSamples: number;
  private readonly smoothing: number;
  private readonly vocabulary: Set<string>;

  constructor(exported: string) {
    const [config, samples, counts, words, voc] = JSON.parse(exported) as WinkState;
    this.smoothing = config.smoothingFactor;
    this.samples = samples;
    this.counts = counts;
    this.words = words;
    this.labels = Object.keys(samples);
    this.vocabulary = new Set(voc);
    this.totalWords = this.labels.reduce((s, l) => s + (words[l] ?? 0), 0);
    this.totalSamples = this.labels.reduce((s, l) => s + (samples[l] ?? 0), 0);
    for (const l of this.labels) {
      for (const [w, c] of Object.entries(counts[l] ?? {}))
        this.totalCount.set(w, (this.totalCount.get(w) ?? 0) + c);
    }
  }

  odds(tokens: string[]): [string, number][] {
    const known = tokens.filter((t) => this.vocabulary.has(t));
    if (known.length === 0) return [];
    const s = this.smoothing;
    const v = this.vocabulary.size * s;
    return this.labels.map((label) => {
      const inLabel = this.counts[label] ?? {};
      const wordsIn = this.words[label] ?? 0;
      const wordsOut = this.totalWords - wordsIn;
      let lh = 0;
      let ilh = 0;
      for (const w of known) {
        const c = inLabel[w] ?? 0;
        lh += Math.log2(c + s) - Math.log2(wordsIn + v);
        ilh += Math.log2((this.totalCount.get(w) ?? 0) - c + s) - Math.log2(wordsOut + v);
      }
      const samplesIn = this.samples[label] ?? 0;
      lh += Math.log2(samplesIn) - Math.log2(this.totalSamples);
      ilh += Math.log2(this.totalSamples - samplesIn) - Math.log2(this.totalSamples);
      return [label, lh - ilh];
    });
  }
}
