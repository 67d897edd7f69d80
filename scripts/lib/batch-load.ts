/**
 * Loads assets through `POST /v1/assets/batch`, batch by batch, in a way a person can watch and
 * interrupt: a progress bar (lib/progress.ts), a state file written after every batch so that the
 * same command resumes where it stopped, retries of what a busy or restarting API answers, and a
 * summary at the end.
 *
 * Resuming relies on the input being the same sequence on every run (a CSV file unchanged since,
 * or the synthetic library of the same seed): the state records how far the input was handled
 * and which ranges the API refused, and a resumed run skips the rest. A batch posted but not yet
 * recorded when the run stopped is posted again; the API keeps one asset per file hash (SHA-256),
 * so it comes back as duplicates and creates nothing twice.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { ApiRequestError, apiRequest } from './api-client.js';
import { CliError } from './cli.js';
import { formatDuration, progress } from './progress.js';

/** Items [from, to) of the input, in input order, that the API refused, and what it said. */
const FailedRange = z.object({ from: z.number().int(), to: z.number().int(), reason: z.string() });
type FailedRange = z.infer<typeof FailedRange>;

const LoadState = z.object({
  version: z.literal(1),
  /** What was loaded where: a state of another input, API or key is not this load's. */
  identity: z.string(),
  /** Items before this index were posted or refused. */
  done: z.number().int().min(0),
  created: z.number().int().min(0),
  duplicates: z.number().int().min(0),
  failed: z.array(FailedRange),
});
type LoadState = z.infer<typeof LoadState>;

export interface LoadSummary {
  /** Items in the input. */
  total: number;
  /** Items the API took (new or duplicate), by this run and the runs it resumed. */
  posted: number;
  created: number;
  duplicates: number;
  /** Items in batches the API refused (an invalid asset): fix them and run the command again. */
  failed: number;
  /** Items the runs before this one had posted. */
  resumed: number;
  /** This run's time and rate (items posted or refused per second). */
  seconds: number;
  perSecond: number;
  failures: FailedRange[];
}

export interface BatchLoadOptions {
  url: string;
  key: string;
  batchSize: number;
  wait: boolean;
  /** Items in the input (the bar's total). */
  total: number;
  /** What the items are, in messages: "talks", "assets". */
  unit: string;
  /** The state file, or null to load without one (nothing to resume). */
  statePath: string | null;
  /** Distinguishes this load from another: the script, its input, the API and the key. */
  identity: string;
  /** Ignore (and replace) a state left by an earlier run. */
  restart?: boolean;
  /** Waits between attempts at a batch the API could not take: 1, 2, 4, 8 s by default. */
  retryDelaysMs?: readonly number[];
  stream?: NodeJS.WritableStream;
}

const RETRY_DELAYS_MS = [1_000, 2_000, 4_000, 8_000];

/**
 * The state file of a load unless --state names one: in the system's temporary folder, named for
 * the load (its identity, hashed), so that running the same command again finds it.
 */
export function defaultStatePath(script: string, identity: string): string {
  const hash = createHash('sha256').update(identity).digest('hex').slice(0, 16);
  return join(tmpdir(), 'media-discovery-loads', `${script}-${hash}.json`);
}

/** The identity of a load: what is loaded, where, with which key (hashed: never on disk). */
export function loadIdentity(script: string, input: unknown, url: string, key: string): string {
  return JSON.stringify({
    script,
    input,
    url: url.replace(/\/+$/, ''),
    key: createHash('sha256').update(key).digest('hex').slice(0, 16),
  });
}

function readState(path: string, identity: string): LoadState | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CliError(`${path} is not a load's state (empty or damaged): pass --restart to start over`);
  }
  const parsed = LoadState.safeParse(json);
  if (!parsed.success || parsed.data.identity !== identity)
    throw new CliError(
      `${path} holds the state of another load: pass --restart to replace it, or --state with another file`,
    );
  return parsed.data;
}

/** Written whole or not at all: a run stopped mid-write leaves the previous state. */
function writeState(path: string, state: LoadState): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, JSON.stringify(state) + '\n');
  renameSync(`${path}.tmp`, path);
}

const sizeOf = (ranges: readonly FailedRange[]) => ranges.reduce((n, r) => n + r.to - r.from, 0);
const inRanges = (ranges: readonly FailedRange[], i: number) => ranges.some((r) => i >= r.from && i < r.to);

/** Consecutive indices as ranges, each with the reason. */
function rangesOf(indices: readonly number[], reason: string): FailedRange[] {
  const out: FailedRange[] = [];
  for (const i of indices) {
    const last = out.at(-1);
    if (last && last.to === i) last.to = i + 1;
    else out.push({ from: i, to: i + 1, reason });
  }
  return out;
}

/** A refusal that retrying the same batch cannot change, and that concerns this batch alone. */
const refusedBatch = (err: ApiRequestError) =>
  err.status !== undefined &&
  err.status >= 400 &&
  err.status < 500 &&
  ![401, 403, 404, 429].includes(err.status);
/** An API that is down, restarting or busy: the same batch may go through later. */
const transient = (err: ApiRequestError) =>
  err.status === undefined || err.status === 429 || err.status >= 500;

const count = (n: number) => n.toLocaleString('en-US');

/** "posted 2,550 of 2,550 talks (1,000 by an earlier run): 2,540 new, 10 duplicates, 0 failed; 52/s, 31s". */
export function formatSummary(s: LoadSummary, unit: string): string {
  const rate = s.perSecond >= 10 ? Math.round(s.perSecond) : s.perSecond.toFixed(1);
  return (
    `posted ${count(s.posted)} of ${count(s.total)} ${unit}` +
    (s.resumed > 0 ? ` (${count(s.resumed)} by an earlier run)` : '') +
    `: ${count(s.created)} new, ${count(s.duplicates)} duplicates, ${count(s.failed)} failed; ` +
    `${rate}/s, ${formatDuration(s.seconds)}`
  );
}

export async function batchLoad(
  items: AsyncIterable<unknown> | Iterable<unknown>,
  options: BatchLoadOptions,
): Promise<LoadSummary> {
  const out = options.stream ?? process.stderr;
  const tty = 'isTTY' in out && out.isTTY === true;
  const { statePath, unit } = options;
  if (statePath && options.restart) rmSync(statePath, { force: true });
  const earlier = statePath ? readState(statePath, options.identity) : undefined;
  const state: LoadState = earlier ?? {
    version: 1,
    identity: options.identity,
    done: 0,
    created: 0,
    duplicates: 0,
    failed: [],
  };
  /** Refused by an earlier run: posted again (the input may have been corrected since). */
  let again = state.failed;
  const resumed = state.done - sizeOf(again);
  if (earlier)
    out.write(
      `resuming: ${count(resumed)} of ${count(options.total)} ${unit} were posted by an earlier run` +
        (again.length > 0 ? `, ${count(sizeOf(again))} it could not post are posted again` : '') +
        ` (state in ${statePath}; --restart to post everything again)\n`,
    );

  const started = Date.now();
  let handled = resumed;
  const bar = progress({ unit, total: options.total, initial: resumed, stream: out });
  const summary = (): LoadSummary => {
    const seconds = (Date.now() - started) / 1000;
    const failed = sizeOf(state.failed);
    return {
      total: options.total,
      posted: state.done - failed,
      created: state.created,
      duplicates: state.duplicates,
      failed,
      resumed,
      seconds,
      perSecond: seconds > 0 ? (handled - resumed) / seconds : 0,
      failures: state.failed,
    };
  };
  /** Why to run the command again, after any stop: what is kept, where. */
  const resumeHint = () =>
    statePath
      ? `${count(summary().posted)} of ${count(options.total)} ${unit} are posted; run the same command again to resume after them (state in ${statePath})`
      : `${count(summary().posted)} of ${count(options.total)} ${unit} are posted; running the same command again posts them again as duplicates`;

  // Ctrl-C: the state is written after every batch; say where the load stands and how to go on.
  const onSignal = (signal: NodeJS.Signals) => {
    bar.finish();
    out.write(`interrupted: ${formatSummary(summary(), unit)}\n${resumeHint()}\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  let batch: { index: number; item: unknown }[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const indices = batch.map((b) => b.index);
    const outcome = await post(
      batch.map((b) => b.item),
      indices,
    );
    // Earlier refusals now handled leave the list; this batch's refusal joins it.
    again = again.filter((r) => !indices.some((i) => i >= r.from && i < r.to));
    state.failed = [
      ...state.failed.filter((r) => !indices.some((i) => i >= r.from && i < r.to)),
      ...(outcome.refused ? rangesOf(indices, outcome.refused) : []),
    ];
    state.created += outcome.created;
    state.duplicates += outcome.duplicates;
    state.done = Math.max(state.done, indices.at(-1)! + 1);
    if (statePath) writeState(statePath, state);
    handled += batch.length;
    bar.update(handled);
    batch = [];
  };

  const post = async (
    assets: unknown[],
    indices: number[],
  ): Promise<{ created: number; duplicates: number; refused?: string }> => {
    const delays = options.retryDelaysMs ?? RETRY_DELAYS_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await apiRequest(
          options.url,
          options.key,
          'POST',
          `/v1/assets/batch${options.wait ? '?wait=true' : ''}`,
          { assets },
        );
        const body = (await res.json()) as { created: number; duplicates: number };
        return { created: body.created, duplicates: body.duplicates };
      } catch (err) {
        if (!(err instanceof ApiRequestError)) throw err;
        const where = `${unit} ${count(indices[0]! + 1)}–${count(indices.at(-1)! + 1)}`;
        if (refusedBatch(err)) return { created: 0, duplicates: 0, refused: `${where}: ${err.message}` };
        const delay = delays[attempt];
        if (!transient(err) || delay === undefined)
          throw new CliError(
            `${err.message}${transient(err) ? ` (${attempt + 1} attempts at ${where})` : ''}; ${resumeHint()}`,
            { cause: err },
          );
        const wait =
          err.retryAfterSeconds !== undefined ? Math.min(60_000, err.retryAfterSeconds * 1000) : delay;
        // On a terminal, below the bar, which then goes on on the next line.
        out.write(
          `${tty ? '\n' : ''}${where}: ${err.message}; trying again in ${formatDuration(wait / 1000)}\n`,
        );
        await sleep(wait);
      }
    }
  };

  try {
    let index = 0;
    for await (const item of items) {
      if (index >= state.done || inRanges(again, index)) {
        batch.push({ index, item });
        if (batch.length >= options.batchSize) await flush();
      }
      index++;
    }
    await flush();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    // The last count stays on screen, above any error.
    bar.finish();
  }
  const result = summary();
  out.write(`${formatSummary(result, unit)}\n`);
  // Done: a state left behind would make the next run of the same command skip everything. One
  // with refused ranges stays, so that the next run posts those alone.
  if (statePath && result.failed === 0) rmSync(statePath, { force: true });
  return result;
}

/** The failure to end a load with when the API refused some of it: which, why, and what to do. */
export function refusedError(
  summary: LoadSummary,
  unit: string,
  statePath: string | null,
): CliError | undefined {
  const first = summary.failures[0];
  if (!first) return undefined;
  return new CliError(
    `the API refused ${count(summary.failed)} ${unit} (${first.reason}${summary.failures.length > 1 ? `; ${summary.failures.length - 1} more range(s)` : ''}): correct them, then run the same command again` +
      (statePath ? ` to post only those (state in ${statePath})` : ''),
  );
}
