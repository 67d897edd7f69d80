import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { ApiDeps } from '../../deps.js';
import { actorOf } from '../../plugins/auth.js';
import { authProblems, conflict } from '../../schemas/common.js';
import { EmbeddingsBackfillBody } from '../../schemas/embeddings.js';
import { backgroundJobDto, JobSchema } from '../../schemas/jobs.js';

/** /v1/embeddings: the vectors behind semantic search (docs/semantic-search.md). */
const embeddingRoutes: FastifyPluginCallbackZod<{ deps: Pick<ApiDeps, 'jobs'> }> = (
  app,
  { deps: { jobs } },
  done,
) => {
  app.post(
    '/embeddings/backfill',
    {
      config: { permission: 'jobs:manage' },
      schema: {
        tags: ['jobs'],
        operationId: 'startEmbeddingsBackfill',
        summary: "Embed the tenant's assets that have no current vectors, throttled",
        description:
          'For a library ingested before semantic search was turned on, or embedded by another model. Returns the background job (backgroundKind embeddings-backfill); follow it at GET /v1/jobs/{id}. One runs at a time per tenant: while one is queued or running, the same job is returned and nothing new starts. An asset embedded already is not embedded again, and an interrupted job continues where it stopped.',
        security: [{ apiKey: [] }],
        body: EmbeddingsBackfillBody,
        response: {
          202: JobSchema,
          409: conflict('the tenant has semantic search off, so there is nothing to embed.'),
          ...authProblems,
        },
      },
    },
    async (req, reply) =>
      reply
        .code(202)
        .send(backgroundJobDto(await jobs.startEmbeddingsBackfill(actorOf(req.principal), req.body))),
  );
  done();
};

export default embeddingRoutes;
