import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastParseEvent } from '../../domain/interaction-event-fast-path.js';
import { checkEventBatch, InteractionEventSchema } from '../../domain/interaction-events.js';

const patterns = {
  uuid: (InteractionEventSchema.shape.id as unknown as { _zod: { pattern: RegExp } })._zod.pattern,
  datetime: (InteractionEventSchema.shape.occurredAt as unknown as { _zod: { pattern: RegExp } })._zod
    .pattern,
};

/** Values near the edges of each field: valid ones, and ones the schema refuses or changes. */
/** Mostly valid values (so the comparison runs on accepted events), sometimes an edge. */
const mostly = <T>(valid: fc.Arbitrary<T>, edge: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: valid, weight: 6 }, { arbitrary: edge, weight: 1 });
const str = mostly(
  fc.constantFrom('DE', 'web', 'x', 'a'.repeat(100)),
  fc.oneof(
    fc.string({ maxLength: 5 }),
    fc.constantFrom('', ' x', 'x ', 'a'.repeat(101), 'a'.repeat(129), 'de', 'D1', '\u00a0x'),
  ),
);
const uuid = mostly(fc.uuid(), fc.constantFrom('not-a-uuid', '00000000-0000-0000-0000-000000000000', ''));
const num = mostly(
  fc.integer({ min: 0, max: 100 }),
  fc.oneof(
    fc.integer({ min: -2, max: 700_000_000 }),
    fc.constantFrom(1.5, Number.NaN, Infinity, 604_800_001),
  ),
);
const time = mostly(
  fc
    .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc.constantFrom('2026-12-06T10:00:00+01:00', '2026-12-06 10:00:00', '2026-02-30T10:00:00Z', 'yesterday'),
);
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const event = fc.record(
  {
    id: uuid,
    type: fc.oneof(fc.constantFrom('play', 'progress', '', 'x'.repeat(65)), str),
    assetId: maybe(uuid),
    userId: maybe(str),
    sessionId: maybe(str),
    occurredAt: time,
    position: maybe(num),
    consent: maybe(mostly(fc.boolean(), fc.constant('yes' as unknown as boolean))),
    context: maybe(fc.record({ device: str, app: str, referrer: str, country: str }, { requiredKeys: [] })),
    search: maybe(
      fc.record(
        {
          query: str,
          resultIds: fc.array(uuid, { maxLength: 3 }),
          totalHits: num,
          clickedRank: num,
        },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: ['id', 'occurredAt'] },
);
/** Now and then a member the schema does not know, or free properties (the schema's to judge). */
const anEvent = fc
  .tuple(event, fc.constantFrom(null, null, null, null, null, 'extra', 'properties'))
  .map(([e, add]) =>
    add === 'extra' ? { ...e, extra: 1 } : add === 'properties' ? { ...e, properties: { a: 1 } } : e,
  );

describe('the fast path of the event check', () => {
  it('never accepts what the schema refuses, and gives what the schema gives', () => {
    let taken = 0;
    fc.assert(
      fc.property(anEvent, (e) => {
        const fast = fastParseEvent(e, patterns);
        if (fast === null) return;
        taken++;
        const slow = InteractionEventSchema.safeParse(e);
        expect(slow.success).toBe(true);
        expect(fast).toEqual(slow.data);
      }),
      { numRuns: 5_000 },
    );
    // The comparison ran on accepted events, not only on refusals.
    expect(taken).toBeGreaterThan(20);
  });

  it('takes the common shapes of events itself', () => {
    const common = [
      {
        id: '3f1c2a4e-8b7d-4c1e-9a55-0d6e2f4b7a10',
        type: 'progress',
        assetId: '9b2d7c1e-4f3a-4e8b-a1c6-5d0e7f2a9b34',
        userId: 'u1',
        sessionId: 's1',
        occurredAt: '2026-12-06T21:30:05.120Z',
        position: 95000,
        context: { device: 'tv', country: 'DE' },
      },
      {
        id: '3f1c2a4e-8b7d-4c1e-9a55-0d6e2f4b7a11',
        type: 'search',
        occurredAt: '2026-12-06T21:30:05+01:00',
        consent: false,
        search: {
          query: 'kelp',
          resultIds: ['9b2d7c1e-4f3a-4e8b-a1c6-5d0e7f2a9b34'],
          totalHits: 1,
          clickedRank: 1,
        },
      },
    ];
    for (const e of common) {
      const fast = fastParseEvent(e, patterns);
      expect(fast).not.toBeNull();
      expect(fast).toEqual(InteractionEventSchema.parse(e));
    }
  });

  it('leaves the reasons to the schema: a batch judges the same with it', () => {
    const now = new Date('2026-12-06T21:31:00Z');
    const batch = [
      { id: 'x', type: 'play', occurredAt: '2026-12-06T21:30:05Z' },
      {
        id: '3f1c2a4e-8b7d-4c1e-9a55-0d6e2f4b7a10',
        type: 'play',
        occurredAt: '2026-12-06T21:30:05Z',
        context: { country: 'de' },
      },
    ];
    const { valid, rejected } = checkEventBatch(batch, new Set(), now);
    expect(rejected).toEqual([{ index: 0, pointer: '/events/0/id', detail: expect.any(String) }]);
    expect(valid[0]!.event.context).toEqual({ country: 'DE' });
  });
});
