import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A test collection in the classic SMART format (.ALL documents, .QRY queries, .REL judgments), e.g. CISI. */
export interface Collection {
  documents: { id: string; title: string; authors: string[]; text: string }[];
  /** `text`: .T and .W; `body`: .W alone (what the Lucene anchor sends, as prep_cisi.py does). */
  queries: { id: string; text: string; body: string }[];
  /** query id → relevant document ids */
  relevant: Map<string, Set<string>>;
}

/** Splits ".I n" records into their dot-fields (.T, .A, .W, .X, ...). */
function records(text: string): { id: string; fields: Map<string, string[]> }[] {
  const out: { id: string; fields: Map<string, string[]> }[] = [];
  let current: { id: string; fields: Map<string, string[]> } | null = null;
  let field = '';
  for (const line of text.split(/\r?\n/)) {
    const marker = /^\.([A-Z])\s*(.*)$/.exec(line);
    if (marker) {
      if (marker[1] === 'I') {
        current = { id: marker[2]!.trim(), fields: new Map() };
        out.push(current);
        field = '';
      } else {
        field = marker[1]!;
        if (current && !current.fields.has(field)) current.fields.set(field, []);
        if (marker[2]?.trim()) current?.fields.get(field)!.push(marker[2].trim());
      }
      continue;
    }
    if (current && field) current.fields.get(field)!.push(line);
  }
  return out;
}

const joined = (lines: string[] | undefined) => (lines ?? []).join(' ').replace(/\s+/g, ' ').trim();

/** The three files of a collection in the SMART format. */
export interface CollectionFiles {
  /** The path the files share, without the extension (`../shared/datasets/cisi/CISI`). */
  prefix: string;
  all: string;
  qry: string;
  rel: string;
}

const EXTENSIONS = ['ALL', 'QRY', 'REL'] as const;

/**
 * The files of a collection given as a prefix (`dir/CISI`, whose `.ALL`, `.QRY` and `.REL` exist,
 * the extension in either case) or as a directory that holds exactly one such set. Null, with the
 * reason, when there is none.
 */
export function collectionFiles(pathOrPrefix: string): CollectionFiles | string {
  const at = (prefix: string): CollectionFiles | null => {
    const found = EXTENSIONS.map((ext) =>
      [`${prefix}.${ext}`, `${prefix}.${ext.toLowerCase()}`].find(
        (p) => existsSync(p) && statSync(p).isFile(),
      ),
    );
    if (found.some((f) => f === undefined)) return null;
    const [all, qry, rel] = found as [string, string, string];
    return { prefix, all, qry, rel };
  };
  const direct = at(pathOrPrefix);
  if (direct) return direct;
  if (existsSync(pathOrPrefix) && statSync(pathOrPrefix).isDirectory()) {
    const prefixes = [
      ...new Set(
        readdirSync(pathOrPrefix)
          .filter((f) => /\.all$/i.test(f))
          .map((f) => join(pathOrPrefix, f.slice(0, -4))),
      ),
    ]
      .map(at)
      .filter((c): c is CollectionFiles => c !== null);
    if (prefixes.length === 1) return prefixes[0]!;
    return prefixes.length === 0
      ? `${pathOrPrefix} holds no .ALL file with its .QRY and .REL beside it`
      : `${pathOrPrefix} holds ${prefixes.length} collections (${prefixes.map((c) => basename(c.prefix)).join(', ')}): pass one's prefix`;
  }
  const missing = EXTENSIONS.filter(
    (ext) => !existsSync(`${pathOrPrefix}.${ext}`) && !existsSync(`${pathOrPrefix}.${ext.toLowerCase()}`),
  ).map((ext) => `${basename(pathOrPrefix)}.${ext}`);
  return `no collection at ${pathOrPrefix}: ${missing.join(', ')} not found in ${dirname(pathOrPrefix)}`;
}

/** An id as the three files write it, zero-padded or not ("001" and "1" are one query). */
const idOf = (id: string) => (/^\d+$/.test(id) ? String(Number(id)) : id);

/**
 * The judgments of a .REL file: `query doc ...` as CISI and CRAN write them, or TREC's
 * `query 0 doc relevance` (as MED's qrels), told apart by a second column that is always 0 on four
 * columns. A TREC line of relevance 0 or less judges the document not relevant.
 */
function judgments(rel: string): Map<string, Set<string>> {
  const rows = rel
    .split(/\r?\n/)
    .map((line) => line.trim().split(/\s+/))
    .filter((r) => r.length >= 2 && r[0] !== '');
  const trec = rows.length > 0 && rows.every((r) => r.length === 4 && r[1] === '0');
  const relevant = new Map<string, Set<string>>();
  for (const r of rows) {
    if (trec && Number(r[3]) <= 0) continue;
    const [q, d] = trec ? [r[0]!, r[2]!] : [r[0]!, r[1]!];
    const key = idOf(q);
    if (!relevant.has(key)) relevant.set(key, new Set());
    relevant.get(key)!.add(idOf(d));
  }
  return relevant;
}

/** Reads a collection from its prefix or directory (`collectionFiles`). */
export async function readCollection(pathOrPrefix: string): Promise<Collection> {
  const files = collectionFiles(pathOrPrefix);
  if (typeof files === 'string') throw new Error(files);
  const [all, qry, rel] = await Promise.all([
    readFile(files.all, 'latin1'),
    readFile(files.qry, 'latin1'),
    readFile(files.rel, 'latin1'),
  ]);
  const documents = records(all).map((r) => ({
    id: idOf(r.id),
    title: joined(r.fields.get('T')) || `Document ${r.id}`,
    authors: (r.fields.get('A') ?? []).map((a) => a.trim()).filter(Boolean),
    text: joined(r.fields.get('W')),
  }));
  const queries = records(qry).map((r) => ({
    id: idOf(r.id),
    text: joined([...(r.fields.get('T') ?? []), ...(r.fields.get('W') ?? [])]),
    body: joined(r.fields.get('W')) || joined(r.fields.get('T')),
  }));
  return { documents, queries, relevant: judgments(rel) };
}

/** nDCG@k with binary relevance. */
export function ndcgAt(k: number, ranked: string[], relevant: Set<string>): number {
  let dcg = 0;
  ranked.slice(0, k).forEach((id, i) => {
    if (relevant.has(id)) dcg += 1 / Math.log2(i + 2);
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(k, relevant.size); i++) ideal += 1 / Math.log2(i + 2);
  return ideal === 0 ? 0 : dcg / ideal;
}

export function recallAt(k: number, ranked: string[], relevant: Set<string>): number {
  if (relevant.size === 0) return 0;
  return ranked.slice(0, k).filter((id) => relevant.has(id)).length / relevant.size;
}

/**
 * The related sets, as the anchors' prep_corel.py makes them: for each document relevant to a query
 * with at least 3 relevant documents, every other document relevant to one of those queries.
 */
export function relatedSets(collection: Collection): Map<string, Set<string>> {
  const related = new Map<string, Set<string>>();
  for (const docs of collection.relevant.values()) {
    if (docs.size < 3) continue;
    for (const a of docs) {
      const set = related.get(a) ?? new Set<string>();
      for (const b of docs) if (b !== a) set.add(b);
      related.set(a, set);
    }
  }
  return related;
}

/**
 * A small part of a collection for a quick run: the documents relevant to `queries` queries with at
 * least 3 relevant documents (those that make related sets), drawn with `random`, plus `distractors`
 * other documents drawn the same way; the judgments kept are those of the kept documents, so
 * `relatedSets` of the part follows the same rule as on the whole collection.
 */
export function subsetOf(
  collection: Collection,
  options: { queries: number; distractors: number; random: () => number },
): Collection {
  const shuffled = <T>(items: T[]): T[] => {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(options.random() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  };
  const eligible = [...collection.relevant]
    .filter(([, docs]) => docs.size >= 3)
    .sort(([a], [b]) => Number(a) - Number(b) || (a < b ? -1 : 1));
  const kept = new Set<string>();
  for (const [, docs] of shuffled(eligible).slice(0, options.queries)) for (const d of docs) kept.add(d);
  const others = collection.documents.filter((d) => !kept.has(d.id)).map((d) => d.id);
  for (const d of shuffled(others).slice(0, options.distractors)) kept.add(d);
  const relevant = new Map<string, Set<string>>();
  for (const [q, docs] of collection.relevant) {
    const own = new Set([...docs].filter((d) => kept.has(d)));
    if (own.size > 0) relevant.set(q, own);
  }
  return {
    documents: collection.documents.filter((d) => kept.has(d.id)),
    queries: collection.queries.filter((q) => relevant.has(q.id)),
    relevant,
  };
}
