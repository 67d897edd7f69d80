import type { Asset, Enrichment, Moment } from './asset.js';
import { tagDetailsOf } from './asset-tags.js';
import { formatTimeCode } from './time-code.js';

/**
 * What an egress controller sends of an asset (docs/connectors.md): its identity, its given metadata
 * and the enrichment the asset read API answers (effective tags with their provenance, keywords,
 * topics, speakers, brands, time-coded moments), without the transcript. A deleted or archived asset
 * is a deletion record: the partner removes it, the sidecar folder drops its file.
 */
export type EgressRecord =
  | {
      op: 'upsert';
      assetId: string;
      version: number;
      changedAt: string;
      asset: EgressAsset;
    }
  | {
      op: 'delete';
      assetId: string;
      version: number;
      changedAt: string;
      reason: 'deleted' | 'archived';
    };

export interface EgressAsset {
  id: string;
  type: string;
  title: string;
  description: string;
  fileHash: string;
  sourceSystem: string;
  sourceId: string | null;
  status: string;
  tags: string[];
  tagDetails: ReturnType<typeof tagDetailsOf>;
  speakers: string[];
  contributors: string[];
  technicalMetadata: Asset['technicalMetadata'];
  enrichment: {
    keywords: Enrichment['keywords'];
    topics: Enrichment['topics'];
    speakers: Enrichment['speakers'];
    brands: Enrichment['brands'];
    tags: Enrichment['tags'];
    /** Time-coded segments, each with its start as hh:mm:ss (`timestamp`) for a t= deep link. */
    moments: (Moment & { timestamp: string })[];
  } | null;
  createdAt: string;
  updatedAt: string;
}

/** The record of one change of an asset; `deletedAt` set on a tombstone. */
export function egressRecordOf(asset: Asset, deletedAt: Date | null, changedAt: string): EgressRecord {
  const base = { assetId: asset.id, version: asset.version, changedAt };
  if (deletedAt) return { op: 'delete', ...base, reason: 'deleted' };
  if (asset.status === 'ARCHIVED') return { op: 'delete', ...base, reason: 'archived' };
  const details = tagDetailsOf(asset);
  const e = asset.enrichment;
  return {
    op: 'upsert',
    ...base,
    asset: {
      id: asset.id,
      type: asset.type,
      title: asset.title,
      description: asset.description,
      fileHash: asset.fileHash,
      sourceSystem: asset.sourceSystem,
      sourceId: asset.sourceId,
      status: asset.status,
      tags: details.map((t) => t.name),
      tagDetails: details,
      speakers: asset.speakers,
      contributors: asset.contributors,
      technicalMetadata: asset.technicalMetadata,
      enrichment: e && {
        keywords: e.keywords,
        topics: e.topics,
        speakers: e.speakers,
        brands: e.brands,
        tags: e.tags,
        moments: (e.moments ?? []).map((m) => ({ ...m, timestamp: formatTimeCode(m.start) })),
      },
      createdAt: asset.createdAt.toISOString(),
      updatedAt: asset.updatedAt.toISOString(),
    },
  };
}
