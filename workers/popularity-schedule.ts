import type { PopularityService } from '../services/popularity-service.js';

export interface PopularityScheduleOptions {
  /** 0: only the run at start. */
  intervalMs: number;
  log?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  /** Wraps each run: the container runs it outside a tenant scope, as background work. */
  wrap?: <T>(fn: () => Promise<T>) => Promise<T>;
}

/**
 * Recomputes every tenant's popularity and trending (services/popularity-service.ts) once at start
 * and every `intervalMs` in a process that runs workers. Runs never overlap; a failed run is logged
 * and the next one runs on time. Several processes each run their own: rows carry their run's time,
 * and nothing older overwrites anything newer.
 */
export class PopularitySchedule {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly popularity: Pick<PopularityService, 'recomputeAll'>,
    private readonly options: PopularityScheduleOptions,
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

  private tick(): void {
    if (this.running) return;
    this.running = this.run().finally(() => {
      this.running = null;
    });
  }

  private async run(): Promise<void> {
    const { log, wrap = (fn) => fn() } = this.options;
    try {
      const report = await wrap(() => this.popularity.recomputeAll());
      if (report.failed.length > 0) log?.warn(report, 'popularity: some tenants failed');
      else if (report.assets + report.cleared > 0) log?.info(report, 'popularity: recomputed');
    } catch (err) {
      log?.warn({ err }, 'popularity run failed; the next run is on schedule');
    }
  }
}
