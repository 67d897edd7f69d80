import { z } from 'zod';
import type { BackgroundJob } from '../../store/background-jobs-repository.js';
import type { ProcessingJob } from '../../store/processing-jobs-repository.js';
import { limitParam } from './common.js';

const JOB_STATUSES = ['QUEUED', 'RUNNING', 'RETRYING', 'COMPLETED', 'FAILED'] as const;

export const JobSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(['enrichment', 'background']),
    status: z.enum(JOB_STATUSES),
    progressPercent: z.number().min(0).max(100),
    assetId: z.uuid().nullable(),
    assetVersion: z.number().int().nullable(),
    workflow: z.string().nullable(),
    backgroundKind: z
      .string()
      .nullable()
      .describe('For background jobs: what they do, e.g. enrichment-backfill.'),
    capabilitiesRequested: z.array(z.string()),
    capabilitiesCompleted: z.array(z.string()),
    capabilitiesFailed: z.array(z.string()),
    timingsMs: z.record(z.string(), z.number()),
    retryCount: z.number().int(),
    retryConfig: z.record(z.string(), z.unknown()),
    lastError: z.string().nullable(),
    deadLettered: z.boolean().describe('Failed past its last attempt; POST /v1/jobs/{id}/retry revives it.'),
    total: z.number().int().nullable(),
    processed: z.number().int().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Job' });

export const JobListQuery = z.object({
  status: z.enum(JOB_STATUSES).optional().describe('FAILED lists the dead letters.'),
  limit: limitParam(20),
  cursor: z.string().max(500).optional(),
});

export const JobPageSchema = z
  .object({ items: z.array(JobSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'JobPage' });

export function enrichmentJobDto(j: ProcessingJob): z.output<typeof JobSchema> {
  return {
    id: j.id,
    kind: 'enrichment',
    status: j.status,
    progressPercent: Math.round(j.progress * 100),
    assetId: j.assetId,
    assetVersion: j.assetVersion,
    workflow: j.workflow,
    backgroundKind: null,
    capabilitiesRequested: j.capabilitiesRequested,
    capabilitiesCompleted: j.capabilitiesCompleted,
    capabilitiesFailed: j.capabilitiesFailed,
    timingsMs: j.timings,
    retryCount: j.retryCount,
    retryConfig: j.retryConfig,
    lastError: j.lastError,
    deadLettered: j.deadLetteredAt !== null,
    total: null,
    processed: null,
    createdAt: j.createdAt.toISOString(),
    updatedAt: j.updatedAt.toISOString(),
  };
}

export function backgroundJobDto(j: BackgroundJob): z.output<typeof JobSchema> {
  const progress =
    j.status === 'COMPLETED' ? 100 : j.total ? Math.min(100, Math.round((j.processed / j.total) * 100)) : 0;
  return {
    id: j.id,
    kind: 'background',
    status: j.status,
    progressPercent: progress,
    assetId: null,
    assetVersion: null,
    workflow: null,
    backgroundKind: j.kind,
    capabilitiesRequested: [],
    capabilitiesCompleted: [],
    capabilitiesFailed: [],
    timingsMs: {},
    retryCount: 0,
    retryConfig: {},
    lastError: j.lastError,
    deadLettered: false,
    total: j.total,
    processed: j.processed,
    createdAt: j.createdAt.toISOString(),
    updatedAt: j.updatedAt.toISOString(),
  };
}
