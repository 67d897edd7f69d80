import { createCipheriv, createHash, randomBytes, randomUUID } from 'node:crypto';
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

/**
 * A signing secret as the first format (`enc:v1:`, migration 0064, the release before v2) sealed it
 * under `key`: bound to no row. That release took any value not starting `enc:v1:` for plain text,
 * so `aSecretSealedV1(key, box.seal(...))` is the value sealed twice its start-up pass wrote.
 */
export function aSecretSealedV1(key: Buffer, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  const id = createHash('sha256').update(key).digest('hex').slice(0, 8);
  return `enc:v1:${id}:${[iv, cipher.getAuthTag(), ct].map((b) => b.toString('base64url')).join(':')}`;
}
