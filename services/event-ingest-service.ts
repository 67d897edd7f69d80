import {
  BUILT_IN_EVENT_TYPES,
  checkEventBatch,
  CUSTOM_EVENT_TYPE,
  EVENT_BATCH_MAX,
  type EventAssetDims,
  type EventRejection,
  type StoredEvent,
} from '../domain/interaction-events.js';
import {
  ConflictError,
  ContentTooLargeError,
  DomainError,
  errorMessage,
  EventsRejectedError,
  NotFoundError,
  StreamUnavailableError,
  ValidationError,
} from '../domain/errors.js';
import { entityNamesOf } from '../indexers/search-document.js';
import type { EventLog } from '../stream/event-log.js';
import type { ActionsRepository } from '../store/actions-repository.js';
import type { Database } from '../store/db.js';
import type { EventTypeRecord, EventTypesRepository } from '../store/interaction-events-repository.js';
import type { Principal } from './api-key-service.js';
import { apiAction } from './api-action.js';

/** Custom event types a tenant may register. */
export const MAX_EVENT_TYPES_PER_TENANT = 100;
export const MAX_EVENT_TYPE_DESCRIPTION = 500;

export interface EventIngestOptions {
  /** How long an asset's dimensions and a tenant's types are reused before they are read again. */
  cacheMs: number;
  /** Assets whose dimensions are kept at most (a bound on memory, not a tuning knob). */
  assetCacheSize: number;
  /** Masking tokens a generation of the token cache holds (default 100,000; two generations are kept). */
  tokenCacheSize?: number;
}

export interface IngestAnswer {
  accepted: number;
  rejected: EventRejection[];
}

/** Masked user and session tokens a cache generation holds; each costs an HMAC (about 2 µs) to make. */
const TOKEN_CACHE_SIZE = 100_000;

/**
 * Masking tokens by tenant and value, in two generations: a full one becomes the older, the older is
 * dropped, and a token found in the older moves back to the recent one. The people and sessions
 * active now stay cached when more of them come and go than one generation holds; emptying the whole
 * cache when full, as before, made every one of them pay its HMAC again at once.
 */
class TokenCache {
  private recent = new Map<string, Map<string, string>>();
  private older = new Map<string, Map<string, string>>();
  private size = 0;

  constructor(private readonly generation: number) {}

  get(tenantId: string, value: string): string | undefined {
    const hit = this.recent.get(tenantId)?.get(value);
    if (hit !== undefined) return hit;
    const old = this.older.get(tenantId)?.get(value);
    if (old !== undefined) this.set(tenantId, value, old);
    return old;
  }

  set(tenantId: string, value: string, token: string): void {
    if (this.size >= this.generation) {
      this.older = this.recent;
      this.recent = new Map();
      this.size = 0;
    }
    let ofTenant = this.recent.get(tenantId);
    if (!ofTenant) this.recent.set(tenantId, (ofTenant = new Map<string, string>()));
    ofTenant.set(value, token);
    this.size++;
  }
}

/**
 * Interaction events in: judged one by one, the valid ones masked (user and session replaced by
 * the tenant's tokens), given their asset's dimensions, and appended to the event stream. The
 * answer comes once the stream holds them durably. Built to take 100,000 events a second: one
 * statement per batch at most (the assets not in the cache), nothing per event but CPU.
 */
export class EventIngestService {
  private readonly assets = new Map<string, { dims: EventAssetDims; at: number }>();
  private readonly types = new Map<string, { names: ReadonlySet<string>; at: number }>();
  private readonly tokens: TokenCache;

  constructor(
    private readonly deps: {
      db: Database;
      eventTypes: EventTypesRepository;
      actions: Pick<ActionsRepository, 'insertMany'>;
      log: Pick<EventLog, 'append'>;
      masking: { tokenOf(tenantId: string, value: string): string };
    },
    private readonly options: EventIngestOptions,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.tokens = new TokenCache(options.tokenCacheSize ?? TOKEN_CACHE_SIZE);
  }

  async ingest(by: Pick<Principal, 'tenantId'>, batch: readonly unknown[]): Promise<IngestAnswer> {
    // Before anything per event: an oversized batch costs nothing to refuse.
    if (batch.length > EVENT_BATCH_MAX) {
      throw new ContentTooLargeError(
        `a batch holds at most ${EVENT_BATCH_MAX} events; this one has ${batch.length}: split it`,
        { maximum: EVENT_BATCH_MAX },
      );
    }
    const tenantId = by.tenantId;
    const now = this.clock();
    const { valid, rejected } = checkEventBatch(batch, await this.customTypes(tenantId), now);
    const assetIds = new Set<string>();
    for (const { event } of valid) if (event.assetId) assetIds.add(event.assetId);
    const dims = await this.dimsOf(tenantId, assetIds);

    const stored: StoredEvent[] = [];
    let late = false;
    for (const { index, event } of valid) {
      const asset = event.assetId ? dims.get(event.assetId) : undefined;
      if (event.assetId && !asset) {
        rejected.push({
          index,
          pointer: `/events/${index}/assetId`,
          detail: `no asset ${event.assetId} in this tenant`,
        });
        late = true;
        continue;
      }
      const consent = event.consent;
      stored.push({
        tenantId,
        id: event.id,
        type: event.type,
        assetId: event.assetId ?? null,
        userToken: consent && event.userId ? this.tokenOf(tenantId, event.userId) : null,
        sessionToken: consent && event.sessionId ? this.tokenOf(tenantId, event.sessionId) : null,
        occurredAt: new Date(event.occurredAt),
        receivedAt: now,
        position: event.position ?? null,
        search: event.search ?? null,
        context: event.context ?? {},
        consent,
        properties: event.properties ?? null,
        asset: asset ?? null,
      });
    }
    if (late) rejected.sort((a, b) => a.index - b.index);
    if (stored.length === 0) {
      throw new EventsRejectedError(
        `none of the ${batch.length} events was valid; the first: ${rejected[0]?.pointer ?? '/events'}: ${rejected[0]?.detail ?? 'no events'}`,
        rejected,
      );
    }
    try {
      await this.deps.log.append(stored);
    } catch (err) {
      if (err instanceof DomainError) throw err;
      throw new StreamUnavailableError(
        'the event stream is unavailable: nothing was accepted; retry shortly',
        {
          cause: errorMessage(err),
        },
      );
    }
    return { accepted: stored.length, rejected };
  }

  /** The tenant's types: the built-in ones, then those it registered. */
  async listTypes(tenantId: string): Promise<EventTypeRecord[]> {
    return this.deps.eventTypes.list(this.deps.db, tenantId);
  }

  /** Registers a custom type, or changes its description. Audited. */
  async putType(
    by: Principal,
    name: string,
    description: string,
  ): Promise<{ type: EventTypeRecord; created: boolean }> {
    checkCustomName(name);
    const startedAt = new Date();
    const { eventTypes, actions } = this.deps;
    const result = await this.deps.db.transaction(async (tx) => {
      await eventTypes.lockTenant(tx, by.tenantId);
      if (
        !(await eventTypes.get(tx, by.tenantId, name)) &&
        (await eventTypes.count(tx, by.tenantId)) >= MAX_EVENT_TYPES_PER_TENANT
      ) {
        throw new ConflictError(
          `a tenant registers at most ${MAX_EVENT_TYPES_PER_TENANT} event types; delete one first`,
        );
      }
      const saved = await eventTypes.upsert(tx, by.tenantId, name, description);
      await actions.insertMany(tx, by.tenantId, [
        apiAction(
          `key:${by.keyId}`,
          saved.created ? 'EVENT_TYPE_CREATE' : 'EVENT_TYPE_UPDATE',
          { name, description },
          { startedAt },
        ),
      ]);
      return saved;
    });
    this.types.delete(by.tenantId);
    return result;
  }

  /** Unregisters a custom type: events of it are refused from now on; those taken stay. Audited. */
  async removeType(by: Principal, name: string): Promise<void> {
    const startedAt = new Date();
    const { eventTypes, actions } = this.deps;
    await this.deps.db.transaction(async (tx) => {
      if (!(await eventTypes.remove(tx, by.tenantId, name)))
        throw new NotFoundError(`event type ${name} not found`);
      await actions.insertMany(tx, by.tenantId, [
        apiAction(`key:${by.keyId}`, 'EVENT_TYPE_DELETE', { name }, { startedAt }),
      ]);
    });
    this.types.delete(by.tenantId);
  }

  /** Cached for `cacheMs`: another process's registration is seen within that time. */
  private async customTypes(tenantId: string): Promise<ReadonlySet<string>> {
    const cached = this.types.get(tenantId);
    const now = Date.now();
    if (cached && now - cached.at < this.options.cacheMs) return cached.names;
    const names = new Set((await this.deps.eventTypes.list(this.deps.db, tenantId)).map((t) => t.name));
    this.types.set(tenantId, { names, at: now });
    return names;
  }

  /**
   * The assets' dimensions, from the cache where fresh, the rest in one statement. Unknown ids are
   * not cached: an asset ingested a moment ago is found by the next batch.
   */
  private async dimsOf(tenantId: string, ids: ReadonlySet<string>): Promise<Map<string, EventAssetDims>> {
    const out = new Map<string, EventAssetDims>();
    if (ids.size === 0) return out;
    const now = Date.now();
    const missing: string[] = [];
    for (const id of ids) {
      const hit = this.assets.get(`${tenantId}\u0000${id}`);
      if (hit && now - hit.at < this.options.cacheMs) out.set(id, hit.dims);
      else missing.push(id);
    }
    if (missing.length === 0) return out;
    const rows = await this.deps.eventTypes.assetDims(this.deps.db, tenantId, missing);
    for (const row of rows) {
      const names = entityNamesOf(row);
      const dims: EventAssetDims = {
        type: row.type,
        sourceSystem: row.sourceSystem,
        tags: names.tags,
        topics: names.topics,
        speakers: names.speakers,
        durationSeconds: row.durationSeconds,
      };
      out.set(row.id, dims);
      const key = `${tenantId}\u0000${row.id}`;
      // Re-inserted at the end: the map's order is then the order of last refresh, oldest first.
      this.assets.delete(key);
      this.assets.set(key, { dims, at: now });
    }
    for (const key of this.assets.keys()) {
      if (this.assets.size <= this.options.assetCacheSize) break;
      this.assets.delete(key);
    }
    return out;
  }

  /** HMACs are the costliest step per event; the same people and sessions come back batch after batch. */
  private tokenOf(tenantId: string, value: string): string {
    let token = this.tokens.get(tenantId, value);
    if (token === undefined) {
      token = this.deps.masking.tokenOf(tenantId, value);
      this.tokens.set(tenantId, value, token);
    }
    return token;
  }
}

/** The names a tenant may register: lowercase, not a built-in one. */
export function checkCustomName(name: string): void {
  if (!CUSTOM_EVENT_TYPE.test(name))
    throw new ValidationError(
      `an event type name is lowercase letters, digits and _ . - (at most 64, starting with a letter): ${name}`,
    );
  if ((BUILT_IN_EVENT_TYPES as readonly string[]).includes(name))
    throw new ValidationError(`${name} is a built-in event type`);
}
