import type { FieldChange } from './types.js';

/** Where the API stores tags: enrichment's merged list, the given list, the removed names. */
const TAG_FIELDS = ['enrichment.tags', 'tags', 'enrichment.suppressedTags'];

export interface DiffRow {
  label: string;
  /** The stored fields behind the row, for whoever reads the API beside the UI. */
  fields: string;
  summary: string;
}

/**
 * A diff's rows as a curator reads them: one "Tags" row saying what happened to the effective tags
 * (docs/curation.md, the tag model), then every other field as the API names it.
 */
export function diffRows(changes: FieldChange[]): DiffRow[] {
  const rest = changes
    .filter((c) => !TAG_FIELDS.includes(c.field))
    .map((c) => ({ label: c.field, fields: c.field, summary: c.summary }));
  const tagChanges = TAG_FIELDS.map((f) => changes.find((c) => c.field === f)).filter(
    (c): c is FieldChange => c !== undefined,
  );
  if (tagChanges.length === 0) return rest;
  const fields = tagChanges.map((c) => c.field).join(', ');
  const [first] = tagChanges;
  const summary =
    first!.field === 'enrichment.suppressedTags'
      ? // Only the removed-names list changed (a tag removed that no list held): it says so itself.
        first!.summary
      : tagPhrases(tagsOf(first!.old), tagsOf(first!.new)).join('; ') || first!.summary;
  return [{ label: 'Tags', fields, summary }, ...rest];
}

interface TagState {
  name: string;
  suggested: boolean;
  locked: boolean;
}

/** A stored tag list as tags: enrichment's `{ name, source, locked }` items, or given names. */
function tagsOf(list: unknown): Map<string, TagState> {
  const tags = new Map<string, TagState>();
  if (!Array.isArray(list)) return tags;
  for (const item of list as unknown[]) {
    const t =
      typeof item === 'string'
        ? { name: item, suggested: false, locked: false }
        : typeof item === 'object' && item !== null && typeof (item as { name?: unknown }).name === 'string'
          ? {
              name: (item as { name: string }).name,
              suggested: (item as { source?: unknown }).source === 'ai',
              locked: (item as { locked?: unknown }).locked === true,
            }
          : null;
    if (t) tags.set(t.name.trim().toLowerCase(), t);
  }
  return tags;
}

/** The same phrases as the API's version summary (domain/asset-diff.ts tagPhrases). */
function tagPhrases(old: Map<string, TagState>, now: Map<string, TagState>): string[] {
  const by = new Map<string, string[]>();
  const say = (verb: string, name: string) => by.set(verb, [...(by.get(verb) ?? []), name]);
  for (const [k, t] of now) {
    const was = old.get(k);
    if (!was) say(t.suggested ? 'suggested' : 'added', t.name);
    else {
      if (was.locked !== t.locked) say(t.locked ? 'locked' : 'unlocked', t.name);
      if (was.suggested && !t.suggested) say('confirmed', t.name);
    }
  }
  for (const [k, t] of old) if (!now.has(k)) say('removed', t.name);
  const order = ['added', 'suggested', 'confirmed', 'removed', 'locked', 'unlocked'];
  return order
    .filter((v) => by.has(v))
    .map((v) => {
      const names = by.get(v)!;
      const shown = names
        .slice(0, 5)
        .map((n) => `'${n}'`)
        .join(', ');
      const more = names.length > 5 ? ` and ${names.length - 5} more` : '';
      return `${v} ${names.length === 1 ? 'tag' : 'tags'} ${shown}${more}`;
    });
}
