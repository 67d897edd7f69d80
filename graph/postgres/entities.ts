import type { EntityType } from '../../domain/entities.js';
import { normalizeEntityName } from '../../domain/entities.js';
import { run, type Sql } from '../../store/database.js';
import {
  GRAPH_LIMITS,
  type CooccurringEntity,
  type EntityAsset,
  type EntitySummary,
} from '../graph-store.js';
import { SQL } from './statements.js';

interface EntityRow {
  type: EntityType;
  name: string;
  asset_count: number;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
const summaryOf = (r: EntityRow): EntitySummary => ({
  type: r.type,
  name: r.name,
  assetCount: r.asset_count,
});

export async function entities(
  db: Sql,
  tenantId: string,
  options: { type?: EntityType; prefix?: string; limit: number; offset: number },
): Promise<EntitySummary[]> {
  const prefix = options.prefix ? normalizeEntityName(options.prefix) : '';
  const rows = await run<EntityRow>(db, SQL.entities, {
    tenantId,
    type: options.type ?? null,
    pattern: `${escapeLike(prefix)}%`,
    limit: options.limit,
    offset: options.offset,
  });
  return rows.map(summaryOf);
}

export async function entitiesNamed(db: Sql, tenantId: string, names: string[]): Promise<EntitySummary[]> {
  const keys = [...new Set(names.map(normalizeEntityName).filter((k) => k !== ''))];
  if (keys.length === 0) return [];
  return (await run<EntityRow>(db, SQL.entitiesNamed, { tenantId, keys })).map(summaryOf);
}

export async function entityAssets(
  db: Sql,
  tenantId: string,
  entity: { type: EntityType; name: string },
  options: { limit: number; offset: number },
): Promise<{ entity: EntitySummary; assets: EntityAsset[] } | null> {
  const [node] = await run<EntityRow & { id: string }>(db, SQL.entity, {
    tenantId,
    type: entity.type,
    key: normalizeEntityName(entity.name),
  });
  if (!node) return null;
  const links = await run<{
    asset_id: string;
    weight: number;
    moments: { start: number; end: number }[] | null;
  }>(db, SQL.entityAssets, { tenantId, nodeId: node.id, limit: options.limit, offset: options.offset });
  return {
    entity: summaryOf(node),
    assets: links.map((l) => ({
      assetId: l.asset_id,
      weight: l.weight,
      ...(l.moments?.length ? { moments: l.moments } : {}),
    })),
  };
}

export async function cooccurring(
  db: Sql,
  tenantId: string,
  entity: { type: EntityType; name: string },
  options: { type?: EntityType; limit: number },
): Promise<{ entity: EntitySummary; items: CooccurringEntity[] } | null> {
  const [node] = await run<EntityRow & { id: string }>(db, SQL.entity, {
    tenantId,
    type: entity.type,
    key: normalizeEntityName(entity.name),
  });
  if (!node) return null;
  const rows = await run<EntityRow & { shared_assets: number }>(db, SQL.cooccurring, {
    tenantId,
    nodeId: node.id,
    type: options.type ?? null,
    sample: GRAPH_LIMITS.cooccurrenceAssets,
    limit: options.limit,
  });
  return {
    entity: summaryOf(node),
    items: rows.map((r) => ({ ...summaryOf(r), sharedAssets: r.shared_assets })),
  };
}
