import { randomUUID } from 'node:crypto';
import { dateTime } from '../domain/ranges.js';
import { z } from 'zod';
import { decodeCursor, pageOf } from '../domain/cursor.js';
import { ConflictError, NotFoundError } from '../domain/errors.js';
import { DEFAULT_ROTATION_GRACE_SECONDS } from '../domain/webhook-signature.js';
import { checkWebhookUrl } from '../domain/webhook-url.js';
import { WEBHOOK_TEST_EVENT, webhookTestBody, type WebhookEventType } from '../domain/webhooks.js';
import type { ActionsRepository } from '../store/actions-repository.js';
import type { Database, Sql } from '../store/db.js';
import type { OutboxRepository } from '../store/outbox-repository.js';
import type {
  DeliveryStatus,
  Webhook,
  WebhookDelivery,
  WebhooksRepository,
} from '../store/webhooks-repository.js';
import type { Actor } from './ingest-service.js';
import { apiAction } from './api-action.js';
import type { SigningSecrets } from './signing-secrets.js';

/** Webhooks per tenant: plenty for every integration, few enough to fan out to on every event. */
export const MAX_WEBHOOKS_PER_TENANT = 25;

const DeliveryCursor = z.object({ t: dateTime(), id: z.uuid() });

export interface NewWebhook {
  url: string;
  events: WebhookEventType[];
  description?: string | undefined;
  enabled?: boolean | undefined;
}

export interface WebhookPatch {
  url?: string | undefined;
  events?: WebhookEventType[] | undefined;
  description?: string | undefined;
  enabled?: boolean | undefined;
}

/**
 * A tenant's webhooks and their deliveries. Every change is audited in its transaction; a
 * redelivery is an outbox event in the same transaction as the delivery's reset.
 */
export class WebhookService {
  private readonly db: Database;

  constructor(
    private readonly deps: {
      db: Database;
      webhooks: WebhooksRepository;
      /** Issues and rotates the signing secrets, sealed at rest (SECRETS_KEY). */
      signing: Pick<SigningSecrets, 'issue' | 'rotate'>;
      outbox: Pick<OutboxRepository, 'insertMany' | 'insertOne'>;
      actions: Pick<ActionsRepository, 'insertMany'>;
      /** Called after commit, so the relay moves the new events without waiting for its poll. */
      nudge: () => void;
    },
    private readonly policy: { allowPrivate: boolean },
  ) {
    this.db = deps.db;
  }

  /** Registers a webhook and returns its signing secret: the only time the API shows it. */
  async create(who: Actor, input: NewWebhook): Promise<{ webhook: Webhook; secret: string }> {
    const url = checkWebhookUrl(input.url, this.policy).href;
    const id = randomUUID();
    const { secret, sealed } = this.deps.signing.issue({ tenantId: who.tenantId, kind: 'webhook', id });
    const startedAt = new Date();
    const webhook = await this.db.transaction(async (tx) => {
      if ((await this.deps.webhooks.count(tx, who.tenantId)) >= MAX_WEBHOOKS_PER_TENANT) {
        throw new ConflictError(
          `a tenant holds at most ${MAX_WEBHOOKS_PER_TENANT} webhooks; delete one first`,
        );
      }
      const made = await this.deps.webhooks.insert(tx, {
        tenantId: who.tenantId,
        id,
        url,
        events: unique(input.events),
        description: input.description ?? '',
        enabled: input.enabled ?? true,
        secret: sealed,
        createdBy: who.actor,
      });
      await this.audit(tx, who, 'WEBHOOK_CREATE', startedAt, {
        webhookId: made.id,
        url: withoutQuery(made.url),
        events: made.events,
        enabled: made.enabled,
      });
      return made;
    });
    return { webhook, secret };
  }

  list(tenantId: string): Promise<Webhook[]> {
    return this.deps.webhooks.list(this.db, tenantId, MAX_WEBHOOKS_PER_TENANT * 2);
  }

  async get(tenantId: string, id: string): Promise<Webhook> {
    const found = await this.deps.webhooks.get(this.db, tenantId, id);
    if (!found) throw new NotFoundError(`webhook ${id} not found`);
    return found;
  }

  /** Changes a webhook's URL, events, description or state (a disabled one gets no deliveries). */
  async update(who: Actor, id: string, patch: WebhookPatch): Promise<Webhook> {
    const url = patch.url !== undefined ? checkWebhookUrl(patch.url, this.policy).href : undefined;
    const startedAt = new Date();
    return this.db.transaction(async (tx) => {
      const current = await this.deps.webhooks.get(tx, who.tenantId, id, { forUpdate: true });
      if (!current) throw new NotFoundError(`webhook ${id} not found`);
      const next = {
        url: url ?? current.url,
        events: patch.events ? unique(patch.events) : current.events,
        description: patch.description ?? current.description,
        enabled: patch.enabled ?? current.enabled,
      };
      const updated = (await this.deps.webhooks.update(tx, who.tenantId, id, next))!;
      const changed = (Object.keys(next) as (keyof typeof next)[]).filter(
        (k) => JSON.stringify(next[k]) !== JSON.stringify(current[k]),
      );
      await this.audit(tx, who, 'WEBHOOK_UPDATE', startedAt, {
        webhookId: id,
        changed,
        url: withoutQuery(updated.url),
        events: updated.events,
        enabled: updated.enabled,
      });
      return updated;
    });
  }

  /**
   * A new signing secret, answered this once. The old one keeps signing beside it for
   * `graceSeconds` (default a day; 0: it stops at once): each delivery then carries a signature by
   * each, so the receiver may switch to the new secret at any time in that period without refusing
   * a delivery. Audited, without either secret.
   */
  async rotateSecret(
    who: Actor,
    id: string,
    graceSeconds = DEFAULT_ROTATION_GRACE_SECONDS,
  ): Promise<{ webhook: Webhook; secret: string; previousSecretExpiresAt: Date | null }> {
    const startedAt = new Date();
    return this.db.transaction(async (tx) => {
      const owner = { tenantId: who.tenantId, kind: 'webhook', id } as const;
      const rotated = await this.deps.signing.rotate(tx, owner, graceSeconds);
      const webhook = rotated && (await this.deps.webhooks.get(tx, who.tenantId, id));
      if (!rotated || !webhook) throw new NotFoundError(`webhook ${id} not found`);
      await this.audit(tx, who, 'WEBHOOK_SECRET_ROTATE', startedAt, { webhookId: id, graceSeconds });
      return { webhook, ...rotated };
    });
  }

  /** Deletes a webhook with its delivery log; deliveries still queued are dropped. */
  async remove(who: Actor, id: string): Promise<void> {
    const startedAt = new Date();
    await this.db.transaction(async (tx) => {
      const current = await this.deps.webhooks.get(tx, who.tenantId, id, { forUpdate: true });
      if (!current || !(await this.deps.webhooks.remove(tx, who.tenantId, id))) {
        throw new NotFoundError(`webhook ${id} not found`);
      }
      await this.audit(tx, who, 'WEBHOOK_DELETE', startedAt, {
        webhookId: id,
        url: withoutQuery(current.url),
        events: current.events,
      });
    });
  }

  /** A webhook's deliveries, newest first. */
  async deliveries(
    tenantId: string,
    webhookId: string,
    opts: { limit: number; cursor?: string | undefined; status?: DeliveryStatus | undefined },
  ): Promise<{ items: WebhookDelivery[]; nextCursor: string | null }> {
    await this.get(tenantId, webhookId);
    const after = opts.cursor ? decodeCursor(opts.cursor, DeliveryCursor) : undefined;
    const rows = await this.deps.webhooks.listDeliveries(this.db, tenantId, webhookId, {
      limit: opts.limit + 1,
      status: opts.status,
      after: after && { createdAt: after.t, id: after.id },
    });
    return pageOf(rows, opts.limit, (last) => ({ t: last.createdAt.toISOString(), id: last.id }));
  }

  /**
   * Sends a delivery again, as a new attempt with the same `webhook-id`, so a receiver that already
   * has it can tell. Any delivery can be sent again, a pending one too (its job may have been lost
   * with an in-process queue); the receiver may then get it twice, with the same id.
   */
  async redeliver(who: Actor, webhookId: string, deliveryId: string): Promise<WebhookDelivery> {
    const startedAt = new Date();
    const delivery = await this.db.transaction(async (tx) => {
      const webhook = await this.deps.webhooks.get(tx, who.tenantId, webhookId, { forUpdate: true });
      if (!webhook) throw new NotFoundError(`webhook ${webhookId} not found`);
      if (!(await this.deps.webhooks.getDelivery(tx, who.tenantId, webhookId, deliveryId))) {
        throw new NotFoundError(`webhook ${webhookId} has no delivery ${deliveryId}`);
      }
      if (!webhook.enabled) {
        throw new ConflictError(`webhook ${webhookId} is disabled; enable it before redelivering`);
      }
      const requeued = (await this.deps.webhooks.requeue(tx, who.tenantId, webhookId, deliveryId))!;
      await this.deps.outbox.insertMany(tx, who.tenantId, [
        {
          type: 'webhook.delivery-requested',
          aggregateId: deliveryId,
          payload: { deliveryId, run: requeued.redeliveries },
        },
      ]);
      await this.audit(tx, who, 'WEBHOOK_REDELIVER', startedAt, {
        webhookId,
        deliveryId,
        event: requeued.eventType,
        redelivery: requeued.redeliveries,
        attemptsBefore: requeued.attempts,
      });
      return requeued;
    });
    this.deps.nudge();
    return delivery;
  }

  /**
   * Sends the webhook a signed `webhook.test` delivery, whatever events it takes, through the usual
   * path: a delivery row (in the log), a `webhook.delivery-requested` event, the delivery job with
   * its retries and the URL policy. The outbox event's id is the delivery's event id. Audited.
   */
  async sendTest(who: Actor, webhookId: string): Promise<WebhookDelivery> {
    const startedAt = new Date();
    const delivery = await this.db.transaction(async (tx) => {
      const webhook = await this.deps.webhooks.get(tx, who.tenantId, webhookId, { forUpdate: true });
      if (!webhook) throw new NotFoundError(`webhook ${webhookId} not found`);
      if (!webhook.enabled) {
        throw new ConflictError(`webhook ${webhookId} is disabled; enable it before sending a test`);
      }
      const deliveryId = randomUUID();
      const eventId = await this.deps.outbox.insertOne(tx, who.tenantId, {
        type: 'webhook.delivery-requested',
        aggregateId: deliveryId,
        payload: { deliveryId, run: 0 },
      });
      await this.deps.webhooks.insertDeliveries(tx, [
        {
          tenantId: who.tenantId,
          id: deliveryId,
          webhookId,
          eventId,
          eventType: WEBHOOK_TEST_EVENT,
          body: webhookTestBody(webhookId, startedAt, eventId),
        },
      ]);
      await this.audit(tx, who, 'WEBHOOK_TEST', startedAt, { webhookId, deliveryId });
      return (await this.deps.webhooks.getDelivery(tx, who.tenantId, webhookId, deliveryId, true))!;
    });
    this.deps.nudge();
    return delivery;
  }

  /** A test delivery, to see how it went. */
  async testDelivery(tenantId: string, webhookId: string, deliveryId: string): Promise<WebhookDelivery> {
    const delivery = await this.deps.webhooks.getDelivery(this.db, tenantId, webhookId, deliveryId, true);
    if (!delivery) throw new NotFoundError(`webhook ${webhookId} has no test delivery ${deliveryId}`);
    return delivery;
  }

  /** An audit row for a change, in its transaction. */
  private async audit(
    tx: Sql,
    who: Actor,
    actionType: string,
    startedAt: Date,
    details: Record<string, unknown>,
  ): Promise<void> {
    await this.deps.actions.insertMany(tx, who.tenantId, [
      apiAction(who.actor, actionType, details, { startedAt }),
    ]);
  }
}

const unique = <T>(xs: T[]): T[] => [...new Set(xs)];

/** A URL for the audit trail: a token in the query string stays out of it. */
function withoutQuery(url: string): string {
  const u = new URL(url);
  return u.search ? `${u.origin}${u.pathname}?…` : u.href;
}
