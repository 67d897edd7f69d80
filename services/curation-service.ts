import { randomUUID } from 'node:crypto';
import type { Asset, AssetLink } from '../domain/asset.js';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import { actionsRepository } from '../store/actions-repository.js';
import { assetsRepository, snapshotOf } from '../store/assets-repository.js';
import type { Database, Sql } from '../store/db.js';
import { outboxRepository } from '../store/outbox-repository.js';
import { versionsRepository } from '../store/versions-repository.js';
import type { Actor } from './ingest-service.js';

/** Links an asset may carry: enough for any curated "see also", bounded for the graph. */
export const MAX_LINKS_PER_ASSET = 100;
/** Incoming links listed at most. */
const MAX_INCOMING = 500;

export interface AssetLinks {
  asset: Asset;
  outgoing: AssetLink[];
  /** Links other assets made to this one. */
  incoming: { sourceId: string; link: AssetLink }[];
}

/**
 * Editors' changes to assets. Each change is a new asset version with its snapshot, an audit row
 * and an `asset.updated` outbox event for the projections, in one transaction.
 */
export class CurationService {
  constructor(
    private readonly db: Database,
    private readonly onEventsCommitted: () => void = () => undefined,
  ) {}

  async links(tenantId: string, assetId: string): Promise<AssetLinks> {
    const asset = await assetsRepository.findById(this.db, tenantId, assetId);
    if (!asset) throw new NotFoundError(`asset ${assetId} not found`);
    const incoming = await assetsRepository.linkedFrom(this.db, tenantId, assetId, MAX_INCOMING);
    return { asset, outgoing: asset.links, incoming };
  }

  /** Links the asset to another (or changes the link's note); a no-op when nothing changes. */
  async link(
    who: Actor,
    assetId: string,
    targetId: string,
    note: string,
  ): Promise<{ asset: Asset; link: AssetLink; created: boolean }> {
    if (targetId === assetId) throw new ValidationError('an asset cannot be linked to itself');
    return this.change(who, assetId, 'ASSET_LINK', { targetId, note }, async (tx, asset) => {
      const target = await assetsRepository.findById(tx, who.tenantId, targetId);
      if (!target) throw new NotFoundError(`asset ${targetId} not found`);
      const existing = asset.links.find((l) => l.targetId === targetId);
      if (existing?.note === note) return { links: null, result: { link: existing, created: false } };
      if (!existing && asset.links.length >= MAX_LINKS_PER_ASSET) {
        throw new ConflictError(
          `asset ${assetId} already has ${MAX_LINKS_PER_ASSET} links, the most it may have`,
        );
      }
      const link: AssetLink = existing
        ? { ...existing, note }
        : { targetId, note, createdBy: who.actor, createdAt: new Date().toISOString() };
      const links = existing
        ? asset.links.map((l) => (l.targetId === targetId ? link : l))
        : [...asset.links, link];
      return { links, result: { link, created: !existing } };
    });
  }

  async unlink(who: Actor, assetId: string, targetId: string): Promise<{ asset: Asset }> {
    return this.change(who, assetId, 'ASSET_UNLINK', { targetId }, (_tx, asset) => {
      if (!asset.links.some((l) => l.targetId === targetId)) {
        throw new NotFoundError(`asset ${assetId} has no link to ${targetId}`);
      }
      return Promise.resolve({ links: asset.links.filter((l) => l.targetId !== targetId), result: {} });
    });
  }

  /**
   * Runs one links change under the asset's row lock. `decide` returns the new links (null: no
   * change) and what to answer; a change becomes a version, an audit row and an outbox event.
   */
  private async change<R extends object>(
    who: Actor,
    assetId: string,
    actionType: string,
    details: Record<string, unknown>,
    decide: (tx: Sql, asset: Asset) => Promise<{ links: AssetLink[] | null; result: R }>,
  ): Promise<R & { asset: Asset }> {
    const startedAt = new Date();
    let changed = false;
    const out = await this.db.transaction(async (tx) => {
      const asset = await assetsRepository.findById(tx, who.tenantId, assetId, { forUpdate: true });
      if (!asset) throw new NotFoundError(`asset ${assetId} not found`);
      const { links, result } = await decide(tx, asset);
      if (links === null) return { ...result, asset };
      const versionId = randomUUID();
      const saved = await assetsRepository.saveLinks(tx, {
        tenantId: who.tenantId,
        id: assetId,
        expectedVersion: asset.version,
        newVersionId: versionId,
        links,
      });
      // The row lock makes this unreachable; kept so a lost update can never pass silently.
      if (!saved) throw new ConflictError(`asset ${assetId} changed meanwhile; try again`);
      await versionsRepository.insertMany(tx, who.tenantId, [
        {
          id: versionId,
          assetId,
          version: saved.version,
          snapshot: snapshotOf(saved),
          changeKind: 'EDIT',
          changedBy: who.actor,
          reason: actionType === 'ASSET_LINK' ? 'link' : 'unlink',
        },
      ]);
      await outboxRepository.insertMany(tx, who.tenantId, [
        { type: 'asset.updated', aggregateId: assetId, payload: { assetId, version: saved.version } },
      ]);
      await actionsRepository.insertMany(tx, who.tenantId, [
        {
          assetId,
          actionType,
          direction: 'INBOUND',
          controller: 'api',
          actor: who.actor,
          status: 'SUCCEEDED',
          details: { ...details, fromVersion: asset.version, toVersion: saved.version },
          startedAt,
          durationMs: Date.now() - startedAt.getTime(),
        },
      ]);
      changed = true;
      return { ...result, asset: saved };
    });
    if (changed) this.onEventsCommitted();
    return out;
  }
}
