/**
 * Relevance of GET /v1/search on a classic test collection (.ALL/.QRY/.REL), loaded through the API.
 *   npm run eval:relevance [-- --collection <dir or prefix>] [--syntax both|plain|query] [--modes lexical,semantic,hybrid] [--semantic-weights 0.1,0.5,1] [--per-query] [--check]
 * Prints nDCG@10 and recall@100 over the queries that have judgments: for the same collection's
 * Lucene BM25 anchor (../shared/anchors, when java and the Lucene 8.7 jars are there), for the API
 * with each query syntax (`plain`: every word ranks; `query`: the default, lenient), and for each
 * ranking feature off and on (docs/search-relevance.md). The queries are prose, so the two syntaxes
 * must score alike: `--check` exits 1 when the default scores below plain or refuses a query.
 * `--semantic-weights` adds a row of hybrid search per weight of the vector ranking (SEMANTIC_WEIGHT),
 * over the same load (semantic search on: SEMANTIC_SEARCH=true).
 */
import { z } from 'zod';
import { QUERY_SYNTAXES, type QuerySyntax } from '../domain/query-syntax.js';
import { SEARCH_MODES, type SearchMode } from '../services/discovery-service.js';
import { CliError, numberListFlag, parseCli, runCli } from './lib/cli.js';
import type { RankingOptions } from '../search/ranking-features.js';
import { loadCollection } from './lib/collection-loader.js';
import type { BM25 } from '../search/postgres/ranking.js';
import { reweighPostings } from '../search/postgres/writer.js';
import { luceneRuns } from './lib/lucene-anchor.js';
import { startEvalApp } from './lib/eval-app.js';
import { collectionFiles, ndcgAt, readCollection, recallAt } from './lib/trec-collection.js';

const USAGE =
  'npm run eval:relevance -- [--collection <dir or prefix, default ../shared/datasets/cisi/CISI>] [--syntax both|plain|query] [--modes lexical,semantic,hybrid] [--semantic-weights 0.1,0.5,1] [--per-query] [--check] [--server [--tenant id]] [--no-features] [--no-lucene] [--weights A:B:C:D,...]';

const options = () =>
  parseCli(USAGE, {
    collection: { type: 'string', default: '../shared/datasets/cisi/CISI' },
    server: { type: 'boolean', default: false },
    syntax: { type: 'string', default: 'both' },
    'per-query': { type: 'boolean', default: false },
    check: { type: 'boolean', default: false },
    /** Search modes beside lexical (docs/semantic-search.md): each adds a row of the API's answer. */
    modes: { type: 'string', default: 'lexical' },
    /** Weights of the vector ranking in hybrid search (SEMANTIC_WEIGHT): a row each. */
    'semantic-weights': { type: 'string', default: '' },
    /** Print each ranking feature's rows (BM25 alone, feedback, proximity) beside the API's answer. */
    'no-features': { type: 'boolean', default: false },
    /** Run the Lucene BM25 anchor (../shared/anchors) on the same collection for the row beside. */
    'no-lucene': { type: 'boolean', default: false },
    /** With --server: rank in this tenant, loaded by an earlier run (its load is deduplicated). */
    tenant: { type: 'string' },
    /**
     * Field weights to compare (Postgres only), each A:B:C:D (title and speakers : tags and topics :
     * description, keywords and people : transcript), comma-separated: the tenant's postings are
     * derived again under each (no reload) and the BM25 and feedback rows are printed per set.
     */
    weights: { type: 'string' },
  }).values;

/** The rows beside the API's answer: each ranking feature alone off and on, over the same load. */
const VARIANTS: { name: string; ranking: Partial<RankingOptions> }[] = [
  { name: 'BM25 alone (feedback off, proximity off)', ranking: { feedback: 'off', proximity: false } },
  { name: '+ feedback (RM3), every query', ranking: { feedback: 'on', proximity: false } },
  { name: '+ feedback (RM3), auto', ranking: { feedback: 'auto', proximity: false } },
  { name: '+ proximity', ranking: { feedback: 'off', proximity: true } },
  { name: '+ feedback on + proximity', ranking: { feedback: 'on', proximity: true } },
];

/** The rows printed per set of field weights (`--weights`). */
const WEIGHT_VARIANTS: { name: string; ranking: Partial<RankingOptions> }[] = [
  { name: 'BM25 alone', ranking: { feedback: 'off', proximity: false } },
  { name: 'feedback auto', ranking: { feedback: 'auto', proximity: false } },
];

/** `--weights`: sets of A:B:C:D field weights, comma-separated. */
function parseWeights(
  given: string | undefined,
): { name: string; weights: Record<keyof typeof BM25.weights, number> }[] {
  if (!given) return [];
  return given.split(',').map((set) => {
    const w = set.trim().split(':').map(Number);
    if (w.length !== 4 || w.some((x) => !Number.isFinite(x) || x < 0))
      throw new CliError(`--weights takes sets of four weights A:B:C:D, such as 2:1.5:1:0.5, not "${set}"`);
    return { name: set.trim(), weights: { A: w[0]!, B: w[1]!, C: w[2]!, D: w[3]! } };
  });
}

/** Query lengths (distinct words) the feedback rows are broken down by. */
const LENGTHS = [
  { name: '1-5 words', max: 5 },
  { name: '6-15 words', max: 15 },
  { name: '16+ words', max: Infinity },
];
const wordsOf = (text: string) => new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).size;

interface Scores {
  ndcg: number[];
  recall: number[];
  lengths: number[];
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const row = (name: string, s: Scores, note = '') =>
  `  ${name.padEnd(44)} ${mean(s.ndcg).toFixed(3)}     ${mean(s.recall).toFixed(3)}${note}`;

async function main(values: ReturnType<typeof options>): Promise<void> {
  const one = z.enum(QUERY_SYNTAXES).safeParse(values.syntax);
  if (values.syntax !== 'both' && !one.success)
    throw new CliError(`--syntax is both, ${QUERY_SYNTAXES.join(' or ')}, not "${values.syntax}"`);
  const syntaxes: QuerySyntax[] = one.success ? [one.data] : ['plain', 'query'];
  // The feature rows rank as the default syntax does, or as the one syntax asked for.
  const featureSyntax: QuerySyntax = one.success ? one.data : 'query';
  if (values.check && syntaxes.length < 2)
    throw new CliError('--check compares the two syntaxes: leave out --syntax, or pass --syntax both');
  const modes = values.modes.split(',').map((m) => {
    const mode = z.enum(SEARCH_MODES).safeParse(m.trim());
    if (!mode.success) throw new CliError(`--modes lists ${SEARCH_MODES.join(', ')}, not "${m}"`);
    return mode.data;
  });
  const weights = numberListFlag('semantic-weights', values['semantic-weights'], { max: 10, integer: false });
  const otherModes = modes.filter((m): m is Exclude<SearchMode, 'lexical'> => m !== 'lexical');
  const files = collectionFiles(values.collection);
  if (typeof files === 'string')
    throw new CliError(
      `${files}: pass --collection with a directory or prefix of .ALL/.QRY/.REL files, such as ../shared/datasets/cisi/CISI`,
    );
  const collection = await readCollection(files.prefix);
  const judged = collection.queries.filter((q) => (collection.relevant.get(q.id)?.size ?? 0) > 0);
  if (judged.length === 0)
    throw new CliError(`${files.rel} judges none of the queries in ${files.qry}: their ids do not match`);
  const weightSets = parseWeights(values.weights);
  const lucene = !values['no-lucene'] ? luceneRuns(collection) : Promise.resolve(null);
  const { app, headers, close, container, tenantId } = await startEvalApp({
    server: values.server,
    tenantPrefix: 'rel',
    tenantId: values.tenant,
  });

  const idOf = await loadCollection(app, headers, collection, files.prefix);
  const score = (ranked: string[], relevant: Set<string>, into: Scores, text: string) => {
    into.ndcg.push(ndcgAt(10, ranked, relevant));
    into.recall.push(recallAt(100, ranked, relevant));
    into.lengths.push(wordsOf(text));
  };
  const empty = (): Scores => ({ ndcg: [], recall: [], lengths: [] });

  // The API's answer, as a partner gets it (the configured defaults), per syntax.
  const api = new Map(syntaxes.map((x) => [x, empty()]));
  const refused = new Map(syntaxes.map((x) => [x, [] as { id: string; status: number; detail: string }[]]));
  const notes = new Map<string, number>();
  const byMode = new Map(otherModes.map((m) => [m, empty()]));
  const byWeight = new Map(weights.map((w) => [w, empty()]));
  const variants = VARIANTS.map(() => empty());
  const timings = VARIANTS.map(() => 0);
  for (const q of judged) {
    const relevant = collection.relevant.get(q.id)!;
    const text = q.text.slice(0, 4000);
    const cells: string[] = [];
    for (const x of syntaxes) {
      const res = await app.inject({
        url: `/v1/search?limit=100&syntax=${x}&q=${encodeURIComponent(text)}`,
        headers,
      });
      let ranked: string[] = [];
      if (res.statusCode === 200) {
        const body = res.json<{ hits: { asset: { id: string } }[]; queryNotes?: { code: string }[] }>();
        ranked = body.hits.map((h) => idOf.get(h.asset.id)!);
        if (x === 'query')
          for (const code of new Set((body.queryNotes ?? []).map((n) => n.code)))
            notes.set(code, (notes.get(code) ?? 0) + 1);
      } else {
        // Scored 0 and reported: a refusal is a result of the syntax, not of the run.
        refused.get(x)!.push({ id: q.id, status: res.statusCode, detail: res.body.slice(0, 200) });
      }
      const s = api.get(x)!;
      score(ranked, relevant, s, text);
      cells.push(`${x} ${s.ndcg.at(-1)!.toFixed(3)} / ${s.recall.at(-1)!.toFixed(3)}`);
    }
    for (const [mode, s] of byMode) {
      const res = await app.inject({
        url: `/v1/search?limit=100&mode=${mode}&syntax=${featureSyntax}&q=${encodeURIComponent(text)}`,
        headers,
      });
      if (res.statusCode !== 200)
        throw new Error(`search (mode=${mode}) answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
      const ranked = res.json<{ hits: { asset: { id: string } }[] }>().hits.map((h) => idOf.get(h.asset.id)!);
      score(ranked, relevant, s, text);
      cells.push(`${mode} ${s.ndcg.at(-1)!.toFixed(3)} / ${s.recall.at(-1)!.toFixed(3)}`);
    }
    for (const [weight, s] of byWeight) {
      const page = await container.discovery.searchAssets(tenantId, {
        q: text,
        syntax: featureSyntax,
        limit: 100,
        blend: container.config.SEARCH_BLEND,
        mode: 'hybrid',
        semanticWeight: weight,
      });
      score(
        page.hits.map((h) => idOf.get(h.asset.id)!),
        relevant,
        s,
        text,
      );
      cells.push(`hybrid@${weight} ${s.ndcg.at(-1)!.toFixed(3)} / ${s.recall.at(-1)!.toFixed(3)}`);
    }
    if (values['per-query']) console.log(`query ${q.id}\t${cells.join('\t')}`);
    if (values['no-features']) continue;
    for (const [i, v] of VARIANTS.entries()) {
      const started = performance.now();
      const page = await container.discovery.searchAssets(tenantId, {
        q: text,
        syntax: featureSyntax,
        limit: 100,
        ranking: v.ranking,
      });
      timings[i]! += performance.now() - started;
      score(
        page.hits.map((h) => idOf.get(h.asset.id)!),
        relevant,
        variants[i]!,
        text,
      );
    }
  }
  // Field weights (BM25F), each over the same load: the postings derived again under each set.
  const byWeights = new Map<string, Scores[]>();
  for (const set of weightSets) {
    await container.db.transaction((tx) => reweighPostings(tx, tenantId, set.weights));
    const rows = WEIGHT_VARIANTS.map(() => empty());
    for (const q of judged) {
      const text = q.text.slice(0, 4000);
      for (const [i, v] of WEIGHT_VARIANTS.entries()) {
        const page = await container.discovery.searchAssets(tenantId, {
          q: text,
          syntax: featureSyntax,
          limit: 100,
          ranking: v.ranking,
        });
        score(
          page.hits.map((h) => idOf.get(h.asset.id)!),
          collection.relevant.get(q.id)!,
          rows[i]!,
          text,
        );
      }
    }
    byWeights.set(set.name, rows);
  }
  await close();
  const anchor = await lucene.catch((err: unknown) => {
    console.error(`the Lucene anchor did not run: ${(err as Error).message}`);
    return null;
  });
  console.log(
    `Relevance on ${files.prefix} (${collection.documents.length} documents, ${judged.length} judged queries; feature rows with syntax=${featureSyntax})`,
  );
  console.log(`  ${'ranking'.padEnd(44)} nDCG@10   recall@100`);
  const luceneScores = empty();
  if (anchor) {
    for (const q of judged)
      score(anchor.get(q.id) ?? [], collection.relevant.get(q.id)!, luceneScores, q.text);
    console.log(row('Lucene 8.7 BM25 (anchor, this run)', luceneScores));
  } else
    console.log('  Lucene 8.7 BM25: not run (no Java or no jars, see ../shared/anchors; or --no-lucene)');
  for (const x of syntaxes) {
    const read = x === 'query' ? [...notes].map(([code, n]) => `${code} ${n}`).join(', ') : '';
    const extra = [
      x === 'query' ? `read other than written: ${read || 'none'}` : '',
      refused.get(x)!.length
        ? `refused: ${refused
            .get(x)!
            .map((r) => `query ${r.id} (${r.status})`)
            .join(', ')}`
        : '',
    ].filter(Boolean);
    const label = `API, syntax=${x}${x === 'query' ? ' (the default)' : ''}`;
    console.log(row(label, api.get(x)!, extra.length ? `   ${extra.join('; ')}` : ''));
  }
  for (const [mode, s] of byMode) console.log(row(`API, syntax=${featureSyntax}, mode=${mode}`, s));
  for (const [weight, s] of byWeight) console.log(row(`mode=hybrid, SEMANTIC_WEIGHT=${weight}`, s));
  const plain = api.get('plain');
  const query = api.get('query');
  if (plain && query) {
    const pct = (a: number, b: number) => `${a >= b ? '+' : ''}${(((a - b) / b) * 100).toFixed(1)}%`;
    console.log(
      `  ${'default against plain'.padEnd(44)} ${pct(mean(query.ndcg), mean(plain.ndcg)).padEnd(9)} ${pct(mean(query.recall), mean(plain.recall))}`,
    );
    for (const r of refused.get('query')!) console.log(`  refused query ${r.id}: ${r.status} ${r.detail}`);
    // Rounded as printed: a difference nobody can see in the figures is none.
    const below = (a: number[], b: number[]) => Number(mean(a).toFixed(3)) < Number(mean(b).toFixed(3));
    if (
      values.check &&
      (below(query.ndcg, plain.ndcg) || below(query.recall, plain.recall) || refused.get('query')!.length)
    ) {
      console.error(
        'check failed: the default syntax scores below plain (or refused a query) on prose queries',
      );
      process.exitCode = 1;
    }
  }
  for (const [name, rows] of byWeights)
    WEIGHT_VARIANTS.forEach((v, i) => console.log(row(`weights ${name}, ${v.name}`, rows[i]!)));
  if (values['no-features']) return;
  const base = timings[0]!;
  VARIANTS.forEach((v, i) =>
    console.log(row(v.name, variants[i]!, `   time ${(timings[i]! / base).toFixed(2)}x of BM25 alone`)),
  );
  console.log('  by query length (distinct words), nDCG@10 / recall@100:');
  const pick = (s: Scores, keep: boolean[]): Scores => ({
    ndcg: s.ndcg.filter((_, i) => keep[i]),
    recall: s.recall.filter((_, i) => keep[i]),
    lengths: s.lengths.filter((_, i) => keep[i]),
  });
  let min = 0;
  for (const l of LENGTHS) {
    const keep = variants[0]!.lengths.map((n) => n > min && n <= l.max);
    const n = keep.filter(Boolean).length;
    min = l.max;
    if (n === 0) continue;
    const cells = [
      ...(anchor ? [['lucene', pick(luceneScores, keep)] as const] : []),
      ...VARIANTS.map(
        (v, i) => [v.name.split(' (')[0]!.replace('+ ', '+'), pick(variants[i]!, keep)] as const,
      ),
    ]
      .map(([name, s]) => `${name} ${mean(s.ndcg).toFixed(3)}/${mean(s.recall).toFixed(3)}`)
      .join(' | ');
    console.log(`    ${l.name} (${n}): ${cells}`);
  }
}

runCli(() => main(options()));
