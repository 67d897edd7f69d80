import type { EntityType } from '../domain/entities.js';
import type { ProjectionTables } from '../store/database.js';
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
import * as coViews from './postgres/co-views.js';
import * as entityQueries from './postgres/entities.js';
import * as paths from './postgres/paths.js';
import * as relatedContent from './postgres/related.js';
import * as writer from './postgres/writer.js';
import { applyPopularity } from './postgres/popularity.js';
import type { PopularityUpdate } from '../domain/popularity.js';

/**
 * The graph in Postgres tables: graph_nodes, asset_graph_nodes and graph_relationships. The port's
 * methods, each handed to the part of graph/postgres/ that implements it; the SQL is in
 * graph/postgres/statements.ts.
 */
export class PostgresGraphStore implements GraphStore {
  readonly kind = 'postgres';

  /** `tables`: the live table set, or an online rebuild's (`projectionAccess` in store/). */
  constructor(private readonly tables: ProjectionTables) {}

  async projectAsset(tenantId: string, graph: AssetGraph): Promise<ProjectionOutcome> {
    const [outcome] = await this.projectMany(tenantId, [graph]);
    return outcome!;
  }

  projectMany(tenantId: string, graphs: AssetGraph[]): Promise<ProjectionOutcome[]> {
    return writer.projectMany(this.tables, tenantId, graphs);
  }

  removeAsset(tenantId: string, assetId: string): Promise<void> {
    return writer.removeAsset(this.tables, tenantId, assetId);
  }

  respell(tenantId: string, names: { type: EntityType; name: string }[]): Promise<void> {
    return writer.respell(this.tables, tenantId, names);
  }

  forgetEntities(tenantId: string, key: string): Promise<number> {
    return writer.forgetEntities(this.tables, tenantId, key);
  }

  applyPopularity(tenantId: string, rows: PopularityUpdate[]): Promise<void> {
    return applyPopularity(this.tables, tenantId, rows);
  }

  related(tenantId: string, assetId: string, options: RelatedOptions): Promise<RelatedAsset[]> {
    return relatedContent.related(this.tables.db, tenantId, assetId, options);
  }

  entities(
    tenantId: string,
    options: { type?: EntityType; prefix?: string; limit: number; offset: number },
  ): Promise<EntitySummary[]> {
    return entityQueries.entities(this.tables.db, tenantId, options);
  }

  entitiesNamed(tenantId: string, names: string[]): Promise<EntitySummary[]> {
    return entityQueries.entitiesNamed(this.tables.db, tenantId, names);
  }

  entityAssets(
    tenantId: string,
    entity: { type: EntityType; name: string },
    options: { limit: number; offset: number },
  ): Promise<{ entity: EntitySummary; assets: EntityAsset[] } | null> {
    return entityQueries.entityAssets(this.tables.db, tenantId, entity, options);
  }

  cooccurring(
    tenantId: string,
    entity: { type: EntityType; name: string },
    options: { type?: EntityType; limit: number },
  ): Promise<{ entity: EntitySummary; items: CooccurringEntity[] } | null> {
    return entityQueries.cooccurring(this.tables.db, tenantId, entity, options);
  }

  path(tenantId: string, from: NodeRef, to: NodeRef, maxEdges: number): Promise<Subgraph | null> {
    return paths.path(this.tables.db, tenantId, from, to, maxEdges);
  }

  neighbourhood(
    tenantId: string,
    assetId: string,
    options: { depth: number; limit: number },
  ): Promise<Subgraph> {
    return paths.neighbourhood(this.tables.db, tenantId, assetId, options);
  }

  projectedVersions(tenantId: string, assetIds: string[]): Promise<Map<string, number>> {
    return writer.projectedVersions(this.tables.db, tenantId, assetIds);
  }

  projectedIdsAfter(tenantId: string, afterId: string | null, limit: number): Promise<ProjectedAsset[]> {
    return writer.projectedIdsAfter(this.tables.db, tenantId, afterId, limit);
  }

  coViewedOf(tenantId: string, assetIds: string[]): Promise<CoViewedEdges[]> {
    return coViews.coViewedOf(this.tables.db, tenantId, assetIds);
  }

  coViewedSourcesAfter(tenantId: string, afterId: string | null, limit: number): Promise<string[]> {
    return coViews.coViewedSourcesAfter(this.tables.db, tenantId, afterId, limit);
  }

  replaceCoViewed(tenantId: string, edges: CoViewedEdges[]): Promise<void> {
    return coViews.replaceCoViewed(this.tables, tenantId, edges);
  }
}
