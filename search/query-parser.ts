import { ASSET_STATUSES, ASSET_TYPES, type AssetStatus, type AssetType } from '../domain/asset.js';
import { ValidationError } from '../domain/errors.js';
import type { QuerySyntax } from '../domain/query-syntax.js';
import type { ParsedQuery, SearchFilters } from './search-index.js';

const MAX_QUERY_LENGTH = 4_000;
const MAX_CLAUSES = 512;

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

const tooManyClauses = () => new ValidationError(`query has more than ${MAX_CLAUSES} terms`, { field: 'q' });

/**
 * Plain words, "quoted phrases", -exclusions (-word or -"a phrase") and field:value filters
 * (type, source, status, tag, topic, speaker, brand; quote values with spaces). Bad syntax throws a
 * ValidationError naming the problem, so the API answers 400 rather than guessing. With the `plain`
 * syntax, all of it is words. Surrounding whitespace is not part of the query.
 */
export function parseQuery(text: string, syntax: QuerySyntax = 'query'): ParsedQuery {
  const raw = text.trim();
  if (raw.length > MAX_QUERY_LENGTH) {
    throw new ValidationError(`query is longer than ${MAX_QUERY_LENGTH} characters`, { field: 'q' });
  }
  if (syntax === 'plain') {
    const words = raw.split(/\s+/).filter(Boolean);
    if (words.length > MAX_CLAUSES) throw tooManyClauses();
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
  let clauses = 0;
  // Groups: 1 field, 2 quoted value, 3 bare value | 4 minus, 5 phrase | 6 token.
  for (const m of raw.matchAll(/([a-z]+):(?:"([^"]*)"|(\S+))|(-?)"([^"]*)"|(\S+)/gi)) {
    if (++clauses > MAX_CLAUSES) throw tooManyClauses();
    const [whole, field, quotedValue, bareValue, minus, phrase, token] = m;
    if (field !== undefined) {
      const name = field.toLowerCase();
      const value = (quotedValue ?? bareValue ?? '').trim();
      // Only the filter fields are syntax; anything else with a colon (a URL, "note:") is words.
      if (!isField(name)) {
        words.push(whole);
        continue;
      }
      if (!value) throw new ValidationError(`${name}: needs a value`, { field: 'q' });
      addFilter(filters, name, value);
      continue;
    }
    if (phrase !== undefined) {
      const p = phrase.trim();
      if (!p) continue;
      if (minus) exclusions.push(p);
      else {
        phrases.push(p);
        words.push(p);
      }
      continue;
    }
    if (token === undefined || token === '-') continue;
    if (token.startsWith('-')) exclusions.push(token.slice(1));
    else words.push(token);
  }
  return { text: words.join(' '), phrases, exclusions, filters };
}
