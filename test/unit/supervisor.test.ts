import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { Supervisor } from '../../workers/supervisor.js';
import { running, track, waitFor } from '../support/processes.js';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A node process running `script`, tracked so that it dies with the test's worker whatever happens. */
const node = (script: string): ChildProcess =>
  track(spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] }));
/** Resolves once the child's script has set its signal handlers (it says so last). */
const ready = (child: ChildProcess) => new Promise((resolve) => child.once('message', resolve));
/** Runs until told to stop, and takes a moment to drain on SIGTERM, as a worker process does. */
const WORKER = `process.on('SIGTERM', () => setTimeout(() => process.exit(0), 50)); setInterval(() => {}, 1000);`;

describe('the worker process supervisor', () => {
  const started: ChildProcess[] = [];
  const start = (script: (slot: number) => string) => (slot: number) => {
    const child = node(script(slot));
    started.push(child);
    return child;
  };
  afterEach(() => {
    for (const c of started) c.kill('SIGKILL');
    started.length = 0;
  });

  it('starts one process per slot, and stops them all on stop()', async () => {
    const sut = new Supervisor({ processes: 3, start: start(() => WORKER), log: quiet });
    sut.start();
    const pids = sut.pids();
    expect(pids.every((pid) => pid !== null && running(pid))).toBe(true);

    expect(await sut.stop()).toBe(0);
    expect(pids.filter((pid) => running(pid!))).toEqual([]);
  });

  it('restarts a process that died, in its slot', async () => {
    const sut = new Supervisor({ processes: 2, start: start(() => WORKER), log: quiet, backoffMs: 10 });
    sut.start();
    const [first, second] = sut.pids();
    process.kill(first!, 'SIGKILL');

    const restarted = await waitFor('slot 0 to run a new process', () => {
      const pid = sut.pids()[0] ?? null;
      return Promise.resolve(pid !== null && pid !== first && running(pid) ? pid : null);
    });
    expect(sut.pids()).toEqual([restarted, second]);
    expect(await sut.stop()).toBe(0);
  });

  it('gives up, stopping every process, when one keeps crashing, and ends with 1', async () => {
    const sut = new Supervisor({
      processes: 2,
      start: start((slot) => (slot === 1 ? 'process.exit(3)' : WORKER)),
      log: quiet,
      backoffMs: 5,
      maxCrashes: 3,
    });
    sut.start();
    const healthy = sut.pids()[0]!;

    expect(await sut.done).toBe(1);
    expect(running(healthy)).toBe(false);
    // The first start and three restarts of the crashing slot, one start of the healthy one.
    expect(started).toHaveLength(5);
  });

  it('kills a process that does not drain in time', async () => {
    const stubborn = `process.on('SIGTERM', () => {}); setInterval(() => {}, 1000); process.send('ready');`;
    const sut = new Supervisor({
      processes: 1,
      start: start(() => stubborn),
      log: quiet,
      drainTimeoutMs: 200,
    });
    sut.start();
    const [pid] = sut.pids();
    await ready(started[0]!);

    expect(await sut.stop()).toBe(1);
    expect(running(pid!)).toBe(false);
  });
});
