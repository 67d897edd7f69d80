import { ASSET_STATUSES, ASSET_TYPES, type AssetStatus, type AssetType } from '../domain/asset.js';
import { QueryLimitError, ValidationError } from '../domain/errors.js';
import { QUERY_LIMITS } from '../domain/query-limits.js';
import type { QuerySyntax } from '../domain/query-syntax.js';
import type { ParsedQuery, SearchFilters } from './search-index.js';

/** field:value names in queries, and the filter each sets. */
const FIELDS = {
  type: 'type',
  source: 'sourceSystem',
  status: 'status',
  tag: 'tags',
  topic: 'topics',
  speaker: 'speakers',
  brand: 'brands',
} as const;
type FieldName = keyof typeof FIELDS;
/** The field names a query knows, for a caller to list. */
export const QUERY_FIELDS = Object.keys(FIELDS) as FieldName[];
/** URL schemes: `http://x` is a link pasted into a query, not a field someone meant. */
const URL_SCHEMES = new Set(['http', 'https', 'ftp', 'mailto', 'file', 'urn', 'data']);
const isField = (f: string): f is FieldName => Object.hasOwn(FIELDS, f);

function addFilter(filters: SearchFilters, field: FieldName, value: string): void {
  switch (field) {
    case 'type': {
      const v = value.toUpperCase();
      if (!(ASSET_TYPES as readonly string[]).includes(v)) {
        throw new ValidationError(`type:${value} is not one of ${ASSET_TYPES.join(', ')}`, { field: 'q' });
      }
      (filters.type ??= []).push(v as AssetType);
      return;
    }
    case 'status': {
      const v = value.toUpperCase();
      if (!(ASSET_STATUSES as readonly string[]).includes(v)) {
        throw new ValidationError(`status:${value} is not one of ${ASSET_STATUSES.join(', ')}`, {
          field: 'q',
        });
      }
      (filters.status ??= []).push(v as AssetStatus);
      return;
    }
    case 'source':
    case 'tag':
    case 'topic':
    case 'speaker':
    case 'brand':
      (filters[FIELDS[field]] ??= []).push(value);
  }
}

const { maxLength, maxClauses, maxOperators } = QUERY_LIMITS;
const tooManyClauses = () => new QueryLimitError(`query has more than ${maxClauses} terms`, 'maxClauses');

/**
 * Plain words, "quoted phrases", -exclusions (-word or -"a phrase") and field:value filters
 * (type, source, status, tag, topic, speaker, brand; quote values with spaces). Bad syntax throws a
 * ValidationError naming the problem, so the API answers 400 rather than guessing. With the `plain`
 * syntax, all of it is words. Surrounding whitespace is not part of the query. A query past one of the
 * hard limits of `QUERY_LIMITS` (length, clauses, operators) throws a QueryLimitError naming it.
 */
export function parseQuery(text: string, syntax: QuerySyntax = 'query'): ParsedQuery {
  const raw = text.trim();
  if (raw.length > maxLength) {
    throw new QueryLimitError(`query is longer than ${maxLength} characters`, 'maxLength');
  }
  if (syntax === 'plain') {
    const words = raw.split(/\s+/).filter(Boolean);
    if (words.length > maxClauses) throw tooManyClauses();
    // The analyzers drop the punctuation, so "quoted" and -minus words rank as words.
    return { text: words.join(' '), phrases: [], exclusions: [], filters: {} };
  }
  if ((raw.match(/"/g) ?? []).length % 2 === 1) {
    throw new ValidationError('query has an unclosed quote (")', { field: 'q' });
  }
  const words: string[] = [];
  const phrases: string[] = [];
  const exclusions: string[] = [];
  const filters: SearchFilters = {};
  const unknownFields = new Set<string>();
  let clauses = 0;
  let operators = 0;
  /** Counts a phrase, exclusion or filter the query keeps. */
  const operator = () => {
    if (++operators > maxOperators) {
      throw new QueryLimitError(
        `query has more than ${maxOperators} phrases, exclusions and filters`,
        'maxOperators',
      );
    }
  };
  // Groups: 1 field, 2 quoted value, 3 bare value | 4 minus, 5 phrase | 6 token.
  for (const m of raw.matchAll(/([a-z]+):(?:"([^"]*)"|(\S+))|(-?)"([^"]*)"|(\S+)/gi)) {
    if (++clauses > maxClauses) throw tooManyClauses();
    const [whole, field, quotedValue, bareValue, minus, phrase, token] = m;
    if (field !== undefined) {
      const name = field.toLowerCase();
      const value = (quotedValue ?? bareValue ?? '').trim();
      // Only the filter fields are syntax; anything else with a colon (a URL, "note:") is words.
      if (!isField(name)) {
        words.push(whole);
        // Said back to the caller (a typo of a field, most likely), unless it reads as a link.
        if (!URL_SCHEMES.has(name) && !(bareValue ?? '').startsWith('/')) unknownFields.add(name);
        continue;
      }
      if (!value) throw new ValidationError(`${name}: needs a value`, { field: 'q' });
      operator();
      addFilter(filters, name, value);
      continue;
    }
    if (phrase !== undefined) {
      const p = phrase.trim();
      if (!p) continue;
      operator();
      if (minus) exclusions.push(p);
      else {
        phrases.push(p);
        words.push(p);
      }
      continue;
    }
    if (token === undefined || token === '-') continue;
    if (token.startsWith('-')) {
      operator();
      exclusions.push(token.slice(1));
    } else words.push(token);
  }
  return {
    text: words.join(' '),
    phrases,
    exclusions,
    filters,
    ...(unknownFields.size ? { unknownFields: [...unknownFields] } : {}),
  };
}
