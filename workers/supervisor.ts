import type { ChildProcess } from 'node:child_process';

export interface SupervisorLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface SupervisorOptions {
  /** Worker processes to keep running, one per slot (0 … processes-1). */
  processes: number;
  /** Starts the worker process of a slot. */
  start: (slot: number) => ChildProcess;
  log: SupervisorLog;
  /** First restart delay after a crash; each further crash in a row doubles it. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Restarts of one slot in a row (none ran `stableMs`); the crash after the last gives up. */
  maxCrashes?: number;
  /** A process that ran this long before it crashed starts its slot's count afresh. */
  stableMs?: number;
  /** After stop(), the longest wait for the children to drain before they are killed (0: no limit). */
  drainTimeoutMs?: number;
}

interface Slot {
  child: ChildProcess | null;
  startedAt: number;
  crashes: number;
  restart: NodeJS.Timeout | null;
}

/**
 * Keeps `processes` worker processes running: a child that exits while the supervisor is not
 * stopping is restarted with exponential backoff, and a slot that keeps crashing stops everything
 * (a broken deployment should fail loudly, not spin). `stop()` sends SIGTERM to every child, which
 * drains its jobs (BullMQ takes no new job, running ones finish), and waits for them all.
 * `done` resolves with the exit code the supervisor should end with.
 */
export class Supervisor {
  private readonly slots: Slot[];
  private stopping = false;
  private exitCode = 0;
  /** The drain timeout's SIGKILL, cleared once every child has exited. */
  private killer: NodeJS.Timeout | null = null;
  private resolveDone!: (code: number) => void;
  readonly done = new Promise<number>((resolve) => (this.resolveDone = resolve));

  constructor(private readonly options: SupervisorOptions) {
    this.slots = Array.from({ length: options.processes }, () => ({
      child: null,
      startedAt: 0,
      crashes: 0,
      restart: null,
    }));
  }

  start(): void {
    for (let slot = 0; slot < this.slots.length; slot++) this.spawn(slot);
  }

  /** The children running now, by slot (null while a slot waits to restart). */
  pids(): (number | null)[] {
    return this.slots.map((s) => s.child?.pid ?? null);
  }

  /** SIGTERM to every child; resolves once all have exited (SIGKILL past the drain timeout). */
  async stop(exitCode = 0): Promise<number> {
    if (!this.stopping) {
      this.stopping = true;
      this.exitCode = exitCode;
      const { drainTimeoutMs = 0, log } = this.options;
      this.killer =
        drainTimeoutMs > 0
          ? setTimeout(() => {
              log.error({ drainTimeoutMs }, 'worker processes did not drain in time: killing them');
              this.kill();
            }, drainTimeoutMs)
          : null;
      for (const s of this.slots) {
        if (s.restart) clearTimeout(s.restart);
        s.restart = null;
        s.child?.kill('SIGTERM');
      }
      this.settleWhenEmpty();
    }
    return this.done;
  }

  /** SIGKILL to every child (a second signal, or a drain that took too long). */
  kill(): void {
    void this.stop(1);
    for (const s of this.slots) s.child?.kill('SIGKILL');
  }

  private settleWhenEmpty(): void {
    if (this.slots.some((s) => s.child !== null)) return;
    if (this.killer) clearTimeout(this.killer);
    this.resolveDone(this.exitCode);
  }

  private spawn(slot: number): void {
    const { log } = this.options;
    const s = this.slots[slot]!;
    s.restart = null;
    const child = this.options.start(slot);
    s.child = child;
    s.startedAt = Date.now();
    log.info({ slot, pid: child.pid }, 'worker process started');
    child.once('exit', (code, signal) => this.exited(slot, child, code, signal));
    // A process that could not be started (EAGAIN, ENOMEM) emits no 'exit': a crash of its slot.
    child.once('error', (err) => {
      log.error({ slot, err }, 'worker process failed to start');
      this.exited(slot, child, null, null);
    });
  }

  private exited(
    slot: number,
    child: ChildProcess,
    code: number | null,
    signal: NodeJS.Signals | null,
  ): void {
    const { log, backoffMs = 1_000, maxBackoffMs = 30_000, maxCrashes = 5, stableMs = 60_000 } = this.options;
    const s = this.slots[slot]!;
    if (s.child !== child) return;
    s.child = null;
    if (this.stopping) {
      // Ended by the SIGTERM it was sent before it could handle it (just started): stopped as asked.
      if (code !== 0 && signal !== 'SIGTERM') this.exitCode = 1;
      log.info({ slot, pid: child.pid, code, signal }, 'worker process stopped');
      this.settleWhenEmpty();
      return;
    }
    s.crashes = Date.now() - s.startedAt >= stableMs ? 1 : s.crashes + 1;
    if (s.crashes > maxCrashes) {
      log.error(
        { slot, pid: child.pid, code, signal, crashes: s.crashes },
        'a worker process keeps crashing: stopping every worker process',
      );
      void this.stop(1);
      return;
    }
    const delay = Math.min(maxBackoffMs, backoffMs * 2 ** (s.crashes - 1));
    log.warn(
      { slot, pid: child.pid, code, signal, restartInMs: delay },
      'worker process exited; restarting it',
    );
    s.restart = setTimeout(() => this.spawn(slot), delay);
  }
}
