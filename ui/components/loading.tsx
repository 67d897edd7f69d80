/** A wait in words, with a spinner that stops for people who asked for less motion. */
export function Loading({ what = 'Loading…' }: { what?: string }) {
  return (
    <p class="loading" aria-busy="true">
      <span class="spinner" aria-hidden="true" />
      {what}
    </p>
  );
}
