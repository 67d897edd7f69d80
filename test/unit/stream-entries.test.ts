import { describe, expect, it } from 'vitest';
import { decodeEvents, encodeEvents } from '../../stream/partitions.js';
import { aStoredEvent } from '../support/factories.js';

describe('stream entries', () => {
  it("give back one batch's events as they were, the tenant and receive time written once when asked", () => {
    const receivedAt = new Date('2026-12-07T08:00:00.123Z');
    const events = [
      aStoredEvent({ tenantId: 'tenant-a', receivedAt, position: 1_000, context: { device: 'tv' } }),
      aStoredEvent({ tenantId: 'tenant-a', receivedAt, assetId: null, userToken: null, consent: false }),
      aStoredEvent({
        tenantId: 'tenant-a',
        receivedAt,
        type: 'search',
        search: { query: 'say "hi"', totalHits: 0 },
        properties: { k: 'v' },
      }),
    ];
    const text = encodeEvents(events, { shareTenantAndTime: true });
    expect(decodeEvents(text)).toEqual(events);
    expect(text.split('tenant-a')).toHaveLength(2);
    expect(decodeEvents(JSON.parse(text) as object)).toEqual(events);
  });

  it('give back events of several tenants and times, each with its own', () => {
    const events = [
      aStoredEvent({ tenantId: 'tenant-a', receivedAt: new Date(1_000) }),
      aStoredEvent({ tenantId: 'tenant-b', receivedAt: new Date(1_000) }),
      aStoredEvent({ tenantId: 'tenant-b', receivedAt: new Date(2_000) }),
    ];
    expect(decodeEvents(encodeEvents(events))).toEqual(events);
  });

  it('by default keep the tenant and receive time on every event, where consumers of the version before read them', () => {
    const receivedAt = new Date('2026-12-07T08:00:00.123Z');
    const events = [
      aStoredEvent({ tenantId: 'tenant-a', receivedAt }),
      aStoredEvent({ tenantId: 'tenant-a', receivedAt }),
    ];
    const entry = JSON.parse(encodeEvents(events)) as { e: { tenantId?: string; receivedAt?: number }[] };
    // The version before read exactly these two fields of each event.
    expect(entry.e.map((e) => [e.tenantId, e.receivedAt])).toEqual([
      ['tenant-a', receivedAt.getTime()],
      ['tenant-a', receivedAt.getTime()],
    ]);
    expect(decodeEvents(JSON.stringify(entry))).toEqual(events);
  });

  it('read entries written before the tenant and time were shared (still in a stream at upgrade)', () => {
    const event = aStoredEvent({
      tenantId: 'tenant-a',
      receivedAt: new Date(5_000),
      occurredAt: new Date(4_000),
    });
    const earlier = JSON.stringify({
      a: { [event.assetId!]: event.asset },
      e: [
        {
          tenantId: 'tenant-a',
          id: event.id,
          type: event.type,
          occurredAt: 4_000,
          receivedAt: 5_000,
          context: event.context,
          consent: true,
          assetId: event.assetId,
          userToken: event.userToken,
          sessionToken: event.sessionToken,
        },
      ],
    });
    expect(decodeEvents(earlier)).toEqual([event]);
  });
});
