import type { ComponentChildren } from 'preact';
import { rowsCsv } from '../chart-data';
import type { Loaded } from '../use-load';
import { ChartCard, CsvButton } from './chart-card';

/** A ranking or list as a table with a CSV download, in the card with its loading, error and empty states. */
export function RankingCard({
  title,
  id,
  loaded,
  empty,
  note,
  header,
  rows,
  csvHeader,
  csvRows,
  cell,
  numbered = true,
}: {
  title: string;
  id: string;
  loaded: { loading: boolean; error?: Loaded<unknown>['error']; data?: unknown };
  empty: string;
  note?: string | undefined;
  header: string[];
  rows: (string | number)[][];
  csvHeader: string[];
  csvRows: (string | number)[][];
  cell: (row: (string | number)[], column: number, index: number) => ComponentChildren;
  /** A rank column first (a list that is not a ranking goes without). */
  numbered?: boolean;
}) {
  return (
    <ChartCard
      title={title}
      id={id}
      loading={loaded.loading}
      error={loaded.error}
      ready={loaded.data !== undefined}
      empty={rows.length === 0}
      emptyText={empty}
      note={note && <p class="chart-note">{note}</p>}
    >
      {() => (
        <>
          <table class="ranking">
            <thead>
              <tr>
                {numbered && <th scope="col">#</th>}
                {header.map((h) => (
                  <th scope="col" key={h}>
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row, i) => (
                <tr key={i}>
                  {numbered && <td>{i + 1}</td>}
                  {row.map((_, c) => (
                    <td key={c}>{cell(row, c, i)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <div class="chart-actions">
            <CsvButton title={title} csv={() => rowsCsv(csvHeader, csvRows)} />
          </div>
        </>
      )}
    </ChartCard>
  );
}
