/**
 * The embedded vector index (search/usearch-vector-index.ts, HNSW) at scale: recall@10 against
 * exact search, query p95 through the port beside exact search's in the same run (the baseline),
 * build time, and memory per million vectors. Figures in bench/RESULTS.md and docs/semantic-search.md.
 *
 * The vectors are synthetic, and say so: embedding is about 22 texts/s here, so a million real
 * embeddings would take half a day. `clustered` (the default) draws each vector around one of
 * `--clusters` random centres (a centre plus Gaussian noise of `--spread`, normalised), as sentence
 * embeddings cluster by subject; `random` draws uniform unit vectors, the hardest case for any
 * graph index (in 512 dimensions every vector is about as far from every other), a lower bound.
 * Queries are fresh vectors from the same distribution, not in the index.
 *
 *   nice -n 10 npx tsx bench/scratch/vector-ann.ts [--n 100000] [--queries 200] [--rounds 3]
 *     [--dist clustered|random] [--clusters 2000] [--spread 0.6] [--dimensions 512]
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import usearch from 'usearch';
import { seededRandom } from '../../scripts/lib/synthetic-library.js';
import { HNSW, UsearchVectorIndex } from '../../search/usearch-vector-index.js';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '100000' },
    queries: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '3' },
    dist: { type: 'string', default: 'clustered' },
    clusters: { type: 'string', default: '2000' },
    spread: { type: 'string', default: '0.6' },
    dimensions: { type: 'string', default: '512' },
  },
});
const n = Number(values.n);
const queries = Number(values.queries);
const rounds = Number(values.rounds);
const dims = Number(values.dimensions);
const dist = values.dist === 'random' ? 'random' : 'clustered';
const K = 10;
const TENANT = 'bench';

const random = seededRandom(29);
/** A standard normal draw (Box–Muller). */
const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
const normalizeInto = (v: Float32Array) => {
  let s = 0;
  for (const x of v) s += x * x;
  const f = 1 / Math.sqrt(s);
  for (let i = 0; i < v.length; i++) v[i]! *= f;
  return v;
};
const centres = Array.from({ length: Number(values.clusters) }, () =>
  normalizeInto(Float32Array.from({ length: dims }, gauss)),
);
const spread = Number(values.spread) / Math.sqrt(dims);
const draw = (): Float32Array => {
  if (dist === 'random') return normalizeInto(Float32Array.from({ length: dims }, gauss));
  const c = centres[Math.floor(random() * centres.length)]!;
  return normalizeInto(Float32Array.from(c, (x) => x + spread * gauss()));
};

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))]!;
};
const median = (xs: number[]) => percentile(xs, 0.5);
const spreadOf = (xs: number[], digits = 2) =>
  `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})`;
const rssMb = () => process.memoryUsage().rss / 2 ** 20;
const idOf = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

async function main() {
  const loadBefore = loadavg()[0]!.toFixed(1);
  global.gc?.();
  const rssStart = rssMb();
  // The dataset, kept as one matrix for the exact baseline (counted apart from the index's memory).
  const data = new Float32Array(n * dims);
  for (let i = 0; i < n; i++) data.set(draw(), i * dims);
  const queryVectors = Array.from({ length: queries }, draw);
  global.gc?.();
  const rssData = rssMb();

  const index = new UsearchVectorIndex(dims);
  const buildStart = performance.now();
  const BATCH = 10_000;
  for (let i = 0; i < n; i += BATCH) {
    const entries = [];
    for (let j = i; j < Math.min(n, i + BATCH); j++)
      entries.push({ assetId: idOf(j), passage: 0, vector: data.subarray(j * dims, (j + 1) * dims) });
    await index.upsert(TENANT, entries);
    process.stderr.write(`\rindexed ${Math.min(n, i + BATCH)}/${n}`);
  }
  process.stderr.write('\n');
  const buildSeconds = (performance.now() - buildStart) / 1000;
  global.gc?.();
  const rssIndex = rssMb();

  // Exact top 10 of each query: usearch's brute-force search over the same matrix.
  const exactTop: Set<string>[] = [];
  const exactMs: number[] = [];
  for (const q of queryVectors) {
    const started = performance.now();
    const found = usearch.exactSearch(data, q, dims, K, usearch.MetricKind.Cos, 1) as {
      keys: BigUint64Array;
    };
    exactMs.push(performance.now() - started);
    exactTop.push(new Set([...found.keys].map((k) => idOf(Number(k)))));
  }

  const recalls: number[] = [];
  const p50s: number[] = [];
  const p95s: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const times: number[] = [];
    let hit = 0;
    for (const [qi, q] of queryVectors.entries()) {
      const started = performance.now();
      const hits = await index.search(TENANT, { vector: q, limit: K });
      times.push(performance.now() - started);
      hit += hits.filter((h) => exactTop[qi]!.has(h.assetId)).length;
    }
    recalls.push(hit / (queries * K));
    p50s.push(percentile(times, 0.5));
    p95s.push(percentile(times, 0.95));
  }
  const indexMbPerMillion = ((rssIndex - rssData) * 1e6) / n;
  const rawMbPerMillion = (dims * 4 * 1e6) / 2 ** 20;
  const figures = {
    n,
    dist,
    dims,
    queries,
    rounds,
    hnsw: HNSW,
    recallAt10: median(recalls),
    queryP50Ms: median(p50s),
    queryP95Ms: median(p95s),
    exactP95Ms: percentile(exactMs, 0.95),
    buildSeconds,
    indexMbPerMillion,
    rawMbPerMillion,
    rssStartMb: rssStart,
  };
  console.log(
    `Vector index (embedded usearch HNSW, connectivity ${HNSW.connectivity}, expansion add ${HNSW.expansionAdd} / search ${HNSW.expansionSearch}), ${n} ${dist} unit vectors of ${dims} dimensions, ${queries} queries, ${rounds} rounds (median, min–max); load ${loadBefore} → ${loadavg()[0]!.toFixed(1)}`,
  );
  console.log(`| measure | ours (HNSW through the port) | baseline (exact search, same vectors) |`);
  console.log(`| --- | --- | --- |`);
  console.log(`| recall@10 | ${spreadOf(recalls, 3)} | 1 |`);
  console.log(`| query p50, ms | ${spreadOf(p50s)} | ${percentile(exactMs, 0.5).toFixed(2)} |`);
  console.log(`| query p95, ms | ${spreadOf(p95s)} | ${percentile(exactMs, 0.95).toFixed(2)} |`);
  console.log(`| build, s | ${buildSeconds.toFixed(1)} (one thread, batches of ${BATCH}) | – |`);
  console.log(
    `| memory per million vectors, MB (RSS) | ${indexMbPerMillion.toFixed(0)} | ${rawMbPerMillion.toFixed(0)} (the raw float32 vectors) |`,
  );
  console.log(JSON.stringify(figures));
  console.log(
    `reproduce: nice -n 10 node --expose-gc --import tsx bench/scratch/vector-ann.ts --n ${n} --queries ${queries} --rounds ${rounds} --dist ${dist} --clusters ${values.clusters} --spread ${values.spread} --dimensions ${dims}`,
  );
  await index.close();
}

await main();
