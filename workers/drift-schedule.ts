import type { DriftOptions, DriftReport, DriftService } from '../services/drift-service.js';

export interface DriftScheduleOptions {
  /** 0: no schedule (only the check at start, when asked for). */
  intervalMs: number;
  /** Repair what each check finds, as `npm run drift -- --repair` does. */
  repair: boolean;
  /**
   * Check and repair once at start. With the in-process queue, whatever changed before the process
   * started is judged at once (`changedBefore`): the jobs that were to move it died with the process.
   */
  atStart?: { changedBefore?: Date } | undefined;
  log?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

/**
 * Runs the drift check once at start when asked, and every `intervalMs` in a process that runs workers, so that the drift gauge of
 * /metrics stays current without a cron job (with embedded PGlite no second process may open the
 * database, so `npm run drift` cannot run beside the service). Checks never overlap; a failed check
 * is logged and the next one runs on time. Several processes each run their own: repair is idempotent.
 */
export class DriftSchedule {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private startupCheck: 'none' | 'running' | 'done' = 'none';

  constructor(
    private readonly drift: Pick<DriftService, 'check'>,
    private readonly options: DriftScheduleOptions,
  ) {}

  start(): void {
    if (this.timer || this.startupCheck !== 'none') return;
    const { atStart, intervalMs, repair } = this.options;
    if (atStart) {
      this.startupCheck = 'running';
      this.running = this.run({ repair: true, ...atStart }).finally(() => {
        this.startupCheck = 'done';
        this.running = null;
      });
    }
    if (intervalMs <= 0) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.run({ repair }).finally(() => {
        this.running = null;
      });
    }, intervalMs);
    // The schedule alone does not keep the process alive.
    this.timer.unref();
  }

  /** The check at start has not finished yet: until it has, the projections are not known to be current. */
  checkingAtStart(): boolean {
    return this.startupCheck === 'running';
  }

  /** Stops scheduling and waits for a check in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private async run(options: DriftOptions): Promise<void> {
    try {
      const report: DriftReport = await this.drift.check(options);
      if (report.total > 0) {
        this.options.log?.warn(
          {
            counts: report.counts,
            stuck: report.stuck,
            repaired: report.repaired,
            unrepaired: report.unrepaired,
          },
          'projections drifted from the canonical assets',
        );
      } else this.options.log?.info({ assets: report.assets }, 'drift check: projections match');
    } catch (err) {
      this.options.log?.warn({ err }, 'drift check failed; the next one runs on schedule');
    }
  }
}
