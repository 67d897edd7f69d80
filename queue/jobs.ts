import type { OutboxEvent } from '../domain/events.js';

/** Every job of the service: its name and payload type, in one place. */
export interface JobPayloads {
  /** Enriches the asset unless a worker already extracted from `version` or a later one. */
  'enrich-asset': { tenantId: string; assetId: string; version: number };
  'project-asset': { tenantId: string; assetId: string; version: number };
  'train-label-models': { tenantId: string };
  'run-background-job': { tenantId: string; jobId: string };
  /** One attempt at sending a webhook delivery; retried with the webhook schedule (WEBHOOK_ATTEMPTS). */
  'deliver-webhook': { tenantId: string; deliveryId: string };
}
export type JobName = keyof JobPayloads;
export const JOB_NAMES = [
  'enrich-asset',
  'project-asset',
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
  'project-asset': 0,
  'deliver-webhook': 0,
  'run-background-job': 0,
  'enrich-asset': 1,
  // With the enrichments, in their order: which runs a trained model sees stays as it was.
  'train-label-models': 1,
};

export interface JobContext {
  jobId: string;
  /** 1 on the first run, then counting retries. */
  attempt: number;
  maxAttempts: number;
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
}

/**
 * Which job each outbox event starts, if any (some only reach webhooks). The id names the work, so
 * a re-relayed event is not run twice.
 */
export function jobForEvent(event: OutboxEvent): JobRequest | null {
  switch (event.type) {
    case 'asset.ingested': {
      const { assetId, version } = event.payload;
      return {
        name: 'enrich-asset',
        payload: { tenantId: event.tenantId, assetId, version },
        jobId: `enrich.${event.tenantId}.${assetId}.v${version}`,
      };
    }
    case 'asset.enriched':
    case 'asset.updated': {
      const { assetId, version } = event.payload;
      return {
        name: 'project-asset',
        payload: { tenantId: event.tenantId, assetId, version },
        jobId: `project.${event.tenantId}.${assetId}.v${version}`,
      };
    }
    case 'asset.enrichment-requested': {
      const { assetId, version, nonce } = event.payload;
      return {
        name: 'enrich-asset',
        payload: { tenantId: event.tenantId, assetId, version },
        jobId: `enrich.${event.tenantId}.${assetId}.v${version}.${nonce}`,
      };
    }
    case 'labels.training-due':
      return {
        name: 'train-label-models',
        payload: { tenantId: event.tenantId },
        jobId: `train.${event.tenantId}.${event.payload.bucket}`,
      };
    case 'background-job.created':
      return {
        name: 'run-background-job',
        payload: { tenantId: event.tenantId, jobId: event.payload.jobId },
        jobId: `background.${event.tenantId}.${event.payload.jobId}`,
      };
    case 'webhook.delivery-requested': {
      const { deliveryId, run } = event.payload;
      return {
        name: 'deliver-webhook',
        payload: { tenantId: event.tenantId, deliveryId },
        jobId: `webhook.${event.tenantId}.${deliveryId}.${run}`,
      };
    }
    // Announced to webhooks only (workers/webhooks/fan-out.ts).
    case 'asset.failed':
    case 'asset.watched':
    case 'asset.playback-error':
      return null;
  }
}
