import type { Enrichment } from './asset.js';
import { normalizeEntityName } from './entities.js';

/**
 * Where a tag of the effective set comes from:
 * - `given`: in the source metadata at ingest (the asset's given list);
 * - `manual`: added by an editor (PATCH …/tags, a bulk edit), or an AI tag an editor confirmed;
 * - `suggested`: found by enrichment (the tag model, topics, keyphrases, brands).
 */
export const TAG_SOURCES = ['given', 'manual', 'suggested'] as const;
export type TagSource = (typeof TAG_SOURCES)[number];

/** One tag of the effective set, with its provenance. */
export interface TagDetail {
  name: string;
  source: TagSource;
  /** A locked tag is never changed by a worker and must be unlocked before removal. */
  locked: boolean;
  /** 1 for given and manual tags; the extractor's confidence for suggested ones. */
  confidence: number;
}

/** What the tag model reads of an asset (or of a version snapshot). */
export interface TagState {
  /** The given list: source metadata, less the tags an editor removed. */
  tags: string[];
  enrichment: Pick<Enrichment, 'tags'> | null;
}

/**
 * The effective tags: the one set that search, the graph, exports and the API's `tags` show.
 * Before enrichment they are the given list; after it, the enrichment's merged tags (given and
 * manual ones always kept, suggestions that pass their thresholds, editor-removed names never).
 * Enrichment stores a given tag as `manual`; it reads as `given` while the given list holds it.
 */
export function tagDetailsOf(asset: TagState): TagDetail[] {
  const e = asset.enrichment;
  if (!e) return asset.tags.map((name) => ({ name, source: 'given', locked: false, confidence: 1 }));
  const given = new Set(asset.tags.map(normalizeEntityName));
  return e.tags.map((t) => ({
    name: t.name,
    source: t.source === 'ai' ? 'suggested' : given.has(normalizeEntityName(t.name)) ? 'given' : 'manual',
    locked: t.locked,
    confidence: t.confidence,
  }));
}

/** The names of the effective tags. */
export const effectiveTagsOf = (asset: TagState): string[] => tagDetailsOf(asset).map((t) => t.name);
