import type { CoViewService } from '../services/co-view-service.js';

export interface CoViewScheduleOptions {
  /** 0: only the run at start. */
  intervalMs: number;
  log?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  /** Wraps each run: the container runs it outside a tenant scope, as background work. */
  wrap?: <T>(fn: () => Promise<T>) => Promise<T>;
}

/**
 * Recomputes "viewers also watched" (services/co-view-service.ts) once at start and every
 * `intervalMs` in a process that runs workers: a bounded number of pages per tenant per run, the
 * next run continuing. Runs never overlap; a failed run is logged and the next one runs on time.
 * Several processes each run their own: a page written twice is written the same.
 */
export class CoViewSchedule {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly coViews: Pick<CoViewService, 'recomputeAll'>,
    private readonly options: CoViewScheduleOptions,
  ) {}

  start(): void {
    if (this.timer || this.running) return;
    this.tick();
    if (this.options.intervalMs <= 0) return;
    this.timer = setInterval(() => this.tick(), this.options.intervalMs);
    // The schedule alone does not keep the process alive.
    this.timer.unref();
  }

  /** Stops scheduling and waits for a run in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One run now (unless one is in progress, which it waits for instead). */
  runNow(): Promise<void> {
    this.tick();
    return this.running ?? Promise.resolve();
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.run().finally(() => {
      this.running = null;
    });
  }

  private async run(): Promise<void> {
    const { log, wrap = (fn) => fn() } = this.options;
    try {
      const report = await wrap(() => this.coViews.recomputeAll());
      if (report.failed.length > 0) log?.warn(report, 'co-views: some tenants failed');
      else if (report.runs.some((r) => r.anchors > 0)) log?.info(report, 'co-views: recomputed');
    } catch (err) {
      log?.warn({ err }, 'co-view recomputation failed; the next run is on schedule');
    }
  }
}
