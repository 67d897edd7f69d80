import { describe, expect, it, vi } from 'vitest';
import type { CoViewService } from '../../services/co-view-service.js';
import { CoViewSchedule } from '../../workers/co-view-schedule.js';

type Report = Awaited<ReturnType<CoViewService['recomputeAll']>>;

describe('CoViewSchedule', () => {
  it('runs once at start through the wrapper; runNow joins a run in progress instead of overlapping', async () => {
    let finish: (r: Report) => void = () => {};
    const recomputeAll = vi.fn(() => new Promise<Report>((resolve) => (finish = resolve)));
    let wrapped = 0;
    const wrap = <T>(fn: () => Promise<T>) => {
      wrapped++;
      return fn();
    };
    const schedule = new CoViewSchedule({ recomputeAll }, { intervalMs: 0, wrap });
    schedule.start();
    const joined = schedule.runNow();
    expect(recomputeAll).toHaveBeenCalledTimes(1);
    expect(wrapped).toBe(1);
    finish({ runs: [], failed: [] });
    await joined;
    // Once the run is over, runNow starts another.
    const again = schedule.runNow();
    expect(recomputeAll).toHaveBeenCalledTimes(2);
    finish({ runs: [], failed: [] });
    await again;
    await schedule.stop();
  });

  it('logs a failed run and the tenants that failed, without throwing', async () => {
    const warn = vi.fn();
    const failing = new CoViewSchedule(
      { recomputeAll: () => Promise.reject(new Error('analytics away')) },
      { intervalMs: 0, log: { info: vi.fn(), warn } },
    );
    await failing.runNow();
    const partial = new CoViewSchedule(
      { recomputeAll: () => Promise.resolve({ runs: [], failed: ['t1'] }) },
      { intervalMs: 0, log: { info: vi.fn(), warn } },
    );
    await partial.runNow();
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls[1]![0]).toMatchObject({ failed: ['t1'] });
  });
});
