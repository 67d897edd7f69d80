import { createHash } from 'node:crypto';
import type { OutboxEvent } from '../domain/events.js';
import { MAX_REQUEST_IDS } from '../domain/request-ids.js';
import type { TraceCarrier } from '../domain/tracing.js';

/** One asset of a batch job, at the version whose event asked for the work. */
export interface AssetAtVersion {
  assetId: string;
  version: number;
}

/** The assets of one tenant that a batch job works on (an ingest batch, or what the relay saw together). */
export interface AssetBatch {
  tenantId: string;
  assets: AssetAtVersion[];
}

/** Every job of the service: its name and payload type, in one place. */
export interface JobPayloads {
  /** Enriches each asset unless a worker already extracted from its `version` or a later one. */
  'enrich-assets': AssetBatch;
  /** Projects each asset's current version, unless the projections already hold it or a later one. */
  'project-assets': AssetBatch;
  'train-label-models': { tenantId: string };
  'run-background-job': { tenantId: string; jobId: string };
  /** One attempt at sending a webhook delivery; retried with the webhook schedule (WEBHOOK_ATTEMPTS). */
  'deliver-webhook': { tenantId: string; deliveryId: string };
}
export type JobName = keyof JobPayloads;
export const JOB_NAMES = [
  'enrich-assets',
  'project-assets',
  'train-label-models',
  'run-background-job',
  'deliver-webhook',
] as const satisfies readonly JobName[];

/**
 * The order waiting jobs run in: a lower number first, the same number first come, first served.
 * Enrichment is the backlog an import leaves (thousands of runs); behind it, each enriched asset's
 * projection waited for every other enrichment, so nothing became searchable until all were done,
 * and webhook deliveries and a curator's bulk jobs waited as long. They run ahead of it instead.
 * (BullMQ runs a job without a priority before any with one: 0 is no priority there.)
 */
export const JOB_PRIORITY: { readonly [N in JobName]: number } = {
  'project-assets': 0,
  'deliver-webhook': 0,
  'run-background-job': 0,
  'enrich-assets': 1,
  // With the enrichments, in their order: which runs a trained model sees stays as it was.
  'train-label-models': 1,
};

/** The per-asset jobs of versions before the batch jobs, as a queue may still hold them after an upgrade. */
const LEGACY_JOB_NAMES: Readonly<Record<string, JobName>> = {
  'enrich-asset': 'enrich-assets',
  'project-asset': 'project-assets',
};

/**
 * A stored job as this version runs it: an `enrich-asset`/`project-asset` job queued by an older
 * version (`{ tenantId, assetId, version }`) becomes the batch job of its one asset, so an upgrade
 * with work in the queue neither dead-letters it nor leaves its asset waiting for drift repair.
 */
export function currentJob(name: string, data: unknown): { name: string; data: unknown } {
  const renamed = LEGACY_JOB_NAMES[name];
  if (!renamed) return { name, data };
  // Retried once already by this version: the data is a batch under the old name.
  if (typeof data === 'object' && data !== null && 'assets' in data) return { name: renamed, data };
  const { tenantId, assetId, version } = data as { tenantId: string; assetId: string; version: number };
  return { name: renamed, data: { tenantId, assets: [{ assetId, version }] } satisfies AssetBatch };
}

export interface JobContext {
  jobId: string;
  /** 1 on the first run, then counting retries. */
  attempt: number;
  maxAttempts: number;
  /** The trace context the job was enqueued in, which its span continues (JobRequest.trace). */
  trace?: TraceCarrier;
  /** The requests the job serves (JobRequest.requestIds): its log lines name them. */
  requestIds?: string[];
}

/** A handler throws to fail the attempt; the queue then retries it with backoff, up to maxAttempts. */
export type JobHandler<N extends JobName> = (payload: JobPayloads[N], ctx: JobContext) => Promise<void>;

/** Exactly one handler per job: the compiler rejects a missing or extra one. */
export type JobHandlers = { [N in JobName]: JobHandler<N> };

export interface JobRequest<N extends JobName = JobName> {
  name: N;
  payload: JobPayloads[N];
  /** De-duplicates: a job with the id of a pending or recent one is not added again. */
  jobId: string;
  /**
   * The W3C trace context the job continues (its first event's, then the relay's enqueue span's):
   * the queue carries it with the job, so the worker's span joins the request's trace.
   */
  trace?: TraceCarrier;
  /** The trace contexts of the job's other events (a batch gathers several requests' work): linked. */
  links?: TraceCarrier[];
  /**
   * The ids of the requests whose work the job does (their events' `requestIds`), at most
   * MAX_REQUEST_IDS: the queue carries them with the job like `trace`, and the worker binds them
   * to the job's log lines (domain/request-ids.ts).
   */
  requestIds?: string[];
}

/**
 * A batch job's attempt that failed for some of its assets only: the others are done. The queue
 * retries the job with `retry` (the failed assets alone), so a bad asset neither fails its batch nor
 * makes the good ones run again, and past the last attempt the dead letter holds only what failed.
 */
export class SomeAssetsFailedError<N extends BatchJobName = BatchJobName> extends Error {
  override name = 'SomeAssetsFailedError';
  constructor(
    readonly retry: JobPayloads[N],
    readonly failures: { assetId: string; error: string }[],
  ) {
    super(
      `${failures.length} of the batch's assets failed: ` +
        failures
          .slice(0, 5)
          .map((f) => `${f.assetId}: ${f.error}`)
          .join('; ') +
        (failures.length > 5 ? `; and ${failures.length - 5} more` : ''),
    );
  }
}

export type BatchJobName = 'enrich-assets' | 'project-assets';

/** The most assets one batch job holds: bounds a job's transaction and its retry. */
export const MAX_BATCH_ASSETS = 100;

/**
 * The jobs a batch of outbox events starts, in the order of the events. Asset events become batch
 * jobs, one per tenant and kind (and per MAX_BATCH_ASSETS assets): the events of one ingest batch
 * reach the relay together, so they make one enrichment job, and their `asset.enriched` events one
 * projection job. A job's id names its work (each asset's version, and the nonce of a requested
 * re-enrichment), so a re-relayed event is not run twice.
 */
export function jobsForEvents(events: OutboxEvent[]): JobRequest[] {
  const jobs: JobRequest[] = [];
  const batches = new Map<string, Batch>();
  const add = (name: BatchJobName, event: OutboxEvent, assetId: string, version: number, key: string) => {
    const { tenantId } = event;
    const id = `${name}\u0000${tenantId}`;
    let batch = batches.get(id);
    if (!batch) {
      batch = { name, tenantId, keys: [], assets: new Map(), traces: new Map(), requestIds: new Set() };
      batches.set(id, batch);
    }
    // The same asset twice in a batch (re-enrichment asked for after an edit): its latest version covers both.
    if (!batch.assets.has(assetId) && batch.assets.size >= MAX_BATCH_ASSETS) {
      jobs.push(batchJob(batch));
      batch.keys = [];
      batch.assets = new Map();
      batch.traces = new Map();
      batch.requestIds = new Set();
    }
    batch.keys.push(key);
    batch.assets.set(assetId, Math.max(version, batch.assets.get(assetId) ?? 0));
    // One ingest batch's events share one trace context: the job keeps each distinct one once.
    if (event.trace?.traceparent) batch.traces.set(event.trace.traceparent, event.trace);
    for (const id of event.requestIds ?? []) {
      if (batch.requestIds.size >= MAX_REQUEST_IDS) break;
      batch.requestIds.add(id);
    }
  };
  for (const event of events) {
    switch (event.type) {
      case 'asset.ingested': {
        const { assetId, version } = event.payload;
        add('enrich-assets', event, assetId, version, `${assetId}.v${version}`);
        break;
      }
      case 'asset.enrichment-requested': {
        const { assetId, version, nonce } = event.payload;
        add('enrich-assets', event, assetId, version, `${assetId}.v${version}.${nonce}`);
        break;
      }
      case 'asset.enriched':
      case 'asset.updated':
      case 'asset.deleted': {
        // A deleted asset: the projection job reads it, finds it gone and removes it from both.
        const { assetId, version } = event.payload;
        add('project-assets', event, assetId, version, `${assetId}.v${version}`);
        break;
      }
      case 'asset.feedback-changed': {
        // No version of its own: the projection reads the asset as it is, and its feedback.
        const { assetId, revision } = event.payload;
        add('project-assets', event, assetId, 0, `${assetId}.feedback${revision}`);
        break;
      }
      case 'labels.training-due':
      case 'background-job.created':
      case 'webhook.delivery-requested':
      case 'asset.failed':
      case 'asset.watched':
      case 'asset.playback-error':
      case 'comment.created':
      case 'comment.status_changed':
      case 'metadata.anomaly': {
        const job = jobForEvent(event);
        if (job) jobs.push(job);
        break;
      }
    }
  }
  for (const batch of batches.values()) if (batch.assets.size > 0) jobs.push(batchJob(batch));
  return jobs;
}

interface Batch {
  name: BatchJobName;
  tenantId: string;
  keys: string[];
  assets: Map<string, number>;
  /** The trace contexts of the batch's events, by traceparent, in the events' order. */
  traces: Map<string, TraceCarrier>;
  /** The requests its events came from, the first MAX_REQUEST_IDS. */
  requestIds: Set<string>;
}

/** A batch job; one asset keeps the readable id the per-asset jobs had, more are named by a digest. */
function batchJob(batch: Batch): JobRequest {
  const prefix = batch.name === 'enrich-assets' ? 'enrich' : 'project';
  const keys = [...batch.keys].sort();
  const work =
    keys.length === 1
      ? keys[0]!
      : `batch-${createHash('sha256').update(keys.join(',')).digest('hex').slice(0, 32)}`;
  return {
    name: batch.name,
    payload: {
      tenantId: batch.tenantId,
      assets: [...batch.assets].map(([assetId, version]) => ({ assetId, version })),
    },
    jobId: `${prefix}.${batch.tenantId}.${work}`,
    ...traceOf([...batch.traces.values()]),
    ...requestIdsOf([...batch.requestIds]),
  };
}

/** The job's request ids; nothing for work no request caused. */
const requestIdsOf = (ids: string[] | undefined): Pick<JobRequest, 'requestIds'> =>
  ids && ids.length > 0 ? { requestIds: ids.slice(0, MAX_REQUEST_IDS) } : {};

/** The job continues the first trace and links the others; nothing with tracing off. */
function traceOf(carriers: TraceCarrier[]): Pick<JobRequest, 'trace' | 'links'> {
  const [first, ...rest] = carriers;
  if (!first) return {};
  return rest.length > 0 ? { trace: first, links: rest } : { trace: first };
}

/**
 * Which job one outbox event starts, if any (some only reach webhooks). The id names the work, so
 * a re-relayed event is not run twice. Asset events start a batch job of that one asset; the relay
 * batches them (jobsForEvents).
 */
export function jobForEvent(event: OutboxEvent): JobRequest | null {
  switch (event.type) {
    case 'asset.ingested':
    case 'asset.enrichment-requested':
    case 'asset.enriched':
    case 'asset.updated':
    case 'asset.deleted':
    case 'asset.feedback-changed':
      return jobsForEvents([event])[0] ?? null;
    case 'labels.training-due':
      return {
        name: 'train-label-models',
        payload: { tenantId: event.tenantId },
        jobId: `train.${event.tenantId}.${event.payload.bucket}`,
        ...traceOf(event.trace ? [event.trace] : []),
        ...requestIdsOf(event.requestIds),
      };
    case 'background-job.created':
      return {
        name: 'run-background-job',
        payload: { tenantId: event.tenantId, jobId: event.payload.jobId },
        jobId: `background.${event.tenantId}.${event.payload.jobId}`,
        ...traceOf(event.trace ? [event.trace] : []),
        ...requestIdsOf(event.requestIds),
      };
    case 'webhook.delivery-requested': {
      const { deliveryId, run } = event.payload;
      return {
        name: 'deliver-webhook',
        payload: { tenantId: event.tenantId, deliveryId },
        jobId: `webhook.${event.tenantId}.${deliveryId}.${run}`,
        ...traceOf(event.trace ? [event.trace] : []),
        ...requestIdsOf(event.requestIds),
      };
    }
    // Announced to webhooks only (workers/webhooks/fan-out.ts).
    case 'asset.failed':
    case 'asset.watched':
    case 'asset.playback-error':
    case 'comment.created':
    case 'comment.status_changed':
    case 'metadata.anomaly':
      return null;
  }
}
