import { afterEach, describe, expect, it, vi } from 'vitest';
import { IntervalSchedule } from '../../workers/interval-schedule.js';

/** A task whose runs finish when the test says so. */
function controlled() {
  const runs: { atStart: boolean }[] = [];
  const finishers: (() => void)[] = [];
  const task = vi.fn((run: { atStart: boolean }) => {
    runs.push(run);
    return new Promise<void>((resolve) => finishers.push(resolve));
  });
  return { task, runs, finish: () => finishers.shift()?.() };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('IntervalSchedule', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs once at start through the wrapper; a second start does nothing; stop waits for the run', async () => {
    const { task, runs, finish } = controlled();
    let wrapped = 0;
    const wrap = <T>(fn: () => Promise<T>) => {
      wrapped++;
      return fn();
    };
    const schedule = new IntervalSchedule(task, { name: 'work', intervalMs: 0, wrap });
    schedule.start();
    schedule.start();
    expect(runs).toEqual([{ atStart: true }]);
    expect(wrapped).toBe(1);
    expect(schedule.runningAtStart()).toBe(true);
    let stopped = false;
    const stopping = schedule.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    finish();
    await stopping;
    expect(stopped).toBe(true);
    expect(schedule.runningAtStart()).toBe(false);
  });

  it('ticks on its interval, never two runs at once, and stops ticking on stop', async () => {
    vi.useFakeTimers();
    const { task, runs, finish } = controlled();
    const schedule = new IntervalSchedule(task, { name: 'work', intervalMs: 100, atStart: false });
    schedule.start();
    expect(runs).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(100);
    expect(runs).toEqual([{ atStart: false }]);
    // Ticks while the run is in progress start nothing.
    await vi.advanceTimersByTimeAsync(350);
    expect(runs).toHaveLength(1);
    finish();
    await vi.advanceTimersByTimeAsync(100);
    expect(runs).toHaveLength(2);
    finish();
    await schedule.stop();
    await vi.advanceTimersByTimeAsync(1000);
    expect(runs).toHaveLength(2);
  });

  it('does not keep the process alive: its timer is unref’d', () => {
    const unref = vi.fn();
    const setIntervalSpy = vi
      .spyOn(globalThis, 'setInterval')
      .mockReturnValue({ unref } as unknown as ReturnType<typeof setInterval>);
    const clear = vi.spyOn(globalThis, 'clearInterval').mockImplementation(() => undefined);
    try {
      const schedule = new IntervalSchedule(() => Promise.resolve(), {
        name: 'work',
        intervalMs: 60_000,
        atStart: false,
      });
      schedule.start();
      expect(setIntervalSpy).toHaveBeenCalledWith(expect.any(Function), 60_000);
      expect(unref).toHaveBeenCalledTimes(1);
      void schedule.stop();
    } finally {
      setIntervalSpy.mockRestore();
      clear.mockRestore();
    }
  });

  it('runNow joins a run in progress instead of overlapping, and starts another once it is over', async () => {
    const { task, runs, finish } = controlled();
    const schedule = new IntervalSchedule(task, { name: 'work', intervalMs: 0 });
    schedule.start();
    const joined = schedule.runNow();
    expect(runs).toHaveLength(1);
    finish();
    await joined;
    const again = schedule.runNow();
    expect(runs).toEqual([{ atStart: true }, { atStart: false }]);
    finish();
    await again;
    await schedule.stop();
  });

  it('logs a failed run under its name, without throwing, and runs again on time', async () => {
    vi.useFakeTimers();
    const warn = vi.fn();
    let calls = 0;
    const schedule = new IntervalSchedule(
      () => (++calls === 1 ? Promise.reject(new Error('store away')) : Promise.resolve()),
      { name: 'popularity run', intervalMs: 50, log: { info: vi.fn(), warn } },
    );
    schedule.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(warn).toHaveBeenCalledWith(
      { err: expect.objectContaining({ message: 'store away' }) },
      'popularity run failed; the next run is on schedule',
    );
    await vi.advanceTimersByTimeAsync(50);
    expect(calls).toBe(2);
    await schedule.stop();
    expect(warn).toHaveBeenCalledTimes(1);
  });
});
