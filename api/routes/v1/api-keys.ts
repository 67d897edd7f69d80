import { z } from 'zod';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { ApiDeps } from '../../deps.js';
import { authProblems, conflict, IdParams, notFound } from '../../schemas/common.js';
import {
  ApiKeyListSchema,
  apiKeyDto,
  CreatedApiKeySchema,
  CurrentKeySchema,
  NewApiKeyBody,
} from '../../schemas/api-keys.js';

/**
 * /v1/api-keys: the tenant's API keys, made, listed and revoked by keys holding keys:manage; and
 * /v1/me, the calling key itself.
 */
const apiKeyRoutes: FastifyPluginCallbackZod<{ deps: Pick<ApiDeps, 'apiKeys'> }> = (
  app,
  { deps: { apiKeys } },
  done,
) => {
  app.post(
    '/api-keys',
    {
      config: { permission: 'keys:manage' },
      schema: {
        tags: ['keys'],
        operationId: 'createApiKey',
        summary: 'Make an API key; its secret is returned this once',
        description:
          "A key never exceeds the key that makes it: every permission of its role and scopes must be the maker's (403 otherwise).",
        security: [{ apiKey: [] }],
        body: NewApiKeyBody,
        response: {
          201: CreatedApiKeySchema,
          409: conflict('the tenant already holds the most active keys it may; revoke one first.'),
          ...authProblems,
        },
      },
    },
    async (req, reply) => {
      const { key, secret } = await apiKeys.issue(req.principal, req.body);
      return reply.code(201).send({ ...apiKeyDto(key), secret });
    },
  );

  app.get(
    '/api-keys',
    {
      config: { permission: 'keys:manage' },
      schema: {
        tags: ['keys'],
        operationId: 'listApiKeys',
        summary: "The tenant's API keys, newest first, with when each was last used",
        security: [{ apiKey: [] }],
        response: { 200: ApiKeyListSchema, ...authProblems },
      },
    },
    async (req) => ({ items: (await apiKeys.list(req.principal.tenantId)).map(apiKeyDto) }),
  );

  // The calling key itself, for any valid key: a client learns what it may do without trying
  // (a refused try is an audited denial) and without keys:manage.
  app.get(
    '/me',
    {
      config: { permission: 'authenticated' },
      schema: {
        tags: ['keys'],
        operationId: 'getCurrentKey',
        summary: 'The calling API key: its tenant, id, name, role and permissions',
        description: 'Any valid key may ask; it needs no permission. Never returns the secret or its hash.',
        security: [{ apiKey: [] }],
        response: { 200: CurrentKeySchema, ...authProblems },
      },
    },
    (req) => apiKeys.current(req.principal),
  );

  app.delete(
    '/api-keys/:id',
    {
      config: { permission: 'keys:manage' },
      schema: {
        tags: ['keys'],
        operationId: 'revokeApiKey',
        summary: 'Revoke an API key, effective from the next request',
        description:
          "A key never revokes a key holding a permission it lacks (403), nor the tenant's last ADMIN key (409: only the operator's CLI may).",
        security: [{ apiKey: [] }],
        params: IdParams,
        response: {
          204: z.null().describe('Revoked'),
          404: notFound,
          409: conflict("the tenant's last ADMIN key; make another first, or revoke it with the CLI."),
          ...authProblems,
        },
      },
    },
    async (req, reply) => {
      await apiKeys.revoke(req.principal, req.params.id);
      return reply.code(204).send(null);
    },
  );
  done();
};

export default apiKeyRoutes;
