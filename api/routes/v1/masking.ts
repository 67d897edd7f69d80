import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { ApiDeps } from '../../deps.js';
import { actorOf } from '../../plugins/auth.js';
import { authProblems, notFound, problem } from '../../schemas/common.js';
import { ResolvedTokenSchema, TokenParams } from '../../schemas/masking.js';

/** /v1/masking: resolving the tokens that stand for masked metadata. */
const maskingRoutes: FastifyPluginCallbackZod<{ deps: Pick<ApiDeps, 'masking'> }> = (
  app,
  { deps: { masking } },
  done,
) => {
  app.get(
    '/masking/tokens/:token',
    {
      config: { permission: 'masking:resolve' },
      schema: {
        tags: ['masking'],
        operationId: 'resolveMaskingToken',
        summary: 'The value a masking token stands for',
        description:
          "Metadata configured for masking (MASK_FIELDS) is stored as tokens; this resolves one of the tenant's tokens to its value. ADMIN only, and every attempt, found or not, is recorded in the audit trail (MASK_TOKEN_RESOLVE, with the token, never the value). Another tenant's token is not found.",
        security: [{ apiKey: [] }],
        params: TokenParams,
        response: {
          200: ResolvedTokenSchema,
          404: notFound,
          ...authProblems,
          503: problem(
            'The token was made with another masking key (or none is configured), so its value cannot be read; or the database is unavailable.',
          ),
        },
      },
    },
    async (req, reply) => {
      const resolved = await masking.resolve(actorOf(req.principal), req.params.token);
      return reply
        .header('cache-control', 'no-store')
        .send({ ...resolved, createdAt: resolved.createdAt.toISOString() });
    },
  );
  done();
};

export default maskingRoutes;
