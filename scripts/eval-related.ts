/**
 * Related content on a test collection, against Lucene's MoreLikeThis in the same run.
 *   npm run eval:related [-- --collection ../shared/datasets/cisi/CISI] [--seeds 150] [--sample] [--anchor auto|required|off]
 *   npm run eval:related -- --ted ../shared/datasets/ted/ted_main.csv [--talks 1000]   (TED: see `tedJudgments`)
 * Two documents judged relevant to the same query (a query with 3+ relevant documents) are related.
 * For every such document (or an evenly spread `--seeds` of them), GET /v1/assets/{id}/related?limit=100
 * is scored by nDCG@10 and recall@100. The anchor is /work/shared/anchors/LuceneMlt.java (Lucene 8.7
 * MoreLikeThis: BM25, EnglishAnalyzer, the document's 25 best terms, title and text as one field) on
 * the same documents and seeds, scored by the same code; docs/graph.md says how to rerun it alone.
 * `--sample` (for CI) loads a seeded part of the collection only (`SAMPLE`), and the anchor indexes
 * exactly that part.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { CliError, existingFile, numberFlag, parseCli, runCli } from './lib/cli.js';
import { loadCollection } from './lib/collection-loader.js';
import { luceneJars, runAnchor } from './lib/lucene-anchor.js';
import { ingestSettled, startEvalApp } from './lib/eval-app.js';
import { RELATED_VIA, TEXT_DERIVED_TYPES } from '../services/discovery-service.js';
import { seededRandom } from './lib/synthetic-library.js';
import { readTedCsv } from './lib/ted.js';
import { tedJudgments, type TedJudgments } from './lib/ted-related.js';
import {
  ndcgAt,
  readCollection,
  recallAt,
  relatedSets,
  subsetOf,
  type Collection,
} from './lib/trec-collection.js';

const USAGE =
  'npm run eval:related -- [--collection ../shared/datasets/cisi/CISI | --ted ted_main.csv [--talks 1000]] [--seeds N] [--sample [--seed 1]] [--anchor auto|required|off] [--anchors ../shared/anchors] [--lucene /usr/share/java] [--components] [--split all|even|odd] [--dump FILE] [--server [--tenant ID]]';

/**
 * The part of the collection a `--sample` run loads: the documents relevant to 10 of the queries
 * that make related sets, and 200 others (490 of CISI's 1,460 with `--seed 1`, one ingest batch), so
 * that the text signal still has to tell related documents from many that are not; 100 of its
 * seeds are scored (`--seeds` overrides). 15 queries and 300 others made 856 documents, too slow
 * for CI on a loaded machine.
 */
const SAMPLE = { queries: 10, distractors: 200, seeds: 100 } as const;

const options = () =>
  parseCli(USAGE, {
    collection: { type: 'string', default: '../shared/datasets/cisi/CISI' },
    /** Score only N seed documents, evenly spread over the sorted seeds (0: all). */
    seeds: { type: 'string', default: '0' },
    /** Load a seeded part of the collection only (`SAMPLE`), the anchor on the same part: for CI. */
    sample: { type: 'boolean', default: false },
    seed: { type: 'string', default: '1' },
    anchor: { type: 'string', default: 'auto' },
    anchors: { type: 'string', default: '../shared/anchors' },
    lucene: { type: 'string', default: '/usr/share/java' },
    server: { type: 'boolean', default: false },
    /** Also score the text signal alone (via=TEXT) and the graph's alone (every other signal). */
    components: { type: 'boolean', default: false },
    /** With --server: score in this tenant, which an earlier run loaded (its name is printed). */
    tenant: { type: 'string' },
    /** TED talks instead of a TREC collection: related by speaker or held-out tags (`tedJudgments`). */
    ted: { type: 'string' },
    talks: { type: 'string', default: '1000' },
    /**
     * Score the seeds of one half only (`even` or `odd` position in id order): fusion settings are
     * chosen on one half and reported on the other.
     */
    split: { type: 'string', default: 'all' },
    /** Write each seed's lists (the fused one, and with --components each signal's, with reasons) as JSON. */
    dump: { type: 'string' },
  }).values;

/** `n` of the seeds, evenly spread over them in id order (all when n is 0 or more than there are). */
function spread(seeds: string[], n: number): string[] {
  if (n === 0 || n >= seeds.length) return seeds;
  return Array.from({ length: n }, (_, i) => seeds[Math.floor((i * seeds.length) / n)]!);
}

interface Scores {
  ndcg: number;
  recall: number;
  seeds: number;
}

function score(runs: Map<string, string[]>, related: Map<string, Set<string>>, seeds: string[]): Scores {
  let ndcg = 0;
  let recall = 0;
  for (const seed of seeds) {
    const ranked = runs.get(seed) ?? [];
    ndcg += ndcgAt(10, ranked, related.get(seed)!);
    recall += recallAt(100, ranked, related.get(seed)!);
  }
  return { ndcg: ndcg / seeds.length, recall: recall / seeds.length, seeds: seeds.length };
}

/**
 * Lucene's MoreLikeThis over the same collection, through the anchors' own programs: prep_cisi.py
 * writes docs.tsv, LuceneMlt.java ranks the 100 most similar documents of each seed. Null (with the
 * reason on stderr) when the jars or the anchors are not there and the anchor is not required.
 */
async function luceneMlt(
  values: ReturnType<typeof options>,
  seeds: string[],
  documents: Set<string> | Map<string, { title: string; text: string }>,
): Promise<Map<string, string[]> | null> {
  const anchors = resolve(values.anchors);
  const jars = luceneJars(values.lucene);
  const missing = [...jars, join(anchors, 'LuceneMlt.java'), join(anchors, 'prep_cisi.py')].filter(
    (f) => !existsSync(f),
  );
  if (missing.length > 0) {
    const why = `the Lucene anchor needs ${missing.join(', ')} (apt-get install -y liblucene8-java; --anchors, --lucene)`;
    if (values.anchor === 'required') throw new CliError(why);
    console.error(`anchor skipped: ${why}`);
    return null;
  }
  const out = mkdtempSync(join(tmpdir(), 'eval-related-'));
  try {
    const docs = join(out, 'docs.tsv');
    if (documents instanceof Map) {
      // TED: the anchor's docs.tsv format (id, title, text; whitespace folded), written here.
      const clean = (t: string) => t.split(/\s+/).filter(Boolean).join(' ');
      writeFileSync(
        docs,
        [...documents].map(([id, d]) => `${id}\t${clean(d.title)}\t${clean(d.text)}\n`).join(''),
      );
    } else {
      execFileSync('python3', [join(anchors, 'prep_cisi.py'), dirname(resolve(values.collection)), out]);
      // The anchor indexes exactly the documents the service holds (a --sample part, or all).
      const lines = readFileSync(docs, 'utf8')
        .split('\n')
        .filter((l) => documents.has(l.split('\t')[0]!));
      if (lines.length !== documents.size)
        throw new Error(`the anchor's docs.tsv holds ${lines.length} of the ${documents.size} documents`);
      writeFileSync(docs, lines.join('\n') + '\n');
    }
    writeFileSync(join(out, 'seeds.txt'), seeds.join('\n') + '\n');
    return await runAnchor(
      join(anchors, 'LuceneMlt.java'),
      out,
      [join(out, 'docs.tsv'), join(out, 'seeds.txt')],
      jars,
    );
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/**
 * A GET, sent again after a 503 (a database or pool that a loaded machine left unavailable for a
 * moment), up to 5 times: one unlucky moment should not lose a run of many minutes.
 */
async function getRetrying(
  app: Awaited<ReturnType<typeof startEvalApp>>['app'],
  url: string,
  headers: Record<string, string>,
) {
  for (let attempt = 1; ; attempt++) {
    const res = await app.inject({ url, headers });
    if (res.statusCode !== 503 || attempt === 5) return res;
    await new Promise((r) => setTimeout(r, 2_000 * attempt));
  }
}

/** What a run scores: the judgments, the documents the anchor indexes, and how the service loads them. */
interface Corpus {
  label: string;
  related: Map<string, Set<string>>;
  /** The anchor's documents: ids (CISI, from the collection's files) or their title and text (TED). */
  anchorDocs: Set<string> | Map<string, { title: string; text: string }>;
  tenantPrefix: string;
  /** Loads the documents; asset id → document id. */
  load(
    app: Awaited<ReturnType<typeof startEvalApp>>['app'],
    headers: Record<string, string>,
  ): Promise<Map<string, string>>;
  /** TED: each talk's other talks by its main speaker (scored apart, whether they stay on top). */
  sameSpeaker?: Map<string, Set<string>>;
}

async function cisiCorpus(values: ReturnType<typeof options>): Promise<Corpus> {
  for (const ext of ['ALL', 'QRY', 'REL'])
    existingFile(
      `${values.collection}.${ext}`,
      'collection',
      'a collection prefix such as ../shared/datasets/cisi/CISI',
    );
  const whole = await readCollection(values.collection);
  const collection: Collection = values.sample
    ? subsetOf(whole, {
        queries: SAMPLE.queries,
        distractors: SAMPLE.distractors,
        random: seededRandom(numberFlag('seed', values.seed)),
      })
    : whole;
  return {
    label: `${values.collection} (${collection.documents.length} documents${
      values.sample ? ` of ${whole.documents.length}, --sample --seed ${values.seed}` : ''
    }`,
    related: relatedSets(collection),
    anchorDocs: new Set(collection.documents.map((d) => d.id)),
    tenantPrefix: 'corel',
    load: (app, headers) => loadCollection(app, headers, collection, values.collection),
  };
}

async function tedCorpus(values: ReturnType<typeof options>): Promise<Corpus> {
  const file = existingFile(values.ted!, 'ted', 'a file in the ted_main.csv format');
  const limit = numberFlag('talks', values.talks, { min: 2 });
  const talks = [];
  for await (const talk of readTedCsv(file)) {
    talks.push(talk);
    if (talks.length === limit) break;
  }
  const judged: TedJudgments = tedJudgments(talks);
  return {
    label: `${file} (${talks.length} talks, ${judged.heldOutTags} of ${judged.tags} tags held out for judging`,
    related: judged.related,
    sameSpeaker: judged.sameSpeaker,
    anchorDocs: new Map(judged.talks.map((t) => [t.sourceId, { title: t.title, text: t.description }])),
    tenantPrefix: 'tedrel',
    load: async (app, headers) => {
      const idOf = new Map<string, string>();
      for (let i = 0; i < judged.talks.length; i += 250)
        for (const item of await ingestSettled(app, headers, judged.talks.slice(i, i + 250)))
          idOf.set(item.asset.id, item.asset.sourceId);
      return idOf;
    },
  };
}

/** The seeds of one half, by position in id order: `even`, `odd`, or `all`. */
function half(seeds: string[], split: string): string[] {
  if (split === 'all') return seeds;
  if (split !== 'even' && split !== 'odd') throw new CliError(`--split is all, even or odd, not "${split}"`);
  return seeds.filter((_, i) => i % 2 === (split === 'even' ? 0 : 1));
}

type RelatedItems = {
  asset: { id: string; tagDetails?: { name: string; source: string }[] };
  score: number;
  reasons: unknown[];
}[];

async function main(values: ReturnType<typeof options>): Promise<void> {
  if (!['auto', 'required', 'off'].includes(values.anchor))
    throw new CliError(`--anchor is auto, required or off, not "${values.anchor}"`);
  const sample = numberFlag('seeds', values.seeds) || (values.sample ? SAMPLE.seeds : 0);
  const corpus = values.ted ? await tedCorpus(values) : await cisiCorpus(values);
  const { related } = corpus;
  const byId = (a: string, b: string) => Number(a) - Number(b) || (a < b ? -1 : 1);
  const seeds = half(spread([...related.keys()].sort(byId), sample), values.split);

  const anchorStart = performance.now();
  const anchor = values.anchor === 'off' ? null : await luceneMlt(values, seeds, corpus.anchorDocs);
  const anchorMs = performance.now() - anchorStart;

  if (values.tenant && !values.server) throw new CliError('--tenant needs --server: PGlite keeps nothing');
  const { app, headers, close, tenantId, container } = await startEvalApp({
    server: values.server,
    tenantPrefix: corpus.tenantPrefix,
    tenantId: values.tenant,
  });
  console.error(`tenant ${tenantId}`);
  const variants: [string, string][] = [['service /related', '']];
  if (values.components)
    variants.push(
      ['  via=TEXT', 'TEXT'],
      // What /related fuses with the text by default: every graph signal but the text-derived types.
      [
        '  via=graph, as fused',
        RELATED_VIA.filter((v) => v !== 'TEXT' && !(TEXT_DERIVED_TYPES as string[]).includes(v)).join(','),
      ],
      ['  via=graph signals', RELATED_VIA.filter((v) => v !== 'TEXT' && v !== 'SIMILAR_MEANING').join(',')],
      ['  via=SIMILAR_MEANING', 'SIMILAR_MEANING'],
    );
  // What /related fuses by default, the meaning signal left out: the figure without it in the same run.
  if (container.config.SEMANTIC_SEARCH)
    variants.push([
      '  without SIMILAR_MEANING',
      RELATED_VIA.filter(
        (v) => v !== 'SIMILAR_MEANING' && !(TEXT_DERIVED_TYPES as string[]).includes(v),
      ).join(','),
    ]);
  const ours = new Map(variants.map(([name]) => [name, new Map<string, string[]>()]));
  const dump: Record<string, Record<string, unknown>> = {};
  const times: number[] = [];
  let loadMs: number | undefined;
  try {
    const loadStart = performance.now();
    const idOf = await corpus.load(app, headers);
    loadMs = performance.now() - loadStart;
    const assetOf = new Map([...idOf].map(([asset, doc]) => [doc, asset]));
    for (const [name, via] of variants) {
      for (const seed of seeds) {
        const assetId = assetOf.get(seed);
        if (!assetId) throw new Error(`document ${seed} was not loaded`);
        const start = performance.now();
        const res = await getRetrying(
          app,
          `/v1/assets/${assetId}/related?limit=100${via ? `&via=${via}` : ''}`,
          headers,
        );
        if (!via) times.push(performance.now() - start);
        if (res.statusCode !== 200)
          throw new Error(`related answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
        const items = res.json<{ items: RelatedItems }>().items;
        ours.get(name)!.set(
          seed,
          items.map((i) => idOf.get(i.asset.id)!),
        );
        if (values.dump)
          (dump[seed] ??= { related: [...related.get(seed)!] })[name.trim()] = items.map((i) => ({
            id: idOf.get(i.asset.id),
            score: i.score,
            reasons: i.reasons,
            suggested: i.asset.tagDetails?.filter((t) => t.source === 'suggested').map((t) => t.name),
          }));
      }
    }
  } finally {
    await close();
  }
  if (values.dump) writeFileSync(values.dump, JSON.stringify(dump));

  const service = score(ours.get('service /related')!, related, seeds);
  times.sort((a, b) => a - b);
  const p95 = times[Math.min(times.length - 1, Math.floor(times.length * 0.95))]!;
  const meanSize = seeds.reduce((s, d) => s + related.get(d)!.size, 0) / seeds.length;
  console.log(
    `Related content on ${corpus.label}; ${service.seeds} seed documents${
      sample || values.split !== 'all' ? ` of ${related.size}` : ''
    }${sample ? `, --seeds ${sample}` : ''}${values.split !== 'all' ? `, --split ${values.split}` : ''}; mean related set ${meanSize.toFixed(1)})`,
  );
  console.log(`                         nDCG@10  recall@100`);
  const line = (name: string, s: Scores) =>
    console.log(`  ${name.padEnd(23)}${s.ndcg.toFixed(3).padStart(7)}  ${s.recall.toFixed(3).padStart(10)}`);
  line('service /related', service);
  console.log(
    `    (loading ${((loadMs ?? 0) / 1000).toFixed(0)} s; in-process request: mean ${(times.reduce((a, b) => a + b, 0) / times.length).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms)`,
  );
  for (const [name] of variants.slice(1)) line(name, score(ours.get(name)!, related, seeds));
  if (anchor) {
    const mlt = score(anchor, related, seeds);
    line('Lucene 8.7 MoreLikeThis', mlt);
    console.log(`    (whole anchor run, JVM start and indexing included: ${(anchorMs / 1000).toFixed(1)} s)`);
    console.log(`  service vs MoreLikeThis: nDCG@10 ${((service.ndcg / mlt.ndcg - 1) * 100).toFixed(1)}%`);
  }
  if (corpus.sameSpeaker) {
    // Whether a talk's other talks by the same speaker lead its list: nDCG@5 with those alone relevant.
    const withOthers = seeds.filter((s) => corpus.sameSpeaker!.has(s));
    console.log(`Same speaker's other talks (${withOthers.length} seeds that have them), nDCG@5:`);
    const speakerLine = (name: string, runs: Map<string, string[]>) => {
      const mean =
        withOthers.reduce((sum, s) => sum + ndcgAt(5, runs.get(s) ?? [], corpus.sameSpeaker!.get(s)!), 0) /
        Math.max(1, withOthers.length);
      console.log(`  ${name.padEnd(23)}${mean.toFixed(3).padStart(7)}`);
    };
    for (const [name] of variants) speakerLine(name, ours.get(name)!);
    if (anchor) speakerLine('Lucene 8.7 MoreLikeThis', anchor);
  }
}

runCli(() => main(options()));
