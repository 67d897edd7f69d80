import { spawn, spawnSync, type ChildProcess, type StdioOptions } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A free loopback port, for a server of the test's own. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

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
 * A service entry point (`api/server.ts`, `workers/main.ts`) in a child process, with only this
 * environment: nothing leaks in from the test run's own (DATABASE_URL, REDIS_URL).
 */
export function spawnService(
  entry: string,
  env: Record<string, string>,
  stdio: StdioOptions = 'ignore',
): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: root,
    env: { PATH: process.env.PATH, ...env },
    stdio,
  });
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
    this.process = spawn(
      'redis-server',
      [
        ...['--port', String(this.port), '--bind', '127.0.0.1', '--save', ''],
        ...(this.dir ? ['--appendonly', 'yes', '--dir', this.dir] : ['--appendonly', 'no']),
      ],
      { stdio: 'ignore' },
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
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // The command name, in parentheses, may hold spaces: the parent pid is the second field after it.
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
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
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
