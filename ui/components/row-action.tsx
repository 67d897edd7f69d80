/**
 * A button that acts on one row of a list: its label shown, and the row's name for screen readers,
 * so that the page's five "Delete" buttons are told apart ("Delete nightly archive").
 */
export function RowAction({ label, name, onClick }: { label: string; name: string; onClick: () => void }) {
  return (
    <button type="button" onClick={onClick}>
      {label}
      <span class="visually-hidden"> {name}</span>
    </button>
  );
}
