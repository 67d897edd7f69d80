import { withoutHonorifics } from '../domain/honorifics.js';
import {
  CLICK_BOOSTS,
  type ParsedQuery,
  type SearchFilters,
  type SearchQuery,
  type SearchSort,
  type Suggestion,
} from './search-index.js';

/*
 * What every adapter reads the same way, so that the backends cannot drift apart: which filters a
 * search applies, whether it ranks, its order, how suggestion prefixes compare, where in the media
 * a transcript match is, and how an explanation names the fields.
 */

const LIST_FILTERS = ['type', 'sourceSystem', 'status', 'tags', 'topics', 'speakers', 'brands'] as const;

/**
 * The request's filters and the query's field:value filters together; within a dimension, values
 * are alternatives.
 */
export function filtersOf(request: Pick<SearchQuery, 'query' | 'filters'>): SearchFilters {
  const given = request.filters ?? {};
  const merged: SearchFilters = { ...given };
  for (const key of LIST_FILTERS) {
    const values = [...(given[key] ?? []), ...(request.query.filters[key] ?? [])];
    if (values.length) (merged as Record<string, unknown>)[key] = values;
  }
  return merged;
}

/**
 * The joined form of a hyphenated word ("timesharing" for "time-sharing"), searched beside it:
 * the analyzers read "time-sharing" as "time sharing" (and Postgres also as the compound), and a
 * document may write it either way. None for a number range ("1990-1995").
 */
export function joinedForm(word: string): string | null {
  const w = word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
  if (!/^[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)+$/u.test(w) || !/\p{L}/u.test(w)) return null;
  return w.replace(/-/g, '').toLowerCase();
}

/**
 * The words a query ranks by: its words, each hyphenated one followed by its joined form
 * (`ParsedQuery.joinedWords`), so that "time-sharing" also finds "timesharing" on every backend.
 * Beside its word, a joined form is kept or cut with it where an adapter ranks the first words only.
 */
export function rankedWords(query: ParsedQuery): string {
  if (!query.joinedWords?.length) return query.text;
  const joined = new Set(query.joinedWords);
  const out: string[] = [];
  for (const word of query.text.split(/\s+/)) {
    out.push(word);
    const j = joinedForm(word);
    if (j && joined.delete(j)) out.push(j);
  }
  return out.join(' ');
}

/** A query with words or exclusions ranks; one without browses. */
export function ranks(query: ParsedQuery): boolean {
  return query.text.trim() !== '' || query.exclusions.length > 0;
}

/** The order asked for, else relevance for a ranking query and newest first for browsing. */
export function sortOf(request: Pick<SearchQuery, 'query' | 'sort'>): SearchSort {
  return request.sort ?? (ranks(request.query) ? 'relevance' : 'createdAt');
}

/**
 * The status of an archived document. It suggests nothing on either backend: suggestions take no
 * status filter, and an archived asset is hidden wherever none is asked for (docs/lifecycle.md).
 */
export const ARCHIVED = 'ARCHIVED';

/** Whether a document adds its names and title to the suggestions. */
export const suggestsItsNames = (doc: { status: string }): boolean => doc.status !== ARCHIVED;

/** Lower-cased, accents folded, whitespace collapsed: how suggestion prefixes compare. */
export function normalizeSuggestion(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * The normalized prefixes a typed prefix looks up: itself, and without the honorifics before a
 * name ("sir ken" also looks up "ken"), since a name is stored with or without its title.
 */
export function suggestionPrefixes(prefix: string): string[] {
  const normalized = normalizeSuggestion(prefix);
  if (!normalized) return [];
  const bare = withoutHonorifics(normalized.split(' ')).join(' ');
  return bare === normalized ? [normalized] : [normalized, bare];
}

/**
 * The rest of a tag, speaker or topic name from each of its later words ("ken robinson" →
 * "robinson"): a prefix of any word of a name finds it, not only a prefix of its first.
 */
export function nameTails(normalized: string): string[] {
  const words = normalized.split(' ');
  return words
    .slice(1)
    .map((_, i) => words.slice(i + 1).join(' '))
    .filter((t) => t.length > 0);
}

/**
 * Which of two suggestions of one name stands for it: a speaker (a person is a speaker before a
 * tag), else the one more assets carry (a tag on 259 assets before a topic on 34), else a topic.
 */
const stronger = (a: Suggestion, b: Suggestion): boolean =>
  a.kind === 'speaker' || b.kind === 'speaker'
    ? a.kind === 'speaker' && b.kind !== 'speaker'
    : (a.assets ?? 0) !== (b.assets ?? 0)
      ? (a.assets ?? 0) > (b.assets ?? 0)
      : a.kind === 'topic' && b.kind !== 'topic';

/**
 * Entity suggestions in the order given, one per name: a name that is a speaker and a tag (or a
 * tag and a topic) is listed once, as the stronger, compared without case, accents or honorifics.
 * Titles are assets, not names, and are kept as they are.
 */
export function oneSuggestionPerName<S extends Suggestion>(suggestions: S[]): S[] {
  const best = new Map<string, S>();
  const key = (s: S) => withoutHonorifics(s.normalized.split(' ')).join(' ');
  for (const s of suggestions) {
    if (s.kind === 'title') continue;
    const seen = best.get(key(s));
    if (!seen || stronger(s, seen)) best.set(key(s), s);
  }
  const seen = new Set<string>();
  return suggestions.filter((s) => {
    if (s.kind === 'title') return true;
    const k = key(s);
    if (best.get(k) !== s || seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const TIMESTAMP = /\[?\(?\b(?:(\d{1,2}):)?(\d{1,2}):(\d{2})(?:[.,]\d+)?\b\)?\]?/g;

/**
 * The start time (seconds) of the transcript moment holding the highlighted fragment: the last
 * timestamp before the first marked word. Null for untimed transcripts.
 */
export function momentOf(transcript: string, fragment: string): number | null {
  const marked = /<mark>(.*?)<\/mark>/.exec(fragment)?.[1];
  if (!marked) return null;
  const context = fragment.replace(/<\/?mark>/g, '');
  let at = transcript.indexOf(context);
  if (at < 0) at = transcript.toLowerCase().indexOf(marked.toLowerCase());
  if (at < 0) return null;
  const offset = at + Math.max(0, context.indexOf(marked));
  let start: number | null = null;
  for (const m of transcript.slice(0, offset + 1).matchAll(TIMESTAMP)) {
    start = Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]);
  }
  return start;
}

/**
 * The field groups an explanation names, in rank order (Postgres' tsvector weights A to D; the
 * Elasticsearch fields map onto them).
 */
export const FIELD_GROUPS = [
  'title/speakers',
  'tags/topics',
  'description/keywords/people',
  'transcript',
] as const;

/**
 * The click boosts a search applies: with sort=relevance only, each clamped to its bounds, zero
 * boosts and repeated assets dropped, at most `CLICK_BOOSTS.max` (the first given win).
 */
export function boundedClickBoosts(request: Pick<SearchQuery, 'clickBoosts' | 'sort'>): Map<string, number> {
  const out = new Map<string, number>();
  if ((request.sort ?? 'relevance') !== 'relevance') return out;
  for (const { assetId, boost } of request.clickBoosts ?? []) {
    if (out.size >= CLICK_BOOSTS.max) break;
    if (!Number.isFinite(boost) || out.has(assetId)) continue;
    const b = Math.min(CLICK_BOOSTS.maxBoost, Math.max(CLICK_BOOSTS.min, boost));
    if (b !== 0) out.set(assetId, b);
  }
  return out;
}
