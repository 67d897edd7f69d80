import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { BullMqQueue } from '../../queue/bullmq-queue.js';
import type { AssetBatch, JobHandlers } from '../../queue/jobs.js';

const redisUrl = inject('redisUrl');

/**
 * An upgrade with work in Redis: jobs the per-asset version queued (`enrich-asset`, `project-asset`,
 * `{ tenantId, assetId, version }`) run as the batch job of their one asset, not dead-lettered.
 */
describe.skipIf(!redisUrl)('BullMQ queue across the upgrade to batch jobs', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  it('runs jobs queued under the per-asset names as one-asset batches', async () => {
    const prefix = `test-${randomUUID().slice(0, 8)}`;
    const failures: string[] = [];
    const queue = new BullMqQueue({
      redisUrl: redisUrl!,
      prefix,
      retry: { attempts: 2, backoffMs: 10, jitter: 0 },
      onError: (job) => failures.push(job.jobId),
    });
    // What the older version left in Redis, written as it wrote it.
    const older = new Queue('discovery', { connection: { url: redisUrl! }, prefix });
    closers.push(async () => {
      await older.close();
      await queue.obliterate();
      await queue.close();
    });
    await older.add(
      'enrich-asset',
      { tenantId: 't', assetId: 'a1', version: 2 },
      { jobId: 'enrich.t.a1.v2' },
    );
    await older.add(
      'project-asset',
      { tenantId: 't', assetId: 'a2', version: 3 },
      { jobId: 'project.t.a2.v3' },
    );

    const ran: [string, AssetBatch][] = [];
    const record = (name: string) => (payload: AssetBatch) => {
      ran.push([name, payload]);
      return Promise.resolve();
    };
    queue.work(
      {
        'enrich-assets': record('enrich-assets'),
        'project-assets': record('project-assets'),
        'train-label-models': () => Promise.resolve(),
        'run-background-job': () => Promise.resolve(),
        'deliver-webhook': () => Promise.resolve(),
      } satisfies JobHandlers,
      { concurrency: 1 },
    );
    await expect.poll(() => ran.length, { timeout: 30_000 }).toBe(2);
    expect(ran).toEqual(
      expect.arrayContaining([
        ['enrich-assets', { tenantId: 't', assets: [{ assetId: 'a1', version: 2 }] }],
        ['project-assets', { tenantId: 't', assets: [{ assetId: 'a2', version: 3 }] }],
      ]),
    );
    expect(failures).toEqual([]);
  });
});
