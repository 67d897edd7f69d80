import type { PopularityUpdate } from '../domain/popularity.js';
import { normalizeEntityName, type EntityType } from '../domain/entities.js';
import { COOCCURRENCE_ASSETS, GRAPH_REQUEST_LIMITS } from '../domain/graph-limits.js';

/** An entity an asset links to, with the strength of the link. */
export interface AssetEntity {
  type: EntityType;
  name: string;
  /** Extractor score or confidence in (0, 1]. */
  weight: number;
  /** Where in the media the entity occurs (seconds), when known. */
  moments?: { start: number; end: number }[];
}

/** An editor's link from one asset to another: a `related_to` relation, read in both directions. */
export interface ManualLink {
  targetId: string;
  note?: string | undefined;
}

/** The graph projection of one asset version. */
export interface AssetGraph {
  assetId: string;
  version: number;
  entities: AssetEntity[];
  /** When the asset was created (ISO 8601): the `temporal` signal. */
  createdAt?: string | undefined;
  /** The asset's manual `related_to` links; a projection replaces them as a whole. */
  links?: ManualLink[] | undefined;
}

/**
 * What relates two assets besides a shared entity: an editor's link (`RELATED_TO`), having been
 * created close together (`TEMPORAL`), or having been played in the same sessions (`CO_VIEWED`).
 */
export const RELATION_SIGNALS = ['RELATED_TO', 'TEMPORAL', 'CO_VIEWED'] as const;
export type RelationSignal = (typeof RELATION_SIGNALS)[number];
export const isRelationSignal = (v: string): v is RelationSignal =>
  (RELATION_SIGNALS as readonly string[]).includes(v);

export interface RelatedReason {
  /** The shared entity's type, or the relation signal. */
  type: EntityType | RelationSignal;
  /** The entity's name; for RELATED_TO the editor's note; for TEMPORAL how far apart. */
  name: string;
  /** This entity's share of the item's score. */
  contribution: number;
  /** Where the entity first occurs in the related asset, for a `t=` deep link. */
  moment?: { start: number; end: number };
  /** CO_VIEWED: how many sessions played both assets. */
  count?: number;
}

export interface RelatedAsset {
  assetId: string;
  score: number;
  reasons: RelatedReason[];
}

export type ProjectionOutcome = 'applied' | 'unchanged' | 'stale';

/** An asset a projection holds, with the version it holds. */
export interface ProjectedAsset {
  assetId: string;
  version: number;
}

export interface RelatedOptions {
  limit: number;
  /** Only these entity types and signals relate (all when absent). */
  via?: (EntityType | RelationSignal)[] | undefined;
}

/** An entity with the number of assets linked to it. */
export interface EntitySummary {
  type: EntityType;
  name: string;
  assetCount: number;
}

/** An entity that shares assets with another, and how many. */
export interface CooccurringEntity extends EntitySummary {
  sharedAssets: number;
}

export interface EntityAsset {
  assetId: string;
  weight: number;
  moments?: { start: number; end: number }[];
}

/** A node a path or neighbourhood can hold: an asset, or an entity by type and name. */
export type NodeRef = { kind: 'asset'; assetId: string } | { kind: 'entity'; type: EntityType; name: string };

/** Graph nodes for a UI: `id` is the asset id, or `TYPE:normalized name` for an entity. */
export interface GraphNode {
  id: string;
  kind: 'ASSET' | EntityType;
  /** The entity's name; for an asset, its id (the API adds titles). */
  label: string;
}

/** An asset's link to an entity, with its weight and where in the media it occurs. */
export interface GraphEdge {
  source: string;
  target: string;
  weight: number;
  moments?: { start: number; end: number }[];
}

export interface Subgraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/**
 * Walk limits that keep path and neighbourhood queries bounded whatever the graph's shape: the
 * limits requests are validated against, and how far each step fans out.
 */
export const GRAPH_LIMITS = {
  ...GRAPH_REQUEST_LIMITS,
  /** Entities or assets expanded per node at each step (strongest links first). */
  fanOut: 50,
  cooccurrenceAssets: COOCCURRENCE_ASSETS,
} as const;

/**
 * The graph port, split by who uses it: indexers write (`GraphWriter`), services read
 * (`GraphReader`), drift checks and rebuilds compare (`GraphProjectionAudit`). An adapter
 * implements all three (`GraphStore`); each caller is given only the part it uses.
 */
/**
 * An asset's CO_VIEWED relationships as the co-view schedule computed them (services/co-view-service.ts):
 * its best partners, each with the sessions that played both and the normalised score in (0, 1].
 */
export interface CoViewedEdges {
  assetId: string;
  partners: { relatedId: string; sessions: number; score: number }[];
}

export interface GraphWriter {
  readonly kind: string;
  /**
   * Replaces the asset's entity links with these, unless the store already holds this
   * version ('unchanged') or a newer one ('stale').
   */
  projectAsset(tenantId: string, graph: AssetGraph): Promise<ProjectionOutcome>;
  /** projectAsset for a batch, in bounded work per batch; outcomes in the order of `graphs`. */
  projectMany(tenantId: string, graphs: AssetGraph[]): Promise<ProjectionOutcome[]>;
  removeAsset(tenantId: string, assetId: string): Promise<void>;
  /**
   * Writes these entities' names as spelled here (after a tenant renames `ml` to `ML`, say): an
   * entity keeps the spelling it was first seen with otherwise. Entities that do not exist stay so.
   */
  respell(tenantId: string, names: { type: EntityType; name: string }[]): Promise<void>;
  /**
   * A person's erasure (docs/lifecycle.md, "Erasure"): removes the entities, of any type, whose
   * normalized name holds `key` (a normalized name, domain/entities.ts) as whole words, or is made
   * of its words only (a keyword "quill" of "mara quill"), and that no asset links to any more, so
   * their names are not kept. Returns how many it removed. An entity
   * still linked stays (its asset is projected again first).
   */
  forgetEntities(tenantId: string, key: string): Promise<number>;
  /**
   * Replaces the outgoing CO_VIEWED relationships of each asset given (an empty list removes them).
   * Idempotent. Only projected assets hold them: a source or partner not projected is skipped, and
   * removing an asset removes its own.
   */
  replaceCoViewed(tenantId: string, edges: CoViewedEdges[]): Promise<void>;

  /**
   * Sets the learned popularity and trending (domain/popularity.ts) of the assets it holds, without
   * a new version; an update computed before the one an asset holds changes nothing. Assets it does
   * not hold are left out.
   */
  applyPopularity(tenantId: string, rows: PopularityUpdate[]): Promise<void>;
}

/** Where assets meet the entities they share: related content, entities, paths, neighbourhoods. */
export interface GraphReader {
  readonly kind: string;
  /** Assets sharing entities with this one, best first, each with the entities that relate them. */
  related(tenantId: string, assetId: string, options: RelatedOptions): Promise<RelatedAsset[]>;
  /** Entities by type and name prefix (case and accents ignored), most linked first. */
  entities(
    tenantId: string,
    options: { type?: EntityType; prefix?: string; limit: number; offset: number },
  ): Promise<EntitySummary[]>;
  /** The entities whose normalized name is one of these (any type), most linked first. */
  entitiesNamed(tenantId: string, names: string[]): Promise<EntitySummary[]>;
  /** The assets linked to one entity, strongest link first; null when the entity does not exist. */
  entityAssets(
    tenantId: string,
    entity: { type: EntityType; name: string },
    options: { limit: number; offset: number },
  ): Promise<{ entity: EntitySummary; assets: EntityAsset[] } | null>;
  /**
   * The entities that share assets with one entity (of `type` when given), most shared first,
   * counted over its strongest `GRAPH_LIMITS.cooccurrenceAssets` links; null when it does not exist.
   */
  cooccurring(
    tenantId: string,
    entity: { type: EntityType; name: string },
    options: { type?: EntityType; limit: number },
  ): Promise<{ entity: EntitySummary; items: CooccurringEntity[] } | null>;
  /**
   * A shortest path between two nodes, over asset-entity links, of at most `maxEdges` edges
   * (each step expanding the strongest `GRAPH_LIMITS.fanOut` links); null when there is none.
   */
  path(tenantId: string, from: NodeRef, to: NodeRef, maxEdges: number): Promise<Subgraph | null>;
  /** The nodes and edges within `depth` edges of the asset, at most `limit` nodes. */
  neighbourhood(
    tenantId: string,
    assetId: string,
    options: { depth: number; limit: number },
  ): Promise<Subgraph>;
}

/** What the graph holds, for drift checks and rebuilds to compare with the canonical assets. */
export interface GraphProjectionAudit {
  readonly kind: string;
  /** The version held for each asset; assets not projected are absent. */
  projectedVersions(tenantId: string, assetIds: string[]): Promise<Map<string, number>>;
  /**
   * The projected assets with ids after `afterId` (all when null), in id order, at most `limit`:
   * a drift check walks a projection with these pages, so it never holds a tenant in memory.
   */
  projectedIdsAfter(tenantId: string, afterId: string | null, limit: number): Promise<ProjectedAsset[]>;
  /** The CO_VIEWED relationships of these assets, by source asset (one without any is absent). */
  coViewedOf(tenantId: string, assetIds: string[]): Promise<CoViewedEdges[]>;
  /** The assets with CO_VIEWED relationships, ids after `afterId` (all when null), in id order, at most `limit`. */
  coViewedSourcesAfter(tenantId: string, afterId: string | null, limit: number): Promise<string[]>;
}

/** The whole port, as an adapter implements it and the composition root holds it. */
export interface GraphStore extends GraphWriter, GraphReader, GraphProjectionAudit {}

/**
 * What a projection writes of an asset graph, the same for every store: one link per entity
 * (type, normalized name `key`), the strongest weight kept, empty names and non-positive weights
 * dropped; and one manual link per target, none to the asset itself.
 */
export function projectionOf(graph: AssetGraph): {
  entities: (AssetEntity & { key: string })[];
  links: { targetId: string; note: string | null }[];
} {
  const entities = new Map<string, AssetEntity & { key: string }>();
  for (const e of graph.entities) {
    const key = normalizeEntityName(e.name);
    if (key === '' || !(e.weight > 0)) continue;
    const id = `${e.type}\u0000${key}`;
    const prev = entities.get(id);
    if (!prev || prev.weight < e.weight) {
      entities.set(id, {
        type: e.type,
        name: e.name.trim(),
        key,
        weight: e.weight,
        ...(e.moments?.length ? { moments: e.moments } : {}),
      });
    }
  }
  const links = new Map<string, { targetId: string; note: string | null }>();
  for (const l of graph.links ?? []) {
    if (l.targetId !== graph.assetId) links.set(l.targetId, { targetId: l.targetId, note: l.note ?? null });
  }
  return { entities: [...entities.values()], links: [...links.values()] };
}
