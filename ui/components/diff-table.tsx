import { formatValue } from '../format';
import type { FieldChange } from '../types';

/** Field-level changes, old beside new. */
export function DiffTable({ changes, caption }: { changes: FieldChange[]; caption: string }) {
  if (changes.length === 0) return <p>{caption}: no field changed.</p>;
  return (
    <table class="diff">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Before</th>
          <th scope="col">After</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((c) => (
          <tr key={c.field}>
            <th scope="row">{c.field}</th>
            <td>{formatValue(c.old)}</td>
            <td>{formatValue(c.new)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
