import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import { constants as osConstants } from 'node:os';
import { Redis } from 'ioredis';
import { freePort, stopChild } from '../scripts/lib/processes.js';

/** Resident set (current and peak, bytes) of a process, from /proc (Linux). */
export function memoryOf(pid: number): { rss: number; peak: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) =>
      Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rss: kb('VmRSS'), peak: kb('VmHWM') };
  } catch {
    return null;
  }
}

/**
 * Every child this harness started and has not yet seen exit. A run that ends any way at all
 * (an exception past the suites' `finally`, Ctrl-C, a SIGTERM from a test runner's timeout) must
 * not leave an API or a bare Fastify server holding a port and a database.
 */
const live = new Set<ChildProcess>();
let guarded = false;

function track(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (guarded) return;
  guarded = true;
  // 'exit' handlers run synchronously: SIGKILL is all there is time for.
  process.once('exit', () => {
    for (const c of live) c.kill('SIGKILL');
  });
  // A signal would end the harness without 'exit' handlers; stop the children, then end as the
  // signal would have (128 + its number). A second signal (an impatient Ctrl-C) ends it at once,
  // through 'exit', which SIGKILLs what is left.
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      const code = 128 + osConstants.signals[signal];
      if (stopping) process.exit(code);
      stopping = true;
      void stopAll().finally(() => process.exit(code));
    });
  }
}

/** SIGTERM to every live child, SIGKILL to those still running 10 s later. */
async function stopAll(): Promise<void> {
  await Promise.all([...live].map((c) => stopChild(c, 10_000)));
}

/** The harness's environment with `env` on top and `unset` taken out. */
function childEnvOf(env: Record<string, string>, unset: string[] = []): Record<string, string | undefined> {
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env };
  for (const name of unset) delete childEnv[name];
  return childEnv;
}

export interface Service {
  url: string;
  pid: number;
  memory(): { rss: number; peak: number } | null;
  /** The last few kilobytes the process wrote to stderr, and whether it still runs. */
  diagnostics(): string;
  stop(): Promise<void>;
}

/**
 * Starts `node --import tsx <script>` (node itself, so the pid is the measured process) on a free
 * port and waits until `readyPath` answers, or, for a process without HTTP (a worker), until its
 * output matches `readyOutput`.
 */
export async function startService(
  script: string,
  env: Record<string, string>,
  readyPath: string,
  options: { unset?: string[]; timeoutMs?: number; nodeArgs?: string[]; readyOutput?: RegExp } = {},
): Promise<Service> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), '--import', 'tsx', script],
    {
      env: childEnvOf({ ...env, PORT: String(port), HOST: '127.0.0.1' }, options.unset),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  track(child);
  // The service logs (pino) to stdout, crashes to stderr: keep the tail of both for diagnostics.
  let stderr = '';
  const keep = (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-8_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}: ${stderr}`);
    if (options.readyOutput) {
      if (options.readyOutput.test(stderr)) break;
    } else {
      try {
        const res = await fetch(url + readyPath);
        await res.arrayBuffer();
        if (res.ok) break;
      } catch {
        // not listening yet
      }
    }
    if (Date.now() > deadline) {
      await stopChild(child, 0);
      throw new Error(`${script} did not answer ${readyPath} within ${timeoutMs} ms: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    pid: child.pid!,
    memory: () => memoryOf(child.pid!),
    diagnostics: () =>
      `${script} ${child.exitCode === null ? 'still running' : `exited with ${child.exitCode}`}; output: ${stderr || '(empty)'}`,
    stop: () => stopChild(child, 20_000),
  };
}

/** Runs a load generator (bench/http-load.ts unless told) in a child process and returns what it printed. */
export async function runLoad<T>(spec: object, script = 'bench/http-load.ts'): Promise<T> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(spec)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  track(child);
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const [code] = (await once(child, 'exit')) as [number];
  if (code !== 0) throw new Error(`load generator exited with ${code}`);
  return JSON.parse(out.trim().split('\n').at(-1)!) as T;
}

/** The run's own queue keys (finished jobs stay in Redis otherwise). */
export async function deleteQueueKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1_000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/**
 * `npm run worker` (workers/main.ts: a supervisor and `processes` worker processes) with this
 * environment on top of the harness's; resolves once every worker process said it is ready.
 */
export async function startWorkerProcesses(
  env: Record<string, string>,
  processes: number,
  options: { unset?: string[]; timeoutMs?: number } = {},
): Promise<{ pid: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
    // The ready lines are info; nothing else of the workers' is logged at info per job.
    env: childEnvOf({ ...env, WORKER_PROCESSES: String(processes), LOG_LEVEL: 'info' }, options.unset),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
  let output = '';
  let ready = 0;
  let line = '';
  child.stdout.on('data', (d: Buffer) => {
    const text = d.toString();
    // Counted by whole lines: a ready line may arrive split over two chunks.
    const lines = (line + text).split('\n');
    line = lines.pop()!;
    ready += lines.filter((l) => l.includes('"msg":"worker ready"')).length;
    output = (output + text).slice(-8_000);
  });
  child.stderr.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-8_000)));
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  while (ready < processes) {
    if (child.exitCode !== null) throw new Error(`workers/main.ts exited with ${child.exitCode}: ${output}`);
    if (Date.now() > deadline) {
      await stopChild(child, 0);
      throw new Error(`${ready} of ${processes} worker processes were ready in time: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  // The supervisor waits for its children to drain; past SHUTDOWN_TIMEOUT_MS it kills them itself.
  return { pid: child.pid!, stop: () => stopChild(child, 60_000) };
}
