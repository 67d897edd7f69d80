import { ASSET_STATUSES, ASSET_TYPES, type AssetStatus, type AssetType } from '../domain/asset.js';
import { QueryLimitError } from '../domain/errors.js';
import { QUERY_LIMITS } from '../domain/query-limits.js';
import { QUERY_NOTES_MAX, type QuerySyntax } from '../domain/query-syntax.js';
import { joinedForm } from './adapter-rules.js';
import type { ParsedQuery, QueryNote, SearchFilters } from './search-index.js';

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

/**
 * Words outside the operators from which a query reads as prose (a sentence, a question, a pasted
 * paragraph) rather than what people type into a search box, where queries are a few words long:
 * there, quotation marks are the writer's ("the so-called "virtual" system"), not required phrases.
 */
export const PROSE_MIN_WORDS = 10;

/** The filter a field:value sets, or why the value is none of the field's. */
function addFilter(filters: SearchFilters, field: FieldName, value: string): string | null {
  switch (field) {
    case 'type': {
      const v = value.toUpperCase();
      if (!(ASSET_TYPES as readonly string[]).includes(v)) return `one of ${ASSET_TYPES.join(', ')}`;
      (filters.type ??= []).push(v as AssetType);
      return null;
    }
    case 'status': {
      const v = value.toUpperCase();
      if (!(ASSET_STATUSES as readonly string[]).includes(v)) return `one of ${ASSET_STATUSES.join(', ')}`;
      (filters.status ??= []).push(v as AssetStatus);
      return null;
    }
    case 'source':
    case 'tag':
    case 'topic':
    case 'speaker':
    case 'brand':
      (filters[FIELDS[field]] ??= []).push(value);
      return null;
  }
}

const { maxLength, maxClauses, maxOperators } = QUERY_LIMITS;
const tooManyClauses = () => new QueryLimitError(`query has more than ${maxClauses} terms`, 'maxClauses');

/** Where a closing quote may stand: before whitespace, the end, or punctuation that ends a word. */
const CLOSES = /^(?:$|[\s.,;:!?)\]}'’”])/u;
/** A minus excludes only a word or phrase that starts right after it (a letter, a digit-led word is a number). */
const EXCLUDES = /^-(?:\p{L}|")/u;
/** `name:` at a word's start. */
const FIELD_PREFIX = /^([a-z]+):/i;

type Token =
  | { kind: 'word'; text: string }
  | { kind: 'phrase'; text: string; minus: boolean; raw: string }
  | { kind: 'exclusion'; text: string }
  | { kind: 'field'; name: string; value: string; raw: string; quoted: boolean }
  | { kind: 'skip' };

/**
 * Splits the text into tokens the way Elasticsearch's `simple_query_string` reads it: operators
 * where they are well-formed (a phrase with both its quotes, a minus at a word's start, name:value),
 * words everywhere else. Never fails; what it read other than as written is noted.
 */
function tokenize(raw: string, note: (n: QueryNote) => void): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  /** The quoted text from the quote at `at` to its well-formed closing quote, or null. */
  const quoted = (at: number): { text: string; end: number } | null => {
    const close = raw.indexOf('"', at + 1);
    if (close < 0 || !CLOSES.test(raw.slice(close + 1, close + 2))) return null;
    return { text: raw.slice(at + 1, close), end: close + 1 };
  };
  /** The word from `at` to the next whitespace. */
  const word = (at: number): { text: string; end: number } => {
    const m = /^\S+/u.exec(raw.slice(at));
    return { text: m?.[0] ?? '', end: at + (m?.[0].length ?? 1) };
  };
  const unclosed = (text: string) =>
    note({
      code: 'unclosed-quote',
      text,
      message: `the quote in ${text} has no closing quote; its words were searched as words`,
    });
  while (i < raw.length) {
    if (/\s/u.test(raw[i]!)) {
      i++;
      continue;
    }
    const rest = raw.slice(i);
    if (rest.startsWith('"') || (EXCLUDES.test(rest) && rest[1] === '"')) {
      const minus = rest.startsWith('-');
      const start = minus ? i + 1 : i;
      const q = quoted(start);
      if (q) {
        tokens.push({ kind: 'phrase', text: q.text.trim(), minus, raw: raw.slice(i, q.end) });
        i = q.end;
        continue;
      }
      const w = word(i);
      unclosed(w.text);
      tokens.push({ kind: 'word', text: w.text });
      i = w.end;
      continue;
    }
    if (rest.startsWith('-')) {
      const w = word(i);
      if (EXCLUDES.test(rest)) tokens.push({ kind: 'exclusion', text: w.text.slice(1) });
      else {
        // A dash between words, a negative number, "--": punctuation, as written.
        if (!/^-[\p{N}\p{P}\p{S}]*\p{N}/u.test(w.text))
          note({
            code: 'literal-minus',
            text: w.text,
            message: `${w.text} does not exclude anything (a minus right before a word does, as in -word); read as written`,
          });
        tokens.push(w.text === '-' ? { kind: 'skip' } : { kind: 'word', text: w.text });
      }
      i = w.end;
      continue;
    }
    const f = FIELD_PREFIX.exec(rest);
    if (f) {
      const name = f[1]!;
      const at = i + f[0].length;
      const w = word(i);
      if (raw[at] === '"') {
        const q = quoted(at);
        if (q) {
          tokens.push({ kind: 'field', name, value: q.text, raw: raw.slice(i, q.end), quoted: true });
          i = q.end;
          continue;
        }
        unclosed(w.text);
        tokens.push({ kind: 'word', text: w.text });
        i = w.end;
        continue;
      }
      tokens.push({ kind: 'field', name, value: w.text.slice(f[0].length), raw: w.text, quoted: false });
      i = w.end;
      continue;
    }
    const w = word(i);
    tokens.push({ kind: 'word', text: w.text });
    i = w.end;
  }
  return tokens;
}

function joinedForms(words: string[]): string[] {
  const out = new Set<string>();
  for (const text of words)
    for (const w of text.split(/\s+/)) {
      const j = joinedForm(w);
      if (j) out.add(j);
    }
  return [...out];
}

/**
 * The lenient default, as Elasticsearch's `simple_query_string` reads a query: plain words,
 * "quoted phrases" (with both quotes), -exclusions (-word or -"a phrase", the minus at a word's
 * start) and field:value filters (type, source, status, tag, topic, speaker, brand; quote values
 * with spaces) where they are well-formed; everything else is words, never an error. A query of
 * prose (`PROSE_MIN_WORDS` words or more besides the operators) reads its quotation marks as
 * punctuation. Each reading other than as written is in `notes`. With the `plain` syntax, all of it
 * is words. A hyphenated word is also searched joined (`joinedWords`). Surrounding whitespace is not
 * part of the query. A query past one of the hard limits of `QUERY_LIMITS` (length, clauses,
 * operators) throws a QueryLimitError naming it.
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
    return withJoined({ text: words.join(' '), phrases: [], exclusions: [], filters: {} });
  }
  const notes: QueryNote[] = [];
  /** The first `QUERY_NOTES_MAX` notes, each said once. */
  const note = (n: QueryNote) => {
    if (notes.length < QUERY_NOTES_MAX && !notes.some((x) => x.code === n.code && x.text === n.text))
      notes.push(n);
  };
  const tokens = tokenize(raw, note);
  if (tokens.length > maxClauses) throw tooManyClauses();
  const words: string[] = [];
  const phrases: string[] = [];
  const exclusions: string[] = [];
  const filters: SearchFilters = {};
  /** Names that are no field, lower-cased, each with its first spelling. */
  const unknownFields = new Map<string, string>();
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
  const prose =
    tokens.filter((t) => t.kind === 'word' || (t.kind === 'field' && !isField(t.name.toLowerCase())))
      .length >= PROSE_MIN_WORDS;
  const proseQuotes: string[] = [];
  for (const t of tokens) {
    switch (t.kind) {
      case 'skip':
        break;
      case 'word':
        words.push(t.text);
        break;
      case 'exclusion':
        operator();
        exclusions.push(t.text);
        break;
      case 'phrase': {
        if (!t.text) break;
        if (prose && !t.minus) {
          proseQuotes.push(t.raw);
          words.push(t.text);
          break;
        }
        operator();
        if (t.minus) exclusions.push(t.text);
        else {
          phrases.push(t.text);
          words.push(t.text);
        }
        break;
      }
      case 'field': {
        const name = t.name.toLowerCase();
        // Only the filter fields are syntax; anything else with a colon (a URL, "note:") is words.
        if (!isField(name)) {
          words.push(t.raw);
          // Said back to the caller (a typo of a field, most likely), unless it reads as a link.
          if (t.value.trim() && !URL_SCHEMES.has(name) && !(!t.quoted && t.value.startsWith('/')))
            if (!unknownFields.has(name)) unknownFields.set(name, t.name);
          break;
        }
        const value = t.value.trim();
        if (!value) {
          words.push(t.raw);
          note({
            code: 'empty-field-value',
            text: t.raw,
            message: `${t.raw} has no value right after the colon; searched as words`,
          });
          break;
        }
        operator();
        const refused = addFilter(filters, name, value);
        if (refused) {
          operators--;
          words.push(t.raw);
          note({
            code: 'invalid-field-value',
            text: t.raw,
            message: `${name}:${value} is not ${refused}; searched as words`,
          });
        }
        break;
      }
    }
  }
  if (proseQuotes.length)
    note({
      code: 'prose-quotes',
      text: proseQuotes.join(' '),
      message: `the query reads as prose (${PROSE_MIN_WORDS} words or more), so its quoted words were searched as words, not as required phrases`,
    });
  for (const [name, written] of unknownFields)
    note({
      code: 'unknown-field',
      text: `${written}:`,
      message: `${name}: is not a field; searched as words. Fields: ${QUERY_FIELDS.join(', ')}.`,
    });
  return withJoined({
    text: words.join(' '),
    phrases,
    exclusions,
    filters,
    ...(unknownFields.size ? { unknownFields: [...unknownFields.keys()] } : {}),
    ...(notes.length ? { notes } : {}),
  });
}

function withJoined(query: ParsedQuery): ParsedQuery {
  const joined = joinedForms([query.text]);
  return joined.length ? { ...query, joinedWords: joined } : query;
}
