import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { ApiDeps } from '../../deps.js';
import { authProblems } from '../../schemas/common.js';
import { pipelineStatusDto, PipelineStatusSchema } from '../../schemas/pipeline.js';

/** /v1/pipeline/status: where the tenant's assets are between ingest and search, read-only. */
const pipelineRoutes: FastifyPluginCallbackZod<{ deps: Pick<ApiDeps, 'pipeline'> }> = (
  app,
  { deps: { pipeline } },
  done,
) => {
  app.get(
    '/pipeline/status',
    {
      config: { permission: 'assets:read' },
      schema: {
        tags: ['jobs'],
        operationId: 'getPipelineStatus',
        summary: "The tenant's assets by status, the pace of ingest and enrichment, and whether all is done",
        description:
          'For watching an import: poll it every few seconds until `idle`. Counts are of the key’s tenant only.',
        security: [{ apiKey: [] }],
        response: { 200: PipelineStatusSchema, ...authProblems },
      },
    },
    async (req) => pipelineStatusDto(await pipeline.status(req.principal.tenantId)),
  );
  done();
};

export default pipelineRoutes;
