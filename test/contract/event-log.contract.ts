import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventLog, EventLogEntry } from '../../stream/event-log.js';
import { partitionOf } from '../../stream/partitions.js';
import { aStreamedEvent } from '../support/fakes.js';

export interface EventLogOptions {
  partitions: number;
  leaseMs: number;
  reclaimMs: number;
}

export interface EventLogFixture {
  log: EventLog;
  close(): Promise<void>;
}

const idsOf = (entries: EventLogEntry[]) => entries.flatMap((e) => e.events.map((ev) => ev.id)).sort();

/**
 * Reads until `n` events came back or the time is up (a read may return part of the backlog). The
 * bound is for a hang, generous so that a loaded machine passes.
 */
async function readEvents(log: EventLog, consumer: string, n: number): Promise<EventLogEntry[]> {
  const out: EventLogEntry[] = [];
  const deadline = Date.now() + 60_000;
  while (out.flatMap((e) => e.events).length < n && Date.now() < deadline) {
    const got = await log.read(consumer, { maxEntries: 100, blockMs: 100 });
    for (const entry of got)
      if (!out.some((o) => o.id === entry.id && o.partition === entry.partition)) out.push(entry);
  }
  return out;
}

/** One contract for every EventLog adapter: what the consumer and the fault tests rely on. */
export function eventLogContract(
  name: string,
  open: (options: EventLogOptions) => Promise<EventLogFixture>,
): void {
  describe(`EventLog contract: ${name}`, () => {
    let fixture: EventLogFixture | undefined;
    const start = async (options: Partial<EventLogOptions> = {}) => {
      fixture = await open({ partitions: 4, leaseMs: 5_000, reclaimMs: 5_000, ...options });
      return fixture.log;
    };
    afterEach(async () => {
      await fixture?.close();
      fixture = undefined;
    });

    it('gives back what was appended, dates and all, and forgets it once acknowledged', async () => {
      const log = await start();
      const events = [
        aStreamedEvent({ search: { query: 'kelp', totalHits: 0 }, context: { country: 'DE' } }),
        aStreamedEvent({ type: 'progress', position: 1200, properties: { a: 1, b: 'x', c: true } }),
        aStreamedEvent({
          userToken: null,
          consent: false,
          asset: {
            type: 'VIDEO',
            sourceSystem: 'cms',
            tags: ['t'],
            topics: [],
            speakers: [],
            durationSeconds: 60,
          },
        }),
      ];
      await log.append(events);
      expect((await log.lag()).entries).toBeGreaterThan(0);
      const entries = await readEvents(log, 'c1', events.length);
      const got = entries.flatMap((e) => e.events).sort((a, b) => a.id.localeCompare(b.id));
      expect(got).toEqual([...events].sort((a, b) => a.id.localeCompare(b.id)));
      for (const entry of entries)
        for (const e of entry.events) expect(entry.partition).toBe(partitionOf(e, 4));
      await log.ack('c1', entries);
      expect(await log.lag()).toEqual({ entries: 0, oldestMs: null });
      expect(await log.read('c1', { maxEntries: 100, blockMs: 50 })).toEqual([]);
    });

    it('keeps one batch in one entry per partition, and a person in one partition', async () => {
      const log = await start();
      const token = 'tok_same_person';
      const events = Array.from({ length: 200 }, (_, i) =>
        aStreamedEvent({ userToken: i % 2 ? token : null }),
      );
      await log.append(events);
      const entries = await readEvents(log, 'c1', events.length);
      expect(entries.length).toBeLessThanOrEqual(4);
      expect(idsOf(entries)).toEqual(events.map((e) => e.id).sort());
      const partitionsOfPerson = new Set(
        entries.filter((e) => e.events.some((ev) => ev.userToken === token)).map((e) => e.partition),
      );
      expect(partitionsOfPerson.size).toBe(1);
    });

    it('puts every copy of an event in the same partition', async () => {
      const log = await start();
      const event = aStreamedEvent({ userToken: null });
      await log.append([event]);
      await log.append([{ ...event }]);
      const entries = await readEvents(log, 'c1', 2);
      expect(new Set(entries.map((e) => e.partition)).size).toBe(1);
    });

    it('gives an unacknowledged entry to its consumer again', async () => {
      const log = await start();
      const events = [aStreamedEvent(), aStreamedEvent()];
      await log.append(events);
      const first = await readEvents(log, 'c1', 2);
      const again = await readEvents(log, 'c1', 2);
      expect(idsOf(again)).toEqual(idsOf(first));
      await log.ack('c1', again);
      expect((await log.lag()).entries).toBe(0);
    });

    it("lets one consumer at a time read a partition, and hands a dead one's entries on", async () => {
      // A lease long enough that a loaded machine's slow statements cannot outlast it between the
      // two reads below.
      const log = await start({ leaseMs: 3_000, reclaimMs: 3_000 });
      const events = Array.from({ length: 20 }, () => aStreamedEvent());
      await log.append(events);
      const taken = await readEvents(log, 'dies', events.length);
      expect(idsOf(taken)).toEqual(events.map((e) => e.id).sort());
      // While its lease lives, nobody else reads those partitions.
      expect(await log.read('other', { maxEntries: 100, blockMs: 50 })).toEqual([]);
      // It dies without acknowledging; once its lease and the reclaim time passed, the other takes
      // all: read until it has (readEvents waits for them, not for a time).
      const reclaimed = await readEvents(log, 'other', events.length);
      expect(idsOf(reclaimed)).toEqual(events.map((e) => e.id).sort());
      await log.ack('other', reclaimed);
      expect((await log.lag()).entries).toBe(0);
    });

    it('shares the partitions among consumers that each hold at most maxPartitions', async () => {
      const log = await start({ partitions: 4 });
      const events = Array.from({ length: 40 }, () => aStreamedEvent());
      await log.append(events);
      const got = new Map<string, EventLogEntry[]>([
        ['a', []],
        ['b', []],
      ]);
      const deadline = Date.now() + 60_000;
      while (
        [...got.values()].flat().flatMap((e) => e.events).length < events.length &&
        Date.now() < deadline
      )
        for (const [consumer, entries] of got)
          for (const entry of await log.read(consumer, { maxEntries: 100, blockMs: 50, maxPartitions: 2 }))
            if (!entries.some((e) => e.id === entry.id && e.partition === entry.partition))
              entries.push(entry);
      const partitionsOf = (entries: EventLogEntry[]) => new Set(entries.map((e) => e.partition));
      const [a, b] = [partitionsOf(got.get('a')!), partitionsOf(got.get('b')!)];
      expect(a.size).toBeGreaterThan(0);
      expect(a.size).toBeLessThanOrEqual(2);
      expect(b.size).toBeGreaterThan(0);
      expect(b.size).toBeLessThanOrEqual(2);
      expect([...a].filter((p) => b.has(p))).toEqual([]);
      expect(idsOf([...got.values()].flat())).toEqual(events.map((e) => e.id).sort());
    });

    it('answers a read that waits with what is appended meanwhile', async () => {
      const log = await start();
      // Takes the partitions first, as a running consumer has.
      expect(await log.read('c1', { maxEntries: 10, blockMs: 10 })).toEqual([]);
      const event = aStreamedEvent();
      const waiting = log.read('c1', { maxEntries: 10, blockMs: 3_000 });
      await sleep(50);
      await log.append([event]);
      const got = await waiting;
      const all = got.length > 0 ? got : await readEvents(log, 'c1', 1);
      expect(idsOf(all)).toEqual([event.id]);
    });

    it('reports the age of the oldest unacknowledged entry', async () => {
      const log = await start();
      await log.append([aStreamedEvent({ tenantId: randomUUID() })]);
      await sleep(30);
      const lag = await log.lag();
      expect(lag.entries).toBe(1);
      expect(lag.oldestMs).toBeGreaterThan(0);
    });
  });
}
