import neo4j, { type Driver, type Integer, type ManagedTransaction } from 'neo4j-driver';
import type { EntityType } from '../domain/entities.js';
import { normalizeEntityName } from '../domain/entities.js';
import { CYPHER, SCHEMA, shortestPath } from './cypher.js';
import {
  GRAPH_LIMITS,
  type AssetGraph,
  type EntityAsset,
  type EntitySummary,
  type GraphEdge,
  type GraphNode,
  type GraphStore,
  type NodeRef,
  type ProjectedAsset,
  type ProjectionOutcome,
  type RelatedAsset,
  type RelatedOptions,
  type RelatedReason,
  type Subgraph,
  isRelationSignal,
  projectionOf,
} from './graph-store.js';
import { FAN_OUT_CAP, FREQUENT_ENTITY, TYPE_WEIGHTS, candidatesFor, rankRelated } from './related-ranking.js';

type Moment = { start: number; end: number };
/** Integers come back from Neo4j as driver Integers; floats as numbers. */
type Num = Integer | number;

/** Links written per statement: an asset with many entities is written in several batches of one transaction. */
const WRITE_BATCH = 500;
/** Deepest neighbourhood walked, in edges. */
const MAX_DEPTH = 4;
/** No statement of this adapter should run longer; the server aborts it past this. */
const TRANSACTION = { timeout: 30_000 };

// Row shapes of the statements in cypher.ts.
type VersionRow = { version: Num | null };
type KeyRow = { type: EntityType; key: string };
type AssetVersionRow = { assetId: string; version: Num };
type ReasonRow = { type: EntityType; name: string; contribution: number; moments: string | null };
type RelatedRow = { assetId: string; createdAt: number | null; score: number; reasons: ReasonRow[] };
type ManualLinkRow = {
  seedCreatedAt: number | null;
  assetId: string | null;
  note: string | null;
  createdAt: number | null;
};
type EntityRow = { type: EntityType; name: string; assetCount: Num };
type EntityAssetRow = { assetId: string; weight: number; moments: string | null };
type RefRow = { ref: string };
type EntityRefRow = { ref: string; name: string };
type CountRow = { deleted: Num };
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

/** A row of CYPHER.applyLinks: an entity, its asset-count change, and the link (none: weight null). */
type LinkChange = {
  type: EntityType;
  key: string;
  name: string | null;
  weight: number | null;
  moments: string | null;
  delta: Integer;
};
const ADDED = neo4j.int(1);
const KEPT = neo4j.int(0);
const removal = (type: EntityType, key: string): LinkChange => ({
  type,
  key,
  name: null,
  weight: null,
  moments: null,
  delta: neo4j.int(-1),
});

/** A resolved path end or neighbourhood node: its public id and how the UI shows it. */
interface Resolved {
  ref: string;
  node: GraphNode;
}

const toNumber = (v: Num): number => (neo4j.isInt(v) ? v.toNumber() : v);
const round4 = (x: number) => Math.round(x * 10_000) / 10_000;
const entityId = (type: EntityType, key: string) => `${type}:${key}`;

/** Moments are stored as a JSON string on the link; anything else reads as none. */
function parseMoments(json: string | null): Moment[] | undefined {
  if (!json) return undefined;
  const value: unknown = JSON.parse(json);
  if (!Array.isArray(value)) return undefined;
  const moments = value.filter(
    (m): m is Moment =>
      typeof m === 'object' &&
      m !== null &&
      typeof (m as Record<string, unknown>).start === 'number' &&
      typeof (m as Record<string, unknown>).end === 'number',
  );
  return moments.length > 0 ? moments : undefined;
}

function edgeOf(row: {
  assetId: string;
  type: EntityType;
  key: string;
  weight: number;
  moments: string | null;
}): GraphEdge {
  const moments = parseMoments(row.moments);
  return {
    source: row.assetId,
    target: entityId(row.type, row.key),
    weight: round4(row.weight),
    ...(moments ? { moments } : {}),
  };
}

/**
 * The graph in Neo4j: (:Asset)-[:HAS_ENTITY]->(:Entity) per tenant. Same behaviour as the Postgres
 * adapter, passing the same contract suite; the statements live in cypher.ts.
 */
export class Neo4jGraphStore implements GraphStore {
  readonly kind = 'neo4j';
  constructor(private readonly driver: Driver) {}

  static connect(url: string, user: string, password: string): Neo4jGraphStore {
    return new Neo4jGraphStore(neo4j.driver(url, neo4j.auth.basic(user, password)));
  }

  /** Creates the constraints and indexes that are missing; each in a transaction of its own. */
  async ensureSchema(): Promise<void> {
    for (const statement of Object.values(SCHEMA)) {
      await this.write(async (tx) => {
        await tx.run(statement);
      });
    }
  }

  /** Deletes a tenant's whole graph, in bounded transactions (tenant removal, test clean-up). */
  async deleteTenant(tenantId: string): Promise<void> {
    for (const statement of [CYPHER.deleteTenantAssets, CYPHER.deleteTenantEntities]) {
      for (;;) {
        const [row] = (
          await this.write((tx) => tx.run<CountRow>(statement, { tenantId, batch: neo4j.int(WRITE_BATCH) }))
        ).records;
        if (!row || toNumber(row.get('deleted')) === 0) break;
      }
    }
  }

  async close(): Promise<void> {
    await this.driver.close();
  }

  async projectAsset(tenantId: string, graph: AssetGraph): Promise<ProjectionOutcome> {
    const { entities, links } = projectionOf(graph);
    const next = new Map<string, LinkChange>(
      entities.map((e) => [
        entityId(e.type, e.key),
        {
          type: e.type,
          key: e.key,
          name: e.name,
          weight: e.weight,
          moments: e.moments ? JSON.stringify(e.moments) : null,
          delta: ADDED,
        },
      ]),
    );

    return this.write(async (tx) => {
      const params = { tenantId, assetId: graph.assetId };
      const [current] = (await tx.run<VersionRow>(CYPHER.lockAsset, params)).records;
      const held = current?.get('version');
      if (held !== null && held !== undefined) {
        const version = toNumber(held);
        if (version > graph.version) return 'stale';
        if (version === graph.version) return 'unchanged';
      }
      const changes = new Map(next);
      for (const { type, key } of await this.linksOf(tx, params)) {
        const id = entityId(type, key);
        const kept = changes.get(id);
        changes.set(id, kept ? { ...kept, delta: KEPT } : removal(type, key));
      }
      await this.applyLinks(tx, tenantId, graph.assetId, [...changes.values()]);
      await tx.run(CYPHER.replaceManualLinks, { ...params, links });
      const createdAt = graph.createdAt ? Date.parse(graph.createdAt) : null;
      await tx.run(CYPHER.setVersion, { ...params, version: neo4j.int(graph.version), createdAt });
      return 'applied';
    });
  }

  /** One bounded transaction per asset: Neo4j locks what a projection touches until it commits. */
  async projectMany(tenantId: string, graphs: AssetGraph[]): Promise<ProjectionOutcome[]> {
    const outcomes: ProjectionOutcome[] = [];
    for (const graph of graphs) outcomes.push(await this.projectAsset(tenantId, graph));
    return outcomes;
  }

  async removeAsset(tenantId: string, assetId: string): Promise<void> {
    await this.write(async (tx) => {
      const params = { tenantId, assetId };
      const locked = await tx.run<VersionRow>(CYPHER.lockExistingAsset, params);
      if (locked.records.length === 0) return;
      const links = await this.linksOf(tx, params);
      await this.applyLinks(
        tx,
        tenantId,
        assetId,
        links.map((l) => removal(l.type, l.key)),
      );
      await tx.run(CYPHER.deleteAsset, params);
    });
  }

  private async linksOf(
    tx: ManagedTransaction,
    params: { tenantId: string; assetId: string },
  ): Promise<KeyRow[]> {
    return (await tx.run<KeyRow>(CYPHER.assetLinks, params)).records.map((r) => r.toObject());
  }

  /**
   * Writes link changes in batches, sorted by entity so that concurrent projections sharing entities
   * lock them in one order (and a deadlock, should one happen, is retried by executeWrite).
   */
  private async applyLinks(
    tx: ManagedTransaction,
    tenantId: string,
    assetId: string,
    changes: LinkChange[],
  ): Promise<void> {
    const rows = [...changes].sort((a, b) => compare(a.type, b.type) || compare(a.key, b.key));
    for (let i = 0; i < rows.length; i += WRITE_BATCH) {
      await tx.run(CYPHER.applyLinks, { tenantId, assetId, links: rows.slice(i, i + WRITE_BATCH) });
    }
  }

  /**
   * Scores each candidate by the entities it shares with the asset: link weights on both sides,
   * times the entity type's weight, times its rarity ln(1 + N / assets with the entity).
   */
  async related(tenantId: string, assetId: string, options: RelatedOptions): Promise<RelatedAsset[]> {
    const entityTypes = options.via?.filter((v): v is EntityType => !isRelationSignal(v));
    const [byEntity, links] = await this.read(async (tx) => [
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
          .sort(
            (a, b) => b.contribution - a.contribution || compare(a.type, b.type) || compare(a.name, b.name),
          )
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
    );
  }

  async entities(
    tenantId: string,
    options: { type?: EntityType; prefix?: string; limit: number; offset: number },
  ): Promise<EntitySummary[]> {
    const result = await this.read((tx) =>
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

  async entitiesNamed(tenantId: string, names: string[]): Promise<EntitySummary[]> {
    const keys = [...new Set(names.map(normalizeEntityName).filter((k) => k !== ''))];
    if (keys.length === 0) return [];
    const result = await this.read((tx) => tx.run<EntityRow>(CYPHER.entitiesNamed, { tenantId, keys }));
    return result.records.map((r) => ({
      type: r.get('type'),
      name: r.get('name'),
      assetCount: toNumber(r.get('assetCount')),
    }));
  }

  async entityAssets(
    tenantId: string,
    entity: { type: EntityType; name: string },
    options: { limit: number; offset: number },
  ): Promise<{ entity: EntitySummary; assets: EntityAsset[] } | null> {
    const params = { tenantId, type: entity.type, key: normalizeEntityName(entity.name) };
    return this.read(async (tx) => {
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

  /**
   * Neo4j's shortestPath, bounded by min(maxEdges, GRAPH_LIMITS.maxPathEdges) edges. Unlike the
   * Postgres walk it does not cap the links expanded per node: it finds a path through a weak link
   * of a supernode that the Postgres walk would not expand.
   */
  async path(tenantId: string, from: NodeRef, to: NodeRef, maxEdges: number): Promise<Subgraph | null> {
    return this.read(async (tx) => {
      const start = await this.resolve(tx, tenantId, from);
      const goal = await this.resolve(tx, tenantId, to);
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
  async neighbourhood(
    tenantId: string,
    assetId: string,
    options: { depth: number; limit: number },
  ): Promise<Subgraph> {
    return this.read(async (tx) => {
      const start = await this.resolve(tx, tenantId, { kind: 'asset', assetId });
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
        if (nodes.has(edge.source) && nodes.has(edge.target))
          edges.set(`${edge.source}|${edge.target}`, edge);
      }
      return { nodes: [...nodes.values()], edges: [...edges.values()] };
    });
  }

  async respell(tenantId: string, names: { type: EntityType; name: string }[]): Promise<void> {
    const rows = names.map((n) => ({ type: n.type, name: n.name.trim(), key: normalizeEntityName(n.name) }));
    await this.write((tx) => tx.run(CYPHER.respell, { tenantId, names: rows }));
  }

  async projectedVersions(tenantId: string, assetIds: string[]): Promise<Map<string, number>> {
    if (assetIds.length === 0) return new Map();
    const result = await this.read((tx) =>
      tx.run<AssetVersionRow>(CYPHER.projectedVersions, { tenantId, assetIds }),
    );
    return new Map(result.records.map((r) => [r.get('assetId'), toNumber(r.get('version'))]));
  }

  async projectedIdsAfter(
    tenantId: string,
    afterId: string | null,
    limit: number,
  ): Promise<ProjectedAsset[]> {
    const result = await this.read((tx) =>
      tx.run<AssetVersionRow>(CYPHER.projectedIdsAfter, {
        tenantId,
        afterId: afterId ?? '',
        limit: neo4j.int(limit),
      }),
    );
    return result.records.map((r) => ({ assetId: r.get('assetId'), version: toNumber(r.get('version')) }));
  }

  /** A path end: a projected asset, or an entity that some asset links to. */
  private async resolve(tx: ManagedTransaction, tenantId: string, ref: NodeRef): Promise<Resolved | null> {
    if (ref.kind === 'asset') {
      const [row] = (await tx.run<RefRow>(CYPHER.assetNode, { tenantId, assetId: ref.assetId })).records;
      return row
        ? { ref: row.get('ref'), node: { id: ref.assetId, kind: 'ASSET', label: ref.assetId } }
        : null;
    }
    const key = normalizeEntityName(ref.name);
    const [row] = (await tx.run<EntityRefRow>(CYPHER.entityNode, { tenantId, type: ref.type, key })).records;
    return row
      ? { ref: row.get('ref'), node: { id: entityId(ref.type, key), kind: ref.type, label: row.get('name') } }
      : null;
  }

  private async read<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    const session = this.driver.session();
    try {
      return await session.executeRead(work, TRANSACTION);
    } finally {
      await session.close();
    }
  }

  /** A managed write transaction: retried by the driver on transient errors such as a deadlock. */
  private async write<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    const session = this.driver.session();
    try {
      return await session.executeWrite(work, TRANSACTION);
    } finally {
      await session.close();
    }
  }
}

/** A fixed order of strings: any will do, as long as every transaction uses the same. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
