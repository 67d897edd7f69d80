import type { EntityType } from '../domain/entities.js';
import { normalizeEntityName } from '../domain/entities.js';
import type { Database, Sql } from '../store/db.js';
import {
  FAN_OUT_CAP,
  GRAPH_LIMITS,
  TYPE_WEIGHTS,
  type AssetGraph,
  type EntityAsset,
  type EntitySummary,
  type GraphEdge,
  type GraphNode,
  type GraphStore,
  type NodeRef,
  type ProjectionOutcome,
  type RelatedAsset,
  type RelatedOptions,
  type RelatedReason,
  type Subgraph,
} from './graph-store.js';

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

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The graph in Postgres tables: graph_nodes, asset_graph_nodes and graph_relationships. */
export class PostgresGraphStore implements GraphStore {
  readonly kind = 'postgres';
  constructor(private readonly db: Database) {}

  async projectAsset(tenantId: string, graph: AssetGraph): Promise<ProjectionOutcome> {
    // One entry per (type, normalized name), keeping the strongest weight.
    const entities = new Map<
      string,
      {
        type: EntityType;
        name: string;
        key: string;
        weight: number;
        moments: { start: number; end: number }[] | null;
      }
    >();
    for (const e of graph.entities) {
      const key = normalizeEntityName(e.name);
      if (key === '' || !(e.weight > 0)) continue;
      const id = `${e.type}\u0000${key}`;
      const prev = entities.get(id);
      if (!prev || prev.weight < e.weight) {
        const moments = e.moments?.length ? e.moments : null;
        entities.set(id, { type: e.type, name: e.name.trim(), key, weight: e.weight, moments });
      }
    }
    const list = [...entities.values()];

    return this.db.transaction(async (tx) => {
      const current = await tx.query<{ version: number }>(
        `SELECT version FROM graph_asset_projections WHERE tenant_id = $1 AND asset_id = $2 FOR UPDATE`,
        [tenantId, graph.assetId],
      );
      const held = current[0]?.version;
      if (held !== undefined && held > graph.version) return 'stale';
      if (held === graph.version) return 'unchanged';

      // Nodes are shared by many assets: insert the missing ones without locking existing rows.
      await tx.query(
        `INSERT INTO graph_nodes (tenant_id, type, name, normalized_name)
         SELECT $1, x.type, x.name, x.key FROM jsonb_to_recordset($2::jsonb) AS x(type text, name text, key text)
         ORDER BY x.type, x.key
         ON CONFLICT (tenant_id, type, normalized_name) DO NOTHING`,
        [tenantId, JSON.stringify(list)],
      );
      const newLinks = await tx.query<{ node_id: number; weight: number; moments: unknown }>(
        `SELECT n.id AS node_id, x.weight, x.moments
         FROM jsonb_to_recordset($2::jsonb) AS x(type text, key text, weight real, moments jsonb)
         JOIN graph_nodes n ON n.tenant_id = $1 AND n.type = x.type AND n.normalized_name = x.key`,
        [tenantId, JSON.stringify(list)],
      );
      const oldLinks = await tx.query<{ node_id: number }>(
        'DELETE FROM asset_graph_nodes WHERE tenant_id = $1 AND asset_id = $2 RETURNING node_id',
        [tenantId, graph.assetId],
      );
      if (newLinks.length > 0) {
        await tx.query(
          `INSERT INTO asset_graph_nodes (tenant_id, asset_id, node_id, weight, moments)
           SELECT $1, $2, x.node_id, x.weight, x.moments
           FROM jsonb_to_recordset($3::jsonb) AS x(node_id bigint, weight real, moments jsonb)`,
          [tenantId, graph.assetId, JSON.stringify(newLinks)],
        );
      }
      await this.adjustCounts(
        tx,
        tenantId,
        oldLinks.map((l) => l.node_id),
        newLinks.map((l) => l.node_id),
      );
      await tx.query(
        `INSERT INTO graph_asset_projections (tenant_id, asset_id, version) VALUES ($1, $2, $3)
         ON CONFLICT (tenant_id, asset_id) DO UPDATE SET version = EXCLUDED.version, projected_at = now()`,
        [tenantId, graph.assetId, graph.version],
      );
      return 'applied';
    });
  }

  /** Keeps each node's asset count exact, touching only the nodes whose membership changed. */
  private async adjustCounts(tx: Sql, tenantId: string, before: number[], after: number[]): Promise<void> {
    const was = new Set(before);
    const is = new Set(after);
    const deltas = new Map<number, number>();
    for (const id of is) if (!was.has(id)) deltas.set(id, 1);
    for (const id of was) if (!is.has(id)) deltas.set(id, -1);
    if (deltas.size === 0) return;
    const ids = [...deltas.keys()].sort((a, b) => a - b);
    // Lock in id order so that concurrent projections sharing nodes cannot deadlock. NO KEY UPDATE,
    // because the foreign-key checks of asset_graph_nodes hold KEY SHARE locks on these rows.
    await tx.query(
      'SELECT id FROM graph_nodes WHERE tenant_id = $1 AND id = ANY($2::bigint[]) ORDER BY id FOR NO KEY UPDATE',
      [tenantId, ids],
    );
    await tx.query(
      `UPDATE graph_nodes n SET asset_count = GREATEST(n.asset_count + d.delta, 0)
       FROM jsonb_to_recordset($2::jsonb) AS d(id bigint, delta int)
       WHERE n.tenant_id = $1 AND n.id = d.id`,
      [tenantId, JSON.stringify(ids.map((id) => ({ id, delta: deltas.get(id) })))],
    );
  }

  async removeAsset(tenantId: string, assetId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const old = await tx.query<{ node_id: number }>(
        'DELETE FROM asset_graph_nodes WHERE tenant_id = $1 AND asset_id = $2 RETURNING node_id',
        [tenantId, assetId],
      );
      await this.adjustCounts(
        tx,
        tenantId,
        old.map((l) => l.node_id),
        [],
      );
      await tx.query(
        `DELETE FROM graph_relationships WHERE tenant_id = $1 AND (source_asset_id = $2 OR target_asset_id = $2)`,
        [tenantId, assetId],
      );
      await tx.query('DELETE FROM graph_asset_projections WHERE tenant_id = $1 AND asset_id = $2', [
        tenantId,
        assetId,
      ]);
    });
  }

  /**
   * Scores each candidate by the entities it shares with the asset: link weights on both sides,
   * times the entity type's weight, times its rarity ln(1 + N / assets with the entity).
   */
  async related(tenantId: string, assetId: string, options: RelatedOptions): Promise<RelatedAsset[]> {
    const rows = await this.db.query<{ asset_id: string; score: number; reasons: RelatedReason[] }>(
      `WITH total AS (
         SELECT GREATEST(count(*), 1)::float8 AS n FROM graph_asset_projections WHERE tenant_id = $1
       ),
       seed AS (
         SELECT l.node_id, l.weight, n.type, n.name, GREATEST(n.asset_count, 1) AS df,
                ($4::jsonb ->> n.type)::float8 AS type_weight
         FROM asset_graph_nodes l
         JOIN graph_nodes n ON n.tenant_id = l.tenant_id AND n.id = l.node_id
         WHERE l.tenant_id = $1 AND l.asset_id = $2 AND n.asset_count > 1
           AND ($5::text[] IS NULL OR n.type = ANY($5::text[]))
       ),
       contributions AS (
         SELECT c.asset_id, s.type, s.name, c.moments->0 AS moment,
                s.weight * c.weight * s.type_weight * ln(1 + total.n / s.df) AS contribution
         FROM seed s CROSS JOIN total
         CROSS JOIN LATERAL (
           SELECT o.asset_id, o.weight, o.moments FROM asset_graph_nodes o
           WHERE o.tenant_id = $1 AND o.node_id = s.node_id AND o.asset_id <> $2
           ORDER BY o.weight DESC, o.asset_id
           LIMIT ${FAN_OUT_CAP}
         ) c
       )
       SELECT asset_id, sum(contribution)::float8 AS score,
              jsonb_agg(jsonb_strip_nulls(jsonb_build_object('type', type, 'name', name,
                          'contribution', round(contribution::numeric, 4), 'moment', moment))
                        ORDER BY contribution DESC) AS reasons
       FROM contributions
       GROUP BY asset_id
       ORDER BY score DESC, asset_id
       LIMIT $3`,
      [
        tenantId,
        assetId,
        options.limit,
        JSON.stringify(TYPE_WEIGHTS),
        options.via?.length ? options.via : null,
      ],
    );
    return rows.map((r) => ({
      assetId: r.asset_id,
      score: Math.round(r.score * 10_000) / 10_000,
      reasons: r.reasons.map((x) => ({ ...x, contribution: Number(x.contribution) })),
    }));
  }

  async entities(
    tenantId: string,
    options: { type?: EntityType; prefix?: string; limit: number; offset: number },
  ): Promise<EntitySummary[]> {
    const prefix = options.prefix ? normalizeEntityName(options.prefix) : '';
    const rows = await this.db.query<{ type: EntityType; name: string; asset_count: number }>(
      `SELECT type, name, asset_count FROM graph_nodes
       WHERE tenant_id = $1 AND asset_count > 0 AND ($2::text IS NULL OR type = $2)
         AND normalized_name LIKE $3
       ORDER BY asset_count DESC, type, normalized_name
       LIMIT $4 OFFSET $5`,
      [tenantId, options.type ?? null, `${escapeLike(prefix)}%`, options.limit, options.offset],
    );
    return rows.map((r) => ({ type: r.type, name: r.name, assetCount: r.asset_count }));
  }

  async entitiesNamed(tenantId: string, names: string[]): Promise<EntitySummary[]> {
    const keys = [...new Set(names.map(normalizeEntityName).filter((k) => k !== ''))];
    if (keys.length === 0) return [];
    const rows = await this.db.query<{ type: EntityType; name: string; asset_count: number }>(
      `SELECT type, name, asset_count FROM graph_nodes
       WHERE tenant_id = $1 AND normalized_name = ANY($2::text[]) AND asset_count > 0
       ORDER BY asset_count DESC, type, normalized_name`,
      [tenantId, keys],
    );
    return rows.map((r) => ({ type: r.type, name: r.name, assetCount: r.asset_count }));
  }

  async entityAssets(
    tenantId: string,
    entity: { type: EntityType; name: string },
    options: { limit: number; offset: number },
  ): Promise<{ entity: EntitySummary; assets: EntityAsset[] } | null> {
    const [node] = await this.db.query<{ id: string; type: EntityType; name: string; asset_count: number }>(
      'SELECT id, type, name, asset_count FROM graph_nodes WHERE tenant_id = $1 AND type = $2 AND normalized_name = $3',
      [tenantId, entity.type, normalizeEntityName(entity.name)],
    );
    if (!node) return null;
    const links = await this.db.query<{
      asset_id: string;
      weight: number;
      moments: { start: number; end: number }[] | null;
    }>(
      `SELECT asset_id, weight, moments FROM asset_graph_nodes
       WHERE tenant_id = $1 AND node_id = $2
       ORDER BY weight DESC, asset_id LIMIT $3 OFFSET $4`,
      [tenantId, node.id, options.limit, options.offset],
    );
    return {
      entity: { type: node.type, name: node.name, assetCount: node.asset_count },
      assets: links.map((l) => ({
        assetId: l.asset_id,
        weight: l.weight,
        ...(l.moments?.length ? { moments: l.moments } : {}),
      })),
    };
  }

  /**
   * Bidirectional breadth-first search over asset-entity links, expanding the smaller side one
   * level at a time, each node's strongest links first and each level capped: a path through a
   * supernode is found without walking the supernode's whole neighbourhood.
   */
  async path(tenantId: string, from: NodeRef, to: NodeRef, maxEdges: number): Promise<Subgraph | null> {
    const [start, goal] = await Promise.all([this.resolve(tenantId, from), this.resolve(tenantId, to)]);
    if (!start || !goal) return null;
    if (start === goal) return this.pathOf(tenantId, [start]);
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
      for (const link of await this.expand(tenantId, frontier)) {
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
        return this.pathOf(tenantId, [...head, ...tail]);
      }
      if (next.length === 0) return null;
      sides[side].frontier = next.slice(0, FRONTIER_CAP);
    }
    return null;
  }

  async neighbourhood(
    tenantId: string,
    assetId: string,
    options: { depth: number; limit: number },
  ): Promise<Subgraph> {
    const start = await this.resolve(tenantId, { kind: 'asset', assetId });
    if (!start) return { nodes: [], edges: [] };
    const limit = Math.min(options.limit, GRAPH_LIMITS.maxNeighbourhoodNodes);
    const seen = new Set([start]);
    const links: Link[] = [];
    let frontier = [start];
    for (let d = 0; d < options.depth && frontier.length > 0 && seen.size < limit; d++) {
      const next: string[] = [];
      for (const link of await this.expand(tenantId, frontier)) {
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
    const { nodes, ids } = await this.nodesOf(tenantId, [...seen]);
    return { nodes, edges: [...unique.values()].map((l) => this.edgeOf(l, ids)) };
  }

  /** Node key of a reference: `a:<asset id>` for a projected asset, `e:<node id>` for an entity. */
  private async resolve(tenantId: string, ref: NodeRef): Promise<string | null> {
    if (ref.kind === 'asset') {
      const [row] = await this.db.query<{ asset_id: string }>(
        'SELECT asset_id FROM graph_asset_projections WHERE tenant_id = $1 AND asset_id = $2',
        [tenantId, ref.assetId],
      );
      return row ? `a:${row.asset_id}` : null;
    }
    const [row] = await this.db.query<{ id: string }>(
      'SELECT id FROM graph_nodes WHERE tenant_id = $1 AND type = $2 AND normalized_name = $3 AND asset_count > 0',
      [tenantId, ref.type, normalizeEntityName(ref.name)],
    );
    return row ? `e:${row.id}` : null;
  }

  /** The strongest links of each node of a frontier (all assets, or all entities). */
  private async expand(tenantId: string, frontier: string[]): Promise<Link[]> {
    if (frontier.length === 0) return [];
    // Assets lead to entities, entities to assets: the same walk over asset_graph_nodes either way.
    const fromAssets = frontier[0]!.startsWith('a:');
    const [from, to, idType] = fromAssets
      ? (['asset_id', 'node_id', 'uuid'] as const)
      : (['node_id', 'asset_id', 'bigint'] as const);
    const rows = await this.db.query<LinkRow>(
      `SELECT x.id::text AS source, l.${to}::text AS target, l.weight, l.moments
       FROM unnest($2::${idType}[]) WITH ORDINALITY AS x(id, i)
       CROSS JOIN LATERAL (
         SELECT ${to}, weight, moments FROM asset_graph_nodes
         WHERE tenant_id = $1 AND ${from} = x.id ORDER BY weight DESC, ${to} LIMIT $3
       ) l
       ORDER BY x.i, l.weight DESC, l.${to}`,
      [tenantId, frontier.map((k) => k.slice(2)), GRAPH_LIMITS.fanOut],
    );
    const [fromPrefix, toPrefix] = fromAssets ? ['a:', 'e:'] : ['e:', 'a:'];
    return rows.map((r) => ({
      from: `${fromPrefix}${r.source}`,
      to: `${toPrefix}${r.target}`,
      weight: r.weight,
      moments: r.moments,
    }));
  }

  /** A path's nodes in order, and the link between each consecutive asset and entity. */
  private async pathOf(tenantId: string, keys: string[]): Promise<Subgraph> {
    const { nodes, ids } = await this.nodesOf(tenantId, keys);
    const pairs = keys
      .slice(1)
      .map((k, i): [string, string] => (k.startsWith('a:') ? [k, keys[i]!] : [keys[i]!, k]));
    const links = pairs.length
      ? await this.db.query<LinkRow>(
          `SELECT l.asset_id::text AS source, l.node_id::text AS target, l.weight, l.moments
           FROM unnest($2::uuid[], $3::bigint[]) AS x(asset_id, node_id)
           JOIN asset_graph_nodes l ON l.tenant_id = $1 AND l.asset_id = x.asset_id AND l.node_id = x.node_id`,
          [tenantId, pairs.map(([a]) => a.slice(2)), pairs.map(([, e]) => e.slice(2))],
        )
      : [];
    const edges = pairs.flatMap(([a, e]) => {
      const l = links.find((x) => `a:${x.source}` === a && `e:${x.target}` === e);
      return l ? [this.edgeOf({ from: a, to: e, weight: l.weight, moments: l.moments }, ids)] : [];
    });
    return { nodes, edges };
  }

  /** Nodes for keys, in their order, and each key's public node id. */
  private async nodesOf(
    tenantId: string,
    keys: string[],
  ): Promise<{ nodes: GraphNode[]; ids: Map<string, string> }> {
    const entityIds = keys.filter((k) => k.startsWith('e:')).map((k) => k.slice(2));
    const entities = entityIds.length
      ? await this.db.query<{ id: string; type: EntityType; name: string; normalized_name: string }>(
          'SELECT id::text AS id, type, name, normalized_name FROM graph_nodes WHERE tenant_id = $1 AND id = ANY($2::bigint[])',
          [tenantId, entityIds],
        )
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

  private edgeOf(link: Link, ids: Map<string, string>): GraphEdge {
    return {
      source: ids.get(link.from)!,
      target: ids.get(link.to)!,
      weight: Math.round(link.weight * 10_000) / 10_000,
      ...(link.moments?.length ? { moments: link.moments } : {}),
    };
  }

  async projectedVersions(tenantId: string, assetIds: string[]): Promise<Map<string, number>> {
    if (assetIds.length === 0) return new Map();
    const rows = await this.db.query<{ asset_id: string; version: number }>(
      'SELECT asset_id, version FROM graph_asset_projections WHERE tenant_id = $1 AND asset_id = ANY($2::uuid[])',
      [tenantId, assetIds],
    );
    return new Map(rows.map((r) => [r.asset_id, r.version]));
  }
}
