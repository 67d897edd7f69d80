import type { AnalyticsStore, RecordResult } from '../analytics/analytics-store.js';
import type { StoredEvent } from '../domain/interaction-events.js';

/**
 * INTEGRATOR: a stand-in until the Postgres analytics store (branch analytics-pg) is merged.
 * Replace `analyticsStoreFor` in runtime/container.ts with the real adapter and delete this file.
 * It de-duplicates by (tenant, id) in memory and keeps nothing else: it answers no metric.
 */
export class PlaceholderAnalyticsStore implements AnalyticsStore {
  private readonly seen = new Set<string>();

  ensureSchema(): Promise<void> {
    return Promise.resolve();
  }

  record(events: StoredEvent[]): Promise<RecordResult> {
    const recorded: string[] = [];
    for (const e of events) {
      const key = `${e.tenantId}\u0000${e.id}`;
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      recorded.push(e.id);
    }
    return Promise.resolve({ recorded, duplicates: events.length - recorded.length });
  }

  series(): never {
    throw new Error('no analytics store yet (runtime/analytics-placeholder.ts)');
  }

  trending(): never {
    throw new Error('no analytics store yet (runtime/analytics-placeholder.ts)');
  }

  eraseUser(): Promise<number> {
    return Promise.resolve(0);
  }

  expireRaw(): Promise<number> {
    return Promise.resolve(0);
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
