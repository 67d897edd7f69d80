import { randomUUID } from 'node:crypto';
import { ConflictError, ForbiddenError, NotFoundError } from '../domain/errors.js';
import type { ActionsRepository } from '../store/actions-repository.js';
import type { Database, Sql } from '../store/db.js';
import type { SavedSearch, SavedSearchesRepository } from '../store/saved-searches-repository.js';
import type { Principal } from './api-key-service.js';
import { apiAction } from './api-action.js';

/** Saved searches per tenant: far more than anyone keeps in a list, few enough to list in one page. */
export const MAX_SAVED_SEARCHES_PER_TENANT = 500;
export const MAX_SAVED_SEARCH_NAME = 100;
/** The search page's query string: a query and a dozen filters fit many times over. */
export const MAX_SAVED_SEARCH_QUERY = 2000;

/**
 * A tenant's saved searches: shared by its keys (so a user finds them on every device), each
 * remembering the key that saved it. Saves and deletions are audited in their transaction.
 */
export class SavedSearchService {
  private readonly db: Database;

  constructor(
    private readonly deps: {
      db: Database;
      savedSearches: SavedSearchesRepository;
      actions: Pick<ActionsRepository, 'insertMany'>;
    },
  ) {
    this.db = deps.db;
  }

  async create(by: Principal, input: { name: string; query: string }): Promise<SavedSearch> {
    const startedAt = new Date();
    const { savedSearches } = this.deps;
    return this.db.transaction(async (tx) => {
      // Counted under the tenant's lock, in the insert's transaction: parallel saves queue here.
      await savedSearches.lockTenant(tx, by.tenantId);
      if ((await savedSearches.count(tx, by.tenantId)) >= MAX_SAVED_SEARCHES_PER_TENANT) {
        throw new ConflictError(
          `a tenant holds at most ${MAX_SAVED_SEARCHES_PER_TENANT} saved searches; delete one first`,
        );
      }
      const saved = await savedSearches.insert(tx, {
        tenantId: by.tenantId,
        id: randomUUID(),
        name: input.name,
        query: input.query,
        createdBy: actor(by),
      });
      await this.audit(tx, by, 'SAVED_SEARCH_CREATE', startedAt, {
        savedSearchId: saved.id,
        name: saved.name,
      });
      return saved;
    });
  }

  list(tenantId: string): Promise<SavedSearch[]> {
    return this.deps.savedSearches.list(this.db, tenantId, MAX_SAVED_SEARCHES_PER_TENANT);
  }

  async get(tenantId: string, id: string): Promise<SavedSearch> {
    const found = await this.deps.savedSearches.get(this.db, tenantId, id);
    if (!found) throw new NotFoundError(`saved search ${id} not found`);
    return found;
  }

  /**
   * Deletes a saved search. Only the key that saved it may, or a key that manages the tenant's keys
   * (to tidy up after a revoked key): one user does not delete another's list by accident.
   */
  async remove(by: Principal, id: string): Promise<void> {
    const startedAt = new Date();
    const { savedSearches } = this.deps;
    await this.db.transaction(async (tx) => {
      const current = await savedSearches.get(tx, by.tenantId, id, { forUpdate: true });
      if (!current) throw new NotFoundError(`saved search ${id} not found`);
      if (current.createdBy !== actor(by) && !by.permissions.has('keys:manage')) {
        throw new ForbiddenError(
          'only the key that saved this search, or a key holding keys:manage, may delete it',
        );
      }
      await savedSearches.remove(tx, by.tenantId, id);
      await this.audit(tx, by, 'SAVED_SEARCH_DELETE', startedAt, {
        savedSearchId: id,
        name: current.name,
        createdBy: current.createdBy,
      });
    });
  }

  private async audit(
    tx: Sql,
    by: Principal,
    actionType: string,
    startedAt: Date,
    details: Record<string, unknown>,
  ): Promise<void> {
    await this.deps.actions.insertMany(tx, by.tenantId, [
      apiAction(actor(by), actionType, details, { startedAt }),
    ]);
  }
}

const actor = (p: Principal) => `key:${p.keyId}`;
