import type { EventPrivacyService } from '../services/event-privacy-service.js';

export interface EventRetentionScheduleOptions {
  /** 0: only the run at start. */
  intervalMs: number;
  log?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  /** Wraps each run: the container runs it outside a tenant scope, as background work. */
  wrap?: <T>(fn: () => Promise<T>) => Promise<T>;
}

/**
 * Applies each tenant's raw-event retention once at start and every `intervalMs` in a process that
 * runs workers. Runs never overlap; a failed run is logged and the next one runs on time. Several
 * processes each run their own: expiring what is already gone is a no-op.
 */
export class EventRetentionSchedule {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly privacy: Pick<EventPrivacyService, 'expireAll'>,
    private readonly options: EventRetentionScheduleOptions,
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
      const report = await wrap(() => this.privacy.expireAll());
      if (report.failed.length > 0) log?.warn(report, 'raw-event retention: some tenants failed');
      else if (report.expired > 0) log?.info(report, 'raw-event retention: expired raw events');
    } catch (err) {
      log?.warn({ err }, 'raw-event retention failed; the next run is on schedule');
    }
  }
}
