import { Queue, Worker } from 'bullmq';
import {
  currentJob,
  JOB_PRIORITY,
  SomeAssetsFailedError,
  type JobContext,
  type JobHandlers,
  type JobName,
  type JobPayloads,
  type JobRequest,
} from './jobs.js';
import type { TraceCarrier } from '../domain/tracing.js';
import { retryOf, type JobQueue, type QueueCounts, type RetryPolicy } from './job-queue.js';

export interface BullMqQueueOptions {
  redisUrl: string;
  /** Redis key prefix; tests give each suite its own. */
  prefix: string;
  retry: RetryPolicy;
  /**
   * A running job's lease: a worker that dies holding a job loses it when the lease runs out, and
   * another worker takes the job up again (BullMQ's stalled-job check runs as often).
   */
  lockMs?: number;
  onError?: (job: JobRequest, err: unknown, final: boolean) => void;
}

const QUEUE_NAME = 'discovery';

/** The key of a job's data that holds its W3C trace context (JobRequest.trace), not the payload. */
const TRACE_KEY = 'traceContext';

/** The key of a job's data that holds the ids of the requests it serves (JobRequest.requestIds). */
const REQUEST_IDS_KEY = 'requestIds';

/** A job's payload and the trace context and request ids stored beside it. */
function unpacked(data: unknown): { payload: unknown; trace?: TraceCarrier; requestIds?: string[] } {
  if (typeof data !== 'object' || data === null || !(TRACE_KEY in data || REQUEST_IDS_KEY in data))
    return { payload: data };
  const { [TRACE_KEY]: trace, [REQUEST_IDS_KEY]: requestIds, ...payload } = data as Record<string, unknown>;
  return {
    payload,
    ...(trace ? { trace: trace as TraceCarrier } : {}),
    ...(Array.isArray(requestIds) ? { requestIds: requestIds as string[] } : {}),
  };
}

/** A payload with its trace context and request ids beside it, as `unpacked` reads them. */
function packed(
  payload: object,
  extra: { trace?: TraceCarrier | undefined; requestIds?: string[] | undefined },
) {
  return {
    ...payload,
    ...(extra.trace ? { [TRACE_KEY]: extra.trace } : {}),
    ...(extra.requestIds?.length ? { [REQUEST_IDS_KEY]: extra.requestIds } : {}),
  };
}

/** BullMQ on Redis: jobs survive process restarts and spread over any number of worker processes. */
export class BullMqQueue implements JobQueue {
  readonly kind = 'bullmq';
  readonly retry: RetryPolicy;
  private readonly queue: Queue;
  private worker: Worker | null = null;

  constructor(private readonly options: BullMqQueueOptions) {
    this.retry = options.retry;
    this.queue = new Queue(QUEUE_NAME, {
      // Producers fail fast when Redis is away, so the outbox keeps the event and retries later.
      connection: { url: options.redisUrl, enableOfflineQueue: false, maxRetriesPerRequest: 1 },
      prefix: options.prefix,
      defaultJobOptions: {
        attempts: options.retry.attempts,
        backoff: { type: 'exponential', delay: options.retry.backoffMs, jitter: options.retry.jitter },
        removeOnComplete: { age: 3600, count: 10_000 },
        removeOnFail: false,
      },
    });
    // Connection errors surface through failed calls; an unhandled 'error' event would crash the process.
    this.queue.on('error', () => undefined);
  }

  async enqueue(jobs: JobRequest[]): Promise<void> {
    if (jobs.length === 0) return;
    const { jitter } = this.retry;
    await this.queue.addBulk(
      jobs.map((j) => {
        const own = this.retry.byJob?.[j.name];
        const retry = own
          ? { attempts: own.attempts, backoff: { type: 'exponential', delay: own.backoffMs, jitter } }
          : {};
        // 0 is BullMQ's "no priority", which runs before any prioritized job, as JOB_PRIORITY means.
        const priority = JOB_PRIORITY[j.name];
        return {
          name: j.name,
          // The trace context and request ids travel in the job's data, beside the payload (`unpacked`).
          data: packed(j.payload, j),
          opts: { jobId: j.jobId, ...retry, ...(priority > 0 ? { priority } : {}) },
        };
      }),
    );
  }

  work(handlers: JobHandlers, options: { concurrency: number }): void {
    if (this.worker) throw new Error('already working');
    this.worker = new Worker(
      QUEUE_NAME,
      async (job) => {
        const { payload, trace, requestIds } = unpacked(job.data);
        const current = currentJob(job.name, payload);
        const name = current.name as JobName;
        const handler = handlers[name] as
          ((p: JobPayloads[JobName], c: JobContext) => Promise<void>) | undefined;
        if (!handler) throw new Error(`no handler for job ${job.name}`);
        try {
          await handler(current.data as JobPayloads[JobName], {
            jobId: job.id ?? '',
            attempt: job.attemptsMade + 1,
            maxAttempts: job.opts.attempts ?? retryOf(this.retry, name).attempts,
            ...(trace ? { trace } : {}),
            ...(requestIds ? { requestIds } : {}),
          });
        } catch (err) {
          // A batch that failed for some assets goes on with those alone (the others are done):
          // the retry, and the failed set past the last attempt, hold only them.
          if (err instanceof SomeAssetsFailedError)
            await job.updateData(packed(err.retry as object, { trace, requestIds }));
          throw err;
        }
      },
      {
        connection: { url: this.options.redisUrl, maxRetriesPerRequest: null },
        prefix: this.options.prefix,
        concurrency: options.concurrency,
        ...(this.options.lockMs
          ? { lockDuration: this.options.lockMs, stalledInterval: this.options.lockMs }
          : {}),
      },
    );
    this.worker.on('error', () => undefined);
    this.worker.on('failed', (job, err) => {
      if (!job) return;
      const { payload, requestIds } = unpacked(job.data);
      const current = currentJob(job.name, payload);
      const final =
        job.attemptsMade >= (job.opts.attempts ?? retryOf(this.retry, current.name as JobName).attempts);
      this.options.onError?.(
        {
          name: current.name as JobName,
          payload: current.data as JobPayloads[JobName],
          jobId: job.id ?? '',
          ...(requestIds ? { requestIds } : {}),
        },
        err,
        final,
      );
    });
  }

  async counts(): Promise<QueueCounts> {
    const c = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
    return {
      waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
      active: c.active ?? 0,
      delayed: c.delayed ?? 0,
      failed: c.failed ?? 0,
    };
  }

  /** Removes every job and key of this queue; for tests with their own prefix. */
  async obliterate(): Promise<void> {
    await this.queue.obliterate({ force: true });
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
  }
}
