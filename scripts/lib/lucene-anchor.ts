import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Collection } from './trec-collection.js';

const exec = promisify(execFile);

/** The Lucene 8.7 jars the anchors use (Debian's liblucene8-java), and the anchors' folder. */
const JARS = ['core', 'analyzers-common', 'queries', 'queryparser'].map(
  (j) => `/usr/share/java/lucene-${j}-8.7.0.jar`,
);
const ANCHORS = resolve('../shared/anchors');

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
    const cp = JARS.join(':');
    await exec('javac', ['-d', dir, '-cp', cp, source]);
    const { stdout } = await exec(
      'java',
      ['-cp', `${dir}:${cp}`, 'LuceneBm25', join(dir, 'docs.tsv'), join(dir, 'queries.tsv')],
      { maxBuffer: 256 * 1024 * 1024 },
    );
    const runs = new Map<string, string[]>();
    for (const line of stdout.split('\n')) {
      const [qid, , docid] = line.split(' ');
      if (!qid || !docid) continue;
      runs.set(qid, [...(runs.get(qid) ?? []), docid]);
    }
    return runs;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** For tests and one-off checks: a run file's lines as the anchors write them. */
export async function readRunFile(path: string): Promise<Map<string, string[]>> {
  const runs = new Map<string, string[]>();
  for (const line of (await readFile(path, 'utf8')).split('\n')) {
    const [qid, , docid] = line.split(' ');
    if (qid && docid) runs.set(qid, [...(runs.get(qid) ?? []), docid]);
  }
  return runs;
}
