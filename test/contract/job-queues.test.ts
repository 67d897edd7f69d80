import { randomUUID } from 'node:crypto';
import { describe, inject, it } from 'vitest';
import { BullMqQueue } from '../../queue/bullmq-queue.js';
import { InProcessQueue } from '../../queue/in-process-queue.js';
import { jobQueueContract } from './job-queue.contract.js';

jobQueueContract('in-process', (retry) => {
  const finalFailures: string[] = [];
  const finalPayloads: unknown[] = [];
  const queue = new InProcessQueue(retry, (job, _err, final) => {
    if (final) finalFailures.push(job.jobId);
    if (final) finalPayloads.push(job.payload);
  });
  return Promise.resolve({ queue, finalFailures, finalPayloads, close: () => queue.close() });
});

const redisUrl = inject('redisUrl');
if (redisUrl) {
  jobQueueContract('bullmq (Redis)', (retry) => {
    const finalFailures: string[] = [];
    const finalPayloads: unknown[] = [];
    const queue = new BullMqQueue({
      redisUrl,
      prefix: `test-${randomUUID().slice(0, 8)}`,
      retry,
      onError: (job, _err, final) => {
        if (final) finalFailures.push(job.jobId);
        if (final) finalPayloads.push(job.payload);
      },
    });
    return Promise.resolve({
      queue,
      finalFailures,
      finalPayloads,
      close: async () => {
        await queue.obliterate();
        await queue.close();
      },
    });
  });
} else {
  describe('JobQueue contract: bullmq (Redis)', () => {
    it.skip('SKIPPED: no REDIS_URL and no Docker engine for testcontainers', () => {});
  });
}
