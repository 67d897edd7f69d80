import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  SomeAssetsFailedError,
  type JobContext,
  type JobHandlers,
  type JobPayloads,
} from '../../queue/jobs.js';
import type { JobQueue, RetryPolicy } from '../../queue/job-queue.js';

export interface QueueFixture {
  queue: JobQueue;
  /** Jobs that failed on their last attempt, as seen by the queue's error hook. */
  finalFailures: string[];
  /** Their payloads, as the failed set holds them. */
  finalPayloads: unknown[];
  close(): Promise<void>;
}

/** Waits for a condition; the bound is for a hang, generous so that a loaded machine passes. */
async function until(check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(10);
  }
}

const enrich = (assetId: string, jobId = `enrich.${assetId}`) => ({
  name: 'enrich-assets' as const,
  payload: { tenantId: 't', assets: [{ assetId, version: 1 }] },
  jobId,
});

type Calls = { payload: JobPayloads['enrich-assets']; ctx: JobContext }[];

function handlersRecording(
  calls: Calls,
  behaviour: (ctx: JobContext) => Promise<void> = async () => {},
): JobHandlers {
  return {
    'enrich-assets': async (payload, ctx) => {
      calls.push({ payload, ctx });
      await behaviour(ctx);
    },
    'project-assets': async () => {},
    'train-label-models': async () => {},
    'run-background-job': async () => {},
    'deliver-webhook': async () => {},
  };
}

/** The behaviour every JobQueue adapter must have, so the same job code runs on either. */
export function jobQueueContract(backend: string, create: (retry: RetryPolicy) => Promise<QueueFixture>) {
  describe(`JobQueue contract: ${backend}`, () => {
    let fx: QueueFixture | undefined;
    afterEach(async () => {
      await fx?.close();
      fx = undefined;
    });

    it('runs each job with its payload, on the first attempt', async () => {
      fx = await create({ attempts: 3, backoffMs: 10, jitter: 0.5 });
      const calls: Calls = [];
      fx.queue.work(handlersRecording(calls), { concurrency: 2 });
      await fx.queue.enqueue([enrich('a1'), enrich('a2')]);
      await until(() => calls.length === 2);
      expect(calls.map((c) => c.payload.assets[0]!.assetId).sort()).toEqual(['a1', 'a2']);
      expect(calls.every((c) => c.ctx.attempt === 1 && c.ctx.maxAttempts === 3)).toBe(true);
    });

    it('does not add a job whose id it already has', async () => {
      fx = await create({ attempts: 1, backoffMs: 10, jitter: 0.5 });
      const calls: Calls = [];
      const id = randomUUID();
      await fx.queue.enqueue([enrich('a', id), enrich('a', id)]);
      fx.queue.work(handlersRecording(calls), { concurrency: 1 });
      await until(() => calls.length === 1);
      await fx.queue.enqueue([enrich('a', id)]);
      // One at a time, in order: once a job enqueued after it has run, the duplicate would have too.
      await fx.queue.enqueue([enrich('after')]);
      await until(() => calls.some((c) => c.payload.assets[0]!.assetId === 'after'));
      expect(calls.map((c) => c.payload.assets[0]!.assetId)).toEqual(['a', 'after']);
    });

    it('retries a failing job with growing attempt numbers, then keeps it failed', async () => {
      fx = await create({ attempts: 3, backoffMs: 20, jitter: 0.5 });
      const calls: Calls = [];
      fx.queue.work(
        handlersRecording(calls, () => Promise.reject(new Error('boom'))),
        { concurrency: 1 },
      );
      await fx.queue.enqueue([enrich('f', 'fails')]);
      await until(() => fx!.finalFailures.length === 1);
      expect(calls.map((c) => c.ctx.attempt)).toEqual([1, 2, 3]);
      expect(fx.finalFailures).toEqual(['fails']);
      expect((await fx.queue.counts()).failed).toBe(1);
    });

    it('succeeds on a retry after a transient failure', async () => {
      fx = await create({ attempts: 3, backoffMs: 20, jitter: 0.5 });
      const calls: Calls = [];
      fx.queue.work(
        handlersRecording(calls, (ctx) =>
          ctx.attempt === 1 ? Promise.reject(new Error('transient')) : Promise.resolve(),
        ),
        { concurrency: 1 },
      );
      await fx.queue.enqueue([enrich('r')]);
      await until(() => calls.length === 2);
      await sleep(100);
      expect(calls).toHaveLength(2);
      expect(fx.finalFailures).toEqual([]);
    });

    it('retries a batch job that failed for some assets with those alone, and keeps only them failed', async () => {
      fx = await create({ attempts: 3, backoffMs: 20, jitter: 0.5 });
      const calls: Calls = [];
      const batch = ['ok1', 'bad', 'ok2'].map((assetId) => ({ assetId, version: 1 }));
      fx.queue.work(
        {
          ...handlersRecording(calls),
          'enrich-assets': (payload, ctx) => {
            calls.push({ payload, ctx });
            return Promise.reject(
              new SomeAssetsFailedError<'enrich-assets'>(
                { tenantId: 't', assets: payload.assets.filter((a) => a.assetId === 'bad') },
                [{ assetId: 'bad', error: 'boom' }],
              ),
            );
          },
        },
        { concurrency: 1 },
      );
      await fx.queue.enqueue([
        { name: 'enrich-assets', payload: { tenantId: 't', assets: batch }, jobId: 'batch' },
      ]);
      await until(() => fx!.finalFailures.length === 1);
      expect(calls.map((c) => [c.ctx.attempt, c.payload.assets.map((a) => a.assetId)])).toEqual([
        [1, ['ok1', 'bad', 'ok2']],
        [2, ['bad']],
        [3, ['bad']],
      ]);
      expect(fx.finalFailures).toEqual(['batch']);
      expect(fx.finalPayloads).toEqual([{ tenantId: 't', assets: [{ assetId: 'bad', version: 1 }] }]);
    });

    it('retries a job on a schedule of its own when the policy names one', async () => {
      fx = await create({
        attempts: 1,
        backoffMs: 10,
        jitter: 0.5,
        byJob: { 'deliver-webhook': { attempts: 3, backoffMs: 10 } },
      });
      const calls: Calls = [];
      const deliveries: JobContext[] = [];
      fx.queue.work(
        {
          ...handlersRecording(calls, () => Promise.reject(new Error('boom'))),
          'deliver-webhook': (_payload, ctx) => {
            deliveries.push(ctx);
            return Promise.reject(new Error('receiver down'));
          },
        },
        { concurrency: 1 },
      );
      await fx.queue.enqueue([
        enrich('e', 'enrich-once'),
        { name: 'deliver-webhook', payload: { tenantId: 't', deliveryId: 'd' }, jobId: 'deliver-thrice' },
      ]);
      await until(() => fx!.finalFailures.length === 2);
      expect(deliveries.map((c) => [c.attempt, c.maxAttempts])).toEqual([
        [1, 3],
        [2, 3],
        [3, 3],
      ]);
      expect(calls.map((c) => [c.ctx.attempt, c.ctx.maxAttempts])).toEqual([[1, 1]]);
      expect(fx.finalFailures.sort()).toEqual(['deliver-thrice', 'enrich-once']);
    });

    it('runs the waiting projections, webhooks and background jobs before the enrichment backlog', async () => {
      fx = await create({ attempts: 1, backoffMs: 10, jitter: 0.5 });
      const order: string[] = [];
      const record =
        (label: string) =>
        async (payload: {
          assets?: { assetId: string }[];
          deliveryId?: string;
          jobId?: string;
        }): Promise<void> => {
          order.push(`${label}:${payload.assets?.[0]?.assetId ?? payload.deliveryId ?? payload.jobId}`);
          await sleep(5);
        };
      // An import's backlog of enrichments waits; each enrichment's projection, a webhook delivery
      // and a bulk job arrive behind it, in that order.
      await fx.queue.enqueue(Array.from({ length: 6 }, (_, i) => enrich(`e${i}`)));
      await fx.queue.enqueue([
        {
          name: 'project-assets',
          payload: { tenantId: 't', assets: [{ assetId: 'p0', version: 2 }] },
          jobId: 'project-p0',
        },
        { name: 'deliver-webhook', payload: { tenantId: 't', deliveryId: 'd0' }, jobId: 'deliver-d0' },
        { name: 'run-background-job', payload: { tenantId: 't', jobId: 'b0' }, jobId: 'background-b0' },
        {
          name: 'project-assets',
          payload: { tenantId: 't', assets: [{ assetId: 'p1', version: 2 }] },
          jobId: 'project-p1',
        },
      ]);
      fx.queue.work(
        {
          'enrich-assets': record('enrich'),
          'project-assets': record('project'),
          'train-label-models': async () => {},
          'run-background-job': record('background'),
          'deliver-webhook': record('deliver'),
        },
        { concurrency: 1 },
      );
      await until(() => order.length === 10);
      // Those that came later run first, in the order they came; then the backlog, in its order.
      expect(order).toEqual([
        'project:p0',
        'deliver:d0',
        'background:b0',
        'project:p1',
        ...Array.from({ length: 6 }, (_, i) => `enrich:e${i}`),
      ]);
    });

    it('never runs more jobs at once than its concurrency', async () => {
      fx = await create({ attempts: 1, backoffMs: 10, jitter: 0.5 });
      let running = 0;
      let peak = 0;
      const calls: Calls = [];
      fx.queue.work(
        handlersRecording(calls, async () => {
          running++;
          peak = Math.max(peak, running);
          await sleep(30);
          running--;
        }),
        { concurrency: 2 },
      );
      await fx.queue.enqueue(Array.from({ length: 8 }, (_, i) => enrich(`c${i}`)));
      await until(() => calls.length === 8 && running === 0);
      expect(peak).toBeLessThanOrEqual(2);
      expect(peak).toBeGreaterThan(0);
    });

    it('lets running jobs finish on close', async () => {
      fx = await create({ attempts: 1, backoffMs: 10, jitter: 0.5 });
      let finished = false;
      const calls: Calls = [];
      fx.queue.work(
        handlersRecording(calls, async () => {
          await sleep(200);
          finished = true;
        }),
        { concurrency: 1 },
      );
      await fx.queue.enqueue([enrich('slow')]);
      await until(() => calls.length === 1);
      await fx.close();
      fx = undefined;
      expect(finished).toBe(true);
    });
  });
}
