import { statement } from '../../store/database.js';
import { FAN_OUT_CAP, FREQUENT_ENTITY } from '../related-ranking.js';

/*
 * Every SQL statement the Postgres graph adapter runs, and nowhere else. Parameters by name
 * (`:tenantId`), bound by `run()` from store/database.ts; batches travel as one JSON parameter read
 * with jsonb_to_recordset, or, for the projection's hot statements (entities, links, counts), as typed
 * arrays read with unnest. The one piece of text not a parameter is the related statement's fan-out
 * caps, constants of the scoring (related-ranking.ts) written in at load, so that the planner sees
 * them as the constants they are. test/unit/graph-statements.test.ts runs EXPLAIN on each one against
 * the migrated schema.
 *
 * The tables: graph_asset_projections (an asset's projected version and creation time), graph_nodes
 * (entities by type and normalized name, with the number of assets linked to each), asset_graph_nodes
 * (an asset's link to an entity: weight and moments), graph_relationships (editors' `related_to`
 * links, and `co_viewed` relationships from the co-view schedule) and graph_tenant_stats (the
 * number of projected assets per tenant).
 */
export const SQL = {
  // --- Projection (writer.ts) ---

  /** New assets get their final projection row at once; returns the ones inserted. */
  insertProjections: statement(`
    INSERT INTO graph_asset_projections (tenant_id, asset_id, version, created_at)
    SELECT :tenantId, x.asset_id, x.version, x.created_at
    FROM jsonb_to_recordset(:projections::jsonb) AS x(asset_id uuid, version int, created_at timestamptz)
    ORDER BY x.asset_id
    ON CONFLICT (tenant_id, asset_id) DO NOTHING
    RETURNING asset_id`),

  /** The versions held of assets projected before, their rows locked in asset order. */
  lockProjections: statement(`
    SELECT asset_id, version FROM graph_asset_projections
    WHERE tenant_id = :tenantId AND asset_id = ANY(:assetIds::uuid[]) ORDER BY asset_id FOR UPDATE`),

  /**
   * The entities of a batch's links that do not exist yet, without locking the existing ones. Each
   * entity once (the writer removes repeats), as typed arrays: most of a batch's links name entities
   * other assets name too, and parsing every link's JSON only to drop the repeats cost more than the
   * inserts.
   */
  insertNodes: statement(`
    INSERT INTO graph_nodes (tenant_id, type, name, normalized_name)
    SELECT :tenantId, x.type, x.name, x.key
    FROM unnest(:types::text[], :names::text[], :keys::text[]) AS x(type, name, key)
    ORDER BY x.type, x.key
    ON CONFLICT (tenant_id, type, normalized_name) DO NOTHING`),

  /** Drops the entity links of assets projected before; returns the entities they linked. */
  deleteLinks: statement(`
    DELETE FROM asset_graph_nodes WHERE tenant_id = :tenantId AND asset_id = ANY(:assetIds::uuid[])
    RETURNING node_id`),

  /** Writes a batch's entity links; returns the entity of each. */
  insertLinks: statement(`
    INSERT INTO asset_graph_nodes (tenant_id, asset_id, node_id, weight, moments)
    SELECT :tenantId, x.asset_id, n.id, x.weight, x.moments::jsonb
    FROM unnest(:assetIds::uuid[], :types::text[], :keys::text[], :weights::real[], :moments::text[])
      AS x(asset_id, type, key, weight, moments)
    JOIN graph_nodes n ON n.tenant_id = :tenantId AND n.type = x.type AND n.normalized_name = x.key
    RETURNING node_id`),

  /** Drops the manual links of assets projected before: a projection replaces them as a whole. */
  deleteManualLinks: statement(`
    DELETE FROM graph_relationships
    WHERE tenant_id = :tenantId AND type = 'related_to' AND source_asset_id = ANY(:assetIds::uuid[])`),

  insertManualLinks: statement(`
    INSERT INTO graph_relationships (tenant_id, source_asset_id, target_asset_id, type, reason, created_by)
    SELECT :tenantId, x.source, x.target, 'related_to', jsonb_strip_nulls(jsonb_build_object('note', x.note)), 'editor'
    FROM jsonb_to_recordset(:links::jsonb) AS x(source uuid, target uuid, note text)`),

  /** The new version and creation time of assets projected before. */
  updateProjections: statement(`
    UPDATE graph_asset_projections p SET version = x.version, created_at = x.created_at, projected_at = now()
    FROM jsonb_to_recordset(:projections::jsonb) AS x(asset_id uuid, version int, created_at timestamptz)
    WHERE p.tenant_id = :tenantId AND p.asset_id = x.asset_id`),

  /** Moves the tenant's count of projected assets by `:delta`, never below zero. */
  countAssets: statement(`
    INSERT INTO graph_tenant_stats (tenant_id, asset_count) VALUES (:tenantId, GREATEST(:delta::bigint, 0))
    ON CONFLICT (tenant_id) DO UPDATE SET asset_count = GREATEST(graph_tenant_stats.asset_count + :delta::bigint, 0)`),

  /**
   * Locks entities in id order. NO KEY UPDATE, because the foreign-key checks of asset_graph_nodes
   * hold KEY SHARE locks on these rows.
   */
  lockNodes: statement(`
    SELECT id FROM graph_nodes
    WHERE tenant_id = :tenantId AND id = ANY(:nodeIds::bigint[]) ORDER BY id FOR NO KEY UPDATE`),

  /** Moves each entity's asset count by its delta, never below zero. */
  adjustNodeCounts: statement(`
    UPDATE graph_nodes n SET asset_count = GREATEST(n.asset_count + d.delta, 0)
    FROM unnest(:nodeIds::bigint[], :deltas::int[]) AS d(id, delta)
    WHERE n.tenant_id = :tenantId AND n.id = d.id`),

  /** Removes an asset's projection row; returns the version it held (no row when none). */
  deleteProjection: statement(`
    DELETE FROM graph_asset_projections WHERE tenant_id = :tenantId AND asset_id = :assetId
    RETURNING version`),

  /** Drops one asset's entity links; returns the entities they linked. */
  deleteAssetLinks: statement(`
    DELETE FROM asset_graph_nodes WHERE tenant_id = :tenantId AND asset_id = :assetId RETURNING node_id`),

  /**
   * Drops one asset's manual links (those to it belong to their sources' projections) and its
   * CO_VIEWED relationships (those to it are not read once it is gone).
   */
  deleteAssetManualLinks: statement(`
    DELETE FROM graph_relationships
    WHERE tenant_id = :tenantId AND type IN ('related_to', 'co_viewed') AND source_asset_id = :assetId`),

  /** Writes entities' names as spelled in `:names`, where the spelling differs. */
  respell: statement(`
    UPDATE graph_nodes n SET name = x.name
    FROM jsonb_to_recordset(:names::jsonb) AS x(type text, name text, key text)
    WHERE n.tenant_id = :tenantId AND n.type = x.type AND n.normalized_name = x.key AND n.name <> x.name`),

  /** A person's erasure: entities named with the person that no asset links to any more. */
  forgetEntities: statement(`
    DELETE FROM graph_nodes n
    WHERE n.tenant_id = :tenantId
      AND ((' ' || n.normalized_name || ' ') LIKE :padded OR string_to_array(n.normalized_name, ' ') <@ :words::text[])
      AND NOT EXISTS (SELECT 1 FROM asset_graph_nodes l WHERE l.tenant_id = n.tenant_id AND l.node_id = n.id)
    RETURNING n.id`),

  // --- Projection audit (writer.ts) ---

  projectedVersions: statement(`
    SELECT asset_id, version FROM graph_asset_projections
    WHERE tenant_id = :tenantId AND asset_id = ANY(:assetIds::uuid[])`),

  /** A page of projected assets in id order, after `:afterId` (from the first when null). */
  projectedIdsAfter: statement(`
    SELECT asset_id, version FROM graph_asset_projections
    WHERE tenant_id = :tenantId AND (:afterId::uuid IS NULL OR asset_id > :afterId::uuid)
    ORDER BY asset_id LIMIT :limit`),

  // --- Related content (related.ts) ---

  /**
   * The best `:limit` candidates through shared entities, scored over the index alone (link
   * weights on both sides, times the entity type's weight from `:typeWeights`, times the rarity
   * ln(1 + N / assets with the entity), over each entity's strongest links only; the k-th strongest
   * entity of a type a candidate shares counts 1/k of that, sameTypeShare), then each one's
   * reasons, with the moment the entity first occurs in it. `:entityTypes` null: every type.
   */
  related: statement(
    `
    WITH seed AS (
      SELECT l.node_id, l.weight, n.type, n.name, n.normalized_name AS key, GREATEST(n.asset_count, 1) AS df,
             (:typeWeights::jsonb ->> n.type)::float8 AS type_weight
      FROM asset_graph_nodes l
      JOIN graph_nodes n ON n.tenant_id = l.tenant_id AND n.id = l.node_id
      WHERE l.tenant_id = :tenantId AND l.asset_id = :assetId AND n.asset_count > 1
        AND (:entityTypes::text[] IS NULL OR n.type = ANY(:entityTypes::text[]))
    ),
    total AS (
      SELECT GREATEST(coalesce(
        (SELECT asset_count FROM graph_tenant_stats WHERE tenant_id = :tenantId), 1), 1)::float8 AS n
    ),
    shared AS (
      SELECT c.asset_id, s.node_id, s.type, s.name, s.key,
             s.weight * c.weight * s.type_weight * ln(1 + total.n / s.df) AS full_weight
      FROM seed s
      CROSS JOIN total
      CROSS JOIN LATERAL (
        SELECT o.asset_id, o.weight FROM asset_graph_nodes o
        WHERE o.tenant_id = :tenantId AND o.node_id = s.node_id AND o.asset_id <> :assetId
        ORDER BY o.weight DESC, o.asset_id
        LIMIT CASE WHEN s.df > total.n * ${FREQUENT_ENTITY.share}
                   THEN ${FREQUENT_ENTITY.fanOut} ELSE ${FAN_OUT_CAP} END
      ) c
    ),
    hits AS MATERIALIZED (
      SELECT asset_id, node_id, type, name,
             full_weight / row_number() OVER (PARTITION BY asset_id, type
                                             ORDER BY full_weight DESC, key) AS contribution
      FROM shared
    ),
    top AS (
      SELECT asset_id, sum(contribution) AS score FROM hits
      GROUP BY asset_id ORDER BY score DESC, asset_id LIMIT :limit
    )
    SELECT t.asset_id, t.score::float8 AS score, p.created_at,
           jsonb_agg(jsonb_strip_nulls(jsonb_build_object('type', h.type, 'name', h.name,
                       'contribution', round(h.contribution::numeric, 4), 'moment', m.moments->0))
                     ORDER BY h.contribution DESC) AS reasons
    FROM top t
    JOIN hits h ON h.asset_id = t.asset_id
    LEFT JOIN asset_graph_nodes m ON m.tenant_id = :tenantId AND m.asset_id = h.asset_id AND m.node_id = h.node_id
    LEFT JOIN graph_asset_projections p ON p.tenant_id = :tenantId AND p.asset_id = t.asset_id
    GROUP BY t.asset_id, t.score, p.created_at
    ORDER BY t.score DESC, t.asset_id`,
    { prepare: 'graph_related' },
  ),

  /**
   * The seed's creation time (the row with a null asset id; none when the seed is not projected),
   * then the assets an editor linked to or from it, with each link's note and creation time, then
   * (with a `sessions` count) the best `:coViewLimit` projected assets its CO_VIEWED relationships
   * lead to: one round trip for every relation the ranking adds to the entity candidates.
   */
  manualLinks: statement(
    `
    SELECT NULL::uuid AS asset_id, NULL::text AS note, created_at, NULL::int AS sessions, NULL::float8 AS score
    FROM graph_asset_projections WHERE tenant_id = :tenantId AND asset_id = :assetId
    UNION ALL
    SELECT r.other, r.reason ->> 'note', p.created_at, NULL, NULL
    FROM (
      SELECT target_asset_id AS other, reason FROM graph_relationships
      WHERE tenant_id = :tenantId AND source_asset_id = :assetId AND type = 'related_to'
      UNION ALL
      SELECT source_asset_id, reason FROM graph_relationships
      WHERE tenant_id = :tenantId AND target_asset_id = :assetId AND type = 'related_to'
    ) r
    LEFT JOIN graph_asset_projections p ON p.tenant_id = :tenantId AND p.asset_id = r.other
    UNION ALL
    (SELECT r.target_asset_id, NULL, p.created_at, (r.reason ->> 'sessions')::int, r.weight::float8
     FROM graph_relationships r
     JOIN graph_asset_projections p ON p.tenant_id = :tenantId AND p.asset_id = r.target_asset_id
     WHERE r.tenant_id = :tenantId AND r.source_asset_id = :assetId AND r.type = 'co_viewed'
     ORDER BY r.weight DESC, r.target_asset_id
     LIMIT :coViewLimit)`,
    { prepare: 'graph_manual_links' },
  ),

  // --- Co-views (co-views.ts) ---

  /** Drops the CO_VIEWED relationships of these assets (`:assetIds`). */
  deleteCoViewed: statement(`
    DELETE FROM graph_relationships
    WHERE tenant_id = :tenantId AND type = 'co_viewed' AND source_asset_id = ANY(:assetIds::uuid[])`),

  /** The CO_VIEWED relationships of these assets (`:assetIds`), for drift checks. */
  coViewedOf: statement(`
    SELECT source_asset_id AS asset_id, target_asset_id AS related_id, (reason->>'sessions')::int AS sessions,
      weight AS score
    FROM graph_relationships
    WHERE tenant_id = :tenantId AND type = 'co_viewed' AND source_asset_id = ANY(:assetIds::uuid[])
    ORDER BY source_asset_id, weight DESC, target_asset_id`),

  /** A page of the assets with CO_VIEWED relationships in id order, after `:afterId` (from the first when null). */
  coViewedSourcesAfter: statement(`
    SELECT DISTINCT source_asset_id AS asset_id FROM graph_relationships
    WHERE tenant_id = :tenantId AND type = 'co_viewed'
      AND (:afterId::uuid IS NULL OR source_asset_id > :afterId::uuid)
    ORDER BY source_asset_id LIMIT :limit`),

  /** Writes CO_VIEWED relationships between projected assets: weight the score, reason the sessions. */
  insertCoViewed: statement(`
    INSERT INTO graph_relationships (tenant_id, source_asset_id, target_asset_id, type, weight, reason, created_by)
    SELECT :tenantId, x.source, x.target, 'co_viewed', x.score, jsonb_build_object('sessions', x.sessions), 'system'
    FROM jsonb_to_recordset(:edges::jsonb) AS x(source uuid, target uuid, sessions int, score real)
    WHERE x.source <> x.target
      AND EXISTS (SELECT 1 FROM graph_asset_projections p WHERE p.tenant_id = :tenantId AND p.asset_id = x.source)
      AND EXISTS (SELECT 1 FROM graph_asset_projections p WHERE p.tenant_id = :tenantId AND p.asset_id = x.target)
    ORDER BY x.source, x.target
    ON CONFLICT (tenant_id, source_asset_id, target_asset_id, type) DO UPDATE
      SET weight = excluded.weight, reason = excluded.reason`),

  // --- Entities (entities.ts) ---

  /** Linked entities of a type (all when `:type` is null) whose normalized name is LIKE `:pattern`. */
  entities: statement(`
    SELECT type, name, asset_count FROM graph_nodes
    WHERE tenant_id = :tenantId AND asset_count > 0 AND (:type::text IS NULL OR type = :type)
      AND normalized_name LIKE :pattern
    ORDER BY asset_count DESC, type, normalized_name
    LIMIT :limit OFFSET :offset`),

  entitiesNamed: statement(`
    SELECT type, name, asset_count FROM graph_nodes
    WHERE tenant_id = :tenantId AND normalized_name = ANY(:keys::text[]) AND asset_count > 0
    ORDER BY asset_count DESC, type, normalized_name`),

  /** One entity by type and normalized name, linked or not. */
  entity: statement(`
    SELECT id, type, name, asset_count FROM graph_nodes
    WHERE tenant_id = :tenantId AND type = :type AND normalized_name = :key`),

  entityAssets: statement(`
    SELECT asset_id, weight, moments FROM asset_graph_nodes
    WHERE tenant_id = :tenantId AND node_id = :nodeId
    ORDER BY weight DESC, asset_id LIMIT :limit OFFSET :offset`),

  /**
   * The entities on the strongest `:sample` assets of one, with how many of those assets each is
   * on: an entity's co-occurring names, bounded whatever its number of assets.
   */
  cooccurring: statement(`
    WITH seed AS (
      SELECT asset_id FROM asset_graph_nodes
      WHERE tenant_id = :tenantId AND node_id = :nodeId
      ORDER BY weight DESC, asset_id LIMIT :sample
    )
    SELECT n.type, n.name, n.asset_count, count(*)::int AS shared_assets
    FROM seed s
    JOIN asset_graph_nodes l ON l.tenant_id = :tenantId AND l.asset_id = s.asset_id AND l.node_id <> :nodeId
    JOIN graph_nodes n ON n.tenant_id = :tenantId AND n.id = l.node_id
    WHERE :type::text IS NULL OR n.type = :type
    GROUP BY n.id, n.type, n.name, n.asset_count, n.normalized_name
    ORDER BY shared_assets DESC, n.asset_count DESC, n.type, n.normalized_name
    LIMIT :limit`),

  // --- Paths and neighbourhoods (paths.ts) ---

  /** A projected asset, as a walk's start or goal. */
  assetNode: statement(`
    SELECT asset_id FROM graph_asset_projections WHERE tenant_id = :tenantId AND asset_id = :assetId`),

  /** A linked entity, as a walk's start or goal. */
  entityNode: statement(`
    SELECT id FROM graph_nodes
    WHERE tenant_id = :tenantId AND type = :type AND normalized_name = :key AND asset_count > 0`),

  /** The strongest `:fanOut` entity links of each asset in `:ids`, in the order of `:ids`. */
  expandAssets: statement(`
    SELECT x.id::text AS source, l.node_id::text AS target, l.weight, l.moments
    FROM unnest(:ids::uuid[]) WITH ORDINALITY AS x(id, i)
    CROSS JOIN LATERAL (
      SELECT node_id, weight, moments FROM asset_graph_nodes
      WHERE tenant_id = :tenantId AND asset_id = x.id ORDER BY weight DESC, node_id LIMIT :fanOut
    ) l
    ORDER BY x.i, l.weight DESC, l.node_id`),

  /** The strongest `:fanOut` asset links of each entity in `:ids`, in the order of `:ids`. */
  expandEntities: statement(`
    SELECT x.id::text AS source, l.asset_id::text AS target, l.weight, l.moments
    FROM unnest(:ids::bigint[]) WITH ORDINALITY AS x(id, i)
    CROSS JOIN LATERAL (
      SELECT asset_id, weight, moments FROM asset_graph_nodes
      WHERE tenant_id = :tenantId AND node_id = x.id ORDER BY weight DESC, asset_id LIMIT :fanOut
    ) l
    ORDER BY x.i, l.weight DESC, l.asset_id`),

  /** The links between the pairs `:assetIds[i]`, `:nodeIds[i]`. */
  pathLinks: statement(`
    SELECT l.asset_id::text AS source, l.node_id::text AS target, l.weight, l.moments
    FROM unnest(:assetIds::uuid[], :nodeIds::bigint[]) AS x(asset_id, node_id)
    JOIN asset_graph_nodes l ON l.tenant_id = :tenantId AND l.asset_id = x.asset_id AND l.node_id = x.node_id`),

  /** Entities by id, for drawing them. */
  nodes: statement(`
    SELECT id::text AS id, type, name, normalized_name FROM graph_nodes
    WHERE tenant_id = :tenantId AND id = ANY(:nodeIds::bigint[])`),
} as const;
