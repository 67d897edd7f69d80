import { webhookHeaders } from '../../domain/webhook-signature.js';
import type { Database } from '../../store/db.js';
import { webhooksRepository } from '../../store/webhooks-repository.js';
import type { JobHandler } from '../../queue/jobs.js';
import { sendWebhook, type SendOptions } from './send-webhook.js';

/** An attempt the receiver did not accept: thrown so the queue retries it with backoff. */
export class DeliveryFailedError extends Error {
  override name = 'DeliveryFailedError';
}

/**
 * One attempt at a webhook delivery. Signed afresh on each attempt (the timestamp is the
 * attempt's), with the delivery's id as `webhook-id` every time. Success, or failure on the last
 * attempt, completes the delivery; an earlier failure throws so the queue retries. A delivery that
 * is no longer PENDING (done already, or its webhook deleted) is left alone.
 */
export function createDeliverWebhookHandler(deps: {
  db: Database;
  send: SendOptions;
}): JobHandler<'deliver-webhook'> {
  return async ({ tenantId, deliveryId }, ctx) => {
    const delivery = await webhooksRepository.deliveryToSend(deps.db, tenantId, deliveryId);
    if (!delivery || delivery.status !== 'PENDING') return;
    if (!delivery.enabled) {
      await webhooksRepository.abandon(deps.db, tenantId, deliveryId, 'webhook disabled before delivery');
      return;
    }
    const at = new Date();
    const headers = webhookHeaders(delivery.secret, delivery.id, delivery.body, at);
    const result = await sendWebhook(delivery.url, headers, delivery.body, deps.send);
    const final = !result.ok && ctx.attempt >= ctx.maxAttempts;
    await webhooksRepository.recordAttempt(deps.db, tenantId, deliveryId, {
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
  };
}
