import { createHash } from 'node:crypto';

/** mulberry32: a tiny, fast, well-distributed seeded PRNG; the same seed gives the same library. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Samples ranks 0..n-1 with probability ∝ 1/(rank+1)^s: a few items very common, a long tail rare. */
export function zipf(n: number, s: number, random: () => number): () => number {
  const cumulative = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) cumulative[i] = sum += 1 / Math.pow(i + 1, s);
  return () => {
    const x = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ren',
  'sa',
  'tor',
  'vi',
  'nel',
  'qu',
  'dra',
  'pho',
  'ly',
  'zen',
  'bri',
  'cu',
  'mor',
];
const TOPIC_WORDS = [
  'technology',
  'climate',
  'education',
  'health',
  'design',
  'science',
  'business',
  'music',
  'ocean',
  'energy',
  'culture',
  'brain',
  'future',
  'community',
  'creativity',
  'medicine',
  'space',
  'economics',
  'art',
  'water',
];
/**
 * Speakers are made of three syllables each way ("Kalomi Torvisa"): no real person's name, so a
 * library loaded beside real talks never lends them its speakers.
 */
const capitalized = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);
const FIRST = Array.from({ length: 20 }, (_, i) =>
  capitalized(
    SYLLABLES[i % SYLLABLES.length]! +
      SYLLABLES[(i * 7 + 3) % SYLLABLES.length]! +
      SYLLABLES[(i * 11 + 6) % SYLLABLES.length]!,
  ),
);
const LAST = Array.from({ length: 20 }, (_, i) =>
  capitalized(
    SYLLABLES[(i * 5 + 1) % SYLLABLES.length]! +
      SYLLABLES[(i * 3 + 2) % SYLLABLES.length]! +
      SYLLABLES[(i + 9) % SYLLABLES.length]!,
  ),
);
/** Where the synthetic assets say they come from: how a loader tells them from real ones. */
export const SYNTHETIC_SOURCE_SYSTEMS: readonly string[] = [
  'synthetic-cms',
  'synthetic-dam',
  'synthetic-archive',
];
/** Generated tags (beyond the topic words) carry this prefix: `syn-idea`, never a real tag `idea`. */
export const SYNTHETIC_TAG_PREFIX = 'syn-';
const TYPES = ['VIDEO', 'VIDEO', 'VIDEO', 'AUDIO', 'IMAGE', 'TEXT'] as const;

export interface SyntheticOptions {
  assets: number;
  seed: number;
  /** Share of assets that repeat an earlier asset's file hash. */
  duplicateRate?: number;
  /**
   * Words to draw titles, descriptions and transcripts from, most frequent first (e.g. the TED
   * talks' vocabulary, `tedVocabulary()`). The topic words always lead; syllable words fill up to 5,000.
   */
  vocabulary?: readonly string[];
}

/** A topic given as a tag on about 20% of assets: the topic supernode. */
export const TOPIC_SUPERNODE = 'climate';
/** A keyword and tag on about 30% of assets: the keyword supernode. */
export const KEYWORD_SUPERNODE = 'technology';
export const TOPICS: readonly string[] = TOPIC_WORDS;

const TECHNICAL = {
  VIDEO: [
    { codec: 'h264', container: 'mp4', mimeType: 'video/mp4', width: 1920, height: 1080 },
    { codec: 'h264', container: 'mp4', mimeType: 'video/mp4', width: 1280, height: 720 },
    { codec: 'vp9', container: 'webm', mimeType: 'video/webm', width: 3840, height: 2160 },
  ],
  AUDIO: [
    { codec: 'aac', container: 'm4a', mimeType: 'audio/mp4' },
    { codec: 'mp3', container: 'mp3', mimeType: 'audio/mpeg' },
  ],
  IMAGE: [
    { mimeType: 'image/jpeg', width: 4000, height: 3000 },
    { mimeType: 'image/png', width: 1024, height: 768 },
  ],
  TEXT: [{ mimeType: 'text/plain' }],
} as const;
const PLATFORMS = ['youtube', 'broadcast', 'podcast', 'web'];

/**
 * The tenant of the i-th asset among `tenants` (ids `tenant-1`...): the first holds about 70%, the
 * rest share the remainder. Deterministic and independent of the library's random stream.
 */
export function syntheticTenantOf(index: number, tenants: number): string {
  if (tenants <= 1) return 'tenant-1';
  const r = seededRandom(index * 2654435761 + 17)();
  if (r < 0.7) return 'tenant-1';
  return `tenant-${2 + Math.floor(((r - 0.7) / 0.3) * (tenants - 1))}`;
}

const pad = (n: number) => String(n).padStart(2, '0');
const clock = (s: number) => `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;

/**
 * A deterministic synthetic media library: Zipf-distributed vocabulary, speakers and tags, timed
 * transcripts, technical metadata, supernodes (the tag "technology" on ~30% of assets, the topic tag
 * "climate" on ~20%), and a share of repeated file hashes (2% by default).
 */
export function* syntheticLibrary(options: SyntheticOptions) {
  const random = seededRandom(options.seed);
  // A second stream for what was added later (technical metadata, the topic supernode), so the
  // first stream, and with it every title, text and speaker of a seed, stays as it was.
  const extra = seededRandom(options.seed ^ 0x5bd1e995);
  const vocabulary = [...TOPIC_WORDS];
  const seen = new Set(vocabulary);
  for (const w of options.vocabulary ?? []) {
    if (vocabulary.length >= 5_000) break;
    if (!seen.has(w)) vocabulary.push(w);
    seen.add(w);
  }
  for (let i = 0; vocabulary.length < 5_000; i++) {
    let w = '';
    for (let n = i, k = 0; k < 2 || n > 0; k++, n = Math.floor(n / SYLLABLES.length))
      w += SYLLABLES[n % SYLLABLES.length];
    vocabulary.push(w);
  }
  const speakers = Array.from(
    { length: 2_000 },
    (_, i) =>
      `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]}${i >= 400 ? ` ${i}` : ''}`,
  );
  const tags = Array.from({ length: 500 }, (_, i) =>
    i < TOPIC_WORDS.length ? TOPIC_WORDS[i]! : `${SYNTHETIC_TAG_PREFIX}${vocabulary[i + 100]}`,
  );
  const word = zipf(vocabulary.length, 1.05, random);
  const speaker = zipf(speakers.length, 0.9, random);
  const tag = zipf(tags.length, 1.0, random);
  const words = (n: number) => Array.from({ length: n }, () => vocabulary[word()]).join(' ');
  const hashes: string[] = [];

  for (let i = 0; i < options.assets; i++) {
    const duplicate = hashes.length > 0 && random() < (options.duplicateRate ?? 0.02);
    const fileHash = duplicate
      ? hashes[Math.floor(random() * hashes.length)]!
      : createHash('sha256').update(`${options.seed}:${i}`).digest('hex');
    if (!duplicate) hashes.push(fileHash);
    const who = speakers[speaker()]!;
    const assetTags = new Set<string>();
    if (random() < 0.3) assetTags.add(KEYWORD_SUPERNODE);
    for (let k = 1 + Math.floor(random() * 4); k > 0; k--) assetTags.add(tags[tag()]!);
    if (extra() < 0.2) assetTags.add(TOPIC_SUPERNODE);
    const lines = Array.from(
      { length: 3 + Math.floor(random() * 5) },
      (_, k) => `[${clock(k * 30)}] ${who}: ${words(12)}.`,
    );
    const type = TYPES[Math.floor(random() * TYPES.length)]!;
    const formats = TECHNICAL[type];
    const timed = type === 'VIDEO' || type === 'AUDIO';
    const technicalMetadata = {
      ...formats[Math.floor(extra() * formats.length)]!,
      ...(timed ? { durationSeconds: 60 + Math.floor(extra() * 3_540) } : {}),
      ...(type === 'VIDEO'
        ? { frameRate: extra() < 0.5 ? 25 : 30, bitrateKbps: 2_000 + Math.floor(extra() * 6_000) }
        : {}),
      ...(type === 'AUDIO' ? { sampleRateHz: 48_000, channels: 2, bitrateKbps: 128 } : {}),
      fileSizeBytes: 10_000 + Math.floor(extra() * 2_000_000_000),
      platform: PLATFORMS[Math.floor(extra() * PLATFORMS.length)]!,
    };
    yield {
      type,
      title: words(3 + Math.floor(random() * 4)).replace(/^\w/, (c) => c.toUpperCase()),
      description: `${words(20 + Math.floor(random() * 20))}.`,
      transcript: lines.join('\n'),
      fileHash,
      sourceSystem: SYNTHETIC_SOURCE_SYSTEMS[i % 3]!,
      sourceId: `syn-${options.seed}-${i}`,
      tags: [...assetTags],
      speakers: [who],
      technicalMetadata,
      createdAt: new Date(Date.UTC(2020, 0, 1) + Math.floor(random() * 5 * 365 * 86_400_000)).toISOString(),
    };
  }
}
