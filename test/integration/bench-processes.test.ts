import { afterEach, describe, expect, it } from 'vitest';
import {
  processGroupMembers,
  running,
  startProcessGroup,
  waitFor,
  type ProcessGroup,
} from '../support/processes.js';

/**
 * A stand-in for bench/run.ts: starts the bare Fastify server through bench/processes.ts, prints
 * its pid, and runs until it is signalled.
 */
const HARNESS = [
  "import { startService } from './bench/processes.ts';",
  "const bare = await startService('bench/bare-server.ts', {}, '/bare');",
  'console.log(`service ${bare.pid}`);',
  'setInterval(() => {}, 60_000);',
].join('\n');

describe('the bench harness stops what it started', () => {
  let harness: ProcessGroup | undefined;
  afterEach(async () => {
    if (!harness) return;
    await harness.stop();
    expect(processGroupMembers(harness.child.pid!)).toEqual([]);
    harness = undefined;
  });

  async function startHarness(): Promise<{ harness: ProcessGroup; service: number }> {
    const group = startProcessGroup(process.execPath, [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      HARNESS,
    ]);
    harness = group;
    const service = await waitFor(
      'the harness to start the bare server',
      () => Promise.resolve(Number(/service (\d+)/.exec(group.output().stdout)?.[1] ?? 0)),
      { timeoutMs: 120_000 },
    );
    return { harness: group, service };
  }

  it('a SIGTERM to the harness alone (a runner timing it out) stops its services before it exits', async () => {
    const { harness, service } = await startHarness();
    expect(running(service)).toBe(true);
    process.kill(harness.child.pid!, 'SIGTERM');
    // 128 + SIGTERM's 15, as the signal itself would have ended it.
    expect((await harness.exited).code).toBe(143);
    expect(running(service)).toBe(false);
    // tsx's esbuild helper ends as its pipe closes, a moment after the harness.
    await expect.poll(() => processGroupMembers(harness.child.pid!), { timeout: 15_000 }).toEqual([]);
  });

  it('a harness killed outright leaves its service behind, and the process group takes it', async () => {
    const { harness, service } = await startHarness();
    process.kill(harness.child.pid!, 'SIGKILL');
    await harness.exited;
    // The orphan is still in the harness's group (and may be the only one left once the esbuild
    // helpers have gone): stopping the group ends it.
    expect(processGroupMembers(harness.child.pid!)).toContain(service);
    await harness.stop();
    expect(running(service)).toBe(false);
  });
});
