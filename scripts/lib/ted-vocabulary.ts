import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

/** Where the TED talks are, when the workspace has them: beside the project, in shared/. */
export const TED_CSV = new URL('../../../shared/datasets/ted/ted_main.csv', import.meta.url).pathname;

/** Words too common to tell talks apart; full-text search drops most of them anyway. */
const STOP = new Set(
  'the and for that with this from are was but not you his her its our their they have has how what who why when where will can about into more than one out all also been were which your most even just like only over such some these those them then there very would could should new way ways talk talks'.split(
    ' ',
  ),
);

/**
 * The words of the TED talks' titles and descriptions, most frequent first, or null without the
 * file. Seeds the synthetic library with a real vocabulary; its fallback is made-up syllable words.
 */
export function tedVocabulary(file = TED_CSV, limit = 5_000): string[] | null {
  if (!existsSync(file)) return null;
  const rows = parse<{ title?: string; description?: string }>(readFileSync(file), {
    columns: true,
    skip_empty_lines: true,
  });
  const counts = new Map<string, number>();
  for (const row of rows) {
    for (const w of `${row.title ?? ''} ${row.description ?? ''}`.toLowerCase().match(/[a-z]{3,}/g) ?? []) {
      if (!STOP.has(w)) counts.set(w, (counts.get(w) ?? 0) + 1);
    }
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, limit)
    .map(([w]) => w);
}
