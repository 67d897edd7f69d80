import type { DerivedEventPayload } from '../domain/events.js';
import type { StoredEvent } from '../domain/interaction-events.js';
import type { Database } from '../store/db.js';
import type { DerivedEventKeysRepository } from '../store/interaction-events-repository.js';
import type { NewOutboxEvent, OutboxRepository } from '../store/outbox-repository.js';

/** Keys outlive the oldest event the API accepts (30 days), so a late duplicate still finds its key. */
export const DERIVED_KEY_RETENTION_DAYS = 35;

/**
 * Webhook events derived from interaction events: `asset.watched` (a `complete`, or a `progress`
 * at or past the watched share of the asset's duration), once per session (else user, else event)
 * and asset; `asset.playback-error` (an `error`), once per event. Each is written to the outbox with
 * a de-duplication key in one transaction, so a redelivered stream entry announces nothing twice.
 */
export class DerivedEventsService {
  private lastPrune = 0;

  constructor(
    private readonly deps: {
      db: Database;
      keys: DerivedEventKeysRepository;
      outbox: Pick<OutboxRepository, 'insertMany'>;
      /** Tells the outbox relay there is work. */
      nudge: () => void;
    },
    private readonly options: { watchedShare: number },
  ) {}

  /** The derived events of these interaction events, keyed; the first event of a key wins. */
  derive(events: readonly StoredEvent[]): Map<string, Map<string, NewOutboxEvent>> {
    const byTenant = new Map<string, Map<string, NewOutboxEvent>>();
    const add = (e: StoredEvent, key: string, event: NewOutboxEvent) => {
      let keyed = byTenant.get(e.tenantId);
      if (!keyed) byTenant.set(e.tenantId, (keyed = new Map<string, NewOutboxEvent>()));
      if (!keyed.has(key)) keyed.set(key, event);
    };
    for (const e of events) {
      if (!e.assetId) continue;
      const payload: DerivedEventPayload = {
        assetId: e.assetId,
        interactionEventId: e.id,
        userToken: e.userToken,
        sessionToken: e.sessionToken,
        occurredAt: e.occurredAt.toISOString(),
        position: e.position,
      };
      if (e.type === 'error') {
        add(e, `error:${e.id}`, {
          type: 'asset.playback-error',
          aggregateId: e.assetId,
          payload: { ...payload, properties: e.properties },
        });
      } else if (this.watched(e)) {
        const who = e.sessionToken ? `s:${e.sessionToken}` : e.userToken ? `u:${e.userToken}` : `e:${e.id}`;
        add(e, `watched:${e.assetId}:${who}`, { type: 'asset.watched', aggregateId: e.assetId, payload });
      }
    }
    return byTenant;
  }

  private watched(e: StoredEvent): boolean {
    if (e.type === 'complete') return true;
    if (e.type !== 'progress' || e.position === null) return false;
    const duration = e.asset?.durationSeconds;
    return duration !== null && duration !== undefined && duration > 0
      ? e.position >= this.options.watchedShare * duration * 1000
      : false;
  }

  /** Writes the derived events not announced before; returns how many it wrote. */
  async record(events: readonly StoredEvent[]): Promise<number> {
    const byTenant = this.derive(events);
    if (byTenant.size === 0) return 0;
    const { db, keys, outbox } = this.deps;
    const written = await db.transaction(async (tx) => {
      let n = 0;
      for (const [tenantId, keyed] of byTenant) {
        const fresh = await keys.claim(tx, tenantId, [...keyed.keys()]);
        const announce = [...keyed].filter(([key]) => fresh.has(key)).map(([, event]) => event);
        await outbox.insertMany(tx, tenantId, announce);
        n += announce.length;
      }
      return n;
    });
    if (written > 0) this.deps.nudge();
    if (Date.now() - this.lastPrune > 3_600_000) {
      this.lastPrune = Date.now();
      await keys.prune(db, DERIVED_KEY_RETENTION_DAYS);
    }
    return written;
  }
}
