import { tagPhrases, type TagSeen } from '../domain/tag-phrases.js';
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
      : // The API's own words for a tag change (domain/tag-phrases.ts).
        tagPhrases(tagsOf(first!.old), tagsOf(first!.new)).join('; ') || first!.summary;
  return [{ label: 'Tags', fields, summary }, ...rest];
}

/** A stored tag list as tags: enrichment's `{ name, source, locked }` items, or given names. */
function tagsOf(list: unknown): TagSeen[] {
  if (!Array.isArray(list)) return [];
  return (list as unknown[]).flatMap((item) =>
    typeof item === 'string'
      ? [{ name: item, suggested: false, locked: false }]
      : typeof item === 'object' && item !== null && typeof (item as { name?: unknown }).name === 'string'
        ? [
            {
              name: (item as { name: string }).name,
              suggested: (item as { source?: unknown }).source === 'ai',
              locked: (item as { locked?: unknown }).locked === true,
            },
          ]
        : [],
  );
}
