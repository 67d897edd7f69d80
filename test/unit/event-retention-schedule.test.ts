import { describe, expect, it, vi } from 'vitest';
import type { RetentionRun } from '../../services/event-privacy-service.js';
import { EventRetentionSchedule } from '../../workers/event-retention-schedule.js';

const done = (over: Partial<RetentionRun> = {}): RetentionRun => ({
  tenants: 1,
  expired: 0,
  failed: [],
  ...over,
});

describe('EventRetentionSchedule', () => {
  it('runs once at start, through the wrapper, and stop waits for the run', async () => {
    let finish: (run: RetentionRun) => void = () => {};
    const expireAll = vi.fn(() => new Promise<RetentionRun>((resolve) => (finish = resolve)));
    let wrapped = 0;
    const wrap = <T>(fn: () => Promise<T>) => {
      wrapped++;
      return fn();
    };
    const schedule = new EventRetentionSchedule({ expireAll }, { intervalMs: 0, wrap });
    schedule.start();
    schedule.start();
    expect(expireAll).toHaveBeenCalledTimes(1);
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
    const failing = new EventRetentionSchedule(
      { expireAll: () => Promise.reject(new Error('store away')) },
      { intervalMs: 0, log: { info: vi.fn(), warn } },
    );
    failing.start();
    await failing.stop();
    const partial = new EventRetentionSchedule(
      { expireAll: () => Promise.resolve(done({ failed: ['t1'] })) },
      { intervalMs: 0, log: { info: vi.fn(), warn } },
    );
    partial.start();
    await partial.stop();
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls[1]![0]).toMatchObject({ failed: ['t1'] });
  });
});
