import type { ClickLearningService } from '../services/click-learning-service.js';

export interface ClickLearningScheduleOptions {
  /** 0: only the run at start. */
  intervalMs: number;
  log?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  /** Wraps each run: the container runs it outside a tenant scope, as background work. */
  wrap?: <T>(fn: () => Promise<T>) => Promise<T>;
}

/**
 * Recomputes every tenant's click boosts once at start and every `intervalMs` in a process that
 * runs workers. Runs never overlap; a failed run is logged and the next one runs on time. Several
 * processes each run their own: a run replaces a tenant's boosts whole, so the last one stands.
 */
export class ClickLearningSchedule {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly learning: Pick<ClickLearningService, 'recomputeAll'>,
    private readonly options: ClickLearningScheduleOptions,
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

  /** Runs now (unless a run is in progress) and resolves when that run is over. */
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
      const report = await wrap(() => this.learning.recomputeAll());
      if (report.failed.length > 0) log?.warn(report, 'click learning: some tenants failed');
      else if (report.boosts > 0) log?.info(report, 'click learning: boosts recomputed');
    } catch (err) {
      log?.warn({ err }, 'click learning failed; the next run is on schedule');
    }
  }
}
