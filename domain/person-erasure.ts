import type { Asset, Enrichment } from './asset.js';
import { normalizeEntityName } from './entities.js';

/** What replaces the person's name in text, and stands for it where a value may not be empty. */
export const ERASED = '[erased]';

/** Bounds of a name to erase: one word at least, and short enough to be a person's name. */
export const ERASURE_NAME_LIMITS = { minLength: 2, maxLength: 200, maxWords: 10 } as const;

/**
 * How a person's name is recognised (docs/lifecycle.md, "Erasure"):
 *  - in text (titles, descriptions, transcripts, link notes, any other string): the exact name,
 *    case-insensitive, as whole words; its words may be separated by up to three spaces or
 *    punctuation marks ("Ken Robinson", "KEN ROBINSON:", "Ken-Robinson"). Each occurrence becomes
 *    `[erased]`.
 *  - as a value of its own (a speaker, contributor, tag, topic, keyword, brand): the value's entity
 *    identity (domain/entities.ts: case, accents and punctuation ignored) holds the name's words in
 *    a row ("Sir Ken Robinson" is the person too), or is made of the name's words only (a keyword
 *    "robinson" that enrichment took from "Ken Robinson"). The value is dropped, as the person was
 *    never named there; a moment's speaker becomes null. Only the assets that name the person are
 *    rewritten, so another asset's keyword "robinson" stays.
 */
export interface PersonMatcher {
  /** The name's entity identity: what graph entities and suggestions are matched by. */
  readonly key: string;
  /** Whether a name-like value (speaker, tag, entity name) is the person. */
  isPerson(value: string): boolean;
  /** Whether a list value is the person, or made of the name's words only (a keyword "quill"). */
  isPersonOrPart(value: string): boolean;
  /** The text with every occurrence of the name replaced by `[erased]`. */
  eraseText(text: string): string;
  /** Whether the text holds the name. */
  mentions(text: string): boolean;
  /**
   * A POSIX regular expression (Postgres `~`) that every text the matcher finds also matches: a
   * case-insensitive pre-filter that does not depend on the database's locale (each letter as a
   * class of its cases). Assets are then judged here.
   */
  readonly sqlPattern: string;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/**
 * A character's base as entity identity sees it (domain/entities.ts: compatibility decomposition,
 * marks dropped, lower case), folded once more through upper case so that the forms a
 * case-insensitive match treats as one ("ς" and "σ", "ſ" and "s") share a base. Null when the base
 * is not a single character.
 */
function baseOf(ch: string): string | null {
  const lower = ch.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  if ([...lower].length !== 1) return null;
  const folded = lower.toUpperCase().toLowerCase();
  return [...folded].length === 1 ? folded : lower;
}

/** Code points as bracket-class content: ranges of consecutive ones, special characters escaped. */
function bracketContent(codePoints: number[]): string {
  const sorted = [...new Set(codePoints)].sort((a, b) => a - b);
  const esc = (cp: number) => {
    const c = String.fromCodePoint(cp);
    return /[\]\\^\-[]/.test(c) ? `\\${c}` : c;
  };
  let out = '';
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    out +=
      j > i + 1
        ? `${esc(sorted[i]!)}-${esc(sorted[j]!)}`
        : sorted
            .slice(i, j + 1)
            .map(esc)
            .join('');
    i = j + 1;
  }
  return out;
}

/** Built once: every character of planes 0 and 1 by its base. */
let baseTable: Map<string, number[]> | null = null;
function bases(): Map<string, number[]> {
  if (baseTable) return baseTable;
  const byBase = new Map<string, number[]>();
  for (let cp = 0; cp <= 0x1ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const base = baseOf(String.fromCodePoint(cp));
    if (base === null || !/[\p{L}\p{N}]/u.test(base)) continue;
    const list = byBase.get(base);
    if (list) list.push(cp);
    else byBase.set(base, [cp]);
  }
  baseTable = byBase;
  return byBase;
}

/**
 * A letter or digit as a bracket class of every character entity identity takes for it (its cases,
 * its accented and compatibility forms: "a" is also "Á", "å", "ａ"), followed by any characters
 * that are not letters or digits (the combining marks of a decomposed "á", which entity identity
 * drops): a POSIX regex that ignores case and accents in any locale.
 */
function posixLetter(ch: string): string {
  const base = baseOf(ch);
  const forms = [
    ...(base === null ? [] : (bases().get(base) ?? [])),
    ...[ch, ch.toLowerCase(), ch.toUpperCase()]
      .filter((v) => [...v].length === 1)
      .map((v) => v.codePointAt(0)!),
  ];
  return `[${bracketContent(forms)}][^[:alnum:]]*`;
}

/**
 * What may stand between two words of the name in a column's text: any run of characters that are
 * not letters or digits, and the escapes JSON text writes for them (`\n` in a jsonb column's text,
 * whose `n` is a letter).
 */
const SQL_SEPARATOR = '([^[:alnum:]]|\\\\[bfnrt]|\\\\u[0-9A-Fa-f]{4})+';

/** The words of a name: runs of letters and digits. */
export function nameWords(name: string): string[] {
  return name
    .trim()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

export function personMatcher(name: string): PersonMatcher {
  const words = nameWords(name);
  const key = normalizeEntityName(name);
  if (words.length === 0 || key === '') throw new Error('a name to erase has at least one letter or digit');
  const sep = '[^\\p{L}\\p{N}]{1,3}';
  const body = words.map(escapeRegExp).join(sep);
  const whole = new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, 'giu');
  const padded = ` ${key} `;
  const keyWords = new Set(key.split(' '));
  const isPerson = (value: string) => ` ${normalizeEntityName(value)} `.includes(padded);
  // From the name's words (what `mentions` finds in text) and from its entity identity's words
  // (what `isPerson` finds, accents and any punctuation ignored): a superset, the matcher decides.
  const patternOf = (ws: string[]) => ws.map((w) => [...w].map(posixLetter).join('')).join(SQL_SEPARATOR);
  const sqlPatterns = [...new Set([patternOf(words), patternOf(key.split(' '))])];
  const sqlPattern = sqlPatterns.length === 1 ? sqlPatterns[0]! : sqlPatterns.map((p) => `(${p})`).join('|');
  return {
    key,
    isPerson,
    isPersonOrPart: (value) => {
      if (isPerson(value)) return true;
      const words = normalizeEntityName(value)
        .split(' ')
        .filter((w) => w.length > 0);
      return words.length > 0 && words.every((w) => keyWords.has(w));
    },
    eraseText: (text) => text.replace(whole, ERASED),
    mentions: (text) => {
      whole.lastIndex = 0;
      const found = whole.test(text);
      whole.lastIndex = 0;
      return found;
    },
    sqlPattern,
  };
}

const NAMED_KEYS = ['name', 'term'] as const;

/**
 * Any JSON value with the person taken out: list items that are the person (a string, or an object
 * whose `name` or `term` is) dropped, a `speaker` that is the person set to null, the name erased
 * from every other string. Pure; what it is given is not changed.
 */
export function eraseDeep(value: unknown, m: PersonMatcher): unknown {
  if (typeof value === 'string') return m.eraseText(value);
  if (Array.isArray(value)) {
    return value
      .filter((item) => {
        if (typeof item === 'string') return !m.isPersonOrPart(item);
        if (item && typeof item === 'object') {
          const o = item as Record<string, unknown>;
          return !NAMED_KEYS.some((k) => typeof o[k] === 'string' && m.isPersonOrPart(o[k]));
        }
        return true;
      })
      .map((item) => eraseDeep(item, m));
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[k] = k === 'speaker' && typeof v === 'string' && m.isPerson(v) ? null : eraseDeep(v, m);
    }
    return out;
  }
  return value;
}

/** The fields of an asset (and of a version snapshot) that can name a person. */
export const ERASABLE_FIELDS = [
  'title',
  'description',
  'transcript',
  'tags',
  'speakers',
  'contributors',
  'operationalTags',
  'links',
  'enrichment',
] as const;
export type ErasableField = (typeof ERASABLE_FIELDS)[number];
export type ErasableFields = Pick<Asset, ErasableField>;

/**
 * A snapshot (or an asset's erasable fields) with the person taken out, and the fields that changed.
 * Identity, provenance, technical metadata and status are kept as they are; a title that was only
 * the name becomes `[erased]`, never empty.
 */
export function eraseFromRecord<T extends Record<string, unknown>>(
  record: T,
  m: PersonMatcher,
): { record: T; changed: ErasableField[] } {
  const out: Record<string, unknown> = { ...record };
  const changed: ErasableField[] = [];
  for (const field of ERASABLE_FIELDS) {
    if (!(field in record)) continue;
    const before = record[field];
    const after = eraseDeep(before, m);
    if (JSON.stringify(after) !== JSON.stringify(before)) {
      out[field] = field === 'title' && typeof after === 'string' && after.trim() === '' ? ERASED : after;
      changed.push(field);
    }
  }
  return { record: out as T, changed };
}

/** The asset's erasable fields with the person taken out; null when it does not name the person. */
export function eraseFromAsset(
  asset: Asset,
  m: PersonMatcher,
): { fields: ErasableFields; changed: ErasableField[]; momentsChanged: number } | null {
  const current: ErasableFields = {
    title: asset.title,
    description: asset.description,
    transcript: asset.transcript,
    tags: asset.tags,
    speakers: asset.speakers,
    contributors: asset.contributors,
    operationalTags: asset.operationalTags,
    links: asset.links,
    enrichment: asset.enrichment,
  };
  const { record, changed } = eraseFromRecord(current as unknown as Record<string, unknown>, m);
  if (changed.length === 0) return null;
  const fields = record as unknown as ErasableFields;
  return { fields, changed, momentsChanged: momentsChanged(asset.enrichment, fields.enrichment) };
}

/** How many of the moments changed (a speaker set to null, a keyword dropped or erased). */
function momentsChanged(before: Enrichment | null, after: Enrichment | null): number {
  const a = before?.moments ?? [];
  const b = after?.moments ?? [];
  let n = 0;
  for (let i = 0; i < a.length; i++) if (JSON.stringify(a[i]) !== JSON.stringify(b[i])) n++;
  return n;
}
