import type { PartnerPushConfig } from '../domain/controllers.js';
import { webhookHeaders } from '../domain/webhook-signature.js';
import { ConnectorError, type EgressTarget, type PostSigned } from './connector.js';

/**
 * A partner's endpoint (docs/connectors.md): each batch is one POST of
 * `{ controllerId, batchId, records }`, signed exactly like a webhook (Standard Webhooks:
 * `webhook-id` is the batch's id on every attempt, timestamp and signature are the attempt's), sent
 * by the webhook sender under its outbound policy (guarded lookup, no redirects, its timeout). Tried
 * `attempts` times, `retryDelayMs` apart and then more; a batch not acknowledged with a 2xx throws.
 */
export function partnerPushTarget(options: {
  post: PostSigned;
  /** The wait before the second attempt; each later one doubles. */
  retryDelayMs: number;
  clock?: () => Date;
}): EgressTarget {
  const clock = options.clock ?? (() => new Date());
  return {
    async deliver(config, batch, { secrets }) {
      const c = config as PartnerPushConfig;
      if (!secrets?.length) throw new ConnectorError('the controller has no signing secret');
      const body = JSON.stringify({
        controllerId: batch.controllerId,
        batchId: batch.id,
        records: batch.records,
      });
      let last = '';
      for (let attempt = 1; attempt <= c.attempts; attempt++) {
        if (attempt > 1 && options.retryDelayMs > 0) {
          await new Promise((r) => setTimeout(r, options.retryDelayMs * 2 ** (attempt - 2)));
        }
        const headers = webhookHeaders(secrets, batch.id, body, clock());
        const result = await options.post(c.url, headers, body);
        if (result.ok) return;
        last = result.error ?? `answered ${result.statusCode}`;
      }
      throw new ConnectorError(
        `the partner did not acknowledge batch ${batch.id} after ${c.attempts} attempts: ${last}`,
      );
    },
  };
}
