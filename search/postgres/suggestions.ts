import { run, type Sql } from '../../store/database.js';
import {
  nameTails,
  normalizeSuggestion,
  oneSuggestionPerName,
  suggestionPrefixes,
  suggestsItsNames,
} from '../adapter-rules.js';
import type { SearchDocument, Suggestion } from '../search-index.js';
import { SQL } from './statements.js';

/*
 * Suggestions on Postgres: a table of values (titles, tags, speakers, topics) with the number of
 * assets carrying each, moved by every write, and read by prefix.
 */

export type SuggestionFields = Pick<SearchDocument, 'title' | 'tags' | 'speakers' | 'topics' | 'status'>;
type SuggestionDelta = Suggestion & { delta: number };
/** How a batch moves the suggestion counts, keyed by kind and normalized value. */
export type SuggestionDeltas = Map<string, SuggestionDelta>;

/** At most this many characters of a value are kept and compared. */
const MAX_LENGTH = 200;

function suggestionsOf(d: SuggestionFields): Suggestion[] {
  // An archived asset suggests nothing: suggestions name no status (docs/lifecycle.md).
  if (!suggestsItsNames(d)) return [];
  const out = new Map<string, Suggestion>();
  const add = (kind: Suggestion['kind'], value: string) => {
    const normalized = normalizeSuggestion(value).slice(0, MAX_LENGTH);
    if (normalized)
      out.set(`${kind}\u0000${normalized}`, { kind, value: value.trim().slice(0, MAX_LENGTH), normalized });
  };
  add('title', d.title);
  for (const t of d.tags) add('tag', t);
  for (const s of d.speakers) add('speaker', s);
  for (const t of d.topics) add('topic', t);
  return [...out.values()];
}

/** Adds `sign` per suggestion of a document to the running deltas of a batch. */
export function countSuggestions(into: SuggestionDeltas, doc: SuggestionFields, sign: 1 | -1): void {
  for (const x of suggestionsOf(doc)) {
    const key = `${x.kind}\u0000${x.normalized}`;
    const seen = into.get(key);
    if (seen) seen.delta += sign;
    else into.set(key, { ...x, delta: sign });
  }
}

/** Moves suggestion counts by the summed differences of a batch, in key order (one lock order). */
export async function applySuggestions(tx: Sql, tenantId: string, deltas: SuggestionDeltas): Promise<void> {
  const sorted = [...deltas.entries()]
    .filter(([, d]) => d.delta !== 0)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, d]) => d);
  const gained = sorted.filter((d) => d.delta > 0);
  const lost = sorted.filter((d) => d.delta < 0);
  if (gained.length > 0) {
    await run(tx, SQL.addSuggestions, { tenantId, suggestions: JSON.stringify(gained) });
    const words = gained.flatMap((d) =>
      d.kind === 'title'
        ? []
        : nameTails(d.normalized).map((tail) => ({ kind: d.kind, tail, normalized: d.normalized })),
    );
    if (words.length > 0) await run(tx, SQL.addSuggestionWords, { tenantId, words: JSON.stringify(words) });
  }
  if (lost.length > 0) await run(tx, SQL.lowerSuggestions, { tenantId, suggestions: JSON.stringify(lost) });
}

/** Suggests tags, speakers and topics as spelled in `names` from now on. */
export async function respellSuggestions(
  tx: Sql,
  tenantId: string,
  names: { kind: Suggestion['kind']; name: string }[],
): Promise<void> {
  const rows = names.map((n) => {
    const value = n.name.trim().slice(0, MAX_LENGTH);
    return { kind: n.kind, value, normalized: normalizeSuggestion(value).slice(0, MAX_LENGTH) };
  });
  if (rows.length > 0) await run(tx, SQL.respellSuggestions, { tenantId, names: JSON.stringify(rows) });
}

/**
 * The least string above every string that starts with `prefix`, in code point order (which is
 * collation "C"'s byte order in UTF-8): the last code point incremented, past the surrogates.
 */
export function prefixUpperBound(prefix: string): string | null {
  const points = [...prefix];
  while (points.length > 0) {
    const last = points.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) {
      const next = last + 1 === 0xd800 ? 0xe000 : last + 1;
      return points.join('') + String.fromCodePoint(next);
    }
  }
  // Only U+10FFFF code points: no string is above them all, so no upper bound.
  return null;
}

const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
type Row = {
  kind: Suggestion['kind'];
  value: string;
  normalized: string;
  assets: number;
  asset_id?: string | null;
};
const byCount = (a: Row, b: Row) =>
  b.assets - a.assets || a.normalized.length - b.normalized.length || byBytes(a.normalized, b.normalized);

/**
 * Tags, speakers and topics with a word starting with the prefix first, most carried first, one per
 * name (a person is a speaker before a tag); then titles starting with it, alphabetically, with
 * their asset. A prefix typed with an honorific ("Sir Ken") also looks up the name without it.
 * Titles are nearly all carried by one asset each, and reading them in index order keeps a short
 * prefix cheap.
 */
export async function suggest(
  sql: Sql,
  tenantId: string,
  prefix: string,
  limit: number,
): Promise<Suggestion[]> {
  const ranges = suggestionPrefixes(prefix).map((normalized) => ({
    tenantId,
    pattern: `${normalized.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
    lower: normalized,
    upper: prefixUpperBound(normalized),
  }));
  const distinct = (rows: Row[]) => [
    ...new Map(rows.map((r) => [`${r.kind}\u0000${r.normalized}`, r])).values(),
  ];
  const entities: Row[] = [];
  // More than asked for: a name listed under two kinds is listed once.
  for (const range of ranges)
    entities.push(...(await run<Row>(sql, SQL.suggestEntities, { ...range, limit: limit * 2 })));
  const named = oneSuggestionPerName(distinct(entities).sort(byCount)).slice(0, limit);
  const titles: Row[] = [];
  for (const range of named.length < limit ? ranges : [])
    titles.push(...(await run<Row>(sql, SQL.suggestTitles, { ...range, limit: limit - named.length })));
  // Both lookups' titles in one byte order, as each statement reads them.
  const titled = distinct(titles)
    .sort((a, b) => byBytes(a.normalized, b.normalized))
    .slice(0, limit - named.length);
  return [...named, ...titled].map((r) => ({
    kind: r.kind,
    value: r.value,
    normalized: r.normalized,
    assets: r.assets,
    ...(r.asset_id ? { assetId: r.asset_id } : {}),
  }));
}
