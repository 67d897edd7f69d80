import type { DriftReport, DriftService } from '../services/drift-service.js';

export interface DriftScheduleOptions {
  intervalMs: number;
  /** Repair what each check finds, as `npm run drift -- --repair` does. */
  repair: boolean;
  log?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

/**
 * Runs the drift check every `intervalMs` in a process that runs workers, so that the drift gauge of
 * /metrics stays current without a cron job (with embedded PGlite no second process may open the
 * database, so `npm run drift` cannot run beside the service). Checks never overlap; a failed check
 * is logged and the next one runs on time. Several processes each run their own: repair is idempotent.
 */
export class DriftSchedule {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly drift: Pick<DriftService, 'check'>,
    private readonly options: DriftScheduleOptions,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.run().finally(() => {
        this.running = null;
      });
    }, this.options.intervalMs);
    // The schedule alone does not keep the process alive.
    this.timer.unref();
  }

  /** Stops scheduling and waits for a check in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private async run(): Promise<void> {
    try {
      const report: DriftReport = await this.drift.check({ repair: this.options.repair });
      if (report.total > 0) {
        this.options.log?.warn(
          { counts: report.counts, repaired: report.repaired, unrepaired: report.unrepaired },
          'projections drifted from the canonical assets',
        );
      } else this.options.log?.info({ assets: report.assets }, 'drift check: projections match');
    } catch (err) {
      this.options.log?.warn({ err }, 'drift check failed; the next one runs on schedule');
    }
  }
}
