import type { FieldChange } from '../types';

/** Field-level changes in words: "added tag 'climate'; locked tag 'education'", not whole lists. */
export function DiffTable({ changes, caption }: { changes: FieldChange[]; caption: string }) {
  if (changes.length === 0) return <p>{caption}: no field changed.</p>;
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
        {changes.map((c) => (
          <tr key={c.field}>
            <th scope="row">{c.field}</th>
            <td>{c.summary}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
