/**
 * Progress of a long load: count, rate and time left. On a terminal one line that updates in
 * place; in a log or a pipe a line every `intervalMs`, so a CI log stays short.
 */

/** 75 → "1m15s", 3725 → "1h02m", 9 → "9s". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor(s / 60) % 60).padStart(2, '0')}m`;
}

const count = (n: number) => n.toLocaleString('en-US');

/**
 * "1,000 of 2,550 talks (39%), 52/s, 19s elapsed, about 30s left". Without a total, the count,
 * rate and elapsed time only; no time left until something is done.
 */
export function formatProgress(p: { done: number; total?: number; unit: string; elapsedMs: number }): string {
  const seconds = p.elapsedMs / 1000;
  const rate = seconds > 0 ? p.done / seconds : 0;
  const parts = [
    p.total !== undefined && p.total > 0
      ? `${count(p.done)} of ${count(p.total)} ${p.unit} (${Math.floor((100 * p.done) / p.total)}%)`
      : `${count(p.done)} ${p.unit}`,
    `${rate >= 10 ? Math.round(rate) : rate.toFixed(1)}/s`,
    `${formatDuration(seconds)} elapsed`,
  ];
  if (p.total !== undefined && rate > 0 && p.done < p.total)
    parts.push(`about ${formatDuration((p.total - p.done) / rate)} left`);
  return parts.join(', ');
}

export interface ProgressOptions {
  unit: string;
  total?: number;
  /** stderr by default: stdout carries the script's result. */
  stream?: NodeJS.WriteStream | NodeJS.WritableStream;
  /** Lines this far apart when the stream is not a terminal. */
  intervalMs?: number;
  now?: () => number;
}

export interface Progress {
  update(done: number): void;
  /** The final line, always printed. */
  finish(): void;
}

export function progress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const tty = 'isTTY' in stream && stream.isTTY === true;
  const now = options.now ?? Date.now;
  const interval = options.intervalMs ?? 10_000;
  const started = now();
  let done = 0;
  let printed = -Infinity;
  const line = () =>
    formatProgress({
      done,
      unit: options.unit,
      elapsedMs: now() - started,
      ...(options.total === undefined ? {} : { total: options.total }),
    });
  // \r and erase-line: the line updates in place, and its clock ticks between updates.
  const redraw = () => stream.write(`\r\x1b[2K${line()}`);
  const ticker = tty ? setInterval(redraw, 1_000).unref() : undefined;
  return {
    update(n) {
      done = n;
      if (tty) redraw();
      // The last count is finish's to print, once.
      else if (n !== options.total && now() - printed >= interval) {
        printed = now();
        stream.write(`${line()}\n`);
      }
    },
    finish() {
      clearInterval(ticker);
      stream.write(tty ? `\r\x1b[2K${line()}\n` : `${line()}\n`);
    },
  };
}
