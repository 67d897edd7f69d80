import { describe, expect, it, vi } from 'vitest';
import type { DriftOptions, DriftReport } from '../../services/drift-service.js';
import { scheduleDrift, scheduleTenantRun, tenantRuns } from '../../workers/schedules.js';

const logger = () => ({ info: vi.fn(), warn: vi.fn() });

describe('the scheduled runs', () => {
  it('each logs the tenants that failed as a warning, and work done as info', async () => {
    const cases = [
      {
        make: (report: object, log: ReturnType<typeof logger>) =>
          scheduleTenantRun(tenantRuns.popularity({ recomputeAll: () => Promise.resolve(report as never) }), {
            intervalMs: 0,
            log,
          }),
        warned: 'popularity: some tenants failed',
        failed: { tenants: 2, assets: 3, cleared: 0, failed: ['t1'] },
        done: { tenants: 2, assets: 3, cleared: 1, failed: [] },
        idle: { tenants: 2, assets: 0, cleared: 0, failed: [] },
      },
      {
        make: (report: object, log: ReturnType<typeof logger>) =>
          scheduleTenantRun(tenantRuns.coViews({ recomputeAll: () => Promise.resolve(report as never) }), {
            intervalMs: 0,
            log,
          }),
        warned: 'co-views: some tenants failed',
        failed: { runs: [], failed: ['t1'] },
        done: { runs: [{ tenantId: 't', pages: 1, anchors: 4, pairs: 2, finished: true }], failed: [] },
        idle: { runs: [{ tenantId: 't', pages: 1, anchors: 0, pairs: 0, finished: true }], failed: [] },
      },
      {
        make: (report: object, log: ReturnType<typeof logger>) =>
          scheduleTenantRun(
            tenantRuns.clickLearning({ recomputeAll: () => Promise.resolve(report as never) }),
            { intervalMs: 0, log },
          ),
        warned: 'click learning: some tenants failed',
        failed: { tenants: 2, boosts: 5, failed: ['t1'] },
        done: { tenants: 2, boosts: 5, failed: [] },
        idle: { tenants: 2, boosts: 0, failed: [] },
      },
      {
        make: (report: object, log: ReturnType<typeof logger>) =>
          scheduleTenantRun(
            tenantRuns.eventRetention({ expireAll: () => Promise.resolve(report as never) }),
            {
              intervalMs: 0,
              log,
            },
          ),
        warned: 'raw-event retention: some tenants failed',
        failed: { tenants: 2, expired: 0, failed: ['t1'] },
        done: { tenants: 2, expired: 7, failed: [] },
        idle: { tenants: 2, expired: 0, failed: [] },
      },
      {
        make: (report: object, log: ReturnType<typeof logger>) =>
          scheduleTenantRun(
            tenantRuns.changeRetention({ pruneAll: () => Promise.resolve(report as never) }),
            {
              intervalMs: 0,
              log,
            },
          ),
        warned: 'change-log retention: some tenants failed',
        failed: { tenants: 2, removed: 4, failed: ['t1'] },
        done: { tenants: 2, removed: 4, failed: [] },
        idle: { tenants: 2, removed: 0, failed: [] },
      },
    ];
    for (const c of cases) {
      const log = logger();
      await c.make(c.failed, log).runNow();
      expect(log.warn).toHaveBeenCalledTimes(1);
      expect(log.warn.mock.calls[0]![0]).toMatchObject({ failed: ['t1'] });
      // The wording log-based alerts match on.
      expect(log.warn.mock.calls[0]![1]).toBe(c.warned);
      await c.make(c.done, log).runNow();
      expect(log.info).toHaveBeenCalledTimes(1);
      await c.make(c.idle, log).runNow();
      expect(log.info).toHaveBeenCalledTimes(1);
      expect(log.warn).toHaveBeenCalledTimes(1);
    }
  });

  it('the drift check repairs at start with its moment, then checks with the repair setting', async () => {
    const calls: DriftOptions[] = [];
    let release!: () => void;
    const drift = {
      check: (options: DriftOptions = {}) => {
        calls.push(options);
        return new Promise<DriftReport>(
          (resolve) => (release = () => resolve({ total: 0, assets: 3 } as DriftReport)),
        );
      },
    };
    const changedBefore = new Date('2026-01-01T00:00:00Z');
    const log = logger();
    const schedule = scheduleDrift(drift, { intervalMs: 0, repair: false, atStart: { changedBefore }, log });
    schedule.start();
    expect(schedule.runningAtStart()).toBe(true);
    release();
    await schedule.stop();
    expect(schedule.runningAtStart()).toBe(false);
    const later = schedule.runNow();
    release();
    await later;
    expect(calls).toEqual([{ repair: true, changedBefore }, { repair: false }]);
    expect(log.info).toHaveBeenCalledWith({ assets: 3 }, 'drift check: projections match');
  });

  it('without a check at start, the drift schedule runs nothing when started', async () => {
    const check = vi.fn(() => Promise.resolve({ total: 0, assets: 0 } as DriftReport));
    const schedule = scheduleDrift({ check }, { intervalMs: 0, repair: true, atStart: undefined });
    schedule.start();
    expect(schedule.runningAtStart()).toBe(false);
    await schedule.stop();
    expect(check).not.toHaveBeenCalled();
  });

  it('reports drift found as a warning with its counts', async () => {
    const log = logger();
    const report = { total: 2, counts: { search: { missing: 2 } }, stuck: 0, repaired: null, unrepaired: [] };
    await scheduleDrift(
      { check: () => Promise.resolve(report as unknown as DriftReport) },
      { intervalMs: 0, repair: false, log },
    ).runNow();
    expect(log.warn).toHaveBeenCalledWith(
      { counts: report.counts, stuck: 0, repaired: null, unrepaired: [] },
      'projections drifted from the canonical assets',
    );
  });
});
