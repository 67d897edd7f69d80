import { webhookHeaders } from '../domain/webhook-signature.js';
import type { JobContext, JobPayloads } from '../queue/jobs.js';
import type { Database } from '../store/database.js';
import type { WebhooksRepository } from '../store/webhooks-repository.js';
import type { SigningSecrets } from './signing-secrets.js';

/** How one POST to a receiver went. */
export interface SendResult {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  /** The start of the answer's body; the rest is never read. */
  response: string | null;
  durationMs: number;
}

/** POSTs one signed webhook request; never throws, every outcome is a result. */
export type SendWebhook = (url: string, headers: Record<string, string>, body: string) => Promise<SendResult>;

/** An attempt the receiver did not accept: thrown so the queue retries it with backoff. */
export class DeliveryFailedError extends Error {
  override name = 'DeliveryFailedError';
}

/** The delivery of webhooks: the `deliver-webhook` job. */
export class WebhookDeliveryService {
  constructor(
    private readonly deps: {
      db: Database;
      webhooks: Pick<WebhooksRepository, 'deliveryToSend' | 'abandon' | 'recordAttempt'>;
      /** Opens the sealed signing secrets (SECRETS_KEY). */
      signing: Pick<SigningSecrets, 'toSignWith'>;
      send: SendWebhook;
    },
  ) {}

  /**
   * One attempt at a webhook delivery. Signed afresh on each attempt (the timestamp is the
   * attempt's), with the delivery's id as `webhook-id` every time. Success, or failure on the last
   * attempt, completes the delivery; an earlier failure throws so the queue retries. A delivery that
   * is no longer PENDING (done already, or its webhook deleted) is left alone.
   */
  async deliverWebhook(
    { tenantId, deliveryId }: JobPayloads['deliver-webhook'],
    ctx: JobContext,
  ): Promise<void> {
    const { db, webhooks } = this.deps;
    const delivery = await webhooks.deliveryToSend(db, tenantId, deliveryId);
    if (!delivery || delivery.status !== 'PENDING') return;
    if (!delivery.enabled) {
      await webhooks.abandon(db, tenantId, deliveryId, 'webhook disabled before delivery');
      return;
    }
    const at = new Date();
    // After a rotation, signed by the new secret and, during its grace period, by the old one too.
    const secrets = this.deps.signing.toSignWith(
      { tenantId, kind: 'webhook', id: delivery.webhookId },
      delivery,
    );
    const headers = webhookHeaders(secrets, delivery.id, delivery.body, at);
    const result = await this.deps.send(delivery.url, headers, delivery.body);
    const final = !result.ok && ctx.attempt >= ctx.maxAttempts;
    await webhooks.recordAttempt(db, tenantId, deliveryId, {
      status: result.ok ? 'SUCCEEDED' : final ? 'FAILED' : 'PENDING',
      statusCode: result.statusCode,
      error: result.error,
      response: result.response,
      durationMs: result.durationMs,
      at,
    });
    if (!result.ok) {
      throw new DeliveryFailedError(
        `webhook delivery ${deliveryId}, attempt ${ctx.attempt} of ${ctx.maxAttempts}: ${result.error}`,
      );
    }
  }
}
