/**
 * Sentence embeddings of an asset's text: the passages embedded (pure), the `Embedder` port that
 * turns texts into vectors, and a deterministic fake for tests. The model itself is an adapter
 * (`enrichment/use-lite-embedder.ts`), loaded once by the composition root.
 */
import type { Asset } from '../domain/asset.js';
import { groupIntoMoments, parseTimedTranscript } from './moments.js';

/** Raising it makes the embedding backfill embed every asset again (stored rows carry it). */
export const EMBEDDING_EXTRACTOR_VERSION = 1;

/** Turns texts into unit-length vectors of `dimensions` numbers, one per text, in order. */
export interface Embedder {
  /** Names the model; stored with each vector, since vectors of two models do not compare. */
  readonly model: string;
  readonly dimensions: number;
  embed(texts: string[]): Promise<Float32Array[]>;
}

/** One text of an asset that gets a vector: the asset itself (passage 0) or a transcript moment. */
export interface Passage {
  /** 0: title and description; 1, 2, …: the transcript's moments in order. */
  passage: number;
  start: number | null;
  end: number | null;
  text: string;
}

export const EMBEDDING_LIMITS = {
  /** Characters of a passage embedded: the model reads words, and a long text costs time. */
  passageChars: 2_000,
  /** Moments embedded per asset at most (a long transcript has hundreds). */
  momentsPerAsset: 40,
  /** Texts embedded per model call. */
  batch: 32,
} as const;

/**
 * The passages of an asset: its title with its description, then each moment of a timed
 * transcript; an untimed transcript adds its opening as passage 1, so that meaning in the words
 * spoken counts without a moment to link to.
 */
export function passagesOf(
  asset: Pick<Asset, 'title' | 'description' | 'transcript' | 'technicalMetadata'>,
): Passage[] {
  const cut = (s: string) => s.slice(0, EMBEDDING_LIMITS.passageChars).trim();
  const head = cut(`${asset.title}.\n${asset.description}`);
  const out: Passage[] = [{ passage: 0, start: null, end: null, text: head }];
  if (!asset.transcript.trim()) return out;
  const moments = groupIntoMoments(
    parseTimedTranscript(asset.transcript, asset.technicalMetadata.durationSeconds),
  );
  if (moments.length === 0) {
    out.push({ passage: 1, start: null, end: null, text: cut(asset.transcript) });
    return out;
  }
  moments.slice(0, EMBEDDING_LIMITS.momentsPerAsset).forEach((m, i) => {
    const text = cut(m.text);
    if (text) out.push({ passage: i + 1, start: m.start, end: m.end, text });
  });
  return out;
}

/** Cosine similarity of two vectors (1: same direction). */
export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

export function normalize(v: Float32Array): Float32Array {
  let n = 0;
  for (const x of v) n += x * x;
  if (n === 0) return v;
  const s = 1 / Math.sqrt(n);
  return v.map((x) => x * s);
}

/** Embeds many texts in batches of `EMBEDDING_LIMITS.batch`. */
export async function embedAll(embedder: Embedder, texts: string[]): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (let i = 0; i < texts.length; i += EMBEDDING_LIMITS.batch)
    out.push(...(await embedder.embed(texts.slice(i, i + EMBEDDING_LIMITS.batch))));
  return out;
}

const fnv1a = (s: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
};

/**
 * A deterministic stand-in for unit tests: each word (lowercased, its last "s" dropped) and each
 * word's `synonyms` group adds to one hashed dimension, so texts sharing words, or words of one
 * group, come out close. No model, no meaning beyond what the test names.
 */
export class HashingEmbedder implements Embedder {
  readonly model: string;
  private readonly groups = new Map<string, string>();
  constructor(
    readonly dimensions = 64,
    synonyms: string[][] = [],
  ) {
    this.model = `hashing-${dimensions}`;
    for (const group of synonyms) for (const w of group) this.groups.set(w, group[0]!);
  }

  embed(texts: string[]): Promise<Float32Array[]> {
    return Promise.resolve(
      texts.map((t) => {
        const v = new Float32Array(this.dimensions);
        for (const raw of t.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
          if (raw.length < 2) continue;
          const w = raw.replace(/s$/, '');
          v[fnv1a(this.groups.get(w) ?? w) % this.dimensions]! += 1;
        }
        if (v.every((x) => x === 0)) v[0] = 1;
        return normalize(v);
      }),
    );
  }
}
