import { z } from 'zod';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { ApiDeps } from '../../deps.js';
import { actorOf } from '../../plugins/auth.js';
import { MAX_WEBHOOKS_PER_TENANT } from '../../../services/webhook-service.js';
import { authProblems, conflict, IdParams, notFound } from '../../schemas/common.js';
import {
  TestDeliveryParams,
  TestDeliverySchema,
  testDeliveryDto,
  CreatedWebhookSchema,
  deliveryDto,
  DeliveryListQuery,
  DeliveryPageSchema,
  DeliveryParams,
  DeliverySchema,
  NewWebhookBody,
  webhookDto,
  WebhookListSchema,
  WebhookPatchBody,
  WebhookSchema,
  RotateSecretQuery,
  RotatedWebhookSecretSchema,
} from '../../schemas/webhooks.js';

/** /v1/webhooks: the tenant's webhooks and their delivery log, for keys holding webhooks:manage. */
const webhookRoutes: FastifyPluginCallbackZod<{ deps: Pick<ApiDeps, 'webhooks'> }> = (
  app,
  { deps: { webhooks } },
  done,
) => {
  app.post(
    '/webhooks',
    {
      config: { permission: 'webhooks:manage' },
      schema: {
        tags: ['webhooks'],
        operationId: 'createWebhook',
        summary: 'Register a webhook; its signing secret is returned this once',
        description: `Each event the webhook takes is POSTed to its URL, signed as in the Standard Webhooks spec (webhook-id, webhook-timestamp, webhook-signature), and retried with backoff until the receiver answers 2xx. See docs/webhooks.md. A tenant holds at most ${MAX_WEBHOOKS_PER_TENANT} webhooks (409 beyond).`,
        security: [{ apiKey: [] }],
        body: NewWebhookBody,
        response: {
          201: CreatedWebhookSchema,
          409: conflict('the tenant already holds the most webhooks it may.'),
          ...authProblems,
        },
      },
    },
    async (req, reply) => {
      const { webhook, secret } = await webhooks.create(actorOf(req.principal), req.body);
      return reply.code(201).send({ ...webhookDto(webhook), secret });
    },
  );

  app.post(
    '/webhooks/:id/rotate-secret',
    {
      config: { permission: 'webhooks:manage' },
      schema: {
        tags: ['webhooks'],
        operationId: 'rotateWebhookSecret',
        summary: "Replace a webhook's signing secret, and answer the new one this once",
        description:
          'From the next attempt on, deliveries are signed with the new secret and, for `graceSeconds` (default a day; 0: not at all), with the old one too: two signatures in webhook-signature, as the Standard Webhooks spec allows, so the receiver may switch at any time in that period without refusing a delivery. Audited (WEBHOOK_SECRET_ROTATE), without the secret.',
        security: [{ apiKey: [] }],
        params: IdParams,
        querystring: RotateSecretQuery,
        response: { 200: RotatedWebhookSecretSchema, 404: notFound, ...authProblems },
      },
    },
    async (req) => {
      const { webhook, secret, previousSecretExpiresAt } = await webhooks.rotateSecret(
        actorOf(req.principal),
        req.params.id,
        req.query.graceSeconds,
      );
      return {
        ...webhookDto(webhook),
        secret,
        previousSecretExpiresAt: previousSecretExpiresAt?.toISOString() ?? null,
      };
    },
  );

  app.get(
    '/webhooks',
    {
      config: { permission: 'webhooks:manage' },
      schema: {
        tags: ['webhooks'],
        operationId: 'listWebhooks',
        summary: "The tenant's webhooks, newest first; never their secrets",
        security: [{ apiKey: [] }],
        response: { 200: WebhookListSchema, ...authProblems },
      },
    },
    async (req) => ({ items: (await webhooks.list(req.principal.tenantId)).map(webhookDto) }),
  );

  app.get(
    '/webhooks/:id',
    {
      config: { permission: 'webhooks:manage' },
      schema: {
        tags: ['webhooks'],
        operationId: 'getWebhook',
        summary: 'One webhook',
        security: [{ apiKey: [] }],
        params: IdParams,
        response: { 200: WebhookSchema, 404: notFound, ...authProblems },
      },
    },
    async (req) => webhookDto(await webhooks.get(req.principal.tenantId, req.params.id)),
  );

  app.patch(
    '/webhooks/:id',
    {
      config: { permission: 'webhooks:manage' },
      schema: {
        tags: ['webhooks'],
        operationId: 'updateWebhook',
        summary: 'Change a webhook: its URL, events, description, or enabled state',
        description: 'A disabled webhook gets no new deliveries, and its pending ones are dropped as FAILED.',
        security: [{ apiKey: [] }],
        params: IdParams,
        body: WebhookPatchBody,
        response: { 200: WebhookSchema, 404: notFound, ...authProblems },
      },
    },
    async (req) => webhookDto(await webhooks.update(actorOf(req.principal), req.params.id, req.body)),
  );

  app.delete(
    '/webhooks/:id',
    {
      config: { permission: 'webhooks:manage' },
      schema: {
        tags: ['webhooks'],
        operationId: 'deleteWebhook',
        summary: 'Delete a webhook with its delivery log; queued deliveries are not sent',
        security: [{ apiKey: [] }],
        params: IdParams,
        response: { 204: z.null().describe('Deleted'), 404: notFound, ...authProblems },
      },
    },
    async (req, reply) => {
      await webhooks.remove(actorOf(req.principal), req.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/webhooks/:id/deliveries',
    {
      config: { permission: 'webhooks:manage' },
      schema: {
        tags: ['webhooks'],
        operationId: 'listWebhookDeliveries',
        summary: "A webhook's deliveries, newest first: event, status, attempts, last answer, timings",
        description: 'Deliveries are kept 30 days. status=FAILED lists the dead ones.',
        security: [{ apiKey: [] }],
        params: IdParams,
        querystring: DeliveryListQuery,
        response: { 200: DeliveryPageSchema, 404: notFound, ...authProblems },
      },
    },
    async (req) => {
      const page = await webhooks.deliveries(req.principal.tenantId, req.params.id, req.query);
      return { items: page.items.map(deliveryDto), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/webhooks/:id/test',
    {
      config: { permission: 'webhooks:manage' },
      schema: {
        tags: ['webhooks'],
        operationId: 'testWebhook',
        summary: 'Send the webhook a signed webhook.test delivery, whatever events it takes',
        description:
          'Sent, retried, logged and policed (the URL policy) like any delivery; poll its delivery to see the outcome. 409 when the webhook is disabled.',
        security: [{ apiKey: [] }],
        params: IdParams,
        response: {
          202: TestDeliverySchema,
          404: notFound,
          409: conflict('the webhook is disabled; enable it to send a test.'),
          ...authProblems,
        },
      },
    },
    async (req, reply) => {
      const delivery = await webhooks.sendTest(actorOf(req.principal), req.params.id);
      return reply.code(202).send(testDeliveryDto(delivery));
    },
  );

  app.get(
    '/webhooks/:id/test/:deliveryId',
    {
      config: { permission: 'webhooks:manage' },
      schema: {
        tags: ['webhooks'],
        operationId: 'getWebhookTestDelivery',
        summary: 'A test delivery: whether the receiver took it, with its status code and answer',
        description: 'Test deliveries are kept apart from the event deliveries that GET …/deliveries lists.',
        security: [{ apiKey: [] }],
        params: TestDeliveryParams,
        response: { 200: TestDeliverySchema, 404: notFound, ...authProblems },
      },
    },
    async (req) =>
      testDeliveryDto(
        await webhooks.testDelivery(req.principal.tenantId, req.params.id, req.params.deliveryId),
      ),
  );

  app.post(
    '/webhooks/:id/deliveries/:deliveryId/redeliver',
    {
      config: { permission: 'webhooks:manage' },
      schema: {
        tags: ['webhooks'],
        operationId: 'redeliverWebhookDelivery',
        summary: 'Send a delivery again, with the same webhook-id, as new attempts',
        description:
          'The delivery goes back to PENDING and is retried as on its first sending. 409 when the webhook is disabled.',
        security: [{ apiKey: [] }],
        params: DeliveryParams,
        response: {
          202: DeliverySchema,
          404: notFound,
          409: conflict('the webhook is disabled; enable it to redeliver.'),
          ...authProblems,
        },
      },
    },
    async (req, reply) => {
      const { id, deliveryId } = req.params;
      const delivery = await webhooks.redeliver(actorOf(req.principal), id, deliveryId);
      return reply.code(202).send(deliveryDto(delivery));
    },
  );
  done();
};

export default webhookRoutes;
