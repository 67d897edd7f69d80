import { z } from 'zod';
import { COMPONENTS } from '../../services/system-service.js';

const State = z.enum(['ok', 'degraded', 'down']);

export const LivenessSchema = z.object({ status: z.literal('ok') });

const ProjectionsSchema = z
  .object({
    status: z
      .enum(['current', 'behind', 'unknown'])
      .describe(
        '`behind`: outbox events or jobs wait to be done, or the last drift check found drift or stuck assets and did ' +
          'not repair them; `unknown`: the drift check at start is running, or a count could not be read.',
      ),
    outboxPending: z.int().nullable().describe('Outbox events not yet relayed to the job queue.'),
    queuedJobs: z.int().nullable().describe('Jobs waiting, running or waiting to retry.'),
    checkingAtStart: z.boolean().describe('The drift check run at start has not finished yet.'),
    lastDriftCheck: z
      .object({
        finishedAt: z.iso.datetime(),
        drifted: z.int().describe('Assets missing, stale or orphaned in search or the graph.'),
        stuck: z.int().describe('Assets left QUEUED or PROCESSING past the grace period.'),
        repaired: z.boolean(),
      })
      .nullable(),
  })
  .describe(
    'Whether search and the graph hold every change, from counters and the last drift check (no scan). ' +
      'Informational: it does not change the status code.',
  );

const EventsSchema = z
  .object({
    status: z
      .enum(['current', 'behind', 'unknown'])
      .describe(
        '`behind`: the oldest event stream entry not yet recorded in the analytics store is older than ' +
          'EVENT_LAG_BEHIND_SECONDS; `unknown`: the stream did not answer in time.',
      ),
    backlog: z
      .object({
        entries: z.int().describe('Stream entries not yet acknowledged (each one partition of a batch).'),
        oldestSeconds: z.number().describe('Age of the oldest of them (0 when none).'),
      })
      .nullable(),
  })
  .describe(
    'Whether the analytics store keeps up with the interaction-event stream. Informational: it does not change ' +
      'the status code.',
  );

export const ReadinessSchema = z.object({
  status: State,
  components: z.object(
    Object.fromEntries(COMPONENTS.map((c) => [c, z.object({ status: State, kind: z.string() })])) as Record<
      (typeof COMPONENTS)[number],
      z.ZodObject<{ status: typeof State; kind: z.ZodString }>
    >,
  ),
  projections: ProjectionsSchema,
  events: EventsSchema,
});
