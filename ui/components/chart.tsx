import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ApiError } from '../api';
import { fileName, formatValue, isEmpty, toCsv, type ChartTable, type Unit } from '../chart-data';
import { ChartCard, CsvButton, download } from './chart-card';

/**
 * Series colours: each at least 3:1 against the white background (WCAG 1.4.11 for graphics), and
 * told apart by more than hue in the table beside the chart.
 */
const PALETTE = ['#0a58ca', '#b42318', '#1a7f37', '#8250df', '#9a6700', '#bf3989', '#0e7490', '#57606a'];
const HEIGHT = 220;
const COUNT_STEPS = [1, 2, 5]
  .flatMap((m) => [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7].map((p) => m * p))
  .sort((a, b) => a - b);
const AXIS = '#57606a';
const GRID = '#d0d7de';

/**
 * The chart as a PNG: the title, the plot and a legend on white, at the screen's pixel density.
 * uPlot draws on a canvas with a transparent background and keeps its legend in HTML, so both are
 * drawn again here.
 */
function chartPng(plot: uPlot, title: string, names: string[]): Promise<Blob | null> {
  const source = plot.ctx.canvas;
  const ratio = source.width / Math.max(1, plot.width);
  const pad = 12 * ratio;
  const line = 20 * ratio;
  const canvas = document.createElement('canvas');
  canvas.width = source.width;
  canvas.height = source.height + line * 2 + pad * 2;
  const ctx = canvas.getContext('2d');
  if (!ctx) return Promise.resolve(null);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#1b1f24';
  ctx.font = `600 ${14 * ratio}px system-ui, sans-serif`;
  ctx.textBaseline = 'middle';
  ctx.fillText(title, pad, pad + line / 2);
  ctx.drawImage(source, 0, pad + line);
  ctx.font = `${12 * ratio}px system-ui, sans-serif`;
  let x = pad;
  const y = pad + line + source.height + line / 2;
  names.forEach((name, i) => {
    ctx.fillStyle = PALETTE[i % PALETTE.length]!;
    ctx.fillRect(x, y - 5 * ratio, 10 * ratio, 10 * ratio);
    ctx.fillStyle = '#1b1f24';
    ctx.fillText(name, x + 14 * ratio, y);
    x += ctx.measureText(name).width + 30 * ratio;
  });
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
}

const utc = (ts: number) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC');

function plotOptions(table: ChartTable, unit: Unit, kind: 'time' | 'bars', width: number): uPlot.Options {
  const fmt = (v: number | null) => (v === null ? '' : formatValue(v, unit));
  const bars = uPlot.paths.bars!({ size: [0.6, 48] });
  return {
    width,
    height: HEIGHT,
    ...(kind === 'time' ? { tzDate: utc } : {}),
    scales: {
      // Bars sit in the middle of their slot, the first and last not cut in half by the edges.
      x: kind === 'time' ? { time: true } : { time: false, range: () => [-0.5, table.keys.length - 0.5] },
      y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.05 : 1] },
    },
    legend: { show: table.columns.length > 1 },
    cursor: { drag: { x: false, y: false } },
    series: [
      kind === 'time' ? {} : { label: table.key, value: (_u, v) => table.keys[v] ?? '' },
      ...table.columns.map((c, i) => {
        const colour = PALETTE[i % PALETTE.length]!;
        return {
          label: c.name,
          stroke: colour,
          width: 2,
          value: (_u: uPlot, v: number | null) => fmt(v),
          points: { show: false },
          ...(kind === 'bars' ? { paths: bars, fill: colour } : {}),
        };
      }),
    ],
    axes: [
      {
        stroke: AXIS,
        grid: { stroke: GRID, width: 1 },
        ...(kind === 'bars'
          ? {
              incrs: [1],
              values: (_u: uPlot, splits: number[]) => splits.map((s) => table.keys[s] ?? ''),
            }
          : {}),
      },
      {
        stroke: AXIS,
        grid: { stroke: GRID, width: 1 },
        size: 64,
        // Counts step in whole numbers: no "0.5 errors", and no "1 1 1" from rounding them.
        ...(unit === 'count' ? { incrs: COUNT_STEPS } : {}),
        values: (_u: uPlot, splits: number[]) => splits.map((s) => fmt(s)),
      },
    ],
  };
}

function plotData(table: ChartTable, kind: 'time' | 'bars'): uPlot.AlignedData {
  const xs = kind === 'time' ? table.keys.map((t) => Date.parse(t) / 1000) : table.keys.map((_, i) => i);
  return [xs, ...table.columns.map((c) => c.values)];
}

/** The uPlot chart, sized to its box and redrawn when the data or the box changes. */
function Plot({
  table,
  unit,
  kind,
  label,
  plotRef,
}: {
  table: ChartTable;
  unit: Unit;
  kind: 'time' | 'bars';
  label: string;
  plotRef: { current: uPlot | null };
}) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const plot = new uPlot(plotOptions(table, unit, kind, el.clientWidth || 600), plotData(table, kind), el);
    plotRef.current = plot;
    const resize = new ResizeObserver(() => {
      if (el.clientWidth > 0 && el.clientWidth !== plot.width)
        plot.setSize({ width: el.clientWidth, height: HEIGHT });
    });
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
      plotRef.current = null;
    };
  }, [table, unit, kind]);
  // The drawing is for the eye; the table below says the same to everyone.
  return <div class="chart-plot" ref={host} role="img" aria-label={label} />;
}

export interface ChartProps {
  /** The heading, also the download's file name. */
  title: string;
  /** The id of the heading (for aria-labelledby and tests). */
  id: string;
  unit: Unit;
  kind?: 'time' | 'bars';
  table: ChartTable | undefined;
  loading: boolean;
  error: ApiError | undefined;
  /** Shown when every value is 0. */
  empty?: string;
  /** A line under the heading: what the figure is. */
  children?: ComponentChildren;
}

/**
 * A chart with its states: loading (a placeholder), an error in the API's words, nothing in the range,
 * or the plot with its downloads (CSV and PNG) and its numbers as a table.
 */
export function Chart({
  title,
  id,
  unit,
  kind = 'time',
  table,
  loading,
  error,
  empty,
  children,
}: ChartProps) {
  const plot = useRef<uPlot | null>(null);
  const [showTable, setShowTable] = useState(false);
  const total =
    table && table.columns.length === 1 && unit === 'count'
      ? `, ${formatValue(
          table.columns[0]!.values.reduce((a, b) => a + b, 0),
          unit,
        )} in all`
      : '';
  return (
    <ChartCard
      title={title}
      id={id}
      loading={loading}
      error={error}
      ready={table !== undefined}
      empty={table !== undefined && isEmpty(table)}
      emptyText={empty}
      note={children}
    >
      {() =>
        table && (
          <>
            <Plot
              table={table}
              unit={unit}
              kind={kind}
              plotRef={plot}
              label={`${title}: chart of ${table.columns.map((c) => c.name).join(', ')}${total}; the numbers are in the table below.`}
            />
            <div class="chart-actions">
              <CsvButton title={title} csv={() => toCsv(table)} />
              <button
                type="button"
                onClick={() => {
                  if (!plot.current) return;
                  void chartPng(
                    plot.current,
                    title,
                    table.columns.map((c) => c.name),
                  ).then((blob) => blob && download(fileName(title, 'png'), blob));
                }}
              >
                Download PNG<span class="visually-hidden"> of {title}</span>
              </button>
              <button type="button" aria-expanded={showTable} onClick={() => setShowTable(!showTable)}>
                {showTable ? 'Hide table' : 'Show table'}
                <span class="visually-hidden"> of {title}</span>
              </button>
            </div>
            {showTable && <ChartNumbers table={table} unit={unit} title={title} />}
          </>
        )
      }
    </ChartCard>
  );
}

function ChartNumbers({ table, unit, title }: { table: ChartTable; unit: Unit; title: string }) {
  const key = (k: string) =>
    table.key === 'time'
      ? new Date(k)
          .toISOString()
          .replace('T', ' ')
          .replace(/:00\.000Z$/, ' UTC')
      : k;
  return (
    <div class="chart-table">
      <table>
        <caption class="visually-hidden">{title}</caption>
        <thead>
          <tr>
            <th scope="col">{table.key === 'time' ? 'Time (UTC)' : table.key}</th>
            {table.columns.map((c) => (
              <th scope="col" key={c.name}>
                {c.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.keys.map((k, i) => (
            <tr key={k}>
              <th scope="row">{key(k)}</th>
              {table.columns.map((c) => (
                <td key={c.name}>{formatValue(c.values[i] ?? 0, unit)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
