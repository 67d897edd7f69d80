import type { ComponentChildren } from 'preact';
import type { ApiError } from '../api';
import { ErrorMessage } from './error-message';
import { fileName } from '../chart-data';

/** Saves a blob under a name, as a link the browser downloads. */
export function download(name: string, blob: Blob) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const downloadCsv = (title: string, csv: string) =>
  download(fileName(title, 'csv'), new Blob([csv], { type: 'text/csv;charset=utf-8' }));

/**
 * The card every chart, ranking and figure of the analytics pages sits in, with its states: an
 * error in the API's words, a placeholder while the first answer is on its way, what "nothing"
 * means for this figure, or the content. The heading names the region (tests and screen readers
 * find a card by it); `aria-busy` while a (re)load is on its way.
 */
export function ChartCard({
  title,
  id,
  loading,
  error,
  ready,
  empty,
  emptyText = 'Nothing in this range.',
  note,
  children,
}: {
  title: string;
  /** The card's id; its heading's is `${id}-heading`. */
  id: string;
  loading: boolean;
  error: ApiError | undefined;
  /** An answer has come: the content (or the empty state) can show. */
  ready: boolean;
  /** The answer holds nothing to show. */
  empty: boolean;
  emptyText?: string | undefined;
  /** A line under the heading: what the figure is. */
  note?: ComponentChildren;
  /** The content, drawn only once there is some. */
  children: () => ComponentChildren;
}) {
  const headingId = `${id}-heading`;
  return (
    <section class="chart-card" id={id} aria-labelledby={headingId} aria-busy={loading}>
      <h3 id={headingId}>{title}</h3>
      {note}
      {error ? (
        <ErrorMessage error={error} />
      ) : !ready ? (
        <div class="chart-placeholder loading">
          <span class="spinner" aria-hidden="true" />
          Loading…
        </div>
      ) : empty ? (
        <p class="chart-empty">{emptyText}</p>
      ) : (
        children()
      )}
    </section>
  );
}

/** "Download CSV" of a card: the file is named after its title. */
export function CsvButton({ title, csv }: { title: string; csv: () => string }) {
  return (
    <button type="button" onClick={() => downloadCsv(title, csv())}>
      Download CSV<span class="visually-hidden"> of {title}</span>
    </button>
  );
}
