import { randomUUID } from 'node:crypto';
import type { Asset } from '../domain/asset.js';
import { snapshotOf } from '../domain/asset-snapshot.js';
import { ConflictError, LegalHoldError, NotFoundError } from '../domain/errors.js';
import type { ActionRecord, ActionsRepository } from '../store/actions-repository.js';
import type { AssetsRepository } from '../store/assets-repository.js';
import type { Database, Sql } from '../store/db.js';
import type { OutboxRepository } from '../store/outbox-repository.js';
import type { TermStatsRepository } from '../store/term-stats-repository.js';
import type { VersionsRepository } from '../store/versions-repository.js';
import type { Actor } from './ingest-service.js';

/** What a delete did: a tombstone (`purged: false`) or an erased row. */
export interface DeleteResult {
  assetId: string;
  purged: boolean;
}

/**
 * The asset lifecycle (docs/lifecycle.md): archive and restore, delete and purge, and the legal
 * hold that blocks the last two. Each is one transaction under the asset's row lock, with its audit
 * record and, where the projections must follow, an outbox event: the projection job reads the
 * asset again and drops a tombstone or an erased row from search, suggestions and the graph.
 */
export class AssetLifecycleService {
  private readonly db: Database;

  constructor(
    private readonly deps: {
      db: Database;
      assets: Pick<
        AssetsRepository,
        'findById' | 'findWithTombstone' | 'setLifecycle' | 'setLegalHold' | 'purge'
      >;
      versions: Pick<VersionsRepository, 'insertMany'>;
      outbox: Pick<OutboxRepository, 'insertMany'>;
      actions: Pick<ActionsRepository, 'insertMany'>;
      /**
       * The enrichment's term statistics, which a delete or a purge takes the asset out of (absent:
       * left as they are).
       */
      terms?: Pick<TermStatsRepository, 'forget'>;
      /** Called after commit, so the relay moves the new events without waiting for its poll. */
      nudge: () => void;
    },
  ) {
    this.db = deps.db;
  }

  /**
   * Archives the asset: a new version showing ARCHIVED, which search leaves out unless asked for
   * (`status=ARCHIVED`) and related content leaves out. Archiving an archived asset changes nothing.
   * An asset still being enriched is refused (409): its pipeline status is what a restore brings back.
   */
  archive(who: Actor, assetId: string, reason?: string): Promise<{ asset: Asset; changed: boolean }> {
    return this.archiving(who, assetId, 'archived', reason);
  }

  /** Restores an archived asset to the status it had; restoring one that is not archived changes nothing. */
  restore(who: Actor, assetId: string, reason?: string): Promise<{ asset: Asset; changed: boolean }> {
    return this.archiving(who, assetId, 'restored', reason);
  }

  /**
   * Deletes the asset: its row stays as a tombstone (no read finds it: 404), the projections drop
   * it, and webhooks are told (`asset.deleted`). With `purge` (ADMIN, with a reason), the row goes
   * too and with it every version snapshot; a tombstone may be purged later the same way. An asset
   * under legal hold is refused (409, `legal-hold`).
   */
  async delete(
    who: Actor,
    assetId: string,
    opts: { purge: boolean; reason?: string | undefined },
  ): Promise<DeleteResult> {
    const startedAt = new Date();
    const result = await this.db.transaction(async (tx) => {
      const found = await this.deps.assets.findWithTombstone(tx, who.tenantId, assetId, { forUpdate: true });
      // A tombstone is found only by a purge: to everyone else it is gone.
      if (!found || (found.deletedAt && !opts.purge)) throw new NotFoundError(`asset ${assetId} not found`);
      const { asset, deletedAt } = found;
      if (asset.legalHold) throw new LegalHoldError(assetId);
      // Its words stop weighing in the keywords of other assets' enrichment (a tombstone's were taken
      // out when it was deleted: this moves nothing then).
      await this.deps.terms?.forget(tx, who.tenantId, [assetId]);
      if (!opts.purge) {
        const saved = await this.deps.assets.setLifecycle(tx, {
          tenantId: who.tenantId,
          id: assetId,
          expectedVersion: asset.version,
          newVersionId: randomUUID(),
          change: 'deleted',
        });
        if (!saved) throw new ConflictError(`asset ${assetId} changed meanwhile; try again`);
        await this.announceDeleted(tx, who.tenantId, assetId, saved.version, false);
        await this.audit(tx, who, startedAt, assetId, 'DELETE', {
          fromVersion: asset.version,
          toVersion: saved.version,
          ...(opts.reason ? { reason: opts.reason } : {}),
        });
        return { assetId, purged: false };
      }
      await this.deps.assets.purge(tx, who.tenantId, assetId);
      // One past the last version: a new projection job, never de-duplicated into an earlier one.
      await this.announceDeleted(tx, who.tenantId, assetId, asset.version + 1, true);
      // Who, when and why, and nothing of the content: the row and its snapshots are gone.
      await this.audit(tx, who, startedAt, assetId, 'PURGE', {
        reason: opts.reason ?? null,
        wasDeleted: deletedAt !== null,
      });
      return { assetId, purged: true };
    });
    this.deps.nudge();
    return result;
  }

  /** Sets or lifts the asset's legal hold (ADMIN); audited, not a version (no content changes). */
  async setLegalHold(
    who: Actor,
    assetId: string,
    hold: boolean,
    reason: string | undefined,
  ): Promise<{ asset: Asset; changed: boolean }> {
    const startedAt = new Date();
    return this.db.transaction(async (tx) => {
      const asset = await this.deps.assets.findById(tx, who.tenantId, assetId, { forUpdate: true });
      if (!asset) throw new NotFoundError(`asset ${assetId} not found`);
      if ((asset.legalHold ?? false) === hold) return { asset, changed: false };
      const saved = await this.deps.assets.setLegalHold(tx, who.tenantId, assetId, hold);
      if (!saved) throw new NotFoundError(`asset ${assetId} not found`);
      await this.audit(tx, who, startedAt, assetId, 'LEGAL_HOLD', {
        legalHold: hold,
        ...(reason ? { reason } : {}),
      });
      return { asset: saved, changed: true };
    });
  }

  private async archiving(
    who: Actor,
    assetId: string,
    change: 'archived' | 'restored',
    reason: string | undefined,
  ): Promise<{ asset: Asset; changed: boolean }> {
    const startedAt = new Date();
    const out = await this.db.transaction(async (tx) => {
      const asset = await this.deps.assets.findById(tx, who.tenantId, assetId, { forUpdate: true });
      if (!asset) throw new NotFoundError(`asset ${assetId} not found`);
      const archived = asset.status === 'ARCHIVED';
      if (archived === (change === 'archived')) return { asset, changed: false };
      if (asset.status === 'QUEUED' || asset.status === 'PROCESSING') {
        throw new ConflictError(
          `asset ${assetId} is being enriched (${asset.status}); archive it once enrichment has finished`,
        );
      }
      const versionId = randomUUID();
      const saved = await this.deps.assets.setLifecycle(tx, {
        tenantId: who.tenantId,
        id: assetId,
        expectedVersion: asset.version,
        newVersionId: versionId,
        change,
      });
      if (!saved) throw new ConflictError(`asset ${assetId} changed meanwhile; try again`);
      const why = change === 'archived' ? 'archive' : 'restore';
      await this.deps.versions.insertMany(tx, who.tenantId, [
        {
          id: versionId,
          assetId,
          version: saved.version,
          snapshot: snapshotOf(saved),
          changeKind: 'EDIT',
          changedBy: who.actor,
          reason: reason ? `${why}: ${reason}` : why,
        },
      ]);
      await this.deps.outbox.insertMany(tx, who.tenantId, [
        {
          type: 'asset.updated',
          aggregateId: assetId,
          payload: { assetId, version: saved.version, fields: ['status'] },
          change,
        },
      ]);
      await this.audit(tx, who, startedAt, assetId, change === 'archived' ? 'ARCHIVE' : 'RESTORE', {
        fromVersion: asset.version,
        toVersion: saved.version,
        ...(reason ? { reason } : {}),
      });
      return { asset: saved, changed: true };
    });
    if (out.changed) this.deps.nudge();
    return out;
  }

  private announceDeleted(tx: Sql, tenantId: string, assetId: string, version: number, purged: boolean) {
    return this.deps.outbox.insertMany(tx, tenantId, [
      { type: 'asset.deleted', aggregateId: assetId, payload: { assetId, version, purged } },
    ]);
  }

  private audit(
    tx: Sql,
    who: Actor,
    startedAt: Date,
    assetId: string,
    actionType: 'ARCHIVE' | 'RESTORE' | 'DELETE' | 'PURGE' | 'LEGAL_HOLD',
    details: Record<string, unknown>,
  ): Promise<void> {
    const record: ActionRecord = {
      assetId,
      actionType,
      direction: 'INBOUND',
      controller: 'api',
      actor: who.actor,
      status: 'SUCCEEDED',
      details,
      startedAt,
      durationMs: Date.now() - startedAt.getTime(),
    };
    return this.deps.actions.insertMany(tx, who.tenantId, [record]);
  }
}
