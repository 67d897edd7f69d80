import { GRAPH_LIMITS } from './graph-store.js';

/*
 * Every Cypher statement the Neo4j adapter runs. Values travel as parameters only; the one piece of
 * text built at run time is the length bound of a shortest path, which Cypher cannot take as a
 * parameter (see shortestPath below). test/unit/cypher-lint.test.ts lints all of them with Neo4j's
 * own parser and semantic analysis.
 *
 * The graph: (:Asset {tenantId, id, version, createdAt})-[:HAS_ENTITY {weight, moments}]->(:Entity
 * {tenantId, type, key, name, assetCount}), where `key` is the normalized name, `moments` a JSON
 * string and `createdAt` milliseconds since the epoch; and editors' links
 * (:Asset)-[:RELATED_TO {note}]->(:Asset). An asset only linked to has no version until projected.
 * "Viewers also watched": (:Asset)-[:CO_VIEWED {sessions, score}]->(:Asset), between projected assets,
 * each asset's own best partners (the co-view schedule, services/co-view-service.ts).
 * Tenants share no nodes, so no link crosses tenants. `CALL (x) { ... }` needs Neo4j 5.23 or later.
 */

/** Constraints and indexes, created at start when missing. */
export const SCHEMA = {
  assetIdentity:
    'CREATE CONSTRAINT asset_identity IF NOT EXISTS FOR (a:Asset) REQUIRE (a.tenantId, a.id) IS UNIQUE',
  entityIdentity:
    'CREATE CONSTRAINT entity_identity IF NOT EXISTS FOR (e:Entity) REQUIRE (e.tenantId, e.type, e.key) IS UNIQUE',
  entityByCount: 'CREATE INDEX entity_asset_count IF NOT EXISTS FOR (e:Entity) ON (e.tenantId, e.assetCount)',
  entityByKey: 'CREATE INDEX entity_key IF NOT EXISTS FOR (e:Entity) ON (e.tenantId, e.key)',
  tenantStatsIdentity:
    'CREATE CONSTRAINT tenant_stats_identity IF NOT EXISTS FOR (s:TenantStats) REQUIRE s.tenantId IS UNIQUE',
} as const;

/** The statements of the adapter; each one carries its tenant. */
export const CYPHER = {
  /**
   * The asset, created when new, write-locked until the transaction ends (setting a property takes
   * the lock), with the version it holds (null when new).
   */
  lockAsset: `
    MERGE (a:Asset {tenantId: $tenantId, id: $assetId})
    SET a._lock = true
    REMOVE a._lock
    RETURN a.version AS version`,

  /** As lockAsset, for an asset that exists: no row when it does not. */
  lockExistingAsset: `
    MATCH (a:Asset {tenantId: $tenantId, id: $assetId})
    SET a._lock = true
    REMOVE a._lock
    RETURN a.version AS version`,

  /** The entities an asset links to now. */
  assetLinks: `
    MATCH (:Asset {tenantId: $tenantId, id: $assetId})-[:HAS_ENTITY]->(e:Entity)
    RETURN e.type AS type, e.key AS key`,

  /**
   * Moves a batch of the asset's links: each row names an entity, its asset-count change (-1, 0 or
   * 1) and the new link's weight and moments (null weight: no link any more). Rows come sorted by
   * type and key so that concurrent projections lock shared entities in one order.
   */
  applyLinks: `
    MATCH (a:Asset {tenantId: $tenantId, id: $assetId})
    UNWIND $links AS x
    MERGE (e:Entity {tenantId: $tenantId, type: x.type, key: x.key})
      ON CREATE SET e.name = x.name, e.assetCount = 0
    SET e.assetCount = e.assetCount + x.delta
    WITH a, e, x
    CALL (a, e) {
      MATCH (a)-[old:HAS_ENTITY]->(e)
      DELETE old
    }
    WITH a, e, x
    WHERE x.weight IS NOT NULL
    CREATE (a)-[:HAS_ENTITY {weight: x.weight, moments: x.moments}]->(e)`,

  /** Entities' names as the tenant now spells them; keys (and so identities) stay. */
  /** A person's erasure: the tenant's entities named with the person that nothing links to. */
  forgetEntities: `
    MATCH (e:Entity {tenantId: $tenantId})
    WHERE ((' ' + e.key + ' ') CONTAINS $padded OR all(w IN split(e.key, ' ') WHERE w IN $words))
      AND NOT EXISTS { (e)--() }
    DELETE e
    RETURN count(*) AS deleted`,

  respell: `
    UNWIND $names AS x
    MATCH (e:Entity {tenantId: $tenantId, type: x.type, key: x.key})
    SET e.name = x.name`,

  /**
   * The tenant's projected-asset count (what the related scoring's rarity divides), moved by $delta
   * (1: a first projection, -1: a removal) after the asset's version changed, as Postgres moves
   * graph_tenant_stats. Made when missing by counting the tenant's projected assets once, so a
   * graph projected before the node existed starts right.
   */
  moveAssetCount: `
    OPTIONAL MATCH (existing:TenantStats {tenantId: $tenantId})
    CALL (existing) {
      WITH existing WHERE existing IS NULL
      MATCH (x:Asset {tenantId: $tenantId})
      WHERE x.version IS NOT NULL
      RETURN count(x) AS counted
    }
    MERGE (s:TenantStats {tenantId: $tenantId})
      ON CREATE SET s.assetCount = counted
      ON MATCH SET s.assetCount = s.assetCount + $delta`,

  setVersion: `
    MATCH (a:Asset {tenantId: $tenantId, id: $assetId})
    SET a.version = $version, a.createdAt = $createdAt`,

  /** Replaces the asset's outgoing editor links; a target not projected yet gets a bare node. */
  replaceManualLinks: `
    MATCH (a:Asset {tenantId: $tenantId, id: $assetId})
    OPTIONAL MATCH (a)-[old:RELATED_TO]->(:Asset)
    DELETE old
    WITH DISTINCT a
    UNWIND $links AS l
    MERGE (b:Asset {tenantId: $tenantId, id: l.targetId})
    CREATE (a)-[:RELATED_TO {note: l.note}]->(b)`,

  /**
   * Removes the asset's projection (its entity links go first, with their counts). Links other
   * assets made to it belong to their projections, so a linked asset stays as a bare node.
   */
  deleteAsset: `
    MATCH (a:Asset {tenantId: $tenantId, id: $assetId})
    OPTIONAL MATCH (a)-[out:RELATED_TO|CO_VIEWED]->(:Asset)
    DELETE out
    WITH DISTINCT a
    REMOVE a.version, a.createdAt
    WITH a
    WHERE NOT EXISTS { (a)<-[:RELATED_TO]-(:Asset) }
    DETACH DELETE a`,

  /** Up to $batch of a tenant's assets, with their links; run until it deletes none. */
  deleteTenantAssets: `
    MATCH (a:Asset {tenantId: $tenantId})
    WITH a LIMIT $batch
    DETACH DELETE a
    RETURN count(*) AS deleted`,

  /** Up to $batch of a tenant's entities (once its assets are gone), then its statistics node. */
  deleteTenantEntities: `
    MATCH (e:Entity {tenantId: $tenantId})
    WITH e LIMIT $batch
    DETACH DELETE e
    RETURN count(*) AS deleted`,

  deleteTenantStats: `
    MATCH (s:TenantStats {tenantId: $tenantId})
    DELETE s`,

  projectedVersions: `
    UNWIND $assetIds AS assetId
    MATCH (a:Asset {tenantId: $tenantId, id: assetId})
    WHERE a.version IS NOT NULL
    RETURN a.id AS assetId, a.version AS version`,

  /**
   * A page of projected assets in id order, for drift checks ('' starts at the first). Assets that
   * only stand as the target of another's RELATED_TO link have no version and are not projected.
   */
  projectedIdsAfter: `
    MATCH (a:Asset {tenantId: $tenantId})
    WHERE a.id > $afterId AND a.version IS NOT NULL
    RETURN a.id AS assetId, a.version AS version
    ORDER BY a.id
    LIMIT $limit`,

  /**
   * Replaces each asset's outgoing CO_VIEWED relationships ($edges: [{id, partners: [{id, sessions,
   * score}]}]); only between projected assets, as in the Postgres adapter.
   */
  replaceCoViewed: `
    UNWIND $edges AS e
    MATCH (a:Asset {tenantId: $tenantId, id: e.id})
    WHERE a.version IS NOT NULL
    CALL (a, e) {
      OPTIONAL MATCH (a)-[old:CO_VIEWED]->(:Asset)
      DELETE old
      WITH DISTINCT a
      UNWIND e.partners AS p
      MATCH (b:Asset {tenantId: $tenantId, id: p.id})
      WHERE b.version IS NOT NULL AND b <> a
      CREATE (a)-[:CO_VIEWED {sessions: p.sessions, score: p.score}]->(b)
    }`,

  /** The CO_VIEWED relationships of these assets ($assetIds), for drift checks. */
  coViewedOf: `
    UNWIND $assetIds AS assetId
    MATCH (a:Asset {tenantId: $tenantId, id: assetId})-[r:CO_VIEWED]->(b:Asset)
    RETURN a.id AS assetId, b.id AS relatedId, r.sessions AS sessions, r.score AS score
    ORDER BY assetId, score DESC, relatedId`,

  /** A page of the assets with CO_VIEWED relationships in id order, after $afterId ('' starts at the first). */
  coViewedSourcesAfter: `
    MATCH (a:Asset {tenantId: $tenantId})
    WHERE a.id > $afterId AND EXISTS { (a)-[:CO_VIEWED]->(:Asset) }
    RETURN a.id AS assetId
    ORDER BY a.id
    LIMIT $limit`,

  /** The projected assets the seed's CO_VIEWED relationships lead to, best first, at most $limit. */
  coViewed: `
    MATCH (seed:Asset {tenantId: $tenantId, id: $assetId})-[r:CO_VIEWED]->(other:Asset)
    WHERE seed.version IS NOT NULL AND other.version IS NOT NULL
    RETURN other.id AS assetId, r.sessions AS sessions, r.score AS score, other.createdAt AS createdAt
    ORDER BY r.score DESC, other.id
    LIMIT $limit`,

  /** The seed's creation time, and the assets an editor linked to or from it (null: none). */
  manualLinks: `
    MATCH (seed:Asset {tenantId: $tenantId, id: $assetId})
    WHERE seed.version IS NOT NULL
    OPTIONAL MATCH (seed)-[r:RELATED_TO]-(other:Asset)
    RETURN seed.createdAt AS seedCreatedAt, other.id AS assetId, r.note AS note, other.createdAt AS createdAt`,

  /**
   * Per shared entity: seed weight x other weight x type weight x ln(1 + N / assets with the entity)
   * (N from the tenant's statistics node; counted only for a graph projected before it existed),
   * over at most $fanOutCap other assets per entity ($frequentFanOut for an entity on more than
   * $frequentShare of the assets), strongest links first. The k-th strongest entity of a type that
   * a candidate shares counts 1/k of that (sameTypeShare in related-ranking.ts).
   */
  related: `
    OPTIONAL MATCH (stats:TenantStats {tenantId: $tenantId})
    CALL (stats) {
      WITH stats WHERE stats IS NULL
      MATCH (x:Asset {tenantId: $tenantId})
      WHERE x.version IS NOT NULL
      RETURN count(x) AS counted
    }
    WITH coalesce(stats.assetCount, counted) AS total
    MATCH (seed:Asset {tenantId: $tenantId, id: $assetId})-[s:HAS_ENTITY]->(e:Entity)
    WHERE e.assetCount > 1 AND ($via IS NULL OR e.type IN $via)
    CALL (seed, e, total) {
      MATCH (e)<-[o:HAS_ENTITY]-(other:Asset)
      WHERE other <> seed
      WITH other, o
      ORDER BY o.weight DESC, other.id
      LIMIT $fanOutCap
      WITH collect({other: other, o: o}) AS strongest
      UNWIND strongest[..CASE WHEN e.assetCount > total * $frequentShare THEN $frequentFanOut ELSE $fanOutCap END] AS x
      RETURN x.other AS other, x.o AS o
    }
    WITH other, e, o,
         s.weight * o.weight * $typeWeights[e.type] * log(1 + toFloat(total) / e.assetCount) AS fullWeight
    ORDER BY fullWeight DESC, e.key
    WITH other, e.type AS type, collect({e: e, o: o, w: fullWeight}) AS sameType
    UNWIND range(0, size(sameType) - 1) AS k
    WITH other, sameType[k].e AS e, sameType[k].o AS o, sameType[k].w / (k + 1) AS contribution
    RETURN other.id AS assetId, other.createdAt AS createdAt, sum(contribution) AS score,
           collect({type: e.type, name: e.name, contribution: contribution, moments: o.moments}) AS reasons
    ORDER BY score DESC, assetId
    LIMIT $limit`,

  /** Linked entities, optionally of one type, whose key starts with $prefix ('' for all). */
  entities: `
    MATCH (e:Entity {tenantId: $tenantId})
    WHERE e.assetCount > 0 AND ($type IS NULL OR e.type = $type) AND e.key STARTS WITH $prefix
    RETURN e.type AS type, e.name AS name, e.key AS key, e.assetCount AS assetCount
    ORDER BY assetCount DESC, type, key
    SKIP $offset
    LIMIT $limit`,

  /** Linked entities of any type whose key is one of $keys (the names a search query holds). */
  entitiesNamed: `
    MATCH (e:Entity {tenantId: $tenantId})
    WHERE e.key IN $keys AND e.assetCount > 0
    RETURN e.type AS type, e.name AS name, e.key AS key, e.assetCount AS assetCount
    ORDER BY assetCount DESC, type, key`,

  entity: `
    MATCH (e:Entity {tenantId: $tenantId, type: $type, key: $key})
    RETURN e.type AS type, e.name AS name, e.assetCount AS assetCount`,

  entityAssets: `
    MATCH (:Entity {tenantId: $tenantId, type: $type, key: $key})<-[r:HAS_ENTITY]-(a:Asset)
    RETURN a.id AS assetId, r.weight AS weight, r.moments AS moments
    ORDER BY weight DESC, assetId
    SKIP $offset
    LIMIT $limit`,

  /**
   * The entities on the strongest $sample assets of one, with how many of those assets each is
   * on ($otherType null for every type).
   */
  cooccurring: `
    MATCH (e:Entity {tenantId: $tenantId, type: $type, key: $key})<-[r:HAS_ENTITY]-(a:Asset)
    WITH e, a, r ORDER BY r.weight DESC, a.id LIMIT $sample
    MATCH (a)-[:HAS_ENTITY]->(o:Entity)
    WHERE o <> e AND ($otherType IS NULL OR o.type = $otherType)
    WITH o, count(a) AS sharedAssets
    RETURN o.type AS type, o.name AS name, o.key AS key, o.assetCount AS assetCount, sharedAssets
    ORDER BY sharedAssets DESC, assetCount DESC, type, key
    LIMIT $limit`,

  /**
   * A projected asset as a path end: its element id, valid within the transaction. A bare link
   * target (no version) is not projected, and is not found.
   */
  assetNode: `
    MATCH (a:Asset {tenantId: $tenantId, id: $assetId})
    WHERE a.version IS NOT NULL
    RETURN elementId(a) AS ref`,

  /** A linked entity as a path end. */
  entityNode: `
    MATCH (e:Entity {tenantId: $tenantId, type: $type, key: $key})
    WHERE e.assetCount > 0
    RETURN elementId(e) AS ref, e.name AS name`,

  /** The strongest $fanOut links of each asset, in the order of $assetIds. */
  expandAssets: `
    UNWIND range(0, size($assetIds) - 1) AS i
    MATCH (a:Asset {tenantId: $tenantId, id: $assetIds[i]})
    CALL (a) {
      MATCH (a)-[r:HAS_ENTITY]->(e:Entity)
      RETURN r, e
      ORDER BY r.weight DESC, e.type, e.key
      LIMIT $fanOut
    }
    RETURN a.id AS assetId, e.type AS type, e.key AS key, e.name AS name, r.weight AS weight,
           r.moments AS moments
    ORDER BY i, weight DESC, type, key`,

  /** The strongest $fanOut links of each entity ({type, key}), in the order of $entities. */
  expandEntities: `
    UNWIND range(0, size($entities) - 1) AS i
    MATCH (e:Entity {tenantId: $tenantId, type: $entities[i].type, key: $entities[i].key})
    CALL (e) {
      MATCH (e)<-[r:HAS_ENTITY]-(a:Asset)
      RETURN r, a
      ORDER BY r.weight DESC, a.id
      LIMIT $fanOut
    }
    RETURN a.id AS assetId, e.type AS type, e.key AS key, e.name AS name, r.weight AS weight,
           r.moments AS moments
    ORDER BY i, weight DESC, assetId`,

  /**
   * Learned popularity and trending on projected asset nodes (domain/popularity.ts), over an older
   * computation only (popularityAt in epoch milliseconds), so that a repeated or late run changes
   * nothing. Not a new version: the projection's version stays.
   */
  applyPopularity: `
    UNWIND $rows AS x
    MATCH (a:Asset {tenantId: $tenantId, id: x.assetId})
    WHERE a.version IS NOT NULL AND (a.popularityAt IS NULL OR a.popularityAt <= x.computedAt)
    SET a.popularity = x.popularity, a.trending = x.trending, a.popularityAt = x.computedAt`,
} as const;

/** The path lengths shortestPath accepts: 1 to GRAPH_LIMITS.maxPathEdges edges. */
export const PATH_LENGTHS: readonly number[] = Array.from(
  { length: GRAPH_LIMITS.maxPathEdges },
  (_, i) => i + 1,
);

/**
 * A shortest path of at most `maxEdges` asset-entity links between two nodes given by element id
 * ($source, $target: distinct nodes of the tenant). Cypher takes no parameter for a variable-length
 * bound, so the bound is written into the text: only a validated integer of PATH_LENGTHS, each of
 * which the lint test checks.
 */
export function shortestPath(maxEdges: number): string {
  if (!Number.isInteger(maxEdges) || !PATH_LENGTHS.includes(maxEdges)) {
    throw new RangeError(
      `path length must be an integer from 1 to ${GRAPH_LIMITS.maxPathEdges}: ${maxEdges}`,
    );
  }
  const bound = String(maxEdges);
  return `
    MATCH (source {tenantId: $tenantId}) WHERE elementId(source) = $source
    MATCH (target {tenantId: $tenantId}) WHERE elementId(target) = $target
    MATCH p = shortestPath((source)-[:HAS_ENTITY*..${bound}]-(target))
    RETURN [node IN nodes(p) | node {.id, .type, .key, .name}] AS nodes,
           [r IN relationships(p) | {assetId: startNode(r).id, type: endNode(r).type, key: endNode(r).key,
                                     weight: r.weight, moments: r.moments}] AS edges`;
}
