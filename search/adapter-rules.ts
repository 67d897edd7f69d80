import type { ParsedQuery, SearchFilters, SearchQuery, SearchSort } from './search-index.js';

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

/** A query with words or exclusions ranks; one without browses. */
export function ranks(query: ParsedQuery): boolean {
  return query.text.trim() !== '' || query.exclusions.length > 0;
}

/** The order asked for, else relevance for a ranking query and newest first for browsing. */
export function sortOf(request: Pick<SearchQuery, 'query' | 'sort'>): SearchSort {
  return request.sort ?? (ranks(request.query) ? 'relevance' : 'createdAt');
}

/** Lower-cased, accents folded, whitespace collapsed: how suggestion prefixes compare. */
export function normalizeSuggestion(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
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
