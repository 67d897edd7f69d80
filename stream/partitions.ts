import type { StoredEvent } from '../domain/interaction-events.js';

/**
 * The partition of an event: a hash of its user token, else of its id. One person's events stay in
 * one partition (in order), and every copy of an event (a retried batch) lands in the same one, so
 * that the one consumer of that partition sees both and the store's check-then-insert holds.
 */
export function partitionOf(event: Pick<StoredEvent, 'userToken' | 'id'>, partitions: number): number {
  const key = event.userToken ?? event.id;
  // FNV-1a, 32 bits: cheap, and spreads tokens and uuids evenly.
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % partitions;
}

/** The events by partition, each list in the batch's order. */
export function byPartition(events: StoredEvent[], partitions: number): Map<number, StoredEvent[]> {
  const out = new Map<number, StoredEvent[]>();
  for (const e of events) {
    const p = partitionOf(e, partitions);
    const list = out.get(p);
    if (list) list.push(e);
    else out.set(p, [e]);
  }
  return out;
}

/** Events as the log stores them: JSON, dates as ISO strings. */
export const encodeEvents = (events: StoredEvent[]): string => JSON.stringify(events);

/** Back from the log's JSON: the dates revived. */
export function decodeEvents(json: string | unknown[]): StoredEvent[] {
  const raw = (typeof json === 'string' ? JSON.parse(json) : json) as (Omit<
    StoredEvent,
    'occurredAt' | 'receivedAt'
  > & { occurredAt: string; receivedAt: string })[];
  return raw.map((e) => ({ ...e, occurredAt: new Date(e.occurredAt), receivedAt: new Date(e.receivedAt) }));
}
