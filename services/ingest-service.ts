import { createHash, randomUUID } from 'node:crypto';
import type { Asset, AssetInput } from '../domain/asset.js';
import type { MetadataRecorder } from '../domain/metadata.js';
import type { ActionsRepository } from '../store/actions-repository.js';
import type { AssetsRepository, NewAssetRow } from '../store/assets-repository.js';
import type { Database } from '../store/db.js';
import type { OutboxRepository } from '../store/outbox-repository.js';
import type { VersionsRepository } from '../store/versions-repository.js';
import type { Masker } from './masking-service.js';

export const MAX_BATCH_SIZE = 1_000;

export interface IngestResult {
  asset: Asset;
  /** True when the tenant already had an asset with this file hash; nothing new was created. */
  duplicate: boolean;
}

export interface Actor {
  tenantId: string;
  /** Who acts, for the audit trail, e.g. `key:<id>`. */
  actor: string;
  /** What the asset came in through, for the audit trail: an ingress controller; default the API. */
  controller?: string;
}

/** The file hash of an input: the one given, or one derived from the content itself. */
export function fileHashOf(input: AssetInput): string {
  if (input.fileHash) return input.fileHash;
  return createHash('sha256')
    .update(JSON.stringify([input.type, input.title, input.description, input.transcript]))
    .digest('hex');
}

/**
 * Ingest: in one transaction per call, each new asset gets its canonical row, its first version,
 * an audit row and an outbox event, each kind written by one multi-row statement for the batch. A
 * repeated file hash returns the existing asset instead.
 */
export class IngestService {
  constructor(
    private readonly deps: {
      db: Database;
      assets: Pick<AssetsRepository, 'insertNew' | 'findByFileHashes'>;
      versions: Pick<VersionsRepository, 'insertIngested'>;
      outbox: Pick<OutboxRepository, 'insertMany'>;
      actions: Pick<ActionsRepository, 'insertMany'>;
      /** Replaces configured metadata with tokens before it is stored. */
      masker: Masker;
      /** Called after commit, so the relay moves the new events without waiting for its poll. */
      nudge: () => void;
      /**
       * Records each call's ingestion_volume, and each new asset's technical_metadata, in its
       * transaction (docs/metadata.md); none: not recorded.
       */
      metadata?: MetadataRecorder;
    },
  ) {}

  async ingest(who: Actor, inputs: AssetInput[]): Promise<IngestResult[]> {
    const startedAt = new Date();
    const hashes = inputs.map(fileHashOf);
    const rows: NewAssetRow[] = inputs.map((input, i) => ({
      id: randomUUID(),
      versionId: randomUUID(),
      type: input.type,
      title: input.title,
      description: input.description,
      transcript: input.transcript,
      fileHash: hashes[i]!,
      sourceSystem: input.sourceSystem,
      sourceId: input.sourceId ?? null,
      tags: input.tags,
      speakers: input.speakers,
      contributors: input.contributors,
      operationalTags: input.operationalTags,
      technicalMetadata: input.technicalMetadata,
      status: 'QUEUED',
      createdAt: input.createdAt ?? startedAt.toISOString(),
    }));

    const results = await this.deps.db.transaction(async (tx) => {
      const created = await this.deps.assets.insertNew(
        tx,
        who.tenantId,
        await this.deps.masker.mask(tx, who.tenantId, rows),
      );
      const createdIds = new Set(created.map((a) => a.id));
      const byHash = new Map(created.map((a) => [a.fileHash, a]));
      const missing = hashes.filter((h) => !byHash.has(h));
      for (const a of await this.deps.assets.findByFileHashes(tx, who.tenantId, [...new Set(missing)])) {
        byHash.set(a.fileHash, a);
      }

      // The first version refers to the asset row it was written with, instead of a second copy of it.
      await this.deps.versions.insertIngested(
        tx,
        who.tenantId,
        created.map((a) => ({ id: a.versionId, assetId: a.id, changedBy: who.actor })),
      );
      await this.deps.outbox.insertMany(
        tx,
        who.tenantId,
        created.map((a) => ({
          type: 'asset.ingested',
          aggregateId: a.id,
          payload: { assetId: a.id, version: a.version },
        })),
      );

      const out: IngestResult[] = [];
      const reported = new Set<string>();
      for (const hash of hashes) {
        const asset = byHash.get(hash)!;
        // The first input that created an asset reports it as new; any repeat of its hash is a duplicate.
        const duplicate = !createdIds.has(asset.id) || reported.has(asset.id);
        reported.add(asset.id);
        out.push({ asset, duplicate });
      }
      const durationMs = Date.now() - startedAt.getTime();
      await this.deps.actions.insertMany(
        tx,
        who.tenantId,
        out.map((r) => ({
          assetId: r.asset.id,
          actionType: 'INGEST',
          direction: 'INBOUND',
          controller: who.controller ?? 'api',
          actor: who.actor,
          status: 'SUCCEEDED',
          details: { duplicate: r.duplicate, fileHash: r.asset.fileHash, sourceSystem: r.asset.sourceSystem },
          startedAt,
          durationMs,
        })),
      );
      // Last in the transaction: the record takes the tenant's log lock, held only to the commit.
      await this.deps.metadata?.record(tx, who.tenantId, [
        {
          target: { type: 'tenant', id: who.tenantId },
          kind: 'ingestion_volume',
          producerId: 'ingest.v1',
          producedAt: startedAt,
          payload: {
            received: inputs.length,
            created: created.length,
            duplicates: out.length - created.length,
            durationMs,
            controller: who.controller ?? 'api',
          },
        },
        // What the ingest knows of each new asset's file, as stored (masked where configured).
        ...created.flatMap((a) =>
          Object.keys(a.technicalMetadata).length === 0
            ? []
            : [
                {
                  target: { type: 'asset', id: a.id },
                  kind: 'technical_metadata',
                  producerId: 'ingest.v1',
                  producedAt: startedAt,
                  version: String(a.version),
                  payload: { assetType: a.type, ...a.technicalMetadata },
                },
              ],
        ),
      ]);
      return out;
    });

    if (results.some((r) => !r.duplicate)) this.deps.nudge();
    return results;
  }
}
