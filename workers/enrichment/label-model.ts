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
  private constructor(
    private readonly classifier: WinkClassifier,
    readonly labels: string[],
    readonly examples: number,
  ) {}

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
    classifier.consolidate();
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
    const odds = this.classifier.computeOdds(text).filter(([label]) => label !== 'unknown');
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
