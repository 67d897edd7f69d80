import { describe, expect, it } from 'vitest';
import type { DriftOptions, DriftReport } from '../../services/drift-service.js';
import { DriftSchedule } from '../../workers/drift-schedule.js';

const clean = { total: 0, assets: 3 } as DriftReport;

describe('scheduled drift check', () => {
  it('checks on schedule with the repair setting, never two at once, and waits for a running one on stop', async () => {
    const calls: DriftOptions[] = [];
    let release!: () => void;
    let markStarted!: () => void;
    const started = new Promise<void>((r) => (markStarted = r));
    const drift = {
      check: (options: DriftOptions = {}) => {
        calls.push(options);
        markStarted();
        return new Promise<DriftReport>((resolve) => (release = () => resolve(clean)));
      },
    };
    const schedule = new DriftSchedule(drift, { intervalMs: 5, repair: true });
    schedule.start();
    await started;
    // Ticks pass while the first check runs: none starts a second.
    await new Promise((r) => setTimeout(r, 30));
    expect(calls).toEqual([{ repair: true }]);
    let stopped = false;
    const stopping = schedule.stop().then(() => (stopped = true));
    await new Promise((r) => setImmediate(r));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(calls).toHaveLength(1);
  });

  it('logs a failed check and keeps its schedule', async () => {
    const warnings: string[] = [];
    let calls = 0;
    let second!: () => void;
    const twice = new Promise<void>((r) => (second = r));
    const schedule = new DriftSchedule(
      {
        check: () => {
          calls++;
          if (calls === 2) second();
          return calls === 1 ? Promise.reject(new Error('graph unreachable')) : Promise.resolve(clean);
        },
      },
      { intervalMs: 5, repair: false, log: { info: () => undefined, warn: (_o, msg) => warnings.push(msg) } },
    );
    schedule.start();
    await twice;
    await schedule.stop();
    expect(warnings[0]).toMatch(/drift check failed/);
  });
});
