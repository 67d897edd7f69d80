/**
 * Relevance of GET /v1/search on a classic test collection (.ALL/.QRY/.REL), loaded through the API.
 *   npm run eval:relevance [-- --collection <dir or prefix>] [--syntax both|plain|query] [--per-query] [--check]
 * Prints nDCG@10 and recall@100 over the queries that have judgments, for the same collection's
 * Lucene BM25 anchor (../shared/anchors, when java and the Lucene 8.7 jars are there) and for the
 * service's query syntaxes: `plain` (every word ranks) and `query` (the default, lenient). The queries
 * are prose, so the two must score alike: `--check` exits 1 when the default scores below plain.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { QUERY_SYNTAXES, type QuerySyntax } from '../domain/query-syntax.js';
import { CliError, parseCli, runCli } from './lib/cli.js';
import { loadCollection } from './lib/collection-loader.js';
import { startEvalApp } from './lib/eval-app.js';
import { collectionFiles, ndcgAt, readCollection, recallAt, type Collection } from './lib/trec-collection.js';

const USAGE =
  'npm run eval:relevance -- [--collection <dir or prefix, default ../shared/datasets/cisi/CISI>] [--syntax both|plain|query] [--per-query] [--check] [--lucene auto|off] [--server]';

const options = () =>
  parseCli(USAGE, {
    collection: { type: 'string', default: '../shared/datasets/cisi/CISI' },
    server: { type: 'boolean', default: false },
    syntax: { type: 'string', default: 'both' },
    'per-query': { type: 'boolean', default: false },
    check: { type: 'boolean', default: false },
    lucene: { type: 'string', default: 'auto' },
  }).values;

/** The anchors' Lucene BM25 program and the jars it runs on (`LUCENE_JARS`: a directory). */
const ANCHORS = resolve(import.meta.dirname, '../../shared/anchors');
const LUCENE_JARS = ['core', 'analyzers-common', 'queries', 'queryparser'].map(
  (j) => `lucene-${j}-8.7.0.jar`,
);

interface Scores {
  /** query id → [nDCG@10, recall@100] */
  perQuery: Map<string, [number, number]>;
  ndcg: number;
  recall: number;
  /** Queries answered other than 200: each scored 0. */
  refused: { id: string; status: number; detail: string }[];
  /** Queries whose response carried queryNotes, by note code. */
  notes: Map<string, number>;
}

const tsv = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * Lucene 8.7's BM25 (EnglishAnalyzer, title and text as one field, the queries' .W text) on the
 * collection, as ../shared/anchors/README.md runs it; a reason instead when it cannot run here.
 */
function luceneRun(collection: Collection, judged: string[]): Map<string, string[]> | string {
  const jarDir = process.env.LUCENE_JARS ?? '/usr/share/java';
  const jars = LUCENE_JARS.map((j) => join(jarDir, j));
  const missing = jars.find((j) => !existsSync(j));
  if (missing) return `no ${missing} (apt-get install liblucene8-java, or LUCENE_JARS=<dir>)`;
  if (!existsSync(join(ANCHORS, 'LuceneBm25.java'))) return `no LuceneBm25.java in ${ANCHORS}`;
  const dir = mkdtempSync(join(tmpdir(), 'lucene-anchor-'));
  try {
    const cp = [dir, ...jars].join(':');
    const wanted = new Set(judged);
    writeFileSync(
      join(dir, 'docs.tsv'),
      collection.documents.map((d) => `${d.id}\t${tsv(d.title)}\t${tsv(d.text)}\n`).join(''),
    );
    writeFileSync(
      join(dir, 'queries.tsv'),
      collection.queries
        .filter((q) => wanted.has(q.id))
        .map((q) => `${q.id}\t${tsv(q.body)}\n`)
        .join(''),
    );
    execFileSync('javac', ['-d', dir, '-cp', cp, join(ANCHORS, 'LuceneBm25.java')], { stdio: 'pipe' });
    const out = execFileSync(
      'java',
      ['-cp', cp, 'LuceneBm25', join(dir, 'docs.tsv'), join(dir, 'queries.tsv')],
      { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 },
    ).toString();
    const runs = new Map<string, string[]>();
    for (const line of out.split('\n')) {
      const [q, , d] = line.split(' ');
      if (!q || !d) continue;
      if (!runs.has(q)) runs.set(q, []);
      runs.get(q)!.push(d);
    }
    return runs;
  } catch (err) {
    const e = err as { code?: string; stderr?: Buffer; message: string };
    if (e.code === 'ENOENT') return 'no java or javac on the PATH';
    return `it failed: ${(e.stderr?.toString() || e.message).split('\n')[0]}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function scoresOf(
  ids: string[],
  rankedOf: (id: string) => string[],
  relevant: Map<string, Set<string>>,
): Pick<Scores, 'perQuery' | 'ndcg' | 'recall'> {
  const perQuery = new Map<string, [number, number]>();
  let ndcg = 0;
  let recall = 0;
  for (const id of ids) {
    const ranked = rankedOf(id);
    const rel = relevant.get(id)!;
    const pair: [number, number] = [ndcgAt(10, ranked, rel), recallAt(100, ranked, rel)];
    perQuery.set(id, pair);
    ndcg += pair[0];
    recall += pair[1];
  }
  return { perQuery, ndcg: ndcg / ids.length, recall: recall / ids.length };
}

async function main(values: ReturnType<typeof options>): Promise<void> {
  const one = z.enum(QUERY_SYNTAXES).safeParse(values.syntax);
  if (values.syntax !== 'both' && !one.success)
    throw new CliError(`--syntax is both, ${QUERY_SYNTAXES.join(' or ')}, not "${values.syntax}"`);
  const syntaxes: QuerySyntax[] = one.success ? [one.data] : ['plain', 'query'];
  if (values.lucene !== 'auto' && values.lucene !== 'off')
    throw new CliError(`--lucene is auto or off, not "${values.lucene}"`);
  if (values.check && syntaxes.length < 2)
    throw new CliError('--check compares the two syntaxes: leave out --syntax, or pass --syntax both');
  const files = collectionFiles(values.collection);
  if (typeof files === 'string')
    throw new CliError(
      `${files}: pass --collection with a directory or prefix of .ALL/.QRY/.REL files, such as ../shared/datasets/cisi/CISI`,
    );
  const collection = await readCollection(files.prefix);
  const judged = collection.queries
    .filter((q) => (collection.relevant.get(q.id)?.size ?? 0) > 0)
    .map((q) => q.id);
  if (judged.length === 0)
    throw new CliError(`${files.rel} judges none of the queries in ${files.qry}: their ids do not match`);
  const textOf = new Map(collection.queries.map((q) => [q.id, q.text]));
  const { app, headers, close } = await startEvalApp({ server: values.server, tenantPrefix: 'rel' });

  const idOf = await loadCollection(app, headers, collection, files.prefix);

  const bySyntax = new Map<QuerySyntax, Scores>();
  for (const syntax of syntaxes) {
    const ranked = new Map<string, string[]>();
    const refused: Scores['refused'] = [];
    const notes = new Map<string, number>();
    for (const id of judged) {
      const res = await app.inject({
        url: `/v1/search?limit=100&syntax=${syntax}&q=${encodeURIComponent(textOf.get(id)!.slice(0, 4000))}`,
        headers,
      });
      if (res.statusCode !== 200) {
        // Scored 0 and reported: a refusal is a result of the syntax, not of the run.
        refused.push({ id, status: res.statusCode, detail: res.body.slice(0, 200) });
        ranked.set(id, []);
        continue;
      }
      const body = res.json<{ hits: { asset: { id: string } }[]; queryNotes?: { code: string }[] }>();
      ranked.set(
        id,
        body.hits.map((h) => idOf.get(h.asset.id)!),
      );
      for (const code of new Set((body.queryNotes ?? []).map((n) => n.code)))
        notes.set(code, (notes.get(code) ?? 0) + 1);
    }
    bySyntax.set(syntax, {
      ...scoresOf(judged, (id) => ranked.get(id) ?? [], collection.relevant),
      refused,
      notes,
    });
  }
  await close();

  const lucene = values.lucene === 'off' ? 'not run (--lucene off)' : luceneRun(collection, judged);
  const anchor =
    typeof lucene === 'string' ? null : scoresOf(judged, (id) => lucene.get(id) ?? [], collection.relevant);

  if (values['per-query']) {
    for (const id of judged) {
      const cells = [
        ...(anchor ? [['lucene', anchor.perQuery.get(id)!] as const] : []),
        ...syntaxes.map((s) => [s, bySyntax.get(s)!.perQuery.get(id)!] as const),
      ].map(([name, [n, r]]) => `${name} ${n.toFixed(3)} / ${r.toFixed(3)}`);
      console.log(`query ${id}\t${cells.join('\t')}`);
    }
  }
  const row = (label: string, ndcg: number, recall: number, extra = '') =>
    console.log(
      `  ${label.padEnd(34)} ${ndcg.toFixed(3)}     ${recall.toFixed(3)}${extra ? `   ${extra}` : ''}`,
    );
  console.log(
    `Relevance on ${files.prefix} (${collection.documents.length} documents, ${judged.length} judged queries)`,
  );
  console.log(`  ${''.padEnd(34)} nDCG@10   recall@100`);
  if (anchor) row('Lucene 8.7 BM25 (anchor)', anchor.ndcg, anchor.recall);
  else console.log(`  Lucene 8.7 BM25 (anchor)           not measured: ${lucene as string}`);
  for (const syntax of syntaxes) {
    const s = bySyntax.get(syntax)!;
    const notes = [...s.notes].map(([code, n]) => `${code} ${n}`).join(', ');
    const extra = [
      syntax === 'query' ? `read other than written: ${notes || 'none'}` : '',
      s.refused.length ? `refused: ${s.refused.map((r) => `query ${r.id} (${r.status})`).join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    row(`syntax=${syntax}${syntax === 'query' ? ' (the default)' : ''}`, s.ndcg, s.recall, extra);
  }
  const plain = bySyntax.get('plain');
  const query = bySyntax.get('query');
  if (plain && query) {
    const pct = (a: number, b: number) => `${a >= b ? '+' : ''}${(((a - b) / b) * 100).toFixed(1)}%`;
    console.log(
      `  ${'default against plain'.padEnd(34)} ${pct(query.ndcg, plain.ndcg).padEnd(9)} ${pct(query.recall, plain.recall)}`,
    );
    for (const r of query.refused) console.log(`  refused query ${r.id}: ${r.status} ${r.detail}`);
    // Rounded as printed: a difference nobody can see in the figures is none.
    const below = (a: number, b: number) => Number(a.toFixed(3)) < Number(b.toFixed(3));
    if (
      values.check &&
      (below(query.ndcg, plain.ndcg) || below(query.recall, plain.recall) || query.refused.length)
    ) {
      console.error(
        'check failed: the default syntax scores below plain (or refused a query) on prose queries',
      );
      process.exitCode = 1;
    }
  }
}

runCli(() => main(options()));
