import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BullMqQueue } from '../../queue/bullmq-queue.js';
import type { Container } from '../../runtime/container.js';
import { createApiContainer } from '../support/app.js';
import { cloneTemplateDatabase, type ClonedDatabase } from '../support/database.js';
import { anAssetInput } from '../support/factories.js';
import {
  processGroupMembers,
  running,
  startProcessGroup,
  waitFor,
  type ProcessGroup,
} from '../support/processes.js';

const redisUrl = inject('redisUrl');
const runnable = Boolean(inject('postgresUrl') && redisUrl);
if (!runnable) console.info('worker-processes suite SKIPPED: it needs a Postgres server and Redis');

interface LogLine {
  msg: string;
  pid: number;
  slot?: number;
}

/**
 * `npm run worker` with WORKER_PROCESSES=2: the supervisor (workers/main.ts) in a process group of
 * the test's own, so that the test can check that nothing of it is left, and end it all whatever
 * happens.
 */
describe.skipIf(!runnable)('npm run worker with several worker processes', () => {
  const prefix = `procs-${randomBytes(4).toString('hex')}`;
  let database: ClonedDatabase;
  let container: Container;
  let group: ProcessGroup;

  /** The pino lines the supervisor and its children wrote so far (they share its stdout). */
  const lines = (): LogLine[] =>
    group
      .output()
      .stdout.split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as LogLine);
  /** The pid of each slot's latest process that said it was ready. */
  const readySlots = () => {
    const ready = new Map<number, number>();
    for (const l of lines()) if (l.msg === 'worker ready' && l.slot !== undefined) ready.set(l.slot, l.pid);
    return ready;
  };

  beforeAll(async () => {
    database = await cloneTemplateDatabase();
    // The API side: it ingests; the workers run in the supervised processes only.
    container = await createApiContainer(database.url, redisUrl!, prefix);
    group = startProcessGroup(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: database.url,
        REDIS_URL: redisUrl!,
        QUEUE_PREFIX: prefix,
        WORKER_PROCESSES: '2',
        WORKER_CONCURRENCY: '2',
        OUTBOX_POLL_MS: '50',
        LOG_LEVEL: 'info',
      },
      timeoutMs: 600_000,
    });
  }, 120_000);

  afterAll(async () => {
    await group?.stop();
    if (container) {
      if (container.queue instanceof BullMqQueue) await container.queue.obliterate();
      await container.close();
    }
    await database?.drop();
  });

  it('runs two worker processes that share the jobs, restarts a killed one, and stops all on SIGTERM', async () => {
    const first = await waitFor(
      'both worker processes to be ready',
      () => Promise.resolve(readySlots().size === 2 && readySlots()),
      { timeoutMs: 120_000 },
    );
    const [pid0, pid1] = [first.get(0)!, first.get(1)!];
    expect(pid0).not.toBe(pid1);
    expect(running(pid0) && running(pid1)).toBe(true);

    // A killed worker process is started again in its slot.
    process.kill(pid1, 'SIGKILL');
    const again = await waitFor(
      'slot 1 to be ready again',
      () => Promise.resolve(readySlots().get(1) !== pid1 && readySlots().get(1)),
      { timeoutMs: 120_000 },
    );
    expect(running(again)).toBe(true);
    expect(readySlots().get(0)).toBe(pid0);

    // And the jobs run.
    const ingested = await container.ingest.ingest(
      { tenantId: 'default', actor: 'test' },
      Array.from({ length: 12 }, (_, i) => anAssetInput({ title: `Tide pool survey ${i}` })),
    );
    const { settled } = await container.assets.waitUntilSettled(
      'default',
      ingested.map((r) => r.asset.id),
      120_000,
    );
    expect(settled).toBe(true);

    // SIGTERM to the supervisor alone: it stops its children, which drain, and exits 0.
    group.child.kill('SIGTERM');
    expect(await group.exited).toEqual({ code: 0, signal: null });
    await waitFor('every process of the group to end', () =>
      Promise.resolve(processGroupMembers(group.child.pid!).length === 0),
    );
  }, 400_000);
});
