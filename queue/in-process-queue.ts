import {
  JOB_PRIORITY,
  SomeAssetsFailedError,
  type JobContext,
  type JobHandlers,
  type JobRequest,
} from './jobs.js';
import { retryOf, type JobQueue, type QueueCounts, type RetryPolicy } from './job-queue.js';
import { errorMessage } from '../domain/errors.js';

interface Entry {
  request: JobRequest;
  attempt: number;
}

/** Job ids remembered after completion, as BullMQ keeps recent completed jobs, so duplicates are dropped. */
const COMPLETED_MEMORY = 10_000;

/**
 * A queue inside the process, for the embedded default. Same semantics as the BullMQ adapter:
 * de-duplication by job id, bounded concurrency, retries with exponential backoff, failed jobs kept,
 * waiting jobs taken by priority (JOB_PRIORITY), then first come, first served.
 */
export class InProcessQueue implements JobQueue {
  readonly kind = 'in-process';
  /** Waiting jobs, one first-come-first-served lane per priority (JOB_PRIORITY), the first lane first. */
  private readonly lanes: Entry[][] = [];
  private readonly known = new Set<string>();
  private readonly completed: string[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private delayed = 0;
  private readonly failedJobs: { request: JobRequest; error: string }[] = [];
  private handlers: JobHandlers | null = null;
  private concurrency = 1;
  private closed = false;

  constructor(
    readonly retry: RetryPolicy,
    private readonly onError: (job: JobRequest, err: unknown, final: boolean) => void = () => undefined,
  ) {}

  enqueue(jobs: JobRequest[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error('queue is closed'));
    for (const request of jobs) {
      if (this.known.has(request.jobId)) continue;
      this.known.add(request.jobId);
      this.wait({ request, attempt: 1 });
    }
    this.pump();
    return Promise.resolve();
  }

  work(handlers: JobHandlers, options: { concurrency: number }): void {
    this.handlers = handlers;
    this.concurrency = options.concurrency;
    this.pump();
  }

  counts(): Promise<QueueCounts> {
    return Promise.resolve({
      waiting: this.lanes.reduce((n, lane) => n + lane.length, 0),
      active: this.running.size,
      delayed: this.delayed,
      failed: this.failedJobs.length,
    });
  }

  /** Failed jobs past their last attempt, newest last. */
  failed(): readonly { request: JobRequest; error: string }[] {
    return this.failedJobs;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }

  private pump(): void {
    while (!this.closed && this.handlers && this.running.size < this.concurrency) {
      const entry = this.lanes.find((lane) => lane && lane.length > 0)?.shift();
      if (!entry) return;
      const run = this.run(entry).finally(() => {
        this.running.delete(run);
        this.pump();
      });
      this.running.add(run);
    }
  }

  private async run(entry: Entry): Promise<void> {
    const { request } = entry;
    const ctx: JobContext = {
      jobId: request.jobId,
      attempt: entry.attempt,
      maxAttempts: retryOf(this.retry, request.name).attempts,
      ...(request.trace ? { trace: request.trace } : {}),
      ...(request.requestIds ? { requestIds: request.requestIds } : {}),
    };
    const handler = this.handlers![request.name] as (p: unknown, c: JobContext) => Promise<void>;
    try {
      await handler(request.payload, ctx);
      this.remember(request.jobId);
    } catch (err) {
      const final = entry.attempt >= ctx.maxAttempts;
      // A batch that failed for some assets goes on with those alone (the others are done).
      const failed: JobRequest =
        err instanceof SomeAssetsFailedError
          ? { ...request, payload: err.retry as JobRequest['payload'] }
          : request;
      this.onError(failed, err, final);
      if (final) {
        this.failedJobs.push({ request: failed, error: errorMessage(err) });
        this.remember(request.jobId);
        return;
      }
      this.scheduleRetry({ request: failed, attempt: entry.attempt + 1 });
    }
  }

  private scheduleRetry(entry: Entry): void {
    if (this.closed) return;
    // The same schedule as BullMQ's exponential backoff with jitter.
    const max = retryOf(this.retry, entry.request.name).backoffMs * 2 ** (entry.attempt - 2);
    const delay = Math.floor(max * (1 - this.retry.jitter) + Math.random() * max * this.retry.jitter);
    this.delayed++;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.delayed--;
      this.wait(entry);
      this.pump();
    }, delay);
    this.timers.add(timer);
  }

  private wait(entry: Entry): void {
    const priority = JOB_PRIORITY[entry.request.name];
    (this.lanes[priority] ??= []).push(entry);
  }

  private remember(jobId: string): void {
    this.completed.push(jobId);
    if (this.completed.length > COMPLETED_MEMORY) this.known.delete(this.completed.shift()!);
  }
}
