import neo4j, { type Driver, type ManagedTransaction } from 'neo4j-driver';
import type { EntityType } from '../../domain/entities.js';
import { normalizeEntityName } from '../../domain/entities.js';
import { CYPHER, shortestPath } from '../cypher.js';
import {
  GRAPH_LIMITS,
  isRelationSignal,
  type CooccurringEntity,
  type EntityAsset,
  type EntitySummary,
  type GraphEdge,
  type GraphNode,
  type NodeRef,
  type RelatedAsset,
  type RelatedOptions,
  type RelatedReason,
  type Subgraph,
} from '../graph-store.js';
import {
  FAN_OUT_CAP,
  FREQUENT_ENTITY,
  TYPE_WEIGHTS,
  candidatesFor,
  rankRelated,
} from '../related-ranking.js';
import { CO_VIEW } from '../../domain/co-views.js';
import { compare, edgeOf, entityId, parseMoments, read, round4, toNumber, type Num } from './driver.js';

/* The Neo4j graph's reads: related content, entities, paths and neighbourhoods. */

/** Deepest neighbourhood walked, in edges. */
const MAX_DEPTH = 4;

// Row shapes of the statements in cypher.ts.
type ReasonRow = { type: EntityType; name: string; contribution: number; moments: string | null };
type RelatedRow = { assetId: string; createdAt: number | null; score: number; reasons: ReasonRow[] };
type ManualLinkRow = {
  seedCreatedAt: number | null;
  assetId: string | null;
  note: string | null;
  createdAt: number | null;
};
type CoViewedRow = { assetId: string; sessions: Num; score: number; createdAt: Num | null };
type EntityRow = { type: EntityType; name: string; assetCount: Num };
type EntityAssetRow = { assetId: string; weight: number; moments: string | null };
type RefRow = { ref: string };
type EntityRefRow = { ref: string; name: string };
/** One asset-entity link; `name` is the entity's. */
type LinkRow = {
  assetId: string;
  type: EntityType;
  key: string;
  name: string;
  weight: number;
  moments: string | null;
};
type PathNodeRow = { id: string | null; type: EntityType | null; key: string | null; name: string | null };
type PathEdgeRow = { assetId: string; type: EntityType; key: string; weight: number; moments: string | null };
type PathRow = { nodes: PathNodeRow[]; edges: PathEdgeRow[] };

/** A resolved path end or neighbourhood node: its public id and how the UI shows it. */
interface Resolved {
  ref: string;
  node: GraphNode;
}

/**
 * Scores each candidate by the entities it shares with the asset: link weights on both sides,
 * times the entity type's weight, times its rarity ln(1 + N / assets with the entity).
 */
export async function related(
  driver: Driver,
  tenantId: string,
  assetId: string,
  options: RelatedOptions,
): Promise<RelatedAsset[]> {
  const entityTypes = options.via?.filter((v): v is EntityType => !isRelationSignal(v));
  const [byEntity, links, coViewed] = await read(driver, async (tx) => [
    entityTypes && entityTypes.length === 0
      ? []
      : (
          await tx.run<RelatedRow>(CYPHER.related, {
            tenantId,
            assetId,
            via: entityTypes ?? null,
            typeWeights: TYPE_WEIGHTS,
            fanOutCap: neo4j.int(FAN_OUT_CAP),
            frequentShare: FREQUENT_ENTITY.share,
            frequentFanOut: neo4j.int(FREQUENT_ENTITY.fanOut),
            limit: neo4j.int(candidatesFor(options.limit)),
          })
        ).records,
    (await tx.run<ManualLinkRow>(CYPHER.manualLinks, { tenantId, assetId })).records,
    !options.via || options.via.includes('CO_VIEWED')
      ? (
          await tx.run<CoViewedRow>(CYPHER.coViewed, {
            tenantId,
            assetId,
            limit: neo4j.int(CO_VIEW.partnersPerAsset),
          })
        ).records
      : [],
  ]);
  const seed = links[0];
  if (!seed) return [];
  const time = (v: Num | null) => (v === null ? null : toNumber(v));
  return rankRelated(
    time(seed.get('seedCreatedAt')),
    byEntity.map((r) => ({
      assetId: r.get('assetId'),
      score: r.get('score'),
      createdAt: time(r.get('createdAt')),
      reasons: r
        .get('reasons')
        .sort((a, b) => b.contribution - a.contribution || compare(a.type, b.type) || compare(a.name, b.name))
        .map((x): RelatedReason => {
          const moment = parseMoments(x.moments)?.[0];
          return {
            type: x.type,
            name: x.name,
            contribution: round4(x.contribution),
            ...(moment ? { moment } : {}),
          };
        }),
    })),
    links.flatMap((r) => {
      const id = r.get('assetId');
      return id === null ? [] : [{ assetId: id, note: r.get('note'), createdAt: time(r.get('createdAt')) }];
    }),
    options,
    coViewed.map((r) => ({
      assetId: r.get('assetId'),
      sessions: toNumber(r.get('sessions')),
      score: r.get('score'),
      createdAt: time(r.get('createdAt')),
    })),
  );
}

export async function entities(
  driver: Driver,
  tenantId: string,
  options: { type?: EntityType; prefix?: string; limit: number; offset: number },
): Promise<EntitySummary[]> {
  const result = await read(driver, (tx) =>
    tx.run<EntityRow>(CYPHER.entities, {
      tenantId,
      type: options.type ?? null,
      prefix: options.prefix ? normalizeEntityName(options.prefix) : '',
      limit: neo4j.int(options.limit),
      offset: neo4j.int(options.offset),
    }),
  );
  return result.records.map((r) => ({
    type: r.get('type'),
    name: r.get('name'),
    assetCount: toNumber(r.get('assetCount')),
  }));
}

export async function entitiesNamed(
  driver: Driver,
  tenantId: string,
  names: string[],
): Promise<EntitySummary[]> {
  const keys = [...new Set(names.map(normalizeEntityName).filter((k) => k !== ''))];
  if (keys.length === 0) return [];
  const result = await read(driver, (tx) => tx.run<EntityRow>(CYPHER.entitiesNamed, { tenantId, keys }));
  return result.records.map((r) => ({
    type: r.get('type'),
    name: r.get('name'),
    assetCount: toNumber(r.get('assetCount')),
  }));
}

export async function entityAssets(
  driver: Driver,
  tenantId: string,
  entity: { type: EntityType; name: string },
  options: { limit: number; offset: number },
): Promise<{ entity: EntitySummary; assets: EntityAsset[] } | null> {
  const params = { tenantId, type: entity.type, key: normalizeEntityName(entity.name) };
  return read(driver, async (tx) => {
    const [node] = (await tx.run<EntityRow>(CYPHER.entity, params)).records;
    if (!node) return null;
    const links = await tx.run<EntityAssetRow>(CYPHER.entityAssets, {
      ...params,
      limit: neo4j.int(options.limit),
      offset: neo4j.int(options.offset),
    });
    return {
      entity: {
        type: node.get('type'),
        name: node.get('name'),
        assetCount: toNumber(node.get('assetCount')),
      },
      assets: links.records.map((l) => {
        const moments = parseMoments(l.get('moments'));
        return { assetId: l.get('assetId'), weight: l.get('weight'), ...(moments ? { moments } : {}) };
      }),
    };
  });
}

export async function cooccurring(
  driver: Driver,
  tenantId: string,
  entity: { type: EntityType; name: string },
  options: { type?: EntityType; limit: number },
): Promise<{ entity: EntitySummary; items: CooccurringEntity[] } | null> {
  const params = { tenantId, type: entity.type, key: normalizeEntityName(entity.name) };
  return read(driver, async (tx) => {
    const [node] = (await tx.run<EntityRow>(CYPHER.entity, params)).records;
    if (!node) return null;
    const rows = await tx.run<EntityRow & { sharedAssets: Num }>(CYPHER.cooccurring, {
      ...params,
      otherType: options.type ?? null,
      sample: neo4j.int(GRAPH_LIMITS.cooccurrenceAssets),
      limit: neo4j.int(options.limit),
    });
    return {
      entity: {
        type: node.get('type'),
        name: node.get('name'),
        assetCount: toNumber(node.get('assetCount')),
      },
      items: rows.records.map((r) => ({
        type: r.get('type'),
        name: r.get('name'),
        assetCount: toNumber(r.get('assetCount')),
        sharedAssets: toNumber(r.get('sharedAssets')),
      })),
    };
  });
}

/**
 * Neo4j's shortestPath, bounded by min(maxEdges, GRAPH_LIMITS.maxPathEdges) edges. Unlike the
 * Postgres walk it does not cap the links expanded per node: it finds a path through a weak link
 * of a supernode that the Postgres walk would not expand.
 */
export async function path(
  driver: Driver,
  tenantId: string,
  from: NodeRef,
  to: NodeRef,
  maxEdges: number,
): Promise<Subgraph | null> {
  return read(driver, async (tx) => {
    const start = await resolve(tx, tenantId, from);
    const goal = await resolve(tx, tenantId, to);
    if (!start || !goal) return null;
    if (start.ref === goal.ref) return { nodes: [start.node], edges: [] };
    const bound = Math.min(Math.floor(maxEdges), GRAPH_LIMITS.maxPathEdges);
    if (!(bound >= 1)) return null;
    const [row] = (
      await tx.run<PathRow>(shortestPath(bound), { tenantId, source: start.ref, target: goal.ref })
    ).records;
    if (!row) return null;
    return {
      nodes: row.get('nodes').map((n): GraphNode => {
        if (n.type !== null && n.key !== null) {
          return { id: entityId(n.type, n.key), kind: n.type, label: n.name ?? n.key };
        }
        const id = n.id ?? '';
        return { id, kind: 'ASSET', label: id };
      }),
      edges: row.get('edges').map(edgeOf),
    };
  });
}

/**
 * Breadth-first from the asset, level by level (assets and entities alternate), each node's
 * strongest GRAPH_LIMITS.fanOut links first, until `depth` levels or `limit` nodes.
 */
export async function neighbourhood(
  driver: Driver,
  tenantId: string,
  assetId: string,
  options: { depth: number; limit: number },
): Promise<Subgraph> {
  return read(driver, async (tx) => {
    const start = await resolve(tx, tenantId, { kind: 'asset', assetId });
    if (!start) return { nodes: [], edges: [] };
    const limit = Math.min(options.limit, GRAPH_LIMITS.maxNeighbourhoodNodes);
    const depth = Math.min(options.depth, MAX_DEPTH);
    const nodes = new Map<string, GraphNode>([[assetId, start.node]]);
    const links: LinkRow[] = [];
    /** The frontier: asset ids on even levels, entities on odd ones. */
    let frontier: string[] = [assetId];
    const entityKeys = new Map<string, { type: EntityType; key: string }>();
    for (let d = 0; d < depth && frontier.length > 0 && nodes.size < limit; d++) {
      const fromAssets = d % 2 === 0;
      const rows = fromAssets
        ? await tx.run<LinkRow>(CYPHER.expandAssets, {
            tenantId,
            assetIds: frontier,
            fanOut: neo4j.int(GRAPH_LIMITS.fanOut),
          })
        : await tx.run<LinkRow>(CYPHER.expandEntities, {
            tenantId,
            entities: frontier.map((id) => entityKeys.get(id)),
            fanOut: neo4j.int(GRAPH_LIMITS.fanOut),
          });
      const next: string[] = [];
      for (const record of rows.records) {
        const link = record.toObject();
        const to = fromAssets ? entityId(link.type, link.key) : link.assetId;
        if (nodes.has(to)) {
          // An edge between nodes already shown is drawn too, once.
          links.push(link);
          continue;
        }
        if (nodes.size >= limit) break;
        nodes.set(
          to,
          fromAssets
            ? { id: to, kind: link.type, label: link.name }
            : { id: to, kind: 'ASSET', label: link.assetId },
        );
        if (fromAssets) entityKeys.set(to, { type: link.type, key: link.key });
        links.push(link);
        next.push(to);
      }
      frontier = next;
    }
    const edges = new Map<string, GraphEdge>();
    for (const link of links) {
      const edge = edgeOf(link);
      if (nodes.has(edge.source) && nodes.has(edge.target)) edges.set(`${edge.source}|${edge.target}`, edge);
    }
    return { nodes: [...nodes.values()], edges: [...edges.values()] };
  });
}

/** A path end: a projected asset, or an entity that some asset links to. */
async function resolve(tx: ManagedTransaction, tenantId: string, ref: NodeRef): Promise<Resolved | null> {
  if (ref.kind === 'asset') {
    const [row] = (await tx.run<RefRow>(CYPHER.assetNode, { tenantId, assetId: ref.assetId })).records;
    return row ? { ref: row.get('ref'), node: { id: ref.assetId, kind: 'ASSET', label: ref.assetId } } : null;
  }
  const key = normalizeEntityName(ref.name);
  const [row] = (await tx.run<EntityRefRow>(CYPHER.entityNode, { tenantId, type: ref.type, key })).records;
  return row
    ? { ref: row.get('ref'), node: { id: entityId(ref.type, key), kind: ref.type, label: row.get('name') } }
    : null;
}
