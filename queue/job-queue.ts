import type { JobHandlers, JobName, JobRequest } from './jobs.js';

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

export interface RetryPolicy {
  attempts: number;
  /** First retry delay; each later one doubles. */
  backoffMs: number;
  /** Share of each delay drawn at random, so retries of many failed jobs do not arrive together. */
  jitter: number;
  /** Jobs that retry on a schedule of their own (webhook deliveries wait longer, and try more often). */
  byJob?: Partial<Record<JobName, { attempts: number; backoffMs: number }>>;
}

/** The attempts and first backoff of one job. */
export function retryOf(policy: RetryPolicy, name: JobName): { attempts: number; backoffMs: number } {
  return policy.byJob?.[name] ?? { attempts: policy.attempts, backoffMs: policy.backoffMs };
}

/** The job queue port. BullMQ on Redis and the in-process queue behave the same behind it. */
export interface JobQueue {
  readonly kind: 'bullmq' | 'in-process';
  readonly retry: RetryPolicy;
  enqueue(jobs: JobRequest[]): Promise<void>;
  /** Starts consuming jobs with these handlers. */
  work(handlers: JobHandlers, options: { concurrency: number }): void;
  counts(): Promise<QueueCounts>;
  /** Stops taking jobs, lets running ones finish, then releases connections. */
  close(): Promise<void>;
}
