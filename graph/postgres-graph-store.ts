import type { EntityType } from '../domain/entities.js';
import { normalizeEntityName } from '../domain/entities.js';
import type { Database, Sql } from '../store/db.js';
import type {
  AssetGraph,
  GraphStore,
  ProjectionOutcome,
  RelatedAsset,
  RelatedReason,
} from './graph-store.js';

/** How much sharing one entity of a type says about two assets, before rarity is counted. */
const TYPE_WEIGHTS: Record<EntityType, number> = {
  SPEAKER: 2,
  CONTRIBUTOR: 1.5,
  TOPIC: 1.2,
  TAG: 1.2,
  BRAND: 1,
  KEYWORD: 1,
};

/**
 * Related-content walks visit at most this many assets per shared entity (the strongest links first),
 * so a keyword on a third of the library costs no more than a rare one.
 */
export const FAN_OUT_CAP = 200;

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
  async related(tenantId: string, assetId: string, options: { limit: number }): Promise<RelatedAsset[]> {
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
      [tenantId, assetId, options.limit, JSON.stringify(TYPE_WEIGHTS)],
    );
    return rows.map((r) => ({
      assetId: r.asset_id,
      score: Math.round(r.score * 10_000) / 10_000,
      reasons: r.reasons.map((x) => ({ ...x, contribution: Number(x.contribution) })),
    }));
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
