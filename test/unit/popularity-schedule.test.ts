import { describe, expect, it, vi } from 'vitest';
import type { PopularityRun } from '../../services/popularity-service.js';
import { PopularitySchedule } from '../../workers/popularity-schedule.js';

const done = (over: Partial<PopularityRun> = {}): PopularityRun => ({
  tenants: 1,
  assets: 0,
  cleared: 0,
  failed: [],
  ...over,
});

describe('PopularitySchedule', () => {
  it('runs once at start, through the wrapper, and stop waits for the run', async () => {
    let finish: (run: PopularityRun) => void = () => {};
    const recomputeAll = vi.fn(() => new Promise<PopularityRun>((resolve) => (finish = resolve)));
    let wrapped = 0;
    const wrap = <T>(fn: () => Promise<T>) => {
      wrapped++;
      return fn();
    };
    const schedule = new PopularitySchedule({ recomputeAll }, { intervalMs: 0, wrap });
    schedule.start();
    schedule.start();
    expect(recomputeAll).toHaveBeenCalledTimes(1);
    expect(wrapped).toBe(1);
    let stopped = false;
    const stopping = schedule.stop().then(() => (stopped = true));
    await Promise.resolve();
    expect(stopped).toBe(false);
    finish(done());
    await stopping;
    expect(stopped).toBe(true);
  });

  it('logs a failed run and the tenants that failed, without throwing', async () => {
    const warn = vi.fn();
    const failing = new PopularitySchedule(
      { recomputeAll: () => Promise.reject(new Error('store away')) },
      { intervalMs: 0, log: { info: vi.fn(), warn } },
    );
    failing.start();
    await failing.stop();
    const partial = new PopularitySchedule(
      { recomputeAll: () => Promise.resolve(done({ failed: ['t1'] })) },
      { intervalMs: 0, log: { info: vi.fn(), warn } },
    );
    partial.start();
    await partial.stop();
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls[1]![0]).toMatchObject({ failed: ['t1'] });
  });
});
