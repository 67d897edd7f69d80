import type { Asset, Enrichment } from './asset.js';

/** The fields a version snapshot keeps: everything a rollback needs. */
export function snapshotOf(a: Asset): Record<string, unknown> {
  return {
    type: a.type,
    title: a.title,
    description: a.description,
    transcript: a.transcript,
    fileHash: a.fileHash,
    sourceSystem: a.sourceSystem,
    sourceId: a.sourceId,
    tags: a.tags,
    speakers: a.speakers,
    contributors: a.contributors,
    operationalTags: a.operationalTags,
    technicalMetadata: a.technicalMetadata,
    links: a.links,
    status: a.status,
    enrichment: a.enrichment,
  };
}

/** What a rollback restores from a snapshot: the editable fields, never identity or provenance. */
export type RestoredFields = Pick<
  Asset,
  | 'title'
  | 'description'
  | 'transcript'
  | 'tags'
  | 'speakers'
  | 'contributors'
  | 'operationalTags'
  | 'technicalMetadata'
  | 'links'
  | 'enrichment'
>;

/**
 * The restorable fields of a snapshot. Snapshots written before a field existed (contributors,
 * links) lack it; it then reads as empty, which is what the asset had at that version.
 */
export function restoredFieldsOf(snapshot: Record<string, unknown>): RestoredFields {
  const text = (k: string) => {
    const v = snapshot[k];
    return typeof v === 'string' ? v : '';
  };
  const list = <T>(k: string) => (Array.isArray(snapshot[k]) ? (snapshot[k] as T[]) : []);
  const technicalMetadata = snapshot.technicalMetadata;
  return {
    title: text('title'),
    description: text('description'),
    transcript: text('transcript'),
    tags: list('tags'),
    speakers: list('speakers'),
    contributors: list('contributors'),
    operationalTags: list('operationalTags'),
    technicalMetadata:
      typeof technicalMetadata === 'object' && technicalMetadata !== null ? technicalMetadata : {},
    links: list('links'),
    enrichment: (snapshot.enrichment as Enrichment | null | undefined) ?? null,
  };
}
