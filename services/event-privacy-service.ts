import type { AnalyticsStore } from '../analytics/analytics-store.js';
import { ValidationError } from '../domain/errors.js';
import { isToken } from '../domain/masking.js';
import type { ActionsRepository } from '../store/actions-repository.js';
import type { Database } from '../store/db.js';
import type { EventSettingsRecord, EventSettingsRepository } from '../store/event-settings-repository.js';
import type { Principal } from './api-key-service.js';
import { apiAction } from './api-action.js';
import { sum, walkTenants } from './tenant-walk.js';

/** How long raw events are kept where a tenant set nothing (docs/events.md, "Privacy"). */
export const DEFAULT_RAW_RETENTION_DAYS = 90;
export const MAX_RAW_RETENTION_DAYS = 3650;

const DAY_MS = 86_400_000;

export interface EventSettings {
  rawRetentionDays: number;
  /** Null while the tenant keeps the defaults. */
  updatedAt: Date | null;
}

export interface RetentionRun {
  tenants: number;
  expired: number;
  /** Tenants whose expiry failed (logged); the next run tries them again. */
  failed: string[];
}

/**
 * What the privacy of interaction events needs beyond masking at ingest: erasing one person's raw
 * events, and each tenant's raw-event retention with the run that applies it. The rollups keep
 * their counts in both cases: they hold no user or session token.
 */
export class EventPrivacyService {
  constructor(
    private readonly deps: {
      db: Database;
      settings: EventSettingsRepository;
      actions: Pick<ActionsRepository, 'insertMany'>;
      store: Pick<AnalyticsStore, 'eraseUser' | 'expireRaw'>;
      masking: { tokenOf(tenantId: string, value: string): string };
      log?: { warn(obj: object, msg: string): void };
    },
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** The token a userId of this tenant's events is stored under (what erasure takes). */
  userTokenOf(by: Pick<Principal, 'tenantId'>, userId: string): Promise<string> {
    if (userId.length === 0) throw new ValidationError('userId must not be empty');
    // A promise like the other use cases: a caller's error handling does not depend on how it is made.
    return Promise.resolve(this.deps.masking.tokenOf(by.tenantId, userId));
  }

  /**
   * Deletes the raw events of the person behind `userToken`. The analytics store may be another
   * database than the audit trail: the erasure is committed first, then audited with its count.
   */
  async eraseUser(by: Principal, userToken: string): Promise<{ erased: number }> {
    if (!isToken(userToken))
      throw new ValidationError(`a user token is tok_ and 32 lowercase hex digits: ${userToken}`);
    const startedAt = new Date();
    const erased = await this.deps.store.eraseUser(by.tenantId, userToken);
    await this.deps.db.transaction((tx) =>
      this.deps.actions.insertMany(tx, by.tenantId, [
        apiAction(`key:${by.keyId}`, 'EVENT_USER_ERASE', { userToken, erased }, { startedAt }),
      ]),
    );
    return { erased };
  }

  async getSettings(by: Pick<Principal, 'tenantId'>): Promise<EventSettings> {
    const saved = await this.deps.settings.get(this.deps.db, by.tenantId);
    return saved ?? { rawRetentionDays: DEFAULT_RAW_RETENTION_DAYS, updatedAt: null };
  }

  /** Sets the tenant's settings; the next retention run applies them. Audited. */
  async putSettings(by: Principal, settings: { rawRetentionDays: number }): Promise<EventSettingsRecord> {
    const days = settings.rawRetentionDays;
    if (!Number.isInteger(days) || days < 1 || days > MAX_RAW_RETENTION_DAYS)
      throw new ValidationError(`rawRetentionDays is a whole number from 1 to ${MAX_RAW_RETENTION_DAYS}`);
    const startedAt = new Date();
    return this.deps.db.transaction(async (tx) => {
      const saved = await this.deps.settings.put(tx, by.tenantId, days);
      await this.deps.actions.insertMany(tx, by.tenantId, [
        apiAction(`key:${by.keyId}`, 'EVENT_SETTINGS_UPDATE', { rawRetentionDays: days }, { startedAt }),
      ]);
      return saved;
    });
  }

  /**
   * Expires every tenant's raw events older than its retention. Runs outside a tenant scope (the
   * Postgres store drops whole day partitions). A tenant that fails does not stop the others.
   */
  async expireAll(): Promise<RetentionRun> {
    const now = this.clock().getTime();
    const tenants = await this.deps.settings.retentionOfAll(this.deps.db, DEFAULT_RAW_RETENTION_DAYS);
    const walk = await walkTenants(
      tenants,
      ({ tenantId, days }) => this.deps.store.expireRaw(tenantId, new Date(now - days * DAY_MS)),
      { what: 'raw-event retention', log: this.deps.log },
    );
    return { tenants: walk.tenants, expired: sum(walk.results), failed: walk.failed };
  }
}
