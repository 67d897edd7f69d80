import type { ClickLearningService } from '../services/click-learning-service.js';
import type { CoViewService } from '../services/co-view-service.js';
import type { DriftService } from '../services/drift-service.js';
import type { EventPrivacyService } from '../services/event-privacy-service.js';
import type { PopularityService } from '../services/popularity-service.js';
import { IntervalSchedule, type ScheduleLog } from './interval-schedule.js';

/*
 * The background work a process that runs workers does on a timer, each an IntervalSchedule
 * (interval-schedule.ts) around one service method, with what its run reports. Each is idempotent,
 * so several processes may run their own.
 */

export interface ScheduleOptions {
  /** 0: only the run at start. */
  intervalMs: number;
  log?: ScheduleLog;
  /** Wraps each run: the container runs it outside a tenant scope, as background work. */
  wrap?: <T>(fn: () => Promise<T>) => Promise<T>;
}

/** Every tenant's popularity and trending (docs/popularity.md): rows carry their run's time, and nothing older overwrites anything newer. */
export function schedulePopularity(
  popularity: Pick<PopularityService, 'recomputeAll'>,
  options: ScheduleOptions,
): IntervalSchedule {
  const { log } = options;
  return new IntervalSchedule(
    async () => {
      const report = await popularity.recomputeAll();
      if (report.failed.length > 0) log?.warn(report, 'popularity: some tenants failed');
      else if (report.assets + report.cleared > 0) log?.info(report, 'popularity: recomputed');
    },
    { name: 'popularity run', ...options },
  );
}

/** "Viewers also watched" (docs/graph.md, "Co-views"): a bounded number of pages per tenant per run, the next run continuing. */
export function scheduleCoViews(
  coViews: Pick<CoViewService, 'recomputeAll'>,
  options: ScheduleOptions,
): IntervalSchedule {
  const { log } = options;
  return new IntervalSchedule(
    async () => {
      const report = await coViews.recomputeAll();
      if (report.failed.length > 0) log?.warn(report, 'co-views: some tenants failed');
      else if (report.runs.some((r) => r.anchors > 0)) log?.info(report, 'co-views: recomputed');
    },
    { name: 'co-view recomputation', ...options },
  );
}

/** Every tenant's click boosts (docs/clicks.md): a run replaces a tenant's boosts whole, so the last one stands. */
export function scheduleClickLearning(
  learning: Pick<ClickLearningService, 'recomputeAll'>,
  options: ScheduleOptions,
): IntervalSchedule {
  const { log } = options;
  return new IntervalSchedule(
    async () => {
      const report = await learning.recomputeAll();
      if (report.failed.length > 0) log?.warn(report, 'click learning: some tenants failed');
      else if (report.boosts > 0) log?.info(report, 'click learning: boosts recomputed');
    },
    { name: 'click learning', ...options },
  );
}

/** Each tenant's raw-event retention (docs/events.md, "Privacy"): expiring what is already gone is a no-op. */
export function scheduleEventRetention(
  privacy: Pick<EventPrivacyService, 'expireAll'>,
  options: ScheduleOptions,
): IntervalSchedule {
  const { log } = options;
  return new IntervalSchedule(
    async () => {
      const report = await privacy.expireAll();
      if (report.failed.length > 0) log?.warn(report, 'raw-event retention: some tenants failed');
      else if (report.expired > 0) log?.info(report, 'raw-event retention: expired raw events');
    },
    { name: 'raw-event retention', ...options },
  );
}

export interface DriftScheduleOptions {
  /** 0: no timer (only the check at start, when asked for). */
  intervalMs: number;
  /** Repair what each scheduled check finds, as `npm run drift -- --repair` does. */
  repair: boolean;
  /**
   * Check and repair once at start. With the in-process queue, whatever changed before the process
   * started is judged at once (`changedBefore`): the jobs that were to move it died with the process.
   */
  atStart?: { changedBefore?: Date } | undefined;
  log?: ScheduleLog;
}

/**
 * The drift check, so that the drift gauge of /metrics stays current without a cron job (with
 * embedded PGlite no second process may open the database, so `npm run drift` cannot run beside
 * the service). Repair is idempotent. `runningAtStart()` says the check at start is not over: until
 * it is, the projections are not known to be current.
 */
export function scheduleDrift(
  drift: Pick<DriftService, 'check'>,
  options: DriftScheduleOptions,
): IntervalSchedule {
  const { atStart, repair, log } = options;
  return new IntervalSchedule(
    async (run) => {
      const report = await drift.check(run.atStart ? { repair: true, ...atStart } : { repair });
      if (report.total > 0) {
        const { counts, stuck, repaired, unrepaired } = report;
        log?.warn({ counts, stuck, repaired, unrepaired }, 'projections drifted from the canonical assets');
      } else log?.info({ assets: report.assets }, 'drift check: projections match');
    },
    { name: 'drift check', intervalMs: options.intervalMs, atStart: atStart !== undefined, log },
  );
}
