import type { EntityType } from '../domain/entities.js';

/** An entity an asset links to, with the strength of the link. */
export interface AssetEntity {
  type: EntityType;
  name: string;
  /** Extractor score or confidence in (0, 1]. */
  weight: number;
  /** Where in the media the entity occurs (seconds), when known. */
  moments?: { start: number; end: number }[];
}

/** The graph projection of one asset version. */
export interface AssetGraph {
  assetId: string;
  version: number;
  entities: AssetEntity[];
}

export interface RelatedReason {
  type: EntityType;
  name: string;
  /** This entity's share of the item's score. */
  contribution: number;
  /** Where the entity first occurs in the related asset, for a `t=` deep link. */
  moment?: { start: number; end: number };
}

export interface RelatedAsset {
  assetId: string;
  score: number;
  reasons: RelatedReason[];
}

export type ProjectionOutcome = 'applied' | 'unchanged' | 'stale';

/** The graph port: where assets meet the entities they share. */
export interface GraphStore {
  readonly kind: string;
  /**
   * Replaces the asset's entity links with these, unless the store already holds this
   * version ('unchanged') or a newer one ('stale').
   */
  projectAsset(tenantId: string, graph: AssetGraph): Promise<ProjectionOutcome>;
  removeAsset(tenantId: string, assetId: string): Promise<void>;
  /** Assets sharing entities with this one, best first, each with the entities that relate them. */
  related(tenantId: string, assetId: string, options: { limit: number }): Promise<RelatedAsset[]>;
  /** The version held for each asset; assets not projected are absent. */
  projectedVersions(tenantId: string, assetIds: string[]): Promise<Map<string, number>>;
}
