import { traced } from '../domain/tracing.js';

export interface ScheduleLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface IntervalScheduleOptions {
  /** Names the work in the log line of a failed run ("popularity run failed; …"). */
  name: string;
  /** 0: no timer (only the run at start, when there is one). */
  intervalMs: number;
  /** Run once when started (default true). */
  atStart?: boolean;
  log?: ScheduleLog;
  /** Wraps each run: the container runs background work outside a tenant scope and a request's turn. */
  wrap?: <T>(fn: () => Promise<T>) => Promise<T>;
}

/**
 * Runs `task` once at start (unless told not to) and every `intervalMs` in a process that runs
 * workers. Runs never overlap (a tick while one runs is skipped); a failed run is logged and the
 * next one runs on time; `stop` waits for a run in progress; the timer alone does not keep the
 * process alive. Several processes each run their own: every task given here is idempotent.
 */
export class IntervalSchedule {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private started = false;
  private startRun: 'none' | 'running' | 'done' = 'none';

  constructor(
    private readonly task: (run: { atStart: boolean }) => Promise<void>,
    private readonly options: IntervalScheduleOptions,
  ) {}

  start(): void {
    if (this.started) return;
    this.started = true;
    if (this.options.atStart ?? true) {
      this.startRun = 'running';
      this.tick(true);
    }
    if (this.options.intervalMs <= 0) return;
    this.timer = setInterval(() => this.tick(false), this.options.intervalMs);
    this.timer.unref();
  }

  /** The run at start has not finished yet. */
  runningAtStart(): boolean {
    return this.startRun === 'running';
  }

  /** One run now, unless one is in progress, which it waits for instead. */
  runNow(): Promise<void> {
    this.tick(false);
    return this.running ?? Promise.resolve();
  }

  /** Stops scheduling and waits for a run in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.started = false;
    await this.running;
  }

  private tick(atStart: boolean): void {
    if (this.running) return;
    this.running = this.run(atStart).finally(() => {
      this.running = null;
      if (atStart) this.startRun = 'done';
    });
  }

  private async run(atStart: boolean): Promise<void> {
    const { name, log, wrap = (fn) => fn() } = this.options;
    try {
      // Each run is a trace of its own (its statements' spans need a parent to be recorded).
      await traced(`schedule ${name}`, { root: true, attributes: { 'schedule.at_start': atStart } }, () =>
        wrap(() => this.task({ atStart })),
      );
    } catch (err) {
      log?.warn({ err }, `${name} failed; the next run is on schedule`);
    }
  }
}
