import { z } from 'zod';
import {
  PIPELINE_RATE_MINUTES,
  PIPELINE_WINDOW_MINUTES,
  type PipelineStatus,
} from '../../services/pipeline-status-service.js';

const count = z.number().int().min(0);

export const PipelineStatusSchema = z
  .object({
    checkedAt: z.iso.datetime(),
    idle: z
      .boolean()
      .describe(
        'Nothing waits: no asset QUEUED or PROCESSING, no enrichment run open, no event waiting for the relay. After an import, idle means every asset is enriched (or failed) and on its way to search.',
      ),
    assets: z
      .object({
        total: count,
        STAGED: count,
        QUEUED: count,
        PROCESSING: count,
        PROCESSED: count.describe('Enriched.'),
        FAILED: count,
        ARCHIVED: count,
      })
      .describe("The tenant's assets by status."),
    jobs: z
      .object({ queued: count, running: count, retrying: count })
      .describe('Enrichment runs not yet done, by status (GET /v1/jobs lists them).'),
    outboxPending: count.describe('Events written but not yet relayed to the queue.'),
    lastIngestAt: z.iso.datetime().nullable(),
    minutes: z
      .array(
        z.object({
          minute: z.iso.datetime().describe('The start of the minute.'),
          ingested: count,
          enriched: count.describe('Enrichment runs completed.'),
          failed: count.describe('Enrichment runs failed past their retries.'),
        }),
      )
      .describe(`The last ${PIPELINE_WINDOW_MINUTES} minutes, oldest first, every minute listed.`),
    rates: z
      .object({
        ingestedPerMinute: z.number().min(0),
        enrichedPerMinute: z.number().min(0),
        failedPerMinute: z.number().min(0),
      })
      .describe(`Averaged over the last ${PIPELINE_RATE_MINUTES} minutes.`),
    estimatedSecondsLeft: z
      .number()
      .int()
      .nullable()
      .describe('Assets QUEUED or PROCESSING at the recent enrichment rate; null without either.'),
  })
  .meta({ id: 'PipelineStatus' });

export const pipelineStatusDto = (s: PipelineStatus): z.output<typeof PipelineStatusSchema> => ({
  checkedAt: s.checkedAt.toISOString(),
  idle: s.idle,
  assets: s.assets,
  jobs: s.jobs,
  outboxPending: s.outboxPending,
  lastIngestAt: s.lastIngestAt?.toISOString() ?? null,
  minutes: s.minutes.map((m) => ({ ...m, minute: m.minute.toISOString() })),
  rates: s.rates,
  estimatedSecondsLeft: s.estimatedSecondsLeft,
});
