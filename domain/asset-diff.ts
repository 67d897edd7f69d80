import { isDeepStrictEqual } from 'node:util';
import type { Tag } from './asset.js';
import { tagDetailsOf, type TagState } from './asset-tags.js';
import { normalizeEntityName } from './entities.js';
import { tagPhrases, type TagSeen } from './tag-phrases.js';

/** One item of a list that is on both sides but differs (a tag locked, a link's note changed). */
export interface ItemChange {
  old: unknown;
  new: unknown;
}

/** One field that differs between two states of an asset. */
export interface FieldChange {
  field: string;
  old: unknown;
  new: unknown;
  /** For lists: the items only the new state has. */
  added?: unknown[];
  /** For lists: the items only the old state had. */
  removed?: unknown[];
  /** For lists: the items on both sides (by name) that differ. */
  updated?: ItemChange[];
  /** The change in words: "added tag 'climate'; locked tag 'education'". */
  summary: string;
}

/**
 * The fields whose values differ between two asset snapshots, in field order. Nested objects
 * (enrichment, technical metadata) are compared one level down, so a diff names
 * `enrichment.tags` rather than the whole enrichment. A field missing on one side reads as null,
 * and null, an empty list, an empty string and an object of empty values are all "nothing", so
 * `overrides: null → {added: [], removed: []}` is no change. A list change names the items added,
 * removed and changed.
 */
export function diffSnapshots(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): FieldChange[] {
  return diffFields(before, after, '', false);
}

/**
 * A version's change in words, for the history and conflicts: tags as the curator sees them (the
 * effective tags: added, removed, locked, unlocked, confirmed), then every other field's change.
 * Empty when nothing differs.
 */
export function summarizeChange(before: Record<string, unknown>, after: Record<string, unknown>): string {
  const phrases = tagPhrases(tagsSeen(before), tagsSeen(after));
  const enriched = isPlainObject(before.enrichment) && isPlainObject(after.enrichment);
  const rest = diffFields(before, after, '', true).filter(
    (c) =>
      !TAG_FIELDS.has(c.field) &&
      !c.field.startsWith(UNSAID) &&
      // Given speakers change together with the enrichment's, which says it.
      !(enriched && c.field === 'speakers'),
  );
  const others = rest.filter((c) => !c.field.startsWith('enrichment.overrides'));
  // The overrides an edit keeps are said by the lists they change; alone (a pin), they say it.
  const said = phrases.length + others.length > 0 ? others : rest;
  return [...phrases, ...said.map((c) => c.summary)].join('; ');
}

/** Fields the effective tags already say. */
const TAG_FIELDS = new Set(['tags', 'enrichment.tags', 'enrichment.suppressedTags']);
/** Bookkeeping a curator does not act on: which extractor versions ran. */
const UNSAID = 'enrichment.extractors';

function diffFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  prefix: string,
  descendIntoNew: boolean,
): FieldChange[] {
  const changes: FieldChange[] = [];
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const key of fields) {
    const field = `${prefix}${key}`;
    const a = before[key] ?? null;
    const b = after[key] ?? null;
    if (isDeepStrictEqual(a, b) || (isEmpty(a) && isEmpty(b))) continue;
    // One level down (enrichment.tags); for a summary, also where one side has nothing yet.
    const nested = prefix === '' || descendIntoNew;
    if (nested && isPlainObject(a) && isPlainObject(b)) {
      changes.push(...diffFields(a, b, `${field}.`, descendIntoNew));
    } else if (descendIntoNew && (isPlainObject(a) || isPlainObject(b)) && (isEmpty(a) || isEmpty(b))) {
      changes.push(...diffFields(isPlainObject(a) ? a : {}, isPlainObject(b) ? b : {}, `${field}.`, true));
    } else {
      changes.push(fieldChange(field, a, b));
    }
  }
  return changes;
}

function fieldChange(field: string, a: unknown, b: unknown): FieldChange {
  if ((Array.isArray(a) || a === null) && (Array.isArray(b) || b === null)) {
    const byKey = (xs: unknown[] | null) => new Map<string, unknown>((xs ?? []).map((x) => [itemKey(x), x]));
    const before = byKey(a as unknown[] | null);
    const after = byKey(b as unknown[] | null);
    const added = [...after].filter(([k]) => !before.has(k)).map(([, x]) => x);
    const removed = [...before].filter(([k]) => !after.has(k)).map(([, x]) => x);
    const updated = [...after]
      .filter(([k, x]) => before.has(k) && !isDeepStrictEqual(before.get(k), x))
      .map(([k, x]) => ({ old: before.get(k), new: x }));
    const summary =
      listSummary(field, added, removed, updated) || `reordered ${plural(labelOf(field)) || field}`;
    return { field, old: a, new: b, added, removed, updated, summary };
  }
  if (isPlainObject(a) || isPlainObject(b)) {
    // An object two levels down (enrichment.overrides) is said by its own fields.
    const inner = diffFields(isPlainObject(a) ? a : {}, isPlainObject(b) ? b : {}, `${field}.`, true);
    return { field, old: a, new: b, summary: inner.map((c) => c.summary).join('; ') };
  }
  return { field, old: a, new: b, summary: valueSummary(field, a, b) };
}

/** How list items are matched across two states: by name, as entities are. */
function itemKey(item: unknown): string {
  if (typeof item === 'string') return `s:${item}`;
  if (!isPlainObject(item)) return JSON.stringify(item);
  const name = item.name ?? item.term;
  const type = typeof item.type === 'string' ? item.type : '';
  if (typeof name === 'string') return `${type}:${normalizeEntityName(name)}`;
  if (typeof item.targetId === 'string') return `link:${item.targetId}`;
  if (typeof item.start === 'number') return `at:${item.start}-${String(item.end)}`;
  return JSON.stringify(item);
}

/** How an item reads in a summary: 'climate', topic 'Oceans', link to <id>, moment at 12s. */
function itemName(item: unknown): string {
  if (typeof item === 'string') return quote(item);
  if (!isPlainObject(item)) return JSON.stringify(item);
  const name = item.name ?? item.term;
  if (typeof name === 'string') {
    return typeof item.type === 'string' ? `${item.type.toLowerCase()} ${quote(name)}` : quote(name);
  }
  if (typeof item.targetId === 'string') {
    return typeof item.note === 'string' && item.note !== ''
      ? `${item.targetId} (${quote(item.note)})`
      : item.targetId;
  }
  if (typeof item.start === 'number') return `at ${item.start}s`;
  return JSON.stringify(item);
}

/** Verbs and nouns per field, so a summary reads as a curator would say it. */
const WORDS: Record<string, { noun: string; add?: string; remove?: string }> = {
  tags: { noun: 'given tag' },
  speakers: { noun: 'given speaker' },
  contributors: { noun: 'contributor' },
  operationalTags: { noun: 'operational tag' },
  links: { noun: '', add: 'linked to', remove: 'unlinked from' },
  'enrichment.tags': { noun: 'tag' },
  'enrichment.topics': { noun: 'topic' },
  'enrichment.speakers': { noun: 'speaker' },
  'enrichment.brands': { noun: 'brand' },
  'enrichment.keywords': { noun: 'keyword' },
  'enrichment.moments': { noun: 'moment' },
  'enrichment.suppressedTags': { noun: 'tag', add: 'blocked', remove: 'unblocked' },
  'enrichment.overrides.added': { noun: '', add: 'pinned', remove: 'unpinned' },
  'enrichment.overrides.removed': { noun: '', add: 'blocked', remove: 'unblocked' },
};

function labelOf(field: string): string {
  const last = field.split('.').pop()!;
  if (field.startsWith('enrichment.extractors.')) return `extractor '${last}' version`;
  return WORDS[field]?.noun ?? last;
}
const plural = (noun: string) => (noun === '' ? '' : `${noun}s`);
const nounFor = (noun: string, n: number) => (n === 1 ? noun : plural(noun));

/** Names in a summary: a handful, then how many more. */
function names(items: unknown[]): string {
  const shown = items.slice(0, 5).map(itemName).join(', ');
  return items.length > 5 ? `${shown} and ${items.length - 5} more` : shown;
}

/** Lists where a count says more than names: many keywords and moments change with each run. */
const COUNTED = new Set(['keyword', 'moment']);

function phrase(verb: string, noun: string, items: unknown[]): string {
  if (COUNTED.has(noun) && items.length > 3) return `${verb} ${items.length} ${plural(noun)}`;
  return [verb, nounFor(noun, items.length), names(items)].filter((w) => w !== '').join(' ');
}

function listSummary(field: string, added: unknown[], removed: unknown[], updated: ItemChange[]): string {
  const words = WORDS[field] ?? { noun: labelOf(field) };
  const parts: string[] = [];
  if (added.length) parts.push(phrase(words.add ?? 'added', words.noun, added));
  if (removed.length) parts.push(phrase(words.remove ?? 'removed', words.noun, removed));
  // Changed items grouped by what changed: locks, sources, the rest.
  const groups = new Map<string, unknown[]>();
  for (const u of updated) {
    const verb = updateVerb(u);
    groups.set(verb, [...(groups.get(verb) ?? []), u.new]);
  }
  for (const [verb, items] of groups) parts.push(phrase(verb, words.noun, items));
  return parts.join('; ');
}

function updateVerb({ old, new: next }: ItemChange): string {
  if (isPlainObject(old) && isPlainObject(next)) {
    if (old.locked !== next.locked) return next.locked === true ? 'locked' : 'unlocked';
    if (old.source !== next.source) return `made ${String(next.source)}`;
    if (old.note !== next.note) return 'changed the note of the link to';
    if ('confidence' in next || 'score' in next) return 're-scored';
  }
  return 'changed';
}

function valueSummary(field: string, a: unknown, b: unknown): string {
  const label = labelOf(field);
  // Long text reads as changed, not quoted.
  if (field === 'transcript' || field === 'description') {
    return isEmpty(a) ? `set ${label}` : isEmpty(b) ? `cleared ${label}` : `changed ${label}`;
  }
  if (isEmpty(a)) return `set ${label} to ${show(b)}`;
  if (isEmpty(b)) return `cleared ${label} (was ${show(a)})`;
  return `${label} ${show(a)} → ${show(b)}`;
}

function show(v: unknown): string {
  if (typeof v === 'string') return quote(v.length > 60 ? `${v.slice(0, 60)}…` : v);
  if (Array.isArray(v)) return names(v);
  return JSON.stringify(v);
}

const quote = (s: string) => `'${s}'`;

/** The effective tags of a snapshot as the tag phrases read them. */
const tagsSeen = (snapshot: Record<string, unknown>): TagSeen[] =>
  tagDetailsOf(tagStateOf(snapshot)).map((t) => ({
    name: t.name,
    suggested: t.source === 'suggested',
    locked: t.locked,
  }));

function tagStateOf(snapshot: Record<string, unknown>): TagState {
  const tags = Array.isArray(snapshot.tags) ? (snapshot.tags as string[]) : [];
  const e = snapshot.enrichment;
  return { tags, enrichment: isPlainObject(e) && Array.isArray(e.tags) ? { tags: e.tags as Tag[] } : null };
}

function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  return isPlainObject(v) && Object.values(v).every(isEmpty);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
