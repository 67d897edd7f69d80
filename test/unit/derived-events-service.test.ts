import { describe, expect, it } from 'vitest';
import { DerivedEventsService } from '../../services/derived-events-service.js';
import { aStreamedEvent, fakeDatabase } from '../support/fakes.js';

const dims = { type: 'VIDEO', sourceSystem: 'cms', tags: [], topics: [], speakers: [], durationSeconds: 100 };
const sut = () =>
  new DerivedEventsService(
    {
      db: fakeDatabase(),
      keys: { claim: () => Promise.resolve(new Set()), prune: () => Promise.resolve(0) },
      outbox: { insertMany: () => Promise.resolve() },
      nudge: () => undefined,
    },
    { watchedShare: 0.9 },
  );
const typesOf = (derived: ReturnType<DerivedEventsService['derive']>) =>
  [...derived.values()].flatMap((keyed) =>
    [...keyed.values()].map((e) => [
      e.type,
      (e.payload as { interactionEventId: string }).interactionEventId,
    ]),
  );

describe('derived webhook events', () => {
  it('counts a progress as watched from the watched share of the duration on', () => {
    const session = 'tok_session';
    const below = aStreamedEvent({ type: 'progress', position: 89_999, sessionToken: session, asset: dims });
    const at = aStreamedEvent({
      type: 'progress',
      position: 90_000,
      sessionToken: session,
      asset: dims,
      assetId: below.assetId,
    });
    expect(typesOf(sut().derive([below]))).toEqual([]);
    expect(typesOf(sut().derive([below, at]))).toEqual([['asset.watched', at.id]]);
  });

  it('announces a watched asset once per session and asset, a complete included', () => {
    const assetId = aStreamedEvent().assetId;
    const a = aStreamedEvent({ type: 'complete', sessionToken: 'tok_s1', assetId });
    const b = aStreamedEvent({ type: 'complete', sessionToken: 'tok_s1', assetId });
    const c = aStreamedEvent({ type: 'complete', sessionToken: 'tok_s2', assetId });
    const derived = sut().derive([a, b, c]);
    expect(typesOf(derived)).toEqual([
      ['asset.watched', a.id],
      ['asset.watched', c.id],
    ]);
    // The key is stable, so the same event in a later delivery finds the key it claimed.
    expect([...sut().derive([a]).get('acme')!.keys()]).toEqual([...derived.get('acme')!.keys()].slice(0, 1));
  });

  it('needs a duration for progress, and an asset for anything', () => {
    expect(
      typesOf(
        sut().derive([
          aStreamedEvent({ type: 'progress', position: 10 ** 9, asset: { ...dims, durationSeconds: null } }),
        ]),
      ),
    ).toEqual([]);
    expect(typesOf(sut().derive([aStreamedEvent({ type: 'error', assetId: null })]))).toEqual([]);
  });

  it('announces each playback error, with its properties', () => {
    const e1 = aStreamedEvent({ type: 'error', properties: { code: 'E1' } });
    const e2 = aStreamedEvent({ type: 'error', assetId: e1.assetId, sessionToken: e1.sessionToken });
    const derived = sut().derive([e1, e2]);
    expect(typesOf(derived)).toEqual([
      ['asset.playback-error', e1.id],
      ['asset.playback-error', e2.id],
    ]);
    const [first] = derived.get('acme')!.values();
    expect(first!.payload).toMatchObject({ properties: { code: 'E1' }, assetId: e1.assetId });
  });

  it('without a session or user (no consent), announces watched per event', () => {
    const assetId = aStreamedEvent().assetId;
    const events = [1, 2].map(() =>
      aStreamedEvent({ type: 'complete', userToken: null, sessionToken: null, consent: false, assetId }),
    );
    expect(typesOf(sut().derive(events))).toHaveLength(2);
  });
});
