import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Collection } from './trec-collection.js';

const exec = promisify(execFile);

/** The Lucene 8.7 jars every anchor compiles and runs against, in `dir` (Debian's liblucene8-java). */
export const luceneJars = (dir = '/usr/share/java'): string[] =>
  ['core', 'analyzers-common', 'queries', 'queryparser'].map((j) => join(dir, `lucene-${j}-8.7.0.jar`));
const JARS = luceneJars();
const ANCHORS = resolve('../shared/anchors');

/** A run as the anchors print it, one `query Q0 doc rank score tag` line per hit: query → documents, best first. */
export function parseRun(text: string): Map<string, string[]> {
  const runs = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const [qid, , docid] = line.split(' ');
    if (qid && docid) runs.set(qid, [...(runs.get(qid) ?? []), docid]);
  }
  return runs;
}

/**
 * Compiles the anchor program `source` (a .java file of ../shared/anchors) into `dir` against `jars`,
 * runs its class with `args`, and reads the run it prints.
 */
export async function runAnchor(
  source: string,
  dir: string,
  args: string[],
  jars: string[] = JARS,
): Promise<Map<string, string[]>> {
  const cp = jars.join(':');
  await exec('javac', ['-d', dir, '-cp', cp, source]);
  const className = basename(source, '.java');
  const { stdout } = await exec('java', ['-cp', `${dir}:${cp}`, className, ...args], {
    maxBuffer: 256 * 1024 * 1024,
  });
  return parseRun(stdout);
}

/**
 * Lucene's BM25 ranking of the collection's queries (the anchor `LuceneBm25.java` in ../shared/anchors:
 * EnglishAnalyzer, title and text as one field, top 100), run on this machine in the same run:
 * query id → document ids, best first. Null when Java or the jars are missing (the eval says so).
 */
export async function luceneRuns(collection: Collection): Promise<Map<string, string[]> | null> {
  const source = join(ANCHORS, 'LuceneBm25.java');
  if (!existsSync(source) || JARS.some((j) => !existsSync(j))) return null;
  const dir = await mkdtemp(join(tmpdir(), 'lucene-anchor-'));
  try {
    const clean = (s: string) => s.replace(/[\t\r\n]+/g, ' ');
    await writeFile(
      join(dir, 'docs.tsv'),
      collection.documents.map((d) => `${d.id}\t${clean(d.title)}\t${clean(d.text)}`).join('\n') + '\n',
    );
    // As the eval sends them: at most 4,000 characters.
    await writeFile(
      join(dir, 'queries.tsv'),
      collection.queries.map((q) => `${q.id}\t${clean(q.text.slice(0, 4000))}`).join('\n') + '\n',
    );
    return await runAnchor(source, dir, [join(dir, 'docs.tsv'), join(dir, 'queries.tsv')]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** For tests and one-off checks: a run file's lines as the anchors write them. */
export async function readRunFile(path: string): Promise<Map<string, string[]>> {
  return parseRun(await readFile(path, 'utf8'));
}
