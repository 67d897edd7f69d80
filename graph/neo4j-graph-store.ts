import type { PopularityUpdate } from '../domain/popularity.js';
import neo4j, { type Driver } from 'neo4j-driver';
import type { EntityType } from '../domain/entities.js';
import type {
  AssetGraph,
  CoViewedEdges,
  CooccurringEntity,
  EntityAsset,
  EntitySummary,
  GraphStore,
  NodeRef,
  ProjectedAsset,
  ProjectionOutcome,
  RelatedAsset,
  RelatedOptions,
  Subgraph,
} from './graph-store.js';
import * as reader from './neo4j/reader.js';
import * as writer from './neo4j/writer.js';

/**
 * The graph in Neo4j: (:Asset)-[:HAS_ENTITY]->(:Entity) per tenant. Same behaviour as the Postgres
 * adapter, passing the same contract suite. The port's methods, each handed to graph/neo4j/ (writer,
 * reader); the statements live in cypher.ts.
 */
export class Neo4jGraphStore implements GraphStore {
  readonly kind = 'neo4j';
  constructor(private readonly driver: Driver) {}

  static connect(url: string, user: string, password: string): Neo4jGraphStore {
    return new Neo4jGraphStore(neo4j.driver(url, neo4j.auth.basic(user, password)));
  }

  /** Creates the constraints and indexes that are missing; each in a transaction of its own. */
  ensureSchema(): Promise<void> {
    return writer.ensureSchema(this.driver);
  }

  /** Deletes a tenant's whole graph, in bounded transactions (tenant removal, test clean-up). */
  deleteTenant(tenantId: string): Promise<void> {
    return writer.deleteTenant(this.driver, tenantId);
  }

  async close(): Promise<void> {
    await this.driver.close();
  }

  projectAsset(tenantId: string, graph: AssetGraph): Promise<ProjectionOutcome> {
    return writer.projectAsset(this.driver, tenantId, graph);
  }

  projectMany(tenantId: string, graphs: AssetGraph[]): Promise<ProjectionOutcome[]> {
    return writer.projectMany(this.driver, tenantId, graphs);
  }

  removeAsset(tenantId: string, assetId: string): Promise<void> {
    return writer.removeAsset(this.driver, tenantId, assetId);
  }

  respell(tenantId: string, names: { type: EntityType; name: string }[]): Promise<void> {
    return writer.respell(this.driver, tenantId, names);
  }

  forgetEntities(tenantId: string, key: string): Promise<number> {
    return writer.forgetEntities(this.driver, tenantId, key);
  }

  applyPopularity(tenantId: string, rows: PopularityUpdate[]): Promise<void> {
    return writer.applyPopularity(this.driver, tenantId, rows);
  }

  related(tenantId: string, assetId: string, options: RelatedOptions): Promise<RelatedAsset[]> {
    return reader.related(this.driver, tenantId, assetId, options);
  }

  entities(
    tenantId: string,
    options: { type?: EntityType; prefix?: string; limit: number; offset: number },
  ): Promise<EntitySummary[]> {
    return reader.entities(this.driver, tenantId, options);
  }

  entitiesNamed(tenantId: string, names: string[]): Promise<EntitySummary[]> {
    return reader.entitiesNamed(this.driver, tenantId, names);
  }

  entityAssets(
    tenantId: string,
    entity: { type: EntityType; name: string },
    options: { limit: number; offset: number },
  ): Promise<{ entity: EntitySummary; assets: EntityAsset[] } | null> {
    return reader.entityAssets(this.driver, tenantId, entity, options);
  }

  cooccurring(
    tenantId: string,
    entity: { type: EntityType; name: string },
    options: { type?: EntityType; limit: number },
  ): Promise<{ entity: EntitySummary; items: CooccurringEntity[] } | null> {
    return reader.cooccurring(this.driver, tenantId, entity, options);
  }

  path(tenantId: string, from: NodeRef, to: NodeRef, maxEdges: number): Promise<Subgraph | null> {
    return reader.path(this.driver, tenantId, from, to, maxEdges);
  }

  neighbourhood(
    tenantId: string,
    assetId: string,
    options: { depth: number; limit: number },
  ): Promise<Subgraph> {
    return reader.neighbourhood(this.driver, tenantId, assetId, options);
  }

  projectedVersions(tenantId: string, assetIds: string[]): Promise<Map<string, number>> {
    return writer.projectedVersions(this.driver, tenantId, assetIds);
  }

  coViewedOf(tenantId: string, assetIds: string[]): Promise<CoViewedEdges[]> {
    return writer.coViewedOf(this.driver, tenantId, assetIds);
  }

  coViewedSourcesAfter(tenantId: string, afterId: string | null, limit: number): Promise<string[]> {
    return writer.coViewedSourcesAfter(this.driver, tenantId, afterId, limit);
  }

  projectedIdsAfter(tenantId: string, afterId: string | null, limit: number): Promise<ProjectedAsset[]> {
    return writer.projectedIdsAfter(this.driver, tenantId, afterId, limit);
  }

  replaceCoViewed(tenantId: string, edges: CoViewedEdges[]): Promise<void> {
    return writer.replaceCoViewed(this.driver, tenantId, edges);
  }
}
