import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { ApiDeps } from '../../deps.js';
import { authProblems, conflict } from '../../schemas/common.js';
import { ErasureBody, ErasureReportSchema, toErasureReportDto } from '../../schemas/erasure.js';

/** /v1/erasure: a person's erasure (docs/lifecycle.md, "Erasure"). ADMIN only. */
const erasureRoutes: FastifyPluginCallbackZod<{ deps: Pick<ApiDeps, 'erasure' | 'apiKeys'> }> = (
  app,
  { deps: { erasure, apiKeys } },
  done,
) => {
  app.post(
    '/erasure',
    {
      config: { permission: 'assets:purge' },
      schema: {
        tags: ['assets'],
        operationId: 'erasePerson',
        summary: 'Erase a person: a speaker, a contributor, a user of interaction events',
        description:
          "Takes a person out of the tenant (ADMIN only; `assets:purge`, and `masking:resolve` with `userToken`). With `name`: every asset naming them (its speakers, contributors, tags, enrichment, moments, title, description, transcript, link notes) becomes a new version without the name (each occurrence in text becomes `[erased]`), every older version snapshot is rewritten in place, search, suggestions and the graph are updated before the answer (the person's entity node goes), and earlier audit records lose the name. With `userToken`: the person's raw interaction events are erased, and their comments on assets become tombstones by an erased author (their reactions, mentions and assignments go). Runs in batches of 200 assets, each its own transaction. If an asset naming the person is under legal hold, the whole request is refused with 409 (`/problems/legal-hold`, `assetIds` naming the held assets) and nothing changes. Audited (PERSON_ERASE: who, when, why, the counts, a salted hash of the name, never the name). Repeating an erasure changes nothing and reports zeros.",
        security: [{ apiKey: [] }],
        body: ErasureBody,
        response: {
          200: ErasureReportSchema.describe('What the erasure changed'),
          409: conflict(
            'an asset naming the person is under legal hold (problem type /problems/legal-hold, `assetIds`): nothing was erased.',
          ),
          ...authProblems,
        },
      },
    },
    async (req) => {
      if (req.body.userToken !== undefined)
        await apiKeys.authorize(req.principal, 'masking:resolve', {
          method: req.method,
          route: req.routeOptions.url,
        });
      return toErasureReportDto(await erasure.erase(req.principal, req.body));
    },
  );
  done();
};

export default erasureRoutes;
