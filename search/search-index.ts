import type { AssetStatus, AssetType, TechnicalMetadata } from '../domain/asset.js';

/** The searchable projection of one asset version. */
export interface SearchDocument {
  assetId: string;
  version: number;
  type: AssetType;
  sourceSystem: string;
  status: AssetStatus;
  title: string;
  description: string;
  transcript: string;
  tags: string[];
  /** Who speaks in the media: given or diarized. */
  speakers: string[];
  /** People the text only names; they match, but below the speakers. */
  people: string[];
  topics: string[];
  keywords: string[];
  /** Codec, duration, resolution, platform: filterable and shown, not ranked. */
  technical: TechnicalMetadata;
  createdAt: Date;
}

export interface SearchQuery {
  /** Free text; empty browses the newest assets. */
  text: string;
  limit: number;
  /** Opaque cursor from a previous page. */
  cursor?: string | undefined;
}

export interface SearchHit {
  assetId: string;
  score: number;
  /** Field → fragment with matched terms wrapped in <mark></mark>. */
  highlights: Record<string, string>;
}

export interface SearchPage {
  hits: SearchHit[];
  nextCursor: string | null;
}

export type ProjectionOutcome = 'applied' | 'unchanged' | 'stale';

/** The search port: full-text retrieval over projected assets. */
export interface SearchIndex {
  readonly kind: string;
  /** Stores the document unless this version ('unchanged') or a newer one ('stale') is already held. */
  upsert(tenantId: string, doc: SearchDocument): Promise<ProjectionOutcome>;
  remove(tenantId: string, assetId: string): Promise<void>;
  search(tenantId: string, query: SearchQuery): Promise<SearchPage>;
  projectedVersions(tenantId: string, assetIds: string[]): Promise<Map<string, number>>;
}
