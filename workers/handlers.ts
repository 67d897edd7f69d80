import { setTimeout as sleep } from 'node:timers/promises';
import { servingRequests } from '../domain/request-ids.js';
import { contextFrom, SpanKind, traced } from '../domain/tracing.js';
import {
  JOB_NAMES,
  SomeAssetsFailedError,
  type BatchJobName,
  type JobHandler,
  type JobHandlers,
  type JobName,
} from '../queue/jobs.js';
import type { JobAssetOutcome } from '../services/metrics.js';
import type { BackgroundJobsService } from '../services/background-jobs-service.js';
import type { DatabaseHealthService } from '../services/database-health-service.js';
import type { EnrichmentService } from '../services/enrichment-service.js';
import type { LabelTrainingService } from '../services/label-training-service.js';
import type { ProjectionService } from '../services/projection-service.js';
import type { WebhookDeliveryService } from '../services/webhook-delivery-service.js';

/** The services that own the jobs, each given as the method its job runs. */
export interface JobServices {
  enrichment: Pick<EnrichmentService, 'enrichAssets'>;
  projection: Pick<ProjectionService, 'projectAssets'>;
  labelTraining: Pick<LabelTrainingService, 'trainLabelModels'>;
  backgroundJobs: Pick<BackgroundJobsService, 'runBackgroundJob'>;
  webhookDelivery: Pick<WebhookDeliveryService, 'deliverWebhook'>;
  /** Tells a database outage from a job's own failure. */
  database: DatabaseHealth;
  /** Where a line per finished job goes (its failures are logged by the queue's onError). */
  log?: JobLog;
}

/** The worker's logger, as far as the jobs use it. */
export interface JobLog {
  info(obj: object, msg: string): void;
}

export type DatabaseHealth = Pick<DatabaseHealthService, 'isOutage' | 'answers'>;

/** The longest a job waits for its database to answer again before its attempt fails anyway. */
const OUTAGE_WAIT_MS = 5 * 60_000;

/** The handler of every job: the service method that owns it, outlasting database outages. */
export function createJobHandlers(services: JobServices): JobHandlers {
  const handlers: JobHandlers = {
    'enrich-assets': (payload, ctx) => services.enrichment.enrichAssets(payload, ctx),
    'project-assets': (payload, ctx) => services.projection.projectAssets(payload, ctx.jobId),
    'train-label-models': (payload) => services.labelTraining.trainLabelModels(payload),
    'run-background-job': (payload) => services.backgroundJobs.runBackgroundJob(payload),
    'deliver-webhook': (payload, ctx) => services.webhookDelivery.deliverWebhook(payload, ctx),
  };
  for (const name of JOB_NAMES) {
    (handlers as Record<JobName, JobHandler<JobName>>)[name] = servingItsRequests(
      name,
      inJobSpan(name, outlastingOutages(services.database, handlers[name] as JobHandler<JobName>)),
      services.log,
    );
  }
  return handlers;
}

/**
 * The job runs as the work of the requests it carries (domain/request-ids.ts): every line it logs
 * names them (`reqIds`, the worker's pino mixin), and the outbox events it writes carry them on to
 * the jobs they start. A line says when it is done.
 */
function servingItsRequests<N extends JobName>(name: N, handler: JobHandler<N>, log?: JobLog): JobHandler<N> {
  return (payload, ctx) =>
    servingRequests(ctx.requestIds, async () => {
      const started = performance.now();
      await handler(payload, ctx);
      log?.info(
        {
          job: name,
          jobId: ctx.jobId,
          attempt: ctx.attempt,
          ...('assets' in payload ? { assets: payload.assets.length } : {}),
          durationMs: Math.round(performance.now() - started),
        },
        'job done',
      );
    });
}

/**
 * The job runs in a CONSUMER span (`job <name>`) that continues the trace the job carries (the
 * request's, through its outbox event and the relay's publish span), or starts one.
 */
function inJobSpan<N extends JobName>(name: N, handler: JobHandler<N>): JobHandler<N> {
  return (payload, ctx) =>
    traced(
      `job ${name}`,
      {
        kind: SpanKind.CONSUMER,
        parent: contextFrom(ctx.trace),
        attributes: {
          'messaging.operation.type': 'process',
          'messaging.message.id': ctx.jobId,
          'job.attempt': ctx.attempt,
        },
      },
      () => handler(payload, ctx),
    );
}

/**
 * A job whose database went away waits until it answers again and then runs again, without using
 * up an attempt. The retry schedule (seconds) is shorter than a restart or a failover; a job that
 * failed for good during one could not even record its failure, and left its asset PROCESSING.
 * Handlers are idempotent, so running again is safe.
 */
export function outlastingOutages<N extends JobName>(
  database: DatabaseHealth,
  handler: JobHandler<N>,
  waitMs = OUTAGE_WAIT_MS,
): JobHandler<N> {
  return async (payload, ctx) => {
    const deadline = Date.now() + waitMs;
    for (;;) {
      try {
        return await handler(payload, ctx);
      } catch (err) {
        // Only while the database itself is down: a connection refused by another backend (or a
        // database already back) fails the attempt as usual.
        if (!database.isOutage(err) || (await database.answers())) throw err;
        if (!(await untilAnswering(database, deadline))) throw err;
      }
    }
  };
}

/** Whether the database answered before the deadline. */
async function untilAnswering(database: DatabaseHealth, deadline: number): Promise<boolean> {
  for (let delay = 250; Date.now() < deadline; delay = Math.min(2 * delay, 5_000)) {
    await sleep(Math.min(delay, deadline - Date.now()));
    if (await database.answers()) return true;
  }
  return false;
}

/**
 * Counts the assets of each attempt of an asset batch job by how it ended, for the ingestion error
 * rate (jobs are batches of up to 100 assets, so a count of jobs would weigh one bad asset like a
 * hundred): done (including assets with nothing left to do), retried, or failed on the last attempt.
 * Errors pass through unchanged, so the queue still retries.
 */
export function countingAssets(
  handlers: JobHandlers,
  count: (job: BatchJobName, outcome: JobAssetOutcome, assets: number) => void,
): JobHandlers {
  const counted = (job: BatchJobName): JobHandler<BatchJobName> => {
    const handler = handlers[job];
    return async (payload, ctx) => {
      const assets = new Set(payload.assets.map((a) => a.assetId)).size;
      try {
        await handler(payload, ctx);
      } catch (err) {
        const failed =
          err instanceof SomeAssetsFailedError
            ? new Set((err.retry as typeof payload).assets.map((a) => a.assetId)).size
            : assets;
        if (assets > failed) count(job, 'done', assets - failed);
        count(job, ctx.attempt >= ctx.maxAttempts ? 'failed' : 'retried', failed);
        throw err;
      }
      count(job, 'done', assets);
    };
  };
  return {
    ...handlers,
    'enrich-assets': counted('enrich-assets'),
    'project-assets': counted('project-assets'),
  };
}
