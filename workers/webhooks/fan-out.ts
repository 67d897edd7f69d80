import { randomUUID } from 'node:crypto';
import type { OutboxEvent } from '../../domain/events.js';
import { webhookBody, webhookEventsFor, type WebhookEvent } from '../../domain/webhooks.js';
import type { Sql } from '../../store/db.js';
import { outboxRepository } from '../../store/outbox-repository.js';
import { webhooksRepository, type NewDelivery } from '../../store/webhooks-repository.js';

/**
 * Turns relayed outbox events into webhook deliveries: one per event and enabled webhook of the
 * event's tenant that takes it. Runs in the relay's transaction, so a delivery exists exactly when
 * its event is marked relayed. Each delivery is announced by an outbox event of its own
 * (`webhook.delivery-requested`), relayed once this transaction has committed, so the delivery job
 * always finds its row. Returns how many deliveries were made.
 */
export async function fanOutWebhooks(tx: Sql, events: OutboxEvent[]): Promise<number> {
  const announced = events.flatMap((event) =>
    webhookEventsFor(event).map((webhookEvent) => ({ event, webhookEvent })),
  );
  if (announced.length === 0) return 0;
  const tenants = [...new Set(announced.map((a) => a.event.tenantId))];
  const types = [...new Set(announced.map((a) => a.webhookEvent.type))];
  const webhooks = await webhooksRepository.subscribers(tx, tenants, types);
  if (webhooks.length === 0) return 0;

  const occurredAt = await outboxRepository.createdAt(
    tx,
    announced.map((a) => a.event.id),
  );
  const deliveries: NewDelivery[] = [];
  for (const { event, webhookEvent } of announced) {
    const body = bodyOf(webhookEvent, occurredAt.get(event.id));
    for (const w of webhooks) {
      if (w.tenantId !== event.tenantId || !w.events.includes(webhookEvent.type)) continue;
      deliveries.push({
        tenantId: w.tenantId,
        id: randomUUID(),
        webhookId: w.id,
        eventId: event.id,
        eventType: webhookEvent.type,
        body,
      });
    }
  }
  const made = await webhooksRepository.insertDeliveries(tx, deliveries);
  const byTenant = new Map<string, string[]>();
  for (const d of made) byTenant.set(d.tenantId, [...(byTenant.get(d.tenantId) ?? []), d.id]);
  for (const [tenantId, ids] of byTenant) {
    await outboxRepository.insertMany(
      tx,
      tenantId,
      ids.map((deliveryId) => ({
        type: 'webhook.delivery-requested' as const,
        aggregateId: deliveryId,
        payload: { deliveryId, run: 0 },
      })),
    );
  }
  return made.length;
}

const bodyOf = (event: WebhookEvent, occurredAt: Date | undefined) =>
  webhookBody(event, occurredAt ?? new Date());
