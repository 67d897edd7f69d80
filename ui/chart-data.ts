/** The answer of GET /v1/metrics (openapi `Metrics`), and what the charts make of it. Pure. */
export interface MetricsAnswer {
  metric: string;
  interval: 'minute' | 'hour' | 'day';
  from: string;
  to: string;
  series: { group: string | null; total: number; points: { t: string; value: number }[] }[];
  approximate?: true;
}

/** How a chart's values read: counts, seconds, or a share 0–1 shown as a percentage. */
export type Unit = 'count' | 'seconds' | 'ratio';

/** One chart's table: a first column (time or category) and one column per series. */
export interface ChartTable {
  /** The first column's name: "time" or a category such as "rank". */
  key: string;
  keys: string[];
  columns: { name: string; values: number[] }[];
}

/** Nothing happened: no series, or every value 0. */
export function isEmpty(table: ChartTable): boolean {
  return table.keys.length === 0 || table.columns.every((c) => c.values.every((v) => v === 0));
}

/** A metrics answer as a table: time down, one column per series, named by `label`. */
export function seriesTable(answer: MetricsAnswer, label: (group: string | null) => string): ChartTable {
  const first = answer.series[0];
  return {
    key: 'time',
    keys: first ? first.points.map((p) => p.t) : [],
    columns: answer.series.map((s) => ({ name: label(s.group), values: s.points.map((p) => p.value) })),
  };
}

/** One series of points (GET /v1/metrics/queue-depth) as a table. */
export function pointsTable(points: { t: string; value: number }[], name: string): ChartTable {
  return {
    key: 'time',
    keys: points.map((p) => p.t),
    columns: [{ name, values: points.map((p) => p.value) }],
  };
}

/**
 * Series grouped by a category (click-through by rank: group "1", "2", …) as one column over the
 * categories in numeric order, each the series' total.
 */
export function categoryTable(answer: MetricsAnswer, key: string, name: string): ChartTable {
  const sorted = [...answer.series]
    .filter((s) => s.group !== null)
    .sort((a, b) => Number(a.group) - Number(b.group) || String(a.group).localeCompare(String(b.group)));
  return {
    key,
    keys: sorted.map((s) => String(s.group)),
    columns: [{ name, values: sorted.map((s) => s.total) }],
  };
}

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The table as CSV, a header row first, CRLF line ends; values as the API gave them. */
export function toCsv(table: ChartTable): string {
  const rows = [[table.key, ...table.columns.map((c) => c.name)]];
  table.keys.forEach((k, i) => rows.push([k, ...table.columns.map((c) => String(c.values[i] ?? ''))]));
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** Rows (a ranking, a list of queries) as CSV with the given header. */
export function rowsCsv(header: string[], rows: (string | number)[][]): string {
  return [header, ...rows].map((r) => r.map((v) => csvField(String(v))).join(',')).join('\r\n') + '\r\n';
}

/** A value as a person reads it in this unit. */
export function formatValue(value: number, unit: Unit): string {
  if (unit === 'ratio') return `${(value * 100).toFixed(value !== 0 && value < 0.1 ? 1 : 0)}%`;
  if (unit === 'seconds') {
    if (value < 10) return `${Number(value.toFixed(2))} s`;
    if (value < 120) return `${Math.round(value)} s`;
    if (value < 7200) return `${Math.round(value / 60)} min`;
    return `${Number((value / 3600).toFixed(1))} h`;
  }
  return Math.round(value).toLocaleString('en');
}

/** A file name for a download: the chart's title in lower case, words joined by dashes. */
export function fileName(title: string, ext: 'csv' | 'png'): string {
  const slug = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${slug || 'chart'}.${ext}`;
}
