import type { ParsedQuery, SearchFilters, SearchQuery, SearchSort } from './search-index.js';

/*
 * What every adapter reads the same way, so that the backends cannot drift apart: which filters a
 * search applies, whether it ranks, its order, and how suggestion prefixes compare.
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
