import { describe, expect, it } from 'vitest';
import type { EventLogEntry, ReadOptions } from '../../stream/event-log.js';
import { EventConsumer } from '../../workers/event-consumer.js';
import { aStreamedEvent } from '../support/fakes.js';

/** A log holding one entry, recording what the consumer asked and did, in order. */
function harness(options: { failRecord?: boolean } = {}) {
  const calls: string[] = [];
  const reads: ReadOptions[] = [];
  const entry: EventLogEntry = { id: '1-0', partition: 3, events: [aStreamedEvent(), aStreamedEvent()] };
  const deps = {
    log: {
      read: (_consumer: string, opts: ReadOptions) => {
        reads.push(opts);
        calls.push('read');
        return Promise.resolve([entry]);
      },
      ack: (_consumer: string, entries: EventLogEntry[]) => {
        calls.push(`ack ${entries.map((e) => e.id).join(',')}`);
        return Promise.resolve();
      },
    },
    store: {
      record: (events: StoredEvents) => {
        calls.push(`record ${events.length}`);
        if (options.failRecord) return Promise.reject(new Error('store away'));
        return Promise.resolve({ recorded: events.map((e) => e.id), duplicates: 0 });
      },
    },
    derived: {
      record: () => {
        calls.push('derived');
        return Promise.resolve();
      },
    },
  };
  return { calls, reads, deps };
}
type StoredEvents = EventLogEntry['events'];

describe('EventConsumer', () => {
  it('reads with its partition cap, records, writes derived events, then acknowledges', async () => {
    const { calls, reads, deps } = harness();
    const consumer = new EventConsumer(deps, {
      name: 'c-0',
      maxEntries: 64,
      blockMs: 10,
      retryMs: 10,
      maxPartitions: 4,
    });
    expect(await consumer.runOnce()).toBe(2);
    expect(reads).toEqual([{ maxEntries: 64, blockMs: 10, maxPartitions: 4 }]);
    expect(calls).toEqual(['read', 'record 2', 'derived', 'ack 1-0']);
  });

  it('asks for every partition it can take when it has no cap', async () => {
    const { reads, deps } = harness();
    await new EventConsumer(deps, { name: 'c', maxEntries: 8, blockMs: 10, retryMs: 10 }).runOnce();
    expect(reads[0]).not.toHaveProperty('maxPartitions');
  });

  it('leaves a batch the store did not record unacknowledged', async () => {
    const { calls, deps } = harness({ failRecord: true });
    const consumer = new EventConsumer(deps, { name: 'c', maxEntries: 8, blockMs: 10, retryMs: 10 });
    await expect(consumer.runOnce()).rejects.toThrow('store away');
    expect(calls).toEqual(['read', 'record 2']);
  });
});
