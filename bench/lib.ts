/** The p-th percentile (0–100) of the samples, by nearest rank. */
export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

/** A figure over several rounds: the median round, and the lowest and highest. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function spread(xs: number[]): Spread {
  return { median: percentile(xs, 50), min: Math.min(...xs), max: Math.max(...xs) };
}

/** Latency percentiles (ms) and throughput (per second) of one round. */
export interface RoundStats {
  p50: number;
  p95: number;
  p99: number;
  perSecond: number;
}

export function roundStats(latenciesMs: number[], elapsedMs: number): RoundStats {
  return {
    p50: percentile(latenciesMs, 50),
    p95: percentile(latenciesMs, 95),
    p99: percentile(latenciesMs, 99),
    perSecond: (latenciesMs.length * 1000) / elapsedMs,
  };
}

/** Each statistic over the rounds: median, min and max. */
export type LatencyFigure = Record<keyof RoundStats, Spread>;

export function overRounds(rounds: RoundStats[]): LatencyFigure {
  return {
    p50: spread(rounds.map((r) => r.p50)),
    p95: spread(rounds.map((r) => r.p95)),
    p99: spread(rounds.map((r) => r.p99)),
    perSecond: spread(rounds.map((r) => r.perSecond)),
  };
}

/** A measured figure beside its baseline from the same run. */
export interface Compared {
  ours: LatencyFigure;
  baseline: LatencyFigure | null;
}

/**
 * Runs `count` calls of `fn` over `concurrency` workers; returns each call's latency (ms) and the
 * wall time of the whole round.
 */
export async function timeCalls(
  count: number,
  concurrency: number,
  fn: (i: number) => Promise<unknown>,
): Promise<{ latencies: number[]; elapsedMs: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const t0 = performance.now();
      await fn(i);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { latencies, elapsedMs: performance.now() - started };
}

/** Rounds of `timeCalls`, after one untimed warm-up call per distinct input. */
export async function measure(
  options: { rounds: number; runs: number; concurrency: number; warmup?: number },
  fn: (i: number) => Promise<unknown>,
): Promise<LatencyFigure> {
  for (let i = 0; i < (options.warmup ?? 0); i++) await fn(i);
  const rounds: RoundStats[] = [];
  for (let r = 0; r < options.rounds; r++) {
    const { latencies, elapsedMs } = await timeCalls(options.runs, options.concurrency, (i) =>
      fn(r * options.runs + i),
    );
    rounds.push(roundStats(latencies, elapsedMs));
  }
  return overRounds(rounds);
}

export const log = (msg: string) =>
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${msg}\n`);

/**
 * SQL for data made in Postgres (`generate_series`): a uniform draw in [0, 1) from a row's number
 * and a salt (47 bits of the server's 64-bit hash), and a rank in [0, n) drawn by Zipf's law
 * (p ∝ 1 / (rank + 1): log-uniform).
 */
export const sqlUniform = (expr: string, salt: number) =>
  `((hashint8extended((${expr})::bigint, ${salt}) & 140737488355327)::float8 / 140737488355328)`;
export const sqlZipf = (expr: string, salt: number, n: number) =>
  `(floor(exp(${sqlUniform(expr, salt)} * ln(${n + 1})))::bigint - 1)`;
