import { randomUUID } from 'node:crypto';
import type { OutboxEvent } from '../domain/events.js';
import { servingRequests } from '../domain/request-ids.js';
import { linkTo, publishing, traced, type TraceCarrier } from '../domain/tracing.js';
import { webhookBody, webhookEventsFor } from '../domain/webhooks.js';
import type { JobQueue } from '../queue/job-queue.js';
import { jobsForEvents } from '../queue/jobs.js';
import type { Database, Sql } from '../store/database.js';
import type { OutboxRepository } from '../store/outbox-repository.js';
import type { NewDelivery, WebhooksRepository } from '../store/webhooks-repository.js';

/** Links to the distinct trace contexts of a batch's events (an ingest batch's share one). */
function linksOf(events: OutboxEvent[]) {
  const distinct = new Map<string, TraceCarrier>();
  for (const e of events) if (e.trace?.traceparent) distinct.set(e.trace.traceparent, e.trace);
  return [...distinct.values()].flatMap((carrier) => linkTo(carrier) ?? []);
}

/** Relayed events are kept this long (hours) for inspection, then pruned. */
const RELAYED_RETENTION_HOURS = 24 * 7;
/** Completed webhook deliveries are listed this long (GET /v1/webhooks/{id}/deliveries). */
const DELIVERY_RETENTION_DAYS = 30;

/**
 * The database side of the outbox relay: claims committed events, makes the webhook deliveries they
 * call for and hands their jobs to the queue, in one transaction. Events stay in the outbox until the
 * queue has accepted them, so a queue outage delays work but loses none; job ids de-duplicate.
 */
export class OutboxRelayService {
  constructor(
    private readonly deps: {
      db: Database;
      outbox: Pick<
        OutboxRepository,
        'claimPending' | 'markDispatched' | 'createdAt' | 'insertMany' | 'pruneDispatched'
      >;
      webhooks: Pick<WebhooksRepository, 'subscribers' | 'insertDeliveries' | 'pruneDeliveries'>;
      queue: Pick<JobQueue, 'enqueue'>;
    },
  ) {}

  /** Relays at most `limit` pending events; returns how many moved and how many deliveries they made. */
  relayBatch(limit: number): Promise<{ relayed: number; deliveries: number }> {
    const { db, outbox, queue } = this.deps;
    return db.transaction(async (tx) => {
      const events = await outbox.claimPending(tx, limit);
      if (events.length === 0) return { relayed: 0, deliveries: 0 };
      // A batch of its own trace, linked to the requests that wrote its events; each job it
      // enqueues continues its first event's trace (domain/tracing.ts, `publishing`).
      return traced(
        'outbox relay',
        {
          root: true,
          links: linksOf(events),
          attributes: { 'messaging.batch.message_count': events.length },
        },
        async () => {
          const deliveries = await this.fanOutWebhooks(tx, events);
          // The events claimed together (an ingest batch's, say) make one batch job per tenant and kind.
          await publishing(jobsForEvents(events), (jobs) => queue.enqueue(jobs), {
            'messaging.system': 'job-queue',
          });
          await outbox.markDispatched(
            tx,
            events.map((e) => e.id),
          );
          return { relayed: events.length, deliveries };
        },
      );
    });
  }

  /** Removes relayed events and completed webhook deliveries past their retention. */
  async prune(): Promise<void> {
    await this.deps.outbox.pruneDispatched(this.deps.db, RELAYED_RETENTION_HOURS);
    await this.deps.webhooks.pruneDeliveries(this.deps.db, DELIVERY_RETENTION_DAYS);
  }

  /**
   * Turns relayed outbox events into webhook deliveries: one per event and enabled webhook of the
   * event's tenant that takes it. Runs in the relay's transaction, so a delivery exists exactly when
   * its event is marked relayed. Each delivery is announced by an outbox event of its own
   * (`webhook.delivery-requested`), relayed once this transaction has committed, so the delivery job
   * always finds its row. Returns how many deliveries were made.
   */
  private async fanOutWebhooks(tx: Sql, events: OutboxEvent[]): Promise<number> {
    const { outbox, webhooks: repository } = this.deps;
    const announced = events.flatMap((event) =>
      webhookEventsFor(event).map((webhookEvent) => ({ event, webhookEvent })),
    );
    if (announced.length === 0) return 0;
    const tenants = [...new Set(announced.map((a) => a.event.tenantId))];
    const types = [...new Set(announced.map((a) => a.webhookEvent.type))];
    const webhooks = await repository.subscribers(tx, tenants, types);
    if (webhooks.length === 0) return 0;

    const occurredAt = await outbox.createdAt(
      tx,
      announced.map((a) => a.event.id),
    );
    const deliveries: NewDelivery[] = [];
    for (const { event, webhookEvent } of announced) {
      const body = webhookBody(webhookEvent, occurredAt.get(event.id) ?? new Date(), {
        eventId: event.id,
        sequence: event.sequence ?? null,
      });
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
    const made = await repository.insertDeliveries(tx, deliveries);
    // Each delivery's event keeps the request ids of the event it announces, for the delivery job's
    // log lines: grouped by tenant and those ids, each group written in them.
    const requestIdsOf = new Map(events.map((e) => [e.id, e.requestIds ?? []]));
    const eventOf = new Map(deliveries.map((d) => [d.id, d.eventId]));
    const groups = new Map<string, { tenantId: string; requestIds: string[]; ids: string[] }>();
    for (const d of made) {
      const requestIds = requestIdsOf.get(eventOf.get(d.id)!) ?? [];
      const key = `${d.tenantId}\u0000${requestIds.join(',')}`;
      const group = groups.get(key) ?? { tenantId: d.tenantId, requestIds, ids: [] };
      group.ids.push(d.id);
      groups.set(key, group);
    }
    for (const { tenantId, requestIds, ids } of groups.values()) {
      await servingRequests(requestIds, () =>
        outbox.insertMany(
          tx,
          tenantId,
          ids.map((deliveryId) => ({
            type: 'webhook.delivery-requested' as const,
            aggregateId: deliveryId,
            payload: { deliveryId, run: 0 },
          })),
        ),
      );
    }
    return made.length;
  }
}
