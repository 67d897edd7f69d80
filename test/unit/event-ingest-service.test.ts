import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../domain/interaction-events.js';
import { EventIngestService } from '../../services/event-ingest-service.js';
import type { EventTypesRepository } from '../../store/interaction-events-repository.js';
import { fakeActions, fakeDatabase } from '../support/fakes.js';

/** The service over fakes: no custom types, no assets, a masking that counts its HMACs. */
function anIngestService(tokenCacheSize: number) {
  const appended: StoredEvent[] = [];
  const made: string[] = [];
  const sut = new EventIngestService(
    {
      db: fakeDatabase(),
      eventTypes: { list: () => Promise.resolve([]) } as unknown as EventTypesRepository,
      actions: fakeActions(),
      log: { append: (events) => Promise.resolve(void appended.push(...events)) },
      masking: {
        tokenOf: (tenantId, value) => {
          made.push(value);
          return `tok_${tenantId}_${value}`;
        },
      },
    },
    { cacheMs: 60_000, assetCacheSize: 100, tokenCacheSize },
  );
  return { sut, appended, made };
}

const aPlay = (userId: string) => ({
  id: randomUUID(),
  type: 'play',
  userId,
  occurredAt: new Date().toISOString(),
});

describe('EventIngestService masking tokens', () => {
  it('keeps the token of a person who keeps coming back while many others come and go', async () => {
    const { sut, appended, made } = anIngestService(10);
    // Each batch: the regular, and five people never seen again; 20 batches pass 100 new people
    // through a cache of two generations of 10.
    for (let b = 0; b < 20; b++)
      await sut.ingest({ tenantId: 'acme' }, [
        aPlay('regular'),
        ...Array.from({ length: 5 }, (_, i) => aPlay(`once-${b}-${i}`)),
      ]);
    expect(made.filter((v) => v === 'regular')).toHaveLength(1);
    expect(made).toHaveLength(1 + 100);
    expect(appended.filter((e) => e.userToken === 'tok_acme_regular')).toHaveLength(20);
  });

  it('gives each tenant its own token for the same user id', async () => {
    const { sut, appended } = anIngestService(10);
    await sut.ingest({ tenantId: 'acme' }, [aPlay('u1')]);
    await sut.ingest({ tenantId: 'other' }, [aPlay('u1')]);
    expect(appended.map((e) => e.userToken)).toEqual(['tok_acme_u1', 'tok_other_u1']);
  });
});
