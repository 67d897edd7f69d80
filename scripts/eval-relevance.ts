/**
 * Relevance of GET /v1/search on a classic test collection (.ALL/.QRY/.REL), loaded through the API.
 *   npm run eval:relevance [-- --collection ../shared/datasets/cisi/CISI] [--syntax plain|query] [--modes lexical,semantic,hybrid] [--per-query]
 * Prints nDCG@10 and recall@100 over the queries that have judgments. The queries are prose, so by
 * default they go as syntax=plain: a quotation mark in a question is not a phrase the hits must hold.
 */
import { z } from 'zod';
import { QUERY_SYNTAXES } from '../domain/query-syntax.js';
import { SEARCH_MODES } from '../services/discovery-service.js';
import { CliError, existingFile, parseCli, runCli } from './lib/cli.js';
import { loadCollection } from './lib/collection-loader.js';
import { startEvalApp } from './lib/eval-app.js';
import { ndcgAt, readCollection, recallAt } from './lib/trec-collection.js';

const USAGE =
  'npm run eval:relevance -- [--collection ../shared/datasets/cisi/CISI] [--syntax plain|query] [--modes lexical,semantic,hybrid] [--per-query] [--server]';

const options = () =>
  parseCli(USAGE, {
    collection: { type: 'string', default: '../shared/datasets/cisi/CISI' },
    server: { type: 'boolean', default: false },
    syntax: { type: 'string', default: 'plain' },
    'per-query': { type: 'boolean', default: false },
    modes: { type: 'string', default: 'lexical' },
  }).values;

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
  const { app, headers, close } = await startEvalApp({ server: values.server, tenantPrefix: 'rel' });

  const idOf = await loadCollection(app, headers, collection, values.collection);

  const modes = values.modes.split(',').map((m) => z.enum(SEARCH_MODES).parse(m.trim()));
  const figures: [string, number, number][] = [];
  let judged = 0;
  for (const mode of modes) {
    let ndcg = 0;
    let recall = 0;
    judged = 0;
    for (const q of collection.queries) {
      const relevant = collection.relevant.get(q.id);
      if (!relevant || relevant.size === 0) continue;
      const res = await app.inject({
        url: `/v1/search?limit=100&mode=${mode}&syntax=${syntax.data}&q=${encodeURIComponent(q.text.slice(0, 4000))}`,
        headers,
      });
      if (res.statusCode !== 200)
        throw new Error(`search answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
      const ranked = res.json<{ hits: { asset: { id: string } }[] }>().hits.map((h) => idOf.get(h.asset.id)!);
      const [n, r] = [ndcgAt(10, ranked, relevant), recallAt(100, ranked, relevant)];
      if (values['per-query'])
        console.log(`${mode}\tquery ${q.id}\tnDCG@10 ${n.toFixed(3)}\trecall@100 ${r.toFixed(3)}`);
      ndcg += n;
      recall += r;
      judged++;
    }
    figures.push([mode, ndcg / judged, recall / judged]);
  }
  await close();
  console.log(
    `Relevance on ${values.collection} (${collection.documents.length} documents, ${judged} judged queries, syntax=${syntax.data})`,
  );
  for (const [mode, ndcg, recall] of figures)
    console.log(`  mode=${mode.padEnd(8)}  nDCG@10 ${ndcg.toFixed(3)}  recall@100 ${recall.toFixed(3)}`);
}

runCli(() => main(options()));
