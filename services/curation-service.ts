import { randomUUID } from 'node:crypto';
import { INT4_MAX } from '../domain/ranges.js';
import { z } from 'zod';
import type { Asset, AssetLink } from '../domain/asset.js';
import { diffSnapshots, summarizeChange, type FieldChange } from '../domain/asset-diff.js';
import { decodeCursor, pageOf } from '../domain/cursor.js';
import { ConflictError, NotFoundError, PreconditionFailedError, ValidationError } from '../domain/errors.js';
import { restoredFieldsOf, snapshotOf, type RestoredFields } from '../domain/asset-snapshot.js';
import type { ActionsRepository } from '../store/actions-repository.js';
import type { ApiKeysRepository } from '../store/api-keys-repository.js';
import type { AssetsRepository } from '../store/assets-repository.js';
import type { Database, Sql } from '../store/db.js';
import type { OutboxRepository } from '../store/outbox-repository.js';
import type {
  ChangeKind,
  StoredVersion,
  VersionEntry,
  VersionsRepository,
} from '../store/versions-repository.js';
import { applyTagPatch, type TagEdit, type TagPatch } from '../domain/tag-overrides.js';
import { renameAsset } from '../domain/tag-renames.js';
import type { Actor } from './ingest-service.js';
import type { Masker } from './masking-service.js';
import type { RenameRules } from './rename-rules.js';

/**
 * What an edit is based on: the version the editor saw (`basedOn`), and, when the edit resolves a
 * 412, the version the editor first based it on (`conflictFrom`).
 */
export interface EditBasis {
  basedOn?: number | undefined;
  conflictFrom?: number | undefined;
}

/** An edit's reason and audit details; an edit that resolves a conflict is recorded as such. */
function recorded(reason: string, details: Record<string, unknown>, basis: EditBasis) {
  if (basis.conflictFrom === undefined) return { reason, details, basedOn: basis.basedOn };
  const resolved = { from: basis.conflictFrom, to: basis.basedOn ?? null };
  return {
    reason: `conflict_resolved: ${reason} first based on version ${basis.conflictFrom}`,
    details: { ...details, conflictResolved: resolved },
    basedOn: basis.basedOn,
  };
}

/** The metadata fields an editor may change directly. */
export interface MetadataEdit {
  title?: string | undefined;
  description?: string | undefined;
  operationalTags?: string[] | undefined;
}

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
  private readonly db: Database;

  constructor(
    private readonly deps: {
      db: Database;
      assets: Pick<
        AssetsRepository,
        'findById' | 'findByFileHashes' | 'linkedFrom' | 'saveLinks' | 'restore'
      >;
      versions: Pick<VersionsRepository, 'find' | 'list' | 'insertMany' | 'digests'>;
      /** Names the keys that made changes, for the history. */
      keys: Pick<ApiKeysRepository, 'namesOf'>;
      outbox: Pick<OutboxRepository, 'insertMany'>;
      actions: Pick<ActionsRepository, 'insertMany'>;
      /** The tenant's renames in force, read under their shared lock in `tx`. */
      renames: Pick<RenameRules, 'inForce'>;
      /** Replaces configured metadata with tokens before it is stored. */
      masker: Masker;
      /** Called after commit, so the relay moves the new events without waiting for its poll. */
      nudge: () => void;
    },
  ) {
    this.db = deps.db;
  }

  async links(tenantId: string, assetId: string): Promise<AssetLinks> {
    const asset = await this.deps.assets.findById(this.db, tenantId, assetId);
    if (!asset) throw new NotFoundError(`asset ${assetId} not found`);
    const incoming = await this.deps.assets.linkedFrom(this.db, tenantId, assetId, MAX_INCOMING);
    return { asset, outgoing: asset.links, incoming };
  }

  /** Links the asset to another (or changes the link's note); a no-op when nothing changes. */
  async link(
    who: Actor,
    assetId: string,
    targetId: string,
    note: string,
    basedOn?: number,
  ): Promise<{ asset: Asset; link: AssetLink; created: boolean }> {
    if (targetId === assetId) throw new ValidationError('an asset cannot be linked to itself');
    const change = { actionType: 'ASSET_LINK', details: { targetId, note }, reason: 'link', basedOn };
    return this.change(who, assetId, change, async (tx, asset) => {
      const target = await this.deps.assets.findById(tx, who.tenantId, targetId);
      if (!target) throw new NotFoundError(`asset ${targetId} not found`);
      const existing = asset.links.find((l) => l.targetId === targetId);
      if (existing?.note === note) return { write: null, result: { link: existing, created: false } };
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
      return {
        write: saveLinks(this.deps.assets, who.tenantId, assetId, links),
        result: { link, created: !existing },
      };
    });
  }

  async unlink(who: Actor, assetId: string, targetId: string, basedOn?: number): Promise<{ asset: Asset }> {
    const change = { actionType: 'ASSET_UNLINK', details: { targetId }, reason: 'unlink', basedOn };
    return this.change(who, assetId, change, (_tx, asset) => {
      if (!asset.links.some((l) => l.targetId === targetId)) {
        throw new NotFoundError(`asset ${assetId} has no link to ${targetId}`);
      }
      const links = asset.links.filter((l) => l.targetId !== targetId);
      return Promise.resolve({
        write: saveLinks(this.deps.assets, who.tenantId, assetId, links),
        result: {},
      });
    });
  }

  /**
   * Restores the editable fields of an earlier version as a new version (history is never
   * rewritten). Restoring a version identical to the current state still makes a version, so the
   * history shows every rollback asked for. `basedOn` is the version the caller saw as current.
   */
  async rollback(
    who: Actor,
    assetId: string,
    args: { version: number; reason?: string | undefined; basedOn: number },
  ): Promise<{ asset: Asset; restoredFrom: number; changedFields: string[]; summary: string }> {
    const reason = `restores version ${args.version}${args.reason ? `: ${args.reason}` : ''}`;
    const change = {
      actionType: 'ASSET_ROLLBACK',
      details: { restoredVersion: args.version, reason: args.reason ?? null },
      changeKind: 'ROLLBACK' as const,
      reason,
      basedOn: args.basedOn,
    };
    const out = await this.change(who, assetId, change, async (tx, asset) => {
      const target = (await this.deps.versions.find(tx, who.tenantId, assetId, [args.version])).get(
        args.version,
      );
      if (!target) throw new NotFoundError(`asset ${assetId} has no version ${args.version}`);
      // A version stored before a field was masked holds its values as given: restored, they are masked.
      const [fields] = await this.deps.masker.mask(tx, who.tenantId, [restoredFieldsOf(target.snapshot)]);
      return {
        write: (wtx, at) =>
          this.deps.assets.restore(wtx, { tenantId: who.tenantId, id: assetId, ...at, fields: fields! }),
        result: { restoredFrom: args.version, before: snapshotOf(asset) },
      };
    });
    const { before, ...rest } = out;
    const after = snapshotOf(out.asset);
    return {
      ...rest,
      changedFields: diffSnapshots(before, after).map((c) => c.field),
      summary: summarizeChange(before, after),
    };
  }

  /**
   * An editor's tag changes (tags, topics, speakers, brands, keywords) as one new version; they
   * survive re-enrichment. A patch that changes nothing writes nothing.
   */
  async editTags(
    who: Actor,
    assetId: string,
    patch: TagPatch,
    basis: EditBasis = {},
    /** Recorded with the audit row: the bulk job an edit belongs to. */
    context: { jobId?: string } = {},
  ): Promise<{ asset: Asset }> {
    const change = { actionType: 'TAGS_EDIT', ...recorded('tag edit', { ...patch, ...context }, basis) };
    return this.change(who, assetId, change, (_tx, asset) =>
      Promise.resolve(tagEdit(this.deps.assets, asset, applyTagPatch(asset, patch))),
    );
  }

  /**
   * A tenant-wide rename or merge, applied to one asset as a new version; nothing is written when
   * the asset carries none of the names. Sources, confidences and locks are kept.
   */
  async rename(
    who: Actor,
    assetId: string,
    details: { type: string; sources: string[]; into: string },
  ): Promise<{ asset: Asset; changed: boolean }> {
    const reason = `rename ${details.type} ${details.sources.map((s) => `"${s}"`).join(', ')} to "${details.into}"`;
    const change = { actionType: 'TAGS_RENAME', reason, details };
    // Every rename in force, read under the asset's lock: a later rename of the same names is
    // applied here too, rather than left for a scan that has already passed this asset.
    return this.change(who, assetId, change, async (tx, asset) =>
      tagEdit(this.deps.assets, asset, renameAsset(asset, await this.deps.renames.inForce(tx, who.tenantId))),
    );
  }

  /**
   * An editor's change of title, description or operational tags, as one new version. New wording
   * is searchable as soon as it is projected, and the asset is enriched again from it.
   */
  async editMetadata(
    who: Actor,
    assetId: string,
    edit: MetadataEdit,
    basis: EditBasis = {},
  ): Promise<{ asset: Asset }> {
    const fields = Object.keys(edit).filter((k) => edit[k as keyof MetadataEdit] !== undefined);
    const change = { actionType: 'ASSET_EDIT', ...recorded('edit', { fields }, basis) };
    return this.change(who, assetId, change, async (tx, asset) => {
      const before = snapshotOf(asset);
      // Masked before comparing: sending a value the asset holds as a token changes nothing.
      const [next] = await this.deps.masker.mask(tx, who.tenantId, [
        {
          ...restoredFieldsOf(before),
          ...(edit.title !== undefined ? { title: edit.title } : {}),
          ...(edit.description !== undefined ? { description: edit.description } : {}),
          ...(edit.operationalTags !== undefined ? { operationalTags: edit.operationalTags } : {}),
        },
      ]);
      const changes = diffSnapshots(before, { ...before, ...next });
      if (changes.length === 0) return { write: null, result: {} };
      return {
        write: (wtx: Sql, at: { expectedVersion: number; newVersionId: string }) =>
          this.deps.assets.restore(wtx, { tenantId: who.tenantId, id: assetId, ...at, fields: next! }),
        result: {},
        reenrich: changes.some((c) => c.field === 'title' || c.field === 'description'),
      };
    });
  }

  /**
   * What the asset's source says now (an ingress controller's sync of a changed item), as one new
   * version: its given fields replaced, the editors' tag edits and links kept. Re-enriched when
   * its wording changed; a no-op when nothing did.
   */
  async applySourceChange(
    who: Actor & { controller: string },
    assetId: string,
    fields: Pick<
      RestoredFields,
      'title' | 'description' | 'transcript' | 'tags' | 'speakers' | 'contributors' | 'technicalMetadata'
    >,
    /**
     * The SHA-256 of the item's file as the source has it now (a watched folder): a new one is the
     * new version's. Another live asset holding it refuses the change (409), as an ingest of the
     * same bytes finds that asset: the content-hash de-duplication holds.
     */
    options: { fileHash?: string | undefined } = {},
  ): Promise<{ asset: Asset; changed: boolean }> {
    const change = {
      actionType: 'SOURCE_SYNC',
      controller: who.controller,
      ...recorded('source changed', { controller: who.controller }, {}),
    };
    let changed = false;
    const out = await this.change(who, assetId, change, async (tx, asset) => {
      const before = snapshotOf(asset);
      // Only the given fields: an ingest input carries more (type, file hash, dates) than a source may change.
      const given = {
        title: fields.title,
        description: fields.description,
        transcript: fields.transcript,
        tags: fields.tags,
        speakers: fields.speakers,
        contributors: fields.contributors,
        technicalMetadata: fields.technicalMetadata,
      };
      const [next] = await this.deps.masker.mask(tx, who.tenantId, [
        { ...restoredFieldsOf(before), ...given },
      ]);
      const fileHash =
        options.fileHash !== undefined && options.fileHash !== asset.fileHash ? options.fileHash : undefined;
      if (fileHash !== undefined) {
        const [holder] = await this.deps.assets.findByFileHashes(tx, who.tenantId, [fileHash]);
        if (holder && holder.id !== assetId)
          throw new ConflictError(
            `the file's new content is already asset ${holder.id} from ${holder.sourceSystem}${holder.sourceId === null ? '' : `:${holder.sourceId}`}`,
          );
      }
      const changes = diffSnapshots(before, { ...before, ...next, ...(fileHash ? { fileHash } : {}) });
      if (changes.length === 0) return { write: null, result: {} };
      changed = true;
      return {
        write: (wtx: Sql, at: { expectedVersion: number; newVersionId: string }) =>
          this.deps.assets.restore(wtx, {
            tenantId: who.tenantId,
            id: assetId,
            ...at,
            fields: next!,
            fileHash,
          }),
        result: {},
        reenrich: changes.some((c) => ['title', 'description', 'transcript'].includes(c.field)),
      };
    });
    return { ...out, changed };
  }

  /**
   * The asset's versions, newest first, each with who made it by name (an API key's name) and
   * what it changed in words.
   */
  async history(
    tenantId: string,
    assetId: string,
    opts: { limit: number; cursor?: string | undefined },
  ): Promise<{ items: HistoryEntry[]; nextCursor: string | null }> {
    await this.mustExist(tenantId, assetId);
    const before = opts.cursor ? decodeCursor(opts.cursor, VersionCursor).v : undefined;
    const rows = await this.deps.versions.list(this.db, tenantId, assetId, { limit: opts.limit + 1, before });
    const page = pageOf(rows, opts.limit, (last) => ({ v: last.version }));
    // Each version against the one before it; the transcript compared by digest.
    const wanted = new Set(page.items.flatMap((v) => [v.version, v.version - 1]).filter((v) => v > 0));
    const states = await this.deps.versions.digests(this.db, tenantId, assetId, [...wanted]);
    const keyIds = page.items.map((v) => keyIdOf(v.changedBy)).filter((id) => id !== null);
    const names = await this.deps.keys.namesOf(this.db, tenantId, [...new Set(keyIds)]);
    const items = page.items.map((v) => ({
      ...v,
      changedByName: displayNameOf(v.changedBy, names),
      summary:
        v.changeKind === 'INGEST'
          ? 'ingested'
          : summarizeChange(states.get(v.version - 1) ?? {}, states.get(v.version) ?? {}) || 'no change',
    }));
    return { items, nextCursor: page.nextCursor };
  }

  /** One version with its snapshot. */
  async version(tenantId: string, assetId: string, version: number): Promise<StoredVersion> {
    return (await this.versions(tenantId, assetId, [version]))[0]!;
  }

  /**
   * The fields that differ from version `against` (default: the one before) to `version`. Version
   * 0 is the empty state before ingest, so the diff of version 1 lists every field it set.
   */
  async diff(
    tenantId: string,
    assetId: string,
    version: number,
    against?: number,
  ): Promise<{ from: number; to: number; changes: FieldChange[]; summary: string }> {
    const from = against ?? version - 1;
    const wanted = from === 0 ? [version] : [version, from];
    const [to, base] = await this.versions(tenantId, assetId, wanted);
    const [a, b] = [base?.snapshot ?? {}, to!.snapshot];
    return { from, to: version, changes: diffSnapshots(a, b), summary: summarizeChange(a, b) };
  }

  /** The versions asked for, in the order asked; 404 for an unknown asset or version. */
  private async versions(tenantId: string, assetId: string, wanted: number[]): Promise<StoredVersion[]> {
    await this.mustExist(tenantId, assetId);
    const found = await this.deps.versions.find(this.db, tenantId, assetId, wanted);
    return wanted.map((v) => {
      const hit = found.get(v);
      if (!hit) throw new NotFoundError(`asset ${assetId} has no version ${v}`);
      return hit;
    });
  }

  private async mustExist(tenantId: string, assetId: string): Promise<void> {
    if (!(await this.deps.assets.findById(this.db, tenantId, assetId))) {
      throw new NotFoundError(`asset ${assetId} not found`);
    }
  }

  /**
   * Runs one change under the asset's row lock. A stale `basedOn` (the version the caller saw)
   * fails with 412, naming the current version and what changed since. `decide` says how to write
   * the new version (null: no change) and what to answer; a change becomes a version with its
   * snapshot, an audit row and an outbox event, all in one transaction.
   */
  private async change<R extends object>(
    who: Actor,
    assetId: string,
    change: {
      actionType: string;
      details: Record<string, unknown>;
      changeKind?: ChangeKind;
      reason: string;
      basedOn?: number | undefined;
      /** Who made the change, for the audit: an ingress controller, else the API. */
      controller?: string;
    },
    decide: (
      tx: Sql,
      asset: Asset,
    ) => Promise<{ write: VersionWriter | null; result: R; reenrich?: boolean }>,
  ): Promise<R & { asset: Asset }> {
    const startedAt = new Date();
    let changed = false;
    const out = await this.db.transaction(async (tx) => {
      const asset = await this.deps.assets.findById(tx, who.tenantId, assetId, { forUpdate: true });
      if (!asset) throw new NotFoundError(`asset ${assetId} not found`);
      // An edit would enrich it again, and the pipeline status a restore brings back would move.
      if (asset.status === 'ARCHIVED')
        throw new ConflictError(`asset ${assetId} is archived; restore it before editing it`);
      if (change.basedOn !== undefined && change.basedOn !== asset.version) {
        throw await stale(this.deps.versions, tx, asset, change.basedOn);
      }
      const { write, result, reenrich } = await decide(tx, asset);
      if (write === null) return { ...result, asset };
      const versionId = randomUUID();
      const saved = await write(tx, { expectedVersion: asset.version, newVersionId: versionId });
      // The row lock makes this unreachable; kept so a lost update can never pass silently.
      if (!saved) throw new ConflictError(`asset ${assetId} changed meanwhile; try again`);
      await this.deps.versions.insertMany(tx, who.tenantId, [
        {
          id: versionId,
          assetId,
          version: saved.version,
          snapshot: snapshotOf(saved),
          changeKind: change.changeKind ?? 'EDIT',
          changedBy: who.actor,
          reason: change.reason,
        },
      ]);
      // What changed, so webhooks can tell a tag change from other edits.
      const fields = diffSnapshots(snapshotOf(asset), snapshotOf(saved)).map((c) => c.field);
      await this.deps.outbox.insertMany(tx, who.tenantId, [
        { type: 'asset.updated', aggregateId: assetId, payload: { assetId, version: saved.version, fields } },
        // New wording: the projections show it at once, and enrichment refreshes what it derived.
        ...(reenrich
          ? [
              {
                type: 'asset.enrichment-requested' as const,
                aggregateId: assetId,
                payload: { assetId, version: saved.version, nonce: `edit-${versionId.slice(0, 8)}` },
              },
            ]
          : []),
      ]);
      await this.deps.actions.insertMany(tx, who.tenantId, [
        {
          assetId,
          actionType: change.actionType,
          direction: 'INBOUND',
          controller: change.controller ?? 'api',
          actor: who.actor,
          status: 'SUCCEEDED',
          details: { ...change.details, fromVersion: asset.version, toVersion: saved.version },
          startedAt,
          durationMs: Date.now() - startedAt.getTime(),
        },
      ]);
      changed = true;
      return { ...result, asset: saved };
    });
    if (changed) this.deps.nudge();
    return out;
  }
}

/** A history entry: the version, who made it by name, and what it changed in words. */
export interface HistoryEntry extends VersionEntry {
  /** An API key's name, or the worker's; `changedBy` keeps the id. */
  changedByName: string;
  summary: string;
}

const keyIdOf = (actor: string): string | null => (actor.startsWith('key:') ? actor.slice(4) : null);

/** `key:<id>` → the key's name; `worker:enrichment` → "enrichment worker"; anything else as it is. */
function displayNameOf(actor: string, keyNames: Map<string, string>): string {
  const keyId = keyIdOf(actor);
  if (keyId !== null) return keyNames.get(keyId) ?? `unknown key ${keyId.slice(0, 8)}`;
  if (actor.startsWith('worker:')) return `${actor.slice(7)} worker`;
  return actor;
}

/** Writes the new version if the asset is still at `expectedVersion`; null when it is not. */
type VersionWriter = (
  tx: Sql,
  at: { expectedVersion: number; newVersionId: string },
) => Promise<Asset | null>;

type AssetWrites = Pick<AssetsRepository, 'saveLinks' | 'restore'>;

const saveLinks =
  (assets: AssetWrites, tenantId: string, id: string, links: AssetLink[]): VersionWriter =>
  (tx, at) =>
    assets.saveLinks(tx, { tenantId, id, ...at, links });

/** Writes the tags, speakers and enrichment of a tag edit; no write when they are unchanged. */
function tagEdit(
  assets: AssetWrites,
  asset: Asset,
  edit: TagEdit,
): { write: VersionWriter | null; result: { changed: boolean } } {
  const before = snapshotOf(asset);
  if (diffSnapshots(before, { ...before, ...edit }).length === 0)
    return { write: null, result: { changed: false } };
  const fields = { ...restoredFieldsOf(before), ...edit };
  return {
    write: (tx, at) => assets.restore(tx, { tenantId: asset.tenantId, id: asset.id, ...at, fields }),
    result: { changed: true },
  };
}

const VersionCursor = z.object({ v: z.number().int().min(1).max(INT4_MAX) });

/** The 412 for a write based on `basedOn`: the current version and what changed since (a version the asset never had reads as empty). */
async function stale(
  versions: Pick<VersionsRepository, 'find'>,
  tx: Sql,
  asset: Asset,
  basedOn: number,
): Promise<PreconditionFailedError> {
  const seen = (await versions.find(tx, asset.tenantId, asset.id, [basedOn])).get(basedOn)?.snapshot ?? {};
  const now = snapshotOf(asset);
  return new PreconditionFailedError(
    `asset ${asset.id} is at version ${asset.version}, not ${basedOn}; review the changes and retry`,
    { currentVersion: asset.version, diff: diffSnapshots(seen, now), summary: summarizeChange(seen, now) },
  );
}
