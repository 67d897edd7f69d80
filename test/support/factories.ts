import { createHash, randomUUID } from 'node:crypto';
import { AssetInputSchema, type AssetInput } from '../../domain/asset.js';
import { EVENT_BATCH_MAX, type EventAssetDims, type StoredEvent } from '../../domain/interaction-events.js';
import {
  syntheticEvents,
  type EventAsset,
  type SyntheticEvent,
  type SyntheticEventOptions,
} from '../../scripts/lib/synthetic-events.js';

/** A valid asset input with a unique file hash; override any field. */
export function anAssetInput(overrides: Partial<Record<keyof AssetInput, unknown>> = {}): AssetInput {
  return AssetInputSchema.parse({
    type: 'VIDEO',
    title: `Asset ${randomUUID().slice(0, 8)}`,
    description: 'A talk about ideas worth spreading.',
    fileHash: createHash('sha256').update(randomUUID()).digest('hex'),
    ...overrides,
  });
}

/**
 * A stored interaction event (what the stream hands the analytics store): a `play` of a new asset by
 * a new user, now; override any field. `asset` defaults to a video's dimensions when `assetId` is set.
 */
export function aStoredEvent(overrides: Partial<StoredEvent> = {}): StoredEvent {
  const occurredAt = overrides.occurredAt ?? new Date();
  const assetId = overrides.assetId === undefined ? randomUUID() : overrides.assetId;
  return {
    tenantId: 'default',
    id: randomUUID(),
    type: 'play',
    assetId,
    userToken: `user-${randomUUID().slice(0, 8)}`,
    sessionToken: `session-${randomUUID().slice(0, 8)}`,
    occurredAt,
    receivedAt: occurredAt,
    position: null,
    search: null,
    context: {},
    consent: true,
    properties: null,
    asset:
      assetId === null
        ? null
        : {
            type: 'VIDEO',
            sourceSystem: 'archive',
            tags: [],
            topics: [],
            speakers: [],
            durationSeconds: 600,
          },
    ...overrides,
  };
}

/** Asset dimensions for a stored event; override any field. */
export function anEventAsset(overrides: Partial<EventAssetDims> = {}): EventAssetDims {
  return {
    type: 'VIDEO',
    sourceSystem: 'archive',
    tags: [],
    topics: [],
    speakers: [],
    durationSeconds: 600,
    ...overrides,
  };
}

/**
 * Interaction events over a library, as `npm run gen:events` makes them (scripts/lib/synthetic-events.ts):
 * a month by default, ending `end` (now), in batches for `POST /v1/events`. 29 days: the API refuses
 * events older than 30, and the generator keeps the last three hours free for sessions to end in.
 */
export function aMonthOfEvents(
  assets: readonly EventAsset[],
  options: Partial<SyntheticEventOptions> = {},
): SyntheticEvent[][] {
  const events = [
    ...syntheticEvents(assets, { events: 3_000, seed: 7, end: new Date(), days: 29, ...options }),
  ];
  const batches: SyntheticEvent[][] = [];
  for (let i = 0; i < events.length; i += EVENT_BATCH_MAX) batches.push(events.slice(i, i + EVENT_BATCH_MAX));
  return batches;
}
