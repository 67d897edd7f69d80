import { diffRows } from '../diff-rows';
import type { FieldChange } from '../types';

/**
 * Field-level changes in words: "added tag 'climate'; locked tag 'education'", not whole lists.
 * Tags read as the curator sees them (docs/curation.md, the tag model): one "Tags" row, not the
 * stored `enrichment.tags`, `tags` and `enrichment.suppressedTags` a tag edit changes.
 */
export function DiffTable({ changes, caption }: { changes: FieldChange[]; caption: string }) {
  if (changes.length === 0) return <p>{caption}: no field changed.</p>;
  const rows = diffRows(changes);
  return (
    <table class="diff">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">What changed</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.fields}>
            <th scope="row" title={r.label === r.fields ? undefined : `stored as ${r.fields}`}>
              {r.label}
            </th>
            <td>{r.summary}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
