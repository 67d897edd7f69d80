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
const FIRST = [
  'Ada',
  'Alan',
  'Grace',
  'Ken',
  'Marie',
  'Nikola',
  'Rosalind',
  'Tim',
  'Hedy',
  'Katherine',
  'Carl',
  'Jane',
  'Wangari',
  'Yuri',
  'Chimamanda',
  'Brene',
  'Hans',
  'Amy',
  'Dan',
  'Esther',
];
const LAST = [
  'Lovelace',
  'Turing',
  'Hopper',
  'Robinson',
  'Curie',
  'Tesla',
  'Franklin',
  'Berners',
  'Lamarr',
  'Johnson',
  'Sagan',
  'Goodall',
  'Maathai',
  'Gagarin',
  'Adichie',
  'Brown',
  'Rosling',
  'Cuddy',
  'Gilbert',
  'Perel',
];
const TYPES = ['VIDEO', 'VIDEO', 'VIDEO', 'AUDIO', 'IMAGE', 'TEXT'] as const;

export interface SyntheticOptions {
  assets: number;
  seed: number;
  /** Share of assets that repeat an earlier asset's file hash. */
  duplicateRate?: number;
}

const pad = (n: number) => String(n).padStart(2, '0');
const clock = (s: number) => `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;

/**
 * A deterministic synthetic media library: Zipf-distributed vocabulary, speakers and tags, timed
 * transcripts, a supernode tag on ~30% of assets, and a share of repeated file hashes.
 */
export function* syntheticLibrary(options: SyntheticOptions) {
  const random = seededRandom(options.seed);
  const vocabulary = [...TOPIC_WORDS];
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
    i < TOPIC_WORDS.length ? TOPIC_WORDS[i]! : `tag-${vocabulary[i + 100]}`,
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
    if (random() < 0.3) assetTags.add('technology');
    for (let k = 1 + Math.floor(random() * 4); k > 0; k--) assetTags.add(tags[tag()]!);
    const lines = Array.from(
      { length: 3 + Math.floor(random() * 5) },
      (_, k) => `[${clock(k * 30)}] ${who}: ${words(12)}.`,
    );
    yield {
      type: TYPES[Math.floor(random() * TYPES.length)]!,
      title: words(3 + Math.floor(random() * 4)).replace(/^\w/, (c) => c.toUpperCase()),
      description: `${words(20 + Math.floor(random() * 20))}.`,
      transcript: lines.join('\n'),
      fileHash,
      sourceSystem: ['cms', 'dam', 'archive'][i % 3]!,
      sourceId: `syn-${options.seed}-${i}`,
      tags: [...assetTags],
      speakers: [who],
      createdAt: new Date(Date.UTC(2020, 0, 1) + Math.floor(random() * 5 * 365 * 86_400_000)).toISOString(),
    };
  }
}
