import type { Asset, AssetInput } from '../domain/asset.js';
import type { TagPatch } from '../domain/tag-overrides.js';
import type { AssetService } from './asset-service.js';
import type { CurationService, EditBasis, MetadataEdit } from './curation-service.js';
import type { Actor, IngestResult, IngestService } from './ingest-service.js';

/**
 * The asset writes a client may wait on (`?wait=true`): the answer comes once every written asset
 * is settled (enrichment finished, search and the graph hold its version), or when the wait runs
 * out, with `settled: false`. Without a wait, `settled` is true. The writes themselves are the
 * ingest and curation services'; this only adds the wait, so a route calls one method.
 */
export class SettledWriteService {
  constructor(
    private readonly deps: {
      ingest: Pick<IngestService, 'ingest'>;
      curation: Pick<CurationService, 'editMetadata' | 'editTags' | 'link' | 'unlink' | 'rollback'>;
      assets: Pick<AssetService, 'waitUntilSettled'>;
      /** The longest a write waits (WAIT_TIMEOUT_MS). */
      waitTimeoutMs: number;
    },
  ) {}

  /** Ingests; after a wait, each result's asset is as it then is (enriched). */
  async ingest(
    who: Actor,
    inputs: AssetInput[],
    wait: boolean,
  ): Promise<{ results: IngestResult[]; settled: boolean }> {
    const results = await this.deps.ingest.ingest(who, inputs);
    const { settled, latest } = await this.settle(who.tenantId, results, wait);
    return { results: results.map((r) => ({ ...r, asset: latest(r.asset) })), settled };
  }

  /** Edits title, description or operational tags; the asset as it is after the wait. */
  async editMetadata(who: Actor, assetId: string, edit: MetadataEdit, basis: EditBasis, wait: boolean) {
    const { asset } = await this.deps.curation.editMetadata(who, assetId, edit, basis);
    const { settled, latest } = await this.settle(who.tenantId, [{ asset }], wait);
    return { asset: latest(asset), settled };
  }

  /** Edits tags, topics, speakers, brands and keywords; the asset as it is after the wait. */
  async editTags(who: Actor, assetId: string, patch: TagPatch, basis: EditBasis, wait: boolean) {
    const { asset } = await this.deps.curation.editTags(who, assetId, patch, basis);
    const { settled, latest } = await this.settle(who.tenantId, [{ asset }], wait);
    return { asset: latest(asset), settled };
  }

  /** Links two assets; `asset` is the version that holds the link. */
  async link(
    who: Actor,
    assetId: string,
    targetId: string,
    note: string,
    basedOn: number | undefined,
    wait: boolean,
  ) {
    const linked = await this.deps.curation.link(who, assetId, targetId, note, basedOn);
    const { settled } = await this.settle(who.tenantId, [linked], wait);
    return { ...linked, settled };
  }

  /** Removes a link; `asset` is the version without it. */
  async unlink(who: Actor, assetId: string, targetId: string, basedOn: number | undefined, wait: boolean) {
    const unlinked = await this.deps.curation.unlink(who, assetId, targetId, basedOn);
    const { settled } = await this.settle(who.tenantId, [unlinked], wait);
    return { ...unlinked, settled };
  }

  /** Restores an earlier version as a new one; `asset` is that new version. */
  async rollback(
    who: Actor,
    assetId: string,
    args: { version: number; reason?: string | undefined; basedOn: number },
    wait: boolean,
  ) {
    const restored = await this.deps.curation.rollback(who, assetId, args);
    const { settled } = await this.settle(who.tenantId, [restored], wait);
    return { ...restored, settled };
  }

  private async settle(
    tenantId: string,
    written: { asset: Asset }[],
    wait: boolean,
  ): Promise<{ settled: boolean; latest: (asset: Asset) => Asset }> {
    if (!wait) return { settled: true, latest: (asset) => asset };
    const { settled, assets } = await this.deps.assets.waitUntilSettled(
      tenantId,
      written.map((w) => w.asset.id),
      this.deps.waitTimeoutMs,
    );
    return { settled, latest: (asset) => assets.get(asset.id) ?? asset };
  }
}
