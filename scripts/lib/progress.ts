/**
 * Progress of a long load: count, rate and time left. On a terminal a bar that updates in place
 * (cli-progress); in a log or a pipe a line every `intervalMs`, so a CI log stays short.
 */
import cliProgress from 'cli-progress';

const { SingleBar, Presets } = cliProgress;

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
export function formatProgress(p: {
  done: number;
  total?: number;
  unit: string;
  elapsedMs: number;
  /** Done before this run (a resumed load): not part of the rate. */
  initial?: number;
}): string {
  const seconds = p.elapsedMs / 1000;
  const rate = seconds > 0 ? (p.done - (p.initial ?? 0)) / seconds : 0;
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
  /** Done before this run began (a resumed load): the bar starts there, the rate counts this run only. */
  initial?: number;
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

/**
 * A bar on a terminal (cli-progress: bar, share, count, rate, time left, redrawn a few times a
 * second); plain lines every `intervalMs` otherwise, and the last one at the end.
 */
export function progress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const tty = 'isTTY' in stream && stream.isTTY === true;
  return tty ? terminalBar(options, stream) : plainLines(options, stream);
}

function terminalBar(options: ProgressOptions, stream: NodeJS.WriteStream): Progress {
  const now = options.now ?? Date.now;
  const started = now();
  const initial = options.initial ?? 0;
  const total = options.total;
  const known = total !== undefined && total > 0;
  const bar = new SingleBar(
    {
      stream,
      format: known
        ? `{bar} {percentage}% | {value} of {total} ${options.unit} | {rate}/s | {elapsed} elapsed | {eta_formatted} left`
        : `{value} ${options.unit} | {rate}/s | {elapsed} elapsed`,
      formatValue: (v, _o, type) => (type === 'value' || type === 'total' ? count(v) : String(v)),
      // The rate of the last 200 updates: a burst at the start does not promise a short end.
      etaBuffer: 200,
      // Time left keeps counting down between updates (one batch can take seconds).
      etaAsynchronousUpdate: true,
      fps: 4,
      hideCursor: true,
      barsize: 24,
    },
    Presets.shades_classic,
  );
  const payload = (done: number) => {
    const seconds = (now() - started) / 1000;
    const rate = seconds > 0 ? (done - initial) / seconds : 0;
    return { rate: rate >= 10 ? Math.round(rate) : rate.toFixed(1), elapsed: formatDuration(seconds) };
  };
  bar.start(known ? total : 0, initial, payload(initial));
  let done = initial;
  return {
    update(n) {
      done = n;
      bar.update(n, payload(n));
    },
    finish() {
      bar.update(done, payload(done));
      bar.stop();
    },
  };
}

function plainLines(options: ProgressOptions, stream: NodeJS.WritableStream): Progress {
  const now = options.now ?? Date.now;
  const interval = options.intervalMs ?? 10_000;
  const started = now();
  const initial = options.initial ?? 0;
  let done = initial;
  let printed = -Infinity;
  const line = () =>
    formatProgress({
      done,
      initial,
      unit: options.unit,
      elapsedMs: now() - started,
      ...(options.total === undefined ? {} : { total: options.total }),
    });
  return {
    update(n) {
      done = n;
      // The last count is finish's to print, once.
      if (n !== options.total && now() - printed >= interval) {
        printed = now();
        stream.write(`${line()}\n`);
      }
    },
    finish() {
      stream.write(`${line()}\n`);
    },
  };
}
