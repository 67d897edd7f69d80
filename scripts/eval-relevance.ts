/**
 * Relevance of GET /v1/search on a classic test collection (.ALL/.QRY/.REL), loaded through the API.
 *   npm run eval:relevance [-- --collection ../shared/datasets/cisi/CISI] [--syntax plain|query] [--per-query]
 * Prints nDCG@10 and recall@100 over the queries that have judgments. The queries are prose, so by
 * default they go as syntax=plain: a quotation mark in a question is not a phrase the hits must hold.
 */
import { z } from 'zod';
import { QUERY_SYNTAXES } from '../domain/query-syntax.js';
import { CliError, existingFile, parseCli, runCli } from './lib/cli.js';
import type { RankingOptions } from '../search/ranking-features.js';
import { loadCollection } from './lib/collection-loader.js';
import { luceneRuns } from './lib/lucene-anchor.js';
import { startEvalApp } from './lib/eval-app.js';
import { ndcgAt, readCollection, recallAt } from './lib/trec-collection.js';

const USAGE =
  'npm run eval:relevance -- [--collection ../shared/datasets/cisi/CISI] [--syntax plain|query] [--per-query] [--server [--tenant id]] [--no-features] [--no-lucene]';

const options = () =>
  parseCli(USAGE, {
    collection: { type: 'string', default: '../shared/datasets/cisi/CISI' },
    server: { type: 'boolean', default: false },
    syntax: { type: 'string', default: 'plain' },
    'per-query': { type: 'boolean', default: false },
    /** Print each ranking feature's rows (BM25 alone, feedback, proximity) beside the API's answer. */
    'no-features': { type: 'boolean', default: false },
    /** Run the Lucene BM25 anchor (../shared/anchors) on the same collection for the row beside. */
    'no-lucene': { type: 'boolean', default: false },
    /** With --server: rank in this tenant, loaded by an earlier run (its load is deduplicated). */
    tenant: { type: 'string' },
  }).values;

/** The rows beside the API's answer: each ranking feature alone off and on, over the same load. */
const VARIANTS: { name: string; ranking: Partial<RankingOptions> }[] = [
  { name: 'BM25 alone (feedback off, proximity off)', ranking: { feedback: 'off', proximity: false } },
  { name: '+ feedback (RM3), every query', ranking: { feedback: 'on', proximity: false } },
  { name: '+ feedback (RM3), auto', ranking: { feedback: 'auto', proximity: false } },
  { name: '+ proximity', ranking: { feedback: 'off', proximity: true } },
  { name: '+ feedback on + proximity', ranking: { feedback: 'on', proximity: true } },
];

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
  const syntax = z.enum(QUERY_SYNTAXES).safeParse(values.syntax);
  if (!syntax.success)
    throw new CliError(`--syntax is ${QUERY_SYNTAXES.join(' or ')}, not "${values.syntax}"`);
  for (const ext of ['ALL', 'QRY', 'REL'])
    existingFile(
      `${values.collection}.${ext}`,
      'collection',
      'a collection prefix such as ../shared/datasets/cisi/CISI',
    );
  const collection = await readCollection(values.collection);
  const judged = collection.queries.filter((q) => (collection.relevant.get(q.id)?.size ?? 0) > 0);
  const lucene = !values['no-lucene'] ? luceneRuns(collection) : Promise.resolve(null);
  const { app, headers, close, container, tenantId } = await startEvalApp({
    server: values.server,
    tenantPrefix: 'rel',
    tenantId: values.tenant,
  });

  const idOf = await loadCollection(app, headers, collection, values.collection);
  const score = (ranked: string[], relevant: Set<string>, into: Scores, text: string) => {
    into.ndcg.push(ndcgAt(10, ranked, relevant));
    into.recall.push(recallAt(100, ranked, relevant));
    into.lengths.push(wordsOf(text));
  };
  const empty = (): Scores => ({ ndcg: [], recall: [], lengths: [] });

  // The API's answer, as a partner gets it: the configured defaults.
  const api = empty();
  const variants = VARIANTS.map(() => empty());
  const timings = VARIANTS.map(() => 0);
  for (const q of judged) {
    const relevant = collection.relevant.get(q.id)!;
    const text = q.text.slice(0, 4000);
    const res = await app.inject({
      url: `/v1/search?limit=100&syntax=${syntax.data}&q=${encodeURIComponent(text)}`,
      headers,
    });
    if (res.statusCode !== 200)
      throw new Error(`search answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
    const ranked = res.json<{ hits: { asset: { id: string } }[] }>().hits.map((h) => idOf.get(h.asset.id)!);
    score(ranked, relevant, api, text);
    if (values['per-query'])
      console.log(
        `query ${q.id}\tnDCG@10 ${api.ndcg.at(-1)!.toFixed(3)}\trecall@100 ${api.recall.at(-1)!.toFixed(3)}`,
      );
    if (values['no-features']) continue;
    for (const [i, v] of VARIANTS.entries()) {
      const started = performance.now();
      const page = await container.discovery.searchAssets(tenantId, {
        q: text,
        syntax: syntax.data,
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
  await close();
  const anchor = await lucene.catch((err: unknown) => {
    console.error(`the Lucene anchor did not run: ${(err as Error).message}`);
    return null;
  });
  console.log(
    `Relevance on ${values.collection} (${collection.documents.length} documents, ${judged.length} judged queries, syntax=${syntax.data})`,
  );
  console.log(`  ${'ranking'.padEnd(44)} nDCG@10   recall@100`);
  const luceneScores = empty();
  if (anchor) {
    for (const q of judged)
      score(anchor.get(q.id) ?? [], collection.relevant.get(q.id)!, luceneScores, q.text);
    console.log(row('Lucene 8.7 BM25 (anchor, this run)', luceneScores));
  } else
    console.log('  Lucene 8.7 BM25: not run (no Java or no jars, see ../shared/anchors; or --no-lucene)');
  console.log(row('this service, as configured (API)', api));
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
