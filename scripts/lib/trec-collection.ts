import { readFile } from 'node:fs/promises';

/** A test collection in the classic SMART format (.ALL documents, .QRY queries, .REL judgments), e.g. CISI. */
export interface Collection {
  documents: { id: string; title: string; authors: string[]; text: string }[];
  queries: { id: string; text: string }[];
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

export async function readCollection(prefix: string): Promise<Collection> {
  const [all, qry, rel] = await Promise.all([
    readFile(`${prefix}.ALL`, 'utf8'),
    readFile(`${prefix}.QRY`, 'utf8'),
    readFile(`${prefix}.REL`, 'utf8'),
  ]);
  const documents = records(all).map((r) => ({
    id: r.id,
    title: joined(r.fields.get('T')) || `Document ${r.id}`,
    authors: (r.fields.get('A') ?? []).map((a) => a.trim()).filter(Boolean),
    text: joined(r.fields.get('W')),
  }));
  const queries = records(qry).map((r) => ({
    id: r.id,
    text: joined([...(r.fields.get('T') ?? []), ...(r.fields.get('W') ?? [])]),
  }));
  const relevant = new Map<string, Set<string>>();
  for (const line of rel.split(/\r?\n/)) {
    const [q, d] = line.trim().split(/\s+/);
    if (!q || !d) continue;
    if (!relevant.has(q)) relevant.set(q, new Set());
    relevant.get(q)!.add(d);
  }
  return { documents, queries, relevant };
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
