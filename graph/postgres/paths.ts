import type { EntityType } from '../../domain/entities.js';
import { normalizeEntityName } from '../../domain/entities.js';
import { run, type Sql } from '../../store/database.js';
import { GRAPH_LIMITS, type GraphEdge, type GraphNode, type NodeRef, type Subgraph } from '../graph-store.js';
import { SQL } from './statements.js';

/*
 * Paths and neighbourhoods: walks over asset_graph_nodes, one level per statement. A node is named
 * by a key: `a:<asset id>` for a projected asset, `e:<node id>` for an entity.
 */

/** A path search keeps at most this many nodes per frontier level. */
const FRONTIER_CAP = 2_000;

interface Link {
  from: string;
  to: string;
  weight: number;
  moments: { start: number; end: number }[] | null;
}
interface Side {
  /** Node key -> the key it was reached from. */
  parents: Map<string, string | null>;
  frontier: string[];
}
interface LinkRow {
  source: string;
  target: string;
  weight: number;
  moments: { start: number; end: number }[] | null;
}

/**
 * Bidirectional breadth-first search over asset-entity links, expanding the smaller side one
 * level at a time, each node's strongest links first and each level capped: a path through a
 * supernode is found without walking the supernode's whole neighbourhood.
 */
export async function path(
  db: Sql,
  tenantId: string,
  from: NodeRef,
  to: NodeRef,
  maxEdges: number,
): Promise<Subgraph | null> {
  const [start, goal] = await Promise.all([resolve(db, tenantId, from), resolve(db, tenantId, to)]);
  if (!start || !goal) return null;
  if (start === goal) return pathOf(db, tenantId, [start]);
  const limit = Math.min(maxEdges, GRAPH_LIMITS.maxPathEdges);
  const sides: [Side, Side] = [
    { parents: new Map([[start, null]]), frontier: [start] },
    { parents: new Map([[goal, null]]), frontier: [goal] },
  ];
  for (let edges = 0; edges < limit; edges++) {
    const side = sides[0].frontier.length <= sides[1].frontier.length ? 0 : 1;
    const { parents, frontier } = sides[side];
    const other = sides[side === 0 ? 1 : 0].parents;
    const next: string[] = [];
    let meeting: string | null = null;
    for (const link of await expand(db, tenantId, frontier)) {
      if (parents.has(link.to)) continue;
      parents.set(link.to, link.from);
      next.push(link.to);
      if (other.has(link.to)) {
        meeting = link.to;
        break;
      }
    }
    if (meeting) {
      const trail = (parentsOf: Map<string, string | null>, key: string) => {
        const keys: string[] = [];
        for (let k: string | null = key; k !== null; k = parentsOf.get(k) ?? null) keys.push(k);
        return keys;
      };
      const head = trail(sides[0].parents, meeting).reverse();
      const tail = trail(sides[1].parents, meeting).slice(1);
      return pathOf(db, tenantId, [...head, ...tail]);
    }
    if (next.length === 0) return null;
    sides[side].frontier = next.slice(0, FRONTIER_CAP);
  }
  return null;
}

export async function neighbourhood(
  db: Sql,
  tenantId: string,
  assetId: string,
  options: { depth: number; limit: number },
): Promise<Subgraph> {
  const start = await resolve(db, tenantId, { kind: 'asset', assetId });
  if (!start) return { nodes: [], edges: [] };
  const limit = Math.min(options.limit, GRAPH_LIMITS.maxNeighbourhoodNodes);
  const seen = new Set([start]);
  const links: Link[] = [];
  let frontier = [start];
  for (let d = 0; d < options.depth && frontier.length > 0 && seen.size < limit; d++) {
    const next: string[] = [];
    for (const link of await expand(db, tenantId, frontier)) {
      if (!seen.has(link.to)) {
        if (seen.size >= limit) break;
        seen.add(link.to);
        next.push(link.to);
      }
      // Edges between nodes already shown are drawn too; duplicates go below.
      links.push(link);
    }
    frontier = next;
  }
  const unique = new Map<string, Link>();
  for (const l of links) {
    const [a, e] = l.from.startsWith('a:') ? [l.from, l.to] : [l.to, l.from];
    if (seen.has(a) && seen.has(e)) unique.set(`${a}|${e}`, { ...l, from: a, to: e });
  }
  const { nodes, ids } = await nodesOf(db, tenantId, [...seen]);
  return { nodes, edges: [...unique.values()].map((l) => edgeOf(l, ids)) };
}

/** The node key of a reference, or null when the asset is not projected or the entity not linked. */
async function resolve(db: Sql, tenantId: string, ref: NodeRef): Promise<string | null> {
  if (ref.kind === 'asset') {
    const [row] = await run<{ asset_id: string }>(db, SQL.assetNode, { tenantId, assetId: ref.assetId });
    return row ? `a:${row.asset_id}` : null;
  }
  const [row] = await run<{ id: string }>(db, SQL.entityNode, {
    tenantId,
    type: ref.type,
    key: normalizeEntityName(ref.name),
  });
  return row ? `e:${row.id}` : null;
}

/** The strongest links of each node of a frontier (all assets, or all entities). */
async function expand(db: Sql, tenantId: string, frontier: string[]): Promise<Link[]> {
  if (frontier.length === 0) return [];
  // Assets lead to entities, entities to assets: the same walk over asset_graph_nodes either way.
  const fromAssets = frontier[0]!.startsWith('a:');
  const rows = await run<LinkRow>(db, fromAssets ? SQL.expandAssets : SQL.expandEntities, {
    tenantId,
    ids: frontier.map((k) => k.slice(2)),
    fanOut: GRAPH_LIMITS.fanOut,
  });
  const [fromPrefix, toPrefix] = fromAssets ? ['a:', 'e:'] : ['e:', 'a:'];
  return rows.map((r) => ({
    from: `${fromPrefix}${r.source}`,
    to: `${toPrefix}${r.target}`,
    weight: r.weight,
    moments: r.moments,
  }));
}

/** A path's nodes in order, and the link between each consecutive asset and entity. */
async function pathOf(db: Sql, tenantId: string, keys: string[]): Promise<Subgraph> {
  const { nodes, ids } = await nodesOf(db, tenantId, keys);
  const pairs = keys
    .slice(1)
    .map((k, i): [string, string] => (k.startsWith('a:') ? [k, keys[i]!] : [keys[i]!, k]));
  const links = pairs.length
    ? await run<LinkRow>(db, SQL.pathLinks, {
        tenantId,
        assetIds: pairs.map(([a]) => a.slice(2)),
        nodeIds: pairs.map(([, e]) => e.slice(2)),
      })
    : [];
  const edges = pairs.flatMap(([a, e]) => {
    const l = links.find((x) => `a:${x.source}` === a && `e:${x.target}` === e);
    return l ? [edgeOf({ from: a, to: e, weight: l.weight, moments: l.moments }, ids)] : [];
  });
  return { nodes, edges };
}

/** Nodes for keys, in their order, and each key's public node id. */
async function nodesOf(
  db: Sql,
  tenantId: string,
  keys: string[],
): Promise<{ nodes: GraphNode[]; ids: Map<string, string> }> {
  const entityIds = keys.filter((k) => k.startsWith('e:')).map((k) => k.slice(2));
  const entities = entityIds.length
    ? await run<{ id: string; type: EntityType; name: string; normalized_name: string }>(db, SQL.nodes, {
        tenantId,
        nodeIds: entityIds,
      })
    : [];
  const byId = new Map(entities.map((e) => [e.id, e]));
  const ids = new Map<string, string>();
  const nodes: GraphNode[] = keys.map((k) => {
    if (k.startsWith('a:')) {
      ids.set(k, k.slice(2));
      return { id: k.slice(2), kind: 'ASSET', label: k.slice(2) };
    }
    const e = byId.get(k.slice(2))!;
    const id = `${e.type}:${e.normalized_name}`;
    ids.set(k, id);
    return { id, kind: e.type, label: e.name };
  });
  return { nodes, ids };
}

function edgeOf(link: Link, ids: Map<string, string>): GraphEdge {
  return {
    source: ids.get(link.from)!,
    target: ids.get(link.to)!,
    weight: Math.round(link.weight * 10_000) / 10_000,
    ...(link.moments?.length ? { moments: link.moments } : {}),
  };
}
