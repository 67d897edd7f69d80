import { spawn, spawnSync, type ChildProcess, type StdioOptions } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { allProcesses, freePort, killGroup, processStat } from '../../scripts/lib/processes.js';

export { freePort };

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Polls until `probe` answers something truthy and returns it; throws naming `what` when `timeoutMs`
 * runs out first.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | false | null | undefined>,
  { timeoutMs = 30_000, intervalMs = 100 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/**
 * Children this test file started and has not seen exit. The worker process that runs the file
 * SIGKILLs them as it exits, so a test that failed before its own teardown (or a runner that ended
 * the file early) leaves no server holding a port.
 */
const live = new Set<ChildProcess>();
/** Process groups (`detached` children) to kill whole as the worker exits. */
const liveGroups = new Set<number>();
let guarded = false;

function guardOnExit(): void {
  if (guarded) return;
  guarded = true;
  process.once('exit', () => {
    for (const c of live) c.kill('SIGKILL');
    for (const pgid of liveGroups) killGroup(pgid, 'SIGKILL');
  });
}

/** Tracks a child until it exits; the worker's exit SIGKILLs it if it still runs then. */
export function track<C extends ChildProcess>(child: C): C {
  guardOnExit();
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/**
 * The processes (not zombies) whose process group is `pgid`, read from /proc (Linux): a group
 * outlives its leader, so this finds what a killed leader left behind.
 */
export function processGroupMembers(pgid: number): number[] {
  return allProcesses()
    .filter((p) => p.group === pgid && p.state !== 'Z')
    .map((p) => p.pid);
}

export interface ProcessGroup {
  child: ChildProcess;
  /** What the leader wrote to stdout and stderr so far. */
  output(): { stdout: string; stderr: string };
  /** The leader's exit: its code, or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /**
   * Ends the whole group (the leader and every process it started, even those it left behind):
   * SIGTERM, then SIGKILL after `graceMs`; resolves once no process of the group is left.
   */
  stop(graceMs?: number): Promise<void>;
}

/**
 * A command in a process group of its own (`detached`), so that the test can end it and all it
 * started with one `process.kill(-pid)`, even after the leader died. The group is killed when
 * `timeoutMs` runs out, and as the worker exits.
 */
export function startProcessGroup(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; maxOutput?: number } = {},
): ProcessGroup {
  guardOnExit();
  const child = spawn(command, args, {
    cwd: root,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const pgid = child.pid!;
  liveGroups.add(pgid);
  const max = options.maxOutput ?? 10_000_000;
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout = (stdout + d.toString()).slice(-max)));
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-max)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => killGroup(pgid, 'SIGKILL'), options.timeoutMs).unref();
  // Once the group is empty its id may be reused by an unrelated process: forget it then, so that
  // neither the timeout nor the worker's exit signals that one.
  void exited.then(
    () => {
      if (processGroupMembers(pgid).length > 0) return;
      clearTimeout(timer);
      liveGroups.delete(pgid);
    },
    () => undefined,
  );
  const stop = async (graceMs = 10_000) => {
    clearTimeout(timer);
    if (liveGroups.has(pgid) && killGroup(pgid, 'SIGTERM')) {
      const deadline = Date.now() + graceMs;
      while (processGroupMembers(pgid).length > 0 && Date.now() < deadline) await sleep(100);
      killGroup(pgid, 'SIGKILL');
      await waitFor(
        'the process group to end',
        () => Promise.resolve(processGroupMembers(pgid).length === 0),
        {
          timeoutMs: 30_000,
        },
      );
    }
    liveGroups.delete(pgid);
  };
  return { child, output: () => ({ stdout, stderr }), exited, stop };
}

/**
 * A service entry point (`api/server.ts`, `workers/worker-process.ts`) in a child process, with only this
 * environment: nothing leaks in from the test run's own (DATABASE_URL, REDIS_URL).
 */
export function spawnService(
  entry: string,
  env: Record<string, string>,
  stdio: StdioOptions = 'ignore',
): ChildProcess {
  return track(
    spawn(process.execPath, ['--import', 'tsx', entry], {
      cwd: root,
      env: { PATH: process.env.PATH, ...env },
      stdio,
    }),
  );
}

/** Sends the signal (SIGKILL by default) and resolves once the process has exited. */
export async function killProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

/**
 * A redis-server of the test's own on a loopback port, so a suite can kill it and start it again
 * while the shared Redis other suites use stays up.
 */
export class RedisServer {
  private process: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    /** Where its append-only file lives, when it keeps one. */
    private readonly dir: string | undefined,
  ) {}

  static available(): boolean {
    return spawnSync('redis-server', ['--version']).status === 0;
  }

  /**
   * Starts one on a free port. `persistent` keeps an append-only file, as BullMQ needs in
   * production: a killed Redis then comes back with the jobs it had accepted. Without it, it comes
   * back empty.
   */
  static async start(options: { persistent?: boolean } = {}): Promise<RedisServer> {
    const dir = options.persistent ? mkdtempSync(join(tmpdir(), 'mdisc-redis-')) : undefined;
    const server = new RedisServer(await freePort(), dir);
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts it (again, on the same port) and waits until it answers PING. */
  async start(): Promise<void> {
    this.process = track(
      spawn(
        'redis-server',
        [
          ...['--port', String(this.port), '--bind', '127.0.0.1', '--save', ''],
          ...(this.dir ? ['--appendonly', 'yes', '--dir', this.dir] : ['--appendonly', 'no']),
        ],
        { stdio: 'ignore' },
      ),
    );
    await waitFor(
      'redis-server to answer PING',
      () =>
        Promise.resolve(
          spawnSync('redis-cli', ['-p', String(this.port), 'ping'])
            .stdout?.toString()
            .includes('PONG'),
        ),
      { timeoutMs: 5_000, intervalMs: 50 },
    );
  }

  /** Kills it (SIGKILL: an outage, not a shutdown) and waits until it is gone. */
  async kill(): Promise<void> {
    if (this.process) await killProcess(this.process);
  }

  /** Kills it for good and removes its files. */
  async remove(): Promise<void> {
    await this.kill();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The process and every descendant of it, read from /proc (Linux). */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const { pid: child, parent } of allProcesses()) {
    children.set(parent, [...(children.get(parent) ?? []), child]);
  }
  const tree: number[] = [];
  const visit = (p: number) => {
    tree.push(p);
    for (const c of children.get(p) ?? []) visit(c);
  };
  visit(pid);
  return tree;
}

/** Whether a process still runs: a zombie (exited, not yet reaped) does not. */
export function running(pid: number): boolean {
  const stat = processStat(pid);
  return stat !== null && stat.state !== 'Z';
}
