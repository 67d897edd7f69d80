import { z } from 'zod';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { ApiDeps } from '../../deps.js';
import { MAX_CONTROLLERS_PER_TENANT } from '../../../services/controller-service.js';
import { authProblems, conflict, IdParams, notFound } from '../../schemas/common.js';
import {
  ControllerListSchema,
  ControllerPatchBody,
  ControllerRunPageSchema,
  ControllerRunSchema,
  ControllerSchema,
  controllerDto,
  controllerRunDto,
  NewControllerBody,
  NewControllerSchema,
  RotatedSecretSchema,
  RunListQuery,
} from '../../schemas/controllers.js';
import { RotateSecretQuery } from '../../schemas/webhooks.js';

/**
 * /v1/controllers: ingress controllers, the feeds a tenant's assets are pulled from on a schedule
 * (docs/connectors.md). A controller makes the service fetch URLs a tenant chose and write assets, so
 * managing them takes an administrator's permission (workflows:manage, ADMIN only).
 */
const PERMISSION = 'workflows:manage' as const;

const controllerRoutes: FastifyPluginCallbackZod<{ deps: Pick<ApiDeps, 'controllers'> }> = (
  app,
  { deps: { controllers } },
  done,
) => {
  app.post(
    '/controllers',
    {
      config: { permission: PERMISSION },
      schema: {
        tags: ['controllers'],
        operationId: 'createController',
        summary:
          'Add a controller: an ingress one (a Media RSS feed, a JSON Feed, a REST listing, a watched folder) or an egress one (a partner push, a sidecar folder), synced on a schedule',
        description: `Its configuration is checked against its kind; a URL under the webhooks' outbound policy (no private addresses unless WEBHOOK_ALLOW_PRIVATE), a folder under the service's CONTROLLER_FOLDER_ROOT (folder kinds are refused without one). A partner push answers its signing secret this once. A new enabled controller syncs at the schedule's next tick. A tenant holds at most ${MAX_CONTROLLERS_PER_TENANT} (409 beyond). Audited.`,
        security: [{ apiKey: [] }],
        body: NewControllerBody,
        response: {
          201: NewControllerSchema,
          409: conflict('the tenant already holds the most controllers it may; delete one first.'),
          ...authProblems,
        },
      },
    },
    async (req, reply) => {
      const { controller, secret } = await controllers.create(req.principal, req.body);
      return reply.code(201).send({ ...controllerDto(controller), ...(secret ? { secret } : {}) });
    },
  );

  app.get(
    '/controllers',
    {
      config: { permission: PERMISSION },
      schema: {
        tags: ['controllers'],
        operationId: 'listControllers',
        summary: "The tenant's controllers, newest first, with their health and last sync",
        security: [{ apiKey: [] }],
        response: { 200: ControllerListSchema, ...authProblems },
      },
    },
    async (req) => ({ items: (await controllers.list(req.principal.tenantId)).map((c) => controllerDto(c)) }),
  );

  app.get(
    '/controllers/:id',
    {
      config: { permission: PERMISSION },
      schema: {
        tags: ['controllers'],
        operationId: 'getController',
        summary: 'One controller',
        security: [{ apiKey: [] }],
        params: IdParams,
        response: { 200: ControllerSchema, 404: notFound, ...authProblems },
      },
    },
    async (req) => controllerDto(await controllers.get(req.principal.tenantId, req.params.id)),
  );

  app.patch(
    '/controllers/:id',
    {
      config: { permission: PERMISSION },
      schema: {
        tags: ['controllers'],
        operationId: 'updateController',
        summary: 'Change a controller: its name, configuration, interval, logging level, or enabled state',
        description:
          "Takes effect at the schedule's next tick, without a restart: a disabled controller is not synced again, a new interval counts from its last run. Audited.",
        security: [{ apiKey: [] }],
        params: IdParams,
        body: ControllerPatchBody,
        response: { 200: ControllerSchema, 404: notFound, ...authProblems },
      },
    },
    async (req) => controllerDto(await controllers.update(req.principal, req.params.id, req.body)),
  );

  app.delete(
    '/controllers/:id',
    {
      config: { permission: PERMISSION },
      schema: {
        tags: ['controllers'],
        operationId: 'deleteController',
        summary: 'Delete a controller with its run history; the assets it brought in stay',
        security: [{ apiKey: [] }],
        params: IdParams,
        response: { 204: z.null().describe('Deleted'), 404: notFound, ...authProblems },
      },
    },
    async (req, reply) => {
      await controllers.remove(req.principal, req.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/controllers/:id/rotate-secret',
    {
      config: { permission: PERMISSION },
      schema: {
        tags: ['controllers'],
        operationId: 'rotateControllerSecret',
        summary: "Replace a partner push's signing secret, and answer the new one this once",
        description:
          'From the next request on, batches are signed with the new secret and, for `graceSeconds` (default a day; 0: not at all), with the old one too: two signatures in webhook-signature, so the partner may switch at any time in that period without refusing a batch. 404 for a controller of another kind. Audited (CONTROLLER_SECRET_ROTATE), without the secret.',
        security: [{ apiKey: [] }],
        params: IdParams,
        querystring: RotateSecretQuery,
        response: { 200: RotatedSecretSchema, 404: notFound, ...authProblems },
      },
    },
    async (req) => {
      const { controller, secret, previousSecretExpiresAt } = await controllers.rotateSecret(
        req.principal,
        req.params.id,
        req.query.graceSeconds,
      );
      return {
        ...controllerDto(controller),
        secret,
        previousSecretExpiresAt: previousSecretExpiresAt?.toISOString() ?? null,
      };
    },
  );

  app.post(
    '/controllers/:id/sync',
    {
      config: { permission: PERMISSION },
      schema: {
        tags: ['controllers'],
        operationId: 'syncController',
        summary: 'Sync a controller now, enabled or not, and answer its run',
        description:
          'Answers once the run ends, with its counts; a feed that fails or is malformed answers a FAILED run (the controller turns unhealthy, nothing already brought in is lost). 409 while another run holds the controller.',
        security: [{ apiKey: [] }],
        params: IdParams,
        response: {
          200: ControllerRunSchema,
          404: notFound,
          409: conflict('a run holds the controller; follow it in GET /v1/controllers/{id}/runs.'),
          ...authProblems,
        },
      },
    },
    async (req) => controllerRunDto(await controllers.syncNow(req.principal, req.params.id)),
  );

  app.get(
    '/controllers/:id/runs',
    {
      config: { permission: PERMISSION },
      schema: {
        tags: ['controllers'],
        operationId: 'listControllerRuns',
        summary: "A controller's runs, newest first: trigger, status, counts and durations",
        security: [{ apiKey: [] }],
        params: IdParams,
        querystring: RunListQuery,
        response: { 200: ControllerRunPageSchema, 404: notFound, ...authProblems },
      },
    },
    async (req) => {
      const page = await controllers.runs(req.principal.tenantId, req.params.id, req.query);
      return { items: page.items.map(controllerRunDto), nextCursor: page.nextCursor };
    },
  );
  done();
};

export default controllerRoutes;
