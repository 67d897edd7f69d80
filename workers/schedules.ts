import type { ChangeFeedService } from '../services/change-feed-service.js';
import type { ClickLearningService } from '../services/click-learning-service.js';
import type { ControllerService } from '../services/controller-service.js';
import type { CoViewService } from '../services/co-view-service.js';
import type { DriftService } from '../services/drift-service.js';
import type { EventPrivacyService } from '../services/event-privacy-service.js';
import type { MetadataService } from '../services/metadata-service.js';
import type { LifecycleRulesService } from '../services/lifecycle-rules-service.js';
import type { PopularityService } from '../services/popularity-service.js';
import type { RelatedTextService } from '../services/related-text-service.js';
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

/** What a run over every tenant reports: the tenants whose work failed, and the rest of its report. */
interface TenantRunReport {
  failed: readonly string[];
}

/** One kind of run over every tenant: its name, the call, and what in its report counts as work done. */
export interface TenantRun<R extends TenantRunReport> {
  name: string;
  /** What its log lines start with, e.g. "popularity" ("popularity: some tenants failed"). */
  what: string;
  run: () => Promise<R>;
  /** Logged at info when true; a run that did nothing logs nothing. */
  worked: (report: R) => boolean;
  /** The info message, e.g. "popularity: recomputed". */
  done: string;
}

/** A run over every tenant on a timer: failed tenants are logged as a warning, work done as info. */
export function scheduleTenantRun<R extends TenantRunReport>(
  task: TenantRun<R>,
  options: ScheduleOptions,
): IntervalSchedule {
  const { log } = options;
  return new IntervalSchedule(
    async () => {
      const report = await task.run();
      if (report.failed.length > 0) log?.warn(report, `${task.what}: some tenants failed`);
      else if (task.worked(report)) log?.info(report, task.done);
    },
    { name: task.name, ...options },
  );
}

/** The runs over every tenant that a process running workers makes on a timer. */
export const tenantRuns = {
  /** Popularity and trending (docs/popularity.md): rows carry their run's time, and nothing older overwrites anything newer. */
  popularity: (popularity: Pick<PopularityService, 'recomputeAll'>) =>
    ({
      name: 'popularity run',
      what: 'popularity',
      run: () => popularity.recomputeAll(),
      worked: (r) => r.assets + r.cleared > 0,
      done: 'popularity: recomputed',
    }) satisfies TenantRun<Awaited<ReturnType<PopularityService['recomputeAll']>>>,

  /** "Viewers also watched" (docs/graph.md, "Co-views"): a bounded number of pages per tenant per run, the next run continuing. */
  coViews: (coViews: Pick<CoViewService, 'recomputeAll'>) =>
    ({
      name: 'co-view recomputation',
      what: 'co-views',
      run: () => coViews.recomputeAll(),
      worked: (r) => r.runs.some((run) => run.anchors > 0),
      done: 'co-views: recomputed',
    }) satisfies TenantRun<Awaited<ReturnType<CoViewService['recomputeAll']>>>,

  /** The text signal kept per asset version (docs/graph.md): the oldest rows computed again, a bounded number per tenant per run. */
  relatedText: (relatedText: Pick<RelatedTextService, 'refreshAll'>) =>
    ({
      name: 'related text refresh',
      what: 'related text',
      run: () => relatedText.refreshAll(),
      worked: (r) => r.runs.some((run) => run.refreshed + run.removed > 0),
      done: 'related text: refreshed',
    }) satisfies TenantRun<Awaited<ReturnType<RelatedTextService['refreshAll']>>>,

  /** Click boosts (docs/clicks.md): a run replaces a tenant's boosts whole, so the last one stands. */
  clickLearning: (learning: Pick<ClickLearningService, 'recomputeAll'>) =>
    ({
      name: 'click learning',
      what: 'click learning',
      run: () => learning.recomputeAll(),
      worked: (r) => r.boosts > 0,
      done: 'click learning: boosts recomputed',
    }) satisfies TenantRun<Awaited<ReturnType<ClickLearningService['recomputeAll']>>>,

  /**
   * Ingress controllers (docs/connectors.md): each tick reads the controllers, so a change of
   * interval or a disabling takes effect at the next tick, without a restart. A run holds its
   * controller under a lease, so several processes ticking at once run each due one once.
   */
  controllers: (controllers: Pick<ControllerService, 'syncDue'>) =>
    ({
      name: 'controller sync',
      what: 'controllers',
      run: () => controllers.syncDue(),
      worked: (r) => r.ran > 0,
      done: 'controllers: synced',
    }) satisfies TenantRun<Awaited<ReturnType<ControllerService['syncDue']>>>,

  /**
   * Lifecycle rules (docs/lifecycle.md#lifecycle-rules): each tick starts a run, a background job,
   * for each tenant with an active rule whose last run started more than LIFECYCLE_INTERVAL_MS ago.
   */
  lifecycleRules: (rules: Pick<LifecycleRulesService, 'runDue'>) =>
    ({
      name: 'lifecycle rules',
      what: 'lifecycle rules',
      run: () => rules.runDue(),
      worked: (r) => r.started > 0,
      done: 'lifecycle rules: runs started',
    }) satisfies TenantRun<Awaited<ReturnType<LifecycleRulesService['runDue']>>>,

  /**
   * Metadata retention (docs/metadata.md#retention): rolling kinds lose records past their window,
   * the newest per target kept; a bounded number per kind and run, the next run continuing.
   */
  metadataRetention: (metadata: Pick<MetadataService, 'compact'>) =>
    ({
      name: 'metadata retention',
      what: 'metadata retention',
      run: () => metadata.compact(),
      worked: (r) => r.removed > 0,
      done: 'metadata retention: compacted',
    }) satisfies TenantRun<Awaited<ReturnType<MetadataService['compact']>>>,

  /**
   * Change-log retention (docs/change-feeds.md, "Retention"): entries past CHANGES_RETENTION_DAYS
   * deleted behind each tenant's horizon, a bounded number per tenant and run, the next continuing.
   */
  changeRetention: (changes: Pick<ChangeFeedService, 'pruneAll'>) =>
    ({
      name: 'change-log retention',
      what: 'change-log retention',
      run: () => changes.pruneAll(),
      worked: (r) => r.removed > 0,
      done: 'change-log retention: pruned',
    }) satisfies TenantRun<Awaited<ReturnType<ChangeFeedService['pruneAll']>>>,

  /** Raw-event retention (docs/events.md, "Privacy"): expiring what is already gone is a no-op. */
  eventRetention: (privacy: Pick<EventPrivacyService, 'expireAll'>) =>
    ({
      name: 'raw-event retention',
      what: 'raw-event retention',
      run: () => privacy.expireAll(),
      worked: (r) => r.expired > 0,
      done: 'raw-event retention: expired raw events',
    }) satisfies TenantRun<Awaited<ReturnType<EventPrivacyService['expireAll']>>>,
};

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
