import type { PopularityUpdate } from '../../domain/popularity.js';
import neo4j, { type Driver, type Integer, type ManagedTransaction } from 'neo4j-driver';
import type { EntityType } from '../../domain/entities.js';
import { normalizeEntityName } from '../../domain/entities.js';
import { batchOutcomes, newestOfEach } from '../../domain/projection-batch.js';
import { CYPHER, SCHEMA } from '../cypher.js';
import {
  projectionOf,
  type AssetGraph,
  type CoViewedEdges,
  type ProjectedAsset,
  type ProjectionOutcome,
} from '../graph-store.js';
import { compare, entityId, read, toNumber, write, type Num } from './driver.js';

/*
 * The Neo4j graph's writes (projections, removals, respellings, its schema and a tenant's removal)
 * and the projection audit.
 */

/** Links written per statement: an asset with many entities is written in several batches of one transaction. */
const WRITE_BATCH = 500;

// Row shapes of the statements in cypher.ts.
type VersionRow = { version: Num | null };
type KeyRow = { type: EntityType; key: string };
type AssetVersionRow = { assetId: string; version: Num };
type CountRow = { deleted: Num };

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

/** Creates the constraints and indexes that are missing; each in a transaction of its own. */
export async function ensureSchema(driver: Driver): Promise<void> {
  for (const statement of Object.values(SCHEMA)) {
    await write(driver, async (tx) => {
      await tx.run(statement);
    });
  }
}

/** Deletes a tenant's whole graph, in bounded transactions (tenant removal, test clean-up). */
export async function deleteTenant(driver: Driver, tenantId: string): Promise<void> {
  for (const statement of [CYPHER.deleteTenantAssets, CYPHER.deleteTenantEntities]) {
    for (;;) {
      const [row] = (
        await write(driver, (tx) => tx.run<CountRow>(statement, { tenantId, batch: neo4j.int(WRITE_BATCH) }))
      ).records;
      if (!row || toNumber(row.get('deleted')) === 0) break;
    }
  }
  await write(driver, (tx) => tx.run(CYPHER.deleteTenantStats, { tenantId }));
}

export async function projectAsset(
  driver: Driver,
  tenantId: string,
  graph: AssetGraph,
): Promise<ProjectionOutcome> {
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

  return write(driver, async (tx) => {
    const params = { tenantId, assetId: graph.assetId };
    const [current] = (await tx.run<VersionRow>(CYPHER.lockAsset, params)).records;
    const held = current?.get('version');
    if (held !== null && held !== undefined) {
      const version = toNumber(held);
      if (version > graph.version) return 'stale';
      if (version === graph.version) return 'unchanged';
    }
    const changes = new Map(next);
    for (const { type, key } of await linksOf(tx, params)) {
      const id = entityId(type, key);
      const kept = changes.get(id);
      changes.set(id, kept ? { ...kept, delta: KEPT } : removal(type, key));
    }
    await applyLinks(tx, tenantId, graph.assetId, [...changes.values()]);
    await tx.run(CYPHER.replaceManualLinks, { ...params, links });
    const createdAt = graph.createdAt ? Date.parse(graph.createdAt) : null;
    await tx.run(CYPHER.setVersion, { ...params, version: neo4j.int(graph.version), createdAt });
    if (held === null || held === undefined) await tx.run(CYPHER.moveAssetCount, { tenantId, delta: ADDED });
    return 'applied';
  });
}

/**
 * One bounded transaction per asset: Neo4j locks what a projection touches until it commits. Of an
 * asset the batch holds twice only the newest version is projected; the others are stale.
 */
export async function projectMany(
  driver: Driver,
  tenantId: string,
  graphs: AssetGraph[],
): Promise<ProjectionOutcome[]> {
  const newest = newestOfEach(graphs);
  const outcomes = new Map<string, ProjectionOutcome>();
  for (const graph of newest.values())
    outcomes.set(graph.assetId, await projectAsset(driver, tenantId, graph));
  return batchOutcomes(graphs, newest, (g) => outcomes.get(g.assetId)!);
}

export async function removeAsset(driver: Driver, tenantId: string, assetId: string): Promise<void> {
  await write(driver, async (tx) => {
    const params = { tenantId, assetId };
    const locked = await tx.run<VersionRow>(CYPHER.lockExistingAsset, params);
    if (locked.records.length === 0) return;
    const projected = locked.records[0]!.get('version') !== null;
    const links = await linksOf(tx, params);
    await applyLinks(
      tx,
      tenantId,
      assetId,
      links.map((l) => removal(l.type, l.key)),
    );
    await tx.run(CYPHER.deleteAsset, params);
    // A bare link target was never counted.
    if (projected) await tx.run(CYPHER.moveAssetCount, { tenantId, delta: neo4j.int(-1) });
  });
}

async function linksOf(
  tx: ManagedTransaction,
  params: { tenantId: string; assetId: string },
): Promise<KeyRow[]> {
  return (await tx.run<KeyRow>(CYPHER.assetLinks, params)).records.map((r) => r.toObject());
}

/**
 * Writes link changes in batches, sorted by entity so that concurrent projections sharing entities
 * lock them in one order (and a deadlock, should one happen, is retried by executeWrite).
 */
async function applyLinks(
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

export async function respell(
  driver: Driver,
  tenantId: string,
  names: { type: EntityType; name: string }[],
): Promise<void> {
  const rows = names.map((n) => ({ type: n.type, name: n.name.trim(), key: normalizeEntityName(n.name) }));
  await write(driver, (tx) => tx.run(CYPHER.respell, { tenantId, names: rows }));
}

/** Unlinked entities whose key holds `key` as whole words (a person's erasure; CYPHER.forgetEntities). */
export async function forgetEntities(driver: Driver, tenantId: string, key: string): Promise<number> {
  const res = await write(driver, (tx) =>
    tx.run(CYPHER.forgetEntities, { tenantId, padded: ` ${key} `, words: key.split(' ') }),
  );
  const deleted: unknown = res.records[0]?.get('deleted');
  return neo4j.isInt(deleted) ? deleted.toNumber() : Number(deleted ?? 0);
}

/** Learned popularity on asset nodes, in bounded batches (CYPHER.applyPopularity). */
export async function applyPopularity(
  driver: Driver,
  tenantId: string,
  rows: PopularityUpdate[],
): Promise<void> {
  const params = rows.map((r) => ({
    assetId: r.assetId,
    popularity: r.popularity,
    trending: r.trending,
    computedAt: r.computedAt.getTime(),
  }));
  for (let i = 0; i < params.length; i += WRITE_BATCH) {
    const batch = params.slice(i, i + WRITE_BATCH);
    await write(driver, (tx) => tx.run(CYPHER.applyPopularity, { tenantId, rows: batch }));
  }
}

export async function projectedVersions(
  driver: Driver,
  tenantId: string,
  assetIds: string[],
): Promise<Map<string, number>> {
  if (assetIds.length === 0) return new Map();
  const result = await read(driver, (tx) =>
    tx.run<AssetVersionRow>(CYPHER.projectedVersions, { tenantId, assetIds }),
  );
  return new Map(result.records.map((r) => [r.get('assetId'), toNumber(r.get('version'))]));
}

export async function projectedIdsAfter(
  driver: Driver,
  tenantId: string,
  afterId: string | null,
  limit: number,
): Promise<ProjectedAsset[]> {
  const result = await read(driver, (tx) =>
    tx.run<AssetVersionRow>(CYPHER.projectedIdsAfter, {
      tenantId,
      afterId: afterId ?? '',
      limit: neo4j.int(limit),
    }),
  );
  return result.records.map((r) => ({ assetId: r.get('assetId'), version: toNumber(r.get('version')) }));
}

/** CO_VIEWED relationships, replaced per asset in one transaction (CYPHER.replaceCoViewed). */
export async function replaceCoViewed(
  driver: Driver,
  tenantId: string,
  edges: CoViewedEdges[],
): Promise<void> {
  if (edges.length === 0) return;
  const rows = edges.map((e) => ({
    id: e.assetId,
    partners: e.partners.map((p) => ({ id: p.relatedId, sessions: neo4j.int(p.sessions), score: p.score })),
  }));
  await write(driver, async (tx) => {
    for (let i = 0; i < rows.length; i += WRITE_BATCH)
      await tx.run(CYPHER.replaceCoViewed, { tenantId, edges: rows.slice(i, i + WRITE_BATCH) });
  });
}

/** The CO_VIEWED relationships of these assets, by source asset (CYPHER.coViewedOf). */
export async function coViewedOf(
  driver: Driver,
  tenantId: string,
  assetIds: string[],
): Promise<CoViewedEdges[]> {
  if (assetIds.length === 0) return [];
  const result = await read(driver, (tx) => tx.run(CYPHER.coViewedOf, { tenantId, assetIds }));
  const edges = new Map<string, CoViewedEdges>();
  for (const r of result.records) {
    const assetId = r.get('assetId') as string;
    const e = edges.get(assetId) ?? { assetId, partners: [] };
    e.partners.push({
      relatedId: r.get('relatedId') as string,
      sessions: toNumber(r.get('sessions') as Num),
      score: toNumber(r.get('score') as Num),
    });
    edges.set(assetId, e);
  }
  return [...edges.values()];
}

/** A page of the assets with CO_VIEWED relationships, in id order (CYPHER.coViewedSourcesAfter). */
export async function coViewedSourcesAfter(
  driver: Driver,
  tenantId: string,
  afterId: string | null,
  limit: number,
): Promise<string[]> {
  const result = await read(driver, (tx) =>
    tx.run(CYPHER.coViewedSourcesAfter, { tenantId, afterId: afterId ?? '', limit: neo4j.int(limit) }),
  );
  return result.records.map((r) => r.get('assetId') as string);
}
