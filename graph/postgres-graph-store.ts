import type { EntityType } from '../domain/entities.js';
import { normalizeEntityName } from '../domain/entities.js';
import type { Database, ProjectionTables, Sql } from '../store/database.js';
import {
  FAN_OUT_CAP,
  FREQUENT_ENTITY,
  GRAPH_LIMITS,
  TYPE_WEIGHTS,
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
import { candidatesFor, rankRelated } from './related-ranking.js';

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
  private readonly db: Database;
  /** A write transaction: on the live tables, and during a rebuild on its table set as well. */
  private readonly write: <T>(fn: (tx: Sql) => Promise<T>) => Promise<T>;

  /** `tables`: the live table set, or an online rebuild's (`projectionAccess` in store/). */
  constructor(tables: ProjectionTables) {
    this.db = tables.db;
    this.write = (fn) => tables.write(fn);
  }

  async projectAsset(tenantId: string, graph: AssetGraph): Promise<ProjectionOutcome> {
    const [outcome] = await this.projectMany(tenantId, [graph]);
    return outcome!;
  }

  /**
   * One transaction and a fixed number of statements per batch. Projection rows are locked in asset
   * order (new ones inserted first, so that there is a row to lock) and entity rows in id order, so
   * concurrent batches sharing assets or entities cannot deadlock.
   */
  async projectMany(tenantId: string, graphs: AssetGraph[]): Promise<ProjectionOutcome[]> {
    if (graphs.length === 0) return [];
    // The newest version of each asset in the batch is the one that counts.
    const newest = new Map<string, AssetGraph>();
    for (const g of graphs) {
      const prev = newest.get(g.assetId);
      if (!prev || prev.version < g.version) newest.set(g.assetId, g);
    }
    const ids = [...newest.keys()].sort();

    const outcomes = await this.write(async (tx) => {
      // A new asset gets its final row at once: no version can be older. The insert waits on a
      // concurrent one of the same asset, which then counts as existing.
      const inserted = new Set(
        (
          await tx.query<{ asset_id: string }>(
            `INSERT INTO graph_asset_projections (tenant_id, asset_id, version, created_at)
             SELECT $1, x.asset_id, x.version, x.created_at
             FROM jsonb_to_recordset($2::jsonb) AS x(asset_id uuid, version int, created_at timestamptz)
             ORDER BY x.asset_id
             ON CONFLICT (tenant_id, asset_id) DO NOTHING
             RETURNING asset_id`,
            [
              tenantId,
              JSON.stringify(
                ids.map((id) => {
                  const g = newest.get(id)!;
                  return { asset_id: id, version: g.version, created_at: g.createdAt ?? null };
                }),
              ),
            ],
          )
        ).map((r) => r.asset_id),
      );
      const existing = ids.filter((id) => !inserted.has(id));
      const held = new Map(
        existing.length === 0
          ? []
          : (
              await tx.query<{ asset_id: string; version: number }>(
                `SELECT asset_id, version FROM graph_asset_projections
                 WHERE tenant_id = $1 AND asset_id = ANY($2::uuid[]) ORDER BY asset_id FOR UPDATE`,
                [tenantId, existing],
              )
            ).map((r) => [r.asset_id, r.version]),
      );
      const outcome = new Map<string, ProjectionOutcome>();
      const applied: AssetGraph[] = [];
      for (const id of ids) {
        const g = newest.get(id)!;
        const version = inserted.has(id) ? 0 : (held.get(id) ?? 0);
        if (version > g.version) outcome.set(id, 'stale');
        else if (version === g.version) outcome.set(id, 'unchanged');
        else {
          outcome.set(id, 'applied');
          applied.push(g);
        }
      }
      if (applied.length > 0) await this.replaceLinks(tx, tenantId, applied, inserted);
      return outcome;
    });
    // A repeated asset's older versions are stale next to the newest of the batch.
    return graphs.map((g) => (newest.get(g.assetId) === g ? outcomes.get(g.assetId)! : 'stale'));
  }

  /** Replaces the entity links and manual links of these assets, and moves the counts. */
  private async replaceLinks(
    tx: Sql,
    tenantId: string,
    graphs: AssetGraph[],
    inserted: Set<string>,
  ): Promise<void> {
    const projected = graphs.map((g) => ({ assetId: g.assetId, ...projectionOf(g) }));
    const links = projected.flatMap((p) =>
      p.entities.map((e) => ({ asset_id: p.assetId, ...e, moments: e.moments ?? null })),
    );
    const ids = graphs.map((g) => g.assetId);
    // Only an asset projected before has links to drop. Skipping new ones also keeps a bulk load
    // clear of a stale plan that scans the whole tenant for links that cannot exist.
    const known = ids.filter((id) => !inserted.has(id));
    // Nodes are shared by many assets: insert the missing ones without locking existing rows.
    await tx.query(
      `INSERT INTO graph_nodes (tenant_id, type, name, normalized_name)
       SELECT DISTINCT ON (x.type, x.key) $1, x.type, x.name, x.key
       FROM jsonb_to_recordset($2::jsonb) AS x(type text, name text, key text)
       ORDER BY x.type, x.key
       ON CONFLICT (tenant_id, type, normalized_name) DO NOTHING`,
      [tenantId, JSON.stringify(links)],
    );
    const removed = known.length
      ? await tx.query<{ node_id: string }>(
          'DELETE FROM asset_graph_nodes WHERE tenant_id = $1 AND asset_id = ANY($2::uuid[]) RETURNING node_id',
          [tenantId, known],
        )
      : [];
    const added = await tx.query<{ node_id: string }>(
      `INSERT INTO asset_graph_nodes (tenant_id, asset_id, node_id, weight, moments)
       SELECT $1, x.asset_id, n.id, x.weight, x.moments
       FROM jsonb_to_recordset($2::jsonb) AS x(asset_id uuid, type text, key text, weight real, moments jsonb)
       JOIN graph_nodes n ON n.tenant_id = $1 AND n.type = x.type AND n.normalized_name = x.key
       RETURNING node_id`,
      [tenantId, JSON.stringify(links)],
    );
    const deltas = new Map<string, number>();
    for (const r of added) deltas.set(r.node_id, (deltas.get(r.node_id) ?? 0) + 1);
    for (const r of removed) deltas.set(r.node_id, (deltas.get(r.node_id) ?? 0) - 1);
    await this.adjustCounts(tx, tenantId, deltas);

    if (known.length > 0) {
      await tx.query(
        `DELETE FROM graph_relationships WHERE tenant_id = $1 AND type = 'related_to' AND source_asset_id = ANY($2::uuid[])`,
        [tenantId, known],
      );
    }
    const manual = projected.flatMap((p) =>
      p.links.map((l) => ({ source: p.assetId, target: l.targetId, note: l.note })),
    );
    if (manual.length > 0) {
      await tx.query(
        `INSERT INTO graph_relationships (tenant_id, source_asset_id, target_asset_id, type, reason, created_by)
         SELECT $1, x.source, x.target, 'related_to', jsonb_strip_nulls(jsonb_build_object('note', x.note)), 'editor'
         FROM jsonb_to_recordset($2::jsonb) AS x(source uuid, target uuid, note text)`,
        [tenantId, JSON.stringify(manual)],
      );
    }
    const updated = graphs.filter((g) => !inserted.has(g.assetId));
    if (updated.length > 0) {
      await tx.query(
        `UPDATE graph_asset_projections p SET version = x.version, created_at = x.created_at, projected_at = now()
         FROM jsonb_to_recordset($2::jsonb) AS x(asset_id uuid, version int, created_at timestamptz)
         WHERE p.tenant_id = $1 AND p.asset_id = x.asset_id`,
        [
          tenantId,
          JSON.stringify(
            updated.map((g) => ({
              asset_id: g.assetId,
              version: g.version,
              created_at: g.createdAt ?? null,
            })),
          ),
        ],
      );
    }
    if (updated.length < graphs.length) await this.countAssets(tx, tenantId, graphs.length - updated.length);
  }

  private async countAssets(tx: Sql, tenantId: string, delta: number): Promise<void> {
    await tx.query(
      `INSERT INTO graph_tenant_stats (tenant_id, asset_count) VALUES ($1, GREATEST($2::bigint, 0))
       ON CONFLICT (tenant_id) DO UPDATE SET asset_count = GREATEST(graph_tenant_stats.asset_count + $2::bigint, 0)`,
      [tenantId, delta],
    );
  }

  /** Keeps each node's asset count exact, touching only the nodes whose membership changed. */
  private async adjustCounts(tx: Sql, tenantId: string, deltas: Map<string, number>): Promise<void> {
    const changed = [...deltas].filter(([, d]) => d !== 0).sort(([a], [b]) => Number(a) - Number(b));
    if (changed.length === 0) return;
    // Lock in id order so that concurrent projections sharing nodes cannot deadlock. NO KEY UPDATE,
    // because the foreign-key checks of asset_graph_nodes hold KEY SHARE locks on these rows.
    await tx.query(
      'SELECT id FROM graph_nodes WHERE tenant_id = $1 AND id = ANY($2::bigint[]) ORDER BY id FOR NO KEY UPDATE',
      [tenantId, changed.map(([id]) => id)],
    );
    await tx.query(
      `UPDATE graph_nodes n SET asset_count = GREATEST(n.asset_count + d.delta, 0)
       FROM jsonb_to_recordset($2::jsonb) AS d(id bigint, delta int)
       WHERE n.tenant_id = $1 AND n.id = d.id`,
      [tenantId, JSON.stringify(changed.map(([id, delta]) => ({ id, delta })))],
    );
  }

  async removeAsset(tenantId: string, assetId: string): Promise<void> {
    await this.write(async (tx) => {
      const [held] = await tx.query(
        'DELETE FROM graph_asset_projections WHERE tenant_id = $1 AND asset_id = $2 RETURNING version',
        [tenantId, assetId],
      );
      const old = await tx.query<{ node_id: string }>(
        'DELETE FROM asset_graph_nodes WHERE tenant_id = $1 AND asset_id = $2 RETURNING node_id',
        [tenantId, assetId],
      );
      await this.adjustCounts(tx, tenantId, new Map(old.map((l) => [l.node_id, -1])));
      // Links to this asset belong to their sources' projections and go with them.
      await tx.query(
        `DELETE FROM graph_relationships WHERE tenant_id = $1 AND type = 'related_to' AND source_asset_id = $2`,
        [tenantId, assetId],
      );
      if (held) await this.countAssets(tx, tenantId, -1);
    });
  }

  /**
   * Scores each candidate by the entities it shares with the asset: link weights on both sides,
   * times the entity type's weight, times its rarity ln(1 + N / assets with the entity). Sums over
   * the index alone (the strongest FAN_OUT_CAP links per entity), then reads the reasons' moments
   * for the best candidates only. Editors' links and creation times join in rankRelated.
   */
  async related(tenantId: string, assetId: string, options: RelatedOptions): Promise<RelatedAsset[]> {
    const entityTypes = options.via?.filter((v): v is EntityType => !isRelationSignal(v));
    const byEntity =
      entityTypes && entityTypes.length === 0
        ? Promise.resolve([])
        : this.db.query<{
            asset_id: string;
            score: number;
            created_at: Date | null;
            reasons: RelatedReason[];
          }>(
            `WITH seed AS (
               SELECT l.node_id, l.weight, n.type, n.name, GREATEST(n.asset_count, 1) AS df,
                      ($4::jsonb ->> n.type)::float8 AS type_weight
               FROM asset_graph_nodes l
               JOIN graph_nodes n ON n.tenant_id = l.tenant_id AND n.id = l.node_id
               WHERE l.tenant_id = $1 AND l.asset_id = $2 AND n.asset_count > 1
                 AND ($5::text[] IS NULL OR n.type = ANY($5::text[]))
             ),
             total AS (
               SELECT GREATEST(coalesce(
                 (SELECT asset_count FROM graph_tenant_stats WHERE tenant_id = $1), 1), 1)::float8 AS n
             ),
             hits AS MATERIALIZED (
               SELECT c.asset_id, s.node_id, s.type, s.name,
                      s.weight * c.weight * s.type_weight * ln(1 + total.n / s.df) AS contribution
               FROM seed s
               CROSS JOIN total
               CROSS JOIN LATERAL (
                 SELECT o.asset_id, o.weight FROM asset_graph_nodes o
                 WHERE o.tenant_id = $1 AND o.node_id = s.node_id AND o.asset_id <> $2
                 ORDER BY o.weight DESC, o.asset_id
                 LIMIT CASE WHEN s.df > total.n * ${FREQUENT_ENTITY.share}
                            THEN ${FREQUENT_ENTITY.fanOut} ELSE ${FAN_OUT_CAP} END
               ) c
             ),
             top AS (
               SELECT asset_id, sum(contribution) AS score FROM hits
               GROUP BY asset_id ORDER BY score DESC, asset_id LIMIT $3
             )
             SELECT t.asset_id, t.score::float8 AS score, p.created_at,
                    jsonb_agg(jsonb_strip_nulls(jsonb_build_object('type', h.type, 'name', h.name,
                                'contribution', round(h.contribution::numeric, 4), 'moment', m.moments->0))
                              ORDER BY h.contribution DESC) AS reasons
             FROM top t
             JOIN hits h ON h.asset_id = t.asset_id
             LEFT JOIN asset_graph_nodes m ON m.tenant_id = $1 AND m.asset_id = h.asset_id AND m.node_id = h.node_id
             LEFT JOIN graph_asset_projections p ON p.tenant_id = $1 AND p.asset_id = t.asset_id
             GROUP BY t.asset_id, t.score, p.created_at
             ORDER BY t.score DESC, t.asset_id`,
            [
              tenantId,
              assetId,
              candidatesFor(options.limit),
              JSON.stringify(TYPE_WEIGHTS),
              entityTypes ?? null,
            ],
          );
    // The seed's creation time, and the assets an editor linked to or from it.
    const linked = this.db.query<{ asset_id: string | null; note: string | null; created_at: Date | null }>(
      `SELECT NULL::uuid AS asset_id, NULL::text AS note, created_at
       FROM graph_asset_projections WHERE tenant_id = $1 AND asset_id = $2
       UNION ALL
       SELECT r.other, r.reason ->> 'note', p.created_at
       FROM (
         SELECT target_asset_id AS other, reason FROM graph_relationships
         WHERE tenant_id = $1 AND source_asset_id = $2 AND type = 'related_to'
         UNION ALL
         SELECT source_asset_id, reason FROM graph_relationships
         WHERE tenant_id = $1 AND target_asset_id = $2 AND type = 'related_to'
       ) r
       LEFT JOIN graph_asset_projections p ON p.tenant_id = $1 AND p.asset_id = r.other`,
      [tenantId, assetId],
    );
    const [entityRows, linkRows] = await Promise.all([byEntity, linked]);
    const seed = linkRows.find((r) => r.asset_id === null);
    if (!seed) return [];
    const time = (d: Date | null) => (d ? new Date(d).getTime() : null);
    return rankRelated(
      time(seed.created_at),
      entityRows.map((r) => ({
        assetId: r.asset_id,
        score: r.score,
        createdAt: time(r.created_at),
        reasons: r.reasons.map((x) => ({ ...x, contribution: Number(x.contribution) })),
      })),
      linkRows.flatMap((r) =>
        r.asset_id === null ? [] : [{ assetId: r.asset_id, note: r.note, createdAt: time(r.created_at) }],
      ),
      options,
    );
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

  async respell(tenantId: string, names: { type: EntityType; name: string }[]): Promise<void> {
    const rows = names.map((n) => ({ type: n.type, name: n.name.trim(), key: normalizeEntityName(n.name) }));
    await this.write((tx) =>
      tx.query(
        `UPDATE graph_nodes n SET name = x.name
         FROM jsonb_to_recordset($2::jsonb) AS x(type text, name text, key text)
         WHERE n.tenant_id = $1 AND n.type = x.type AND n.normalized_name = x.key AND n.name <> x.name`,
        [tenantId, JSON.stringify(rows)],
      ),
    );
  }

  async projectedVersions(tenantId: string, assetIds: string[]): Promise<Map<string, number>> {
    if (assetIds.length === 0) return new Map();
    const rows = await this.db.query<{ asset_id: string; version: number }>(
      'SELECT asset_id, version FROM graph_asset_projections WHERE tenant_id = $1 AND asset_id = ANY($2::uuid[])',
      [tenantId, assetIds],
    );
    return new Map(rows.map((r) => [r.asset_id, r.version]));
  }

  async projectedIdsAfter(
    tenantId: string,
    afterId: string | null,
    limit: number,
  ): Promise<ProjectedAsset[]> {
    const rows = await this.db.query<{ asset_id: string; version: number }>(
      `SELECT asset_id, version FROM graph_asset_projections
       WHERE tenant_id = $1 AND ($2::uuid IS NULL OR asset_id > $2::uuid)
       ORDER BY asset_id LIMIT $3`,
      [tenantId, afterId, limit],
    );
    return rows.map((r) => ({ assetId: r.asset_id, version: r.version }));
  }
}
