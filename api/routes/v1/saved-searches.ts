import { z } from 'zod';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { ApiDeps } from '../../deps.js';
import { MAX_SAVED_SEARCHES_PER_TENANT } from '../../../services/saved-search-service.js';
import { authProblems, conflict, IdParams, notFound } from '../../schemas/common.js';
import {
  NewSavedSearchBody,
  savedSearchDto,
  SavedSearchListSchema,
  SavedSearchSchema,
} from '../../schemas/saved-searches.js';

/**
 * /v1/saved-searches: the tenant's named searches, shared by its keys. Saving one is no change to
 * the catalogue, so search:read is enough to save, list and delete (one's own).
 */
const savedSearchRoutes: FastifyPluginCallbackZod<{ deps: Pick<ApiDeps, 'savedSearches'> }> = (
  app,
  { deps: { savedSearches } },
  done,
) => {
  app.post(
    '/saved-searches',
    {
      config: { permission: 'search:read' },
      schema: {
        tags: ['saved-searches'],
        operationId: 'createSavedSearch',
        summary: 'Save a search under a name, for every key of the tenant to open',
        description: `A tenant holds at most ${MAX_SAVED_SEARCHES_PER_TENANT} saved searches (409 beyond). Audited.`,
        security: [{ apiKey: [] }],
        body: NewSavedSearchBody,
        response: {
          201: SavedSearchSchema,
          409: conflict('the tenant already holds the most saved searches it may; delete one first.'),
          ...authProblems,
        },
      },
    },
    async (req, reply) =>
      reply.code(201).send(savedSearchDto(await savedSearches.create(req.principal, req.body))),
  );

  app.get(
    '/saved-searches',
    {
      config: { permission: 'search:read' },
      schema: {
        tags: ['saved-searches'],
        operationId: 'listSavedSearches',
        summary: "The tenant's saved searches, newest first",
        security: [{ apiKey: [] }],
        response: { 200: SavedSearchListSchema, ...authProblems },
      },
    },
    async (req) => ({ items: (await savedSearches.list(req.principal.tenantId)).map(savedSearchDto) }),
  );

  app.get(
    '/saved-searches/:id',
    {
      config: { permission: 'search:read' },
      schema: {
        tags: ['saved-searches'],
        operationId: 'getSavedSearch',
        summary: 'One saved search',
        security: [{ apiKey: [] }],
        params: IdParams,
        response: { 200: SavedSearchSchema, 404: notFound, ...authProblems },
      },
    },
    async (req) => savedSearchDto(await savedSearches.get(req.principal.tenantId, req.params.id)),
  );

  app.delete(
    '/saved-searches/:id',
    {
      config: { permission: 'search:read' },
      schema: {
        tags: ['saved-searches'],
        operationId: 'deleteSavedSearch',
        summary: 'Delete a saved search',
        description:
          'Only the key that saved it, or a key holding keys:manage, may delete a saved search (403 otherwise). Audited.',
        security: [{ apiKey: [] }],
        params: IdParams,
        response: { 204: z.null().describe('Deleted'), 404: notFound, ...authProblems },
      },
    },
    async (req, reply) => {
      await savedSearches.remove(req.principal, req.params.id);
      return reply.code(204).send(null);
    },
  );
  done();
};

export default savedSearchRoutes;
