import { z } from 'zod';
import { decodeCursor, pageOf } from '../domain/cursor.js';
import { NotFoundError } from '../domain/errors.js';
import type { ActionsRepository, StoredActionRecord } from '../store/actions-repository.js';
import type { AssetsRepository } from '../store/assets-repository.js';
import type { Database } from '../store/db.js';

const ActionCursor = z.object({ t: z.iso.datetime({ offset: true }), id: z.uuid() });

export interface ActionFilter {
  limit: number;
  cursor?: string | undefined;
  /** An action type, e.g. ASSET_ROLLBACK or ACCESS (denied requests). */
  type?: string | undefined;
  /** Started at or after (ISO 8601). */
  from?: string | undefined;
  /** Started before (ISO 8601). */
  to?: string | undefined;
}

/** Reads the audit trail: what was done to the tenant's assets, by whom, and how it went. */
export class AuditService {
  constructor(
    private readonly deps: {
      db: Database;
      assets: Pick<AssetsRepository, 'findById'>;
      actions: Pick<ActionsRepository, 'list'>;
    },
  ) {}

  /** The tenant's audit rows, newest first. */
  async list(tenantId: string, filter: ActionFilter) {
    return this.page(tenantId, filter);
  }

  /** One asset's audit rows, newest first; 404 for an asset the tenant does not have. */
  async forAsset(tenantId: string, assetId: string, filter: ActionFilter) {
    if (!(await this.deps.assets.findById(this.deps.db, tenantId, assetId))) {
      throw new NotFoundError(`asset ${assetId} not found`);
    }
    return this.page(tenantId, { ...filter, assetId });
  }

  private async page(
    tenantId: string,
    filter: ActionFilter & { assetId?: string },
  ): Promise<{ items: StoredActionRecord[]; nextCursor: string | null }> {
    const after = filter.cursor ? decodeCursor(filter.cursor, ActionCursor) : undefined;
    const rows = await this.deps.actions.list(this.deps.db, tenantId, {
      limit: filter.limit + 1,
      assetId: filter.assetId,
      actionType: filter.type,
      from: filter.from,
      to: filter.to,
      after: after && { startedAt: after.t, id: after.id },
    });
    return pageOf(rows, filter.limit, (last) => ({ t: last.startedAt.toISOString(), id: last.id }));
  }
}
