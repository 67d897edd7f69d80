import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiDeps } from '../../deps.js';
import { actorOf } from '../../plugins/auth.js';
import { authProblems } from '../../schemas/common.js';
import { BackfillBody } from '../../schemas/enrichment.js';
import { backgroundJobDto, JobSchema } from '../../schemas/jobs.js';

/** /v1/enrichment: retraining the tenant's classifiers, and re-enriching what older extractors enriched. */
const enrichmentRoutes: FastifyPluginCallbackZod<{ deps: Pick<ApiDeps, 'enrichmentSettings' | 'jobs'> }> = (
  app,
  { deps: { enrichmentSettings: settings, jobs } },
  done,
) => {
  const security = [{ apiKey: [] }];

  app.post(
    '/enrichment/train',
    {
      config: { permission: 'taxonomy:manage' },
      schema: {
        tags: ['enrichment'],
        operationId: 'trainClassifiers',
        summary: "Retrain the tenant's topic and tag classifiers now",
        security,
        response: { 202: z.object({ queued: z.literal(true) }), ...authProblems },
      },
    },
    async (req, reply) => {
      await settings.train(actorOf(req.principal));
      return reply.code(202).send({ queued: true as const });
    },
  );

  app.post(
    '/enrichment/backfill',
    {
      config: { permission: 'jobs:manage' },
      schema: {
        tags: ['jobs'],
        operationId: 'startBackfill',
        summary: 'Re-enrich every asset enriched by an older extractor version, throttled',
        description: 'Returns the background job; follow its progress at GET /v1/jobs/{id}.',
        security: [{ apiKey: [] }],
        body: BackfillBody,
        response: { 202: JobSchema, ...authProblems },
      },
    },
    async (req, reply) =>
      reply.code(202).send(backgroundJobDto(await jobs.startBackfill(actorOf(req.principal), req.body))),
  );
  done();
};

export default enrichmentRoutes;
