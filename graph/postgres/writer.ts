import type { EntityType } from '../../domain/entities.js';
import { normalizeEntityName } from '../../domain/entities.js';
import { batchOutcomes, newestOfEach } from '../../domain/projection-batch.js';
import { run, type ProjectionTables, type Sql } from '../../store/database.js';
import {
  projectionOf,
  type AssetGraph,
  type ProjectedAsset,
  type ProjectionOutcome,
} from '../graph-store.js';
import { SQL } from './statements.js';

/*
 * The Postgres graph's writes (projections, removals, respellings) and the projection audit. Writes
 * go through `tables.write`: on the live tables, and during an online rebuild on its table set too.
 */

/**
 * One transaction and a fixed number of statements per batch. Projection rows are locked in asset
 * order (new ones inserted first, so that there is a row to lock) and entity rows in id order, so
 * concurrent batches sharing assets or entities cannot deadlock.
 */
export async function projectMany(
  tables: ProjectionTables,
  tenantId: string,
  graphs: AssetGraph[],
): Promise<ProjectionOutcome[]> {
  if (graphs.length === 0) return [];
  // The newest version of each asset in the batch is the one that counts.
  const newest = newestOfEach(graphs);
  const ids = [...newest.keys()].sort();

  const outcomes = await tables.write(async (tx) => {
    // A new asset gets its final row at once: no version can be older. The insert waits on a
    // concurrent one of the same asset, which then counts as existing.
    const inserted = new Set(
      (
        await run<{ asset_id: string }>(tx, SQL.insertProjections, {
          tenantId,
          projections: JSON.stringify(
            ids.map((id) => {
              const g = newest.get(id)!;
              return { asset_id: id, version: g.version, created_at: g.createdAt ?? null };
            }),
          ),
        })
      ).map((r) => r.asset_id),
    );
    const existing = ids.filter((id) => !inserted.has(id));
    const held = new Map(
      existing.length === 0
        ? []
        : (
            await run<{ asset_id: string; version: number }>(tx, SQL.lockProjections, {
              tenantId,
              assetIds: existing,
            })
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
    if (applied.length > 0) await replaceLinks(tx, tenantId, applied, inserted);
    return outcome;
  });
  // A repeated asset's older versions are stale next to the newest of the batch.
  return batchOutcomes(graphs, newest, (g) => outcomes.get(g.assetId)!);
}

/** Replaces the entity links and manual links of these assets, and moves the counts. */
async function replaceLinks(
  tx: Sql,
  tenantId: string,
  graphs: AssetGraph[],
  inserted: Set<string>,
): Promise<void> {
  const projected = graphs.map((g) => ({ assetId: g.assetId, ...projectionOf(g) }));
  const links = projected.flatMap((p) => p.entities.map((e) => ({ assetId: p.assetId, ...e })));
  // Each entity once, with the first spelling the batch gives it.
  const nodes = new Map<string, { type: string; name: string; key: string }>();
  for (const l of links) {
    const id = `${l.type}\u0000${l.key}`;
    if (!nodes.has(id)) nodes.set(id, l);
  }
  const ids = graphs.map((g) => g.assetId);
  // Only an asset projected before has links to drop. Skipping new ones also keeps a bulk load
  // clear of a stale plan that scans the whole tenant for links that cannot exist.
  const known = ids.filter((id) => !inserted.has(id));
  // Nodes are shared by many assets: insert the missing ones without locking existing rows.
  await run(tx, SQL.insertNodes, {
    tenantId,
    types: [...nodes.values()].map((n) => n.type),
    names: [...nodes.values()].map((n) => n.name),
    keys: [...nodes.values()].map((n) => n.key),
  });
  const removed = known.length
    ? await run<{ node_id: string }>(tx, SQL.deleteLinks, { tenantId, assetIds: known })
    : [];
  const added = await run<{ node_id: string }>(tx, SQL.insertLinks, {
    tenantId,
    assetIds: links.map((l) => l.assetId),
    types: links.map((l) => l.type),
    keys: links.map((l) => l.key),
    weights: links.map((l) => l.weight),
    moments: links.map((l) => (l.moments ? JSON.stringify(l.moments) : null)),
  });
  const deltas = new Map<string, number>();
  for (const r of added) deltas.set(r.node_id, (deltas.get(r.node_id) ?? 0) + 1);
  for (const r of removed) deltas.set(r.node_id, (deltas.get(r.node_id) ?? 0) - 1);
  await adjustCounts(tx, tenantId, deltas);

  if (known.length > 0) await run(tx, SQL.deleteManualLinks, { tenantId, assetIds: known });
  const manual = projected.flatMap((p) =>
    p.links.map((l) => ({ source: p.assetId, target: l.targetId, note: l.note })),
  );
  if (manual.length > 0) await run(tx, SQL.insertManualLinks, { tenantId, links: JSON.stringify(manual) });
  const updated = graphs.filter((g) => !inserted.has(g.assetId));
  if (updated.length > 0) {
    await run(tx, SQL.updateProjections, {
      tenantId,
      projections: JSON.stringify(
        updated.map((g) => ({ asset_id: g.assetId, version: g.version, created_at: g.createdAt ?? null })),
      ),
    });
  }
  if (updated.length < graphs.length) await countAssets(tx, tenantId, graphs.length - updated.length);
}

async function countAssets(tx: Sql, tenantId: string, delta: number): Promise<void> {
  await run(tx, SQL.countAssets, { tenantId, delta });
}

/** Keeps each node's asset count exact, touching only the nodes whose membership changed. */
async function adjustCounts(tx: Sql, tenantId: string, deltas: Map<string, number>): Promise<void> {
  const changed = [...deltas].filter(([, d]) => d !== 0).sort(([a], [b]) => Number(a) - Number(b));
  if (changed.length === 0) return;
  // Lock in id order so that concurrent projections sharing nodes cannot deadlock.
  await run(tx, SQL.lockNodes, { tenantId, nodeIds: changed.map(([id]) => id) });
  await run(tx, SQL.adjustNodeCounts, {
    tenantId,
    nodeIds: changed.map(([id]) => id),
    deltas: changed.map(([, delta]) => delta),
  });
}

export async function removeAsset(
  tables: ProjectionTables,
  tenantId: string,
  assetId: string,
): Promise<void> {
  await tables.write(async (tx) => {
    const [held] = await run(tx, SQL.deleteProjection, { tenantId, assetId });
    const old = await run<{ node_id: string }>(tx, SQL.deleteAssetLinks, { tenantId, assetId });
    await adjustCounts(tx, tenantId, new Map(old.map((l) => [l.node_id, -1])));
    // Links to this asset belong to their sources' projections and go with them.
    await run(tx, SQL.deleteAssetManualLinks, { tenantId, assetId });
    if (held) await countAssets(tx, tenantId, -1);
  });
}

export async function respell(
  tables: ProjectionTables,
  tenantId: string,
  names: { type: EntityType; name: string }[],
): Promise<void> {
  const rows = names.map((n) => ({ type: n.type, name: n.name.trim(), key: normalizeEntityName(n.name) }));
  await tables.write((tx) => run(tx, SQL.respell, { tenantId, names: JSON.stringify(rows) }));
}

/** Unlinked entities whose normalized name holds `key` as whole words (a person's erasure). */
export async function forgetEntities(
  tables: ProjectionTables,
  tenantId: string,
  key: string,
): Promise<number> {
  const padded = `% ${key.replace(/[\\%_]/g, '\\$&')} %`;
  const words = key.split(' ');
  const rows = await tables.write((tx) =>
    run<{ id: string }>(tx, SQL.forgetEntities, { tenantId, padded, words }),
  );
  return rows.length;
}

export async function projectedVersions(
  db: Sql,
  tenantId: string,
  assetIds: string[],
): Promise<Map<string, number>> {
  if (assetIds.length === 0) return new Map();
  const rows = await run<{ asset_id: string; version: number }>(db, SQL.projectedVersions, {
    tenantId,
    assetIds,
  });
  return new Map(rows.map((r) => [r.asset_id, r.version]));
}

export async function projectedIdsAfter(
  db: Sql,
  tenantId: string,
  afterId: string | null,
  limit: number,
): Promise<ProjectedAsset[]> {
  const rows = await run<{ asset_id: string; version: number }>(db, SQL.projectedIdsAfter, {
    tenantId,
    afterId,
    limit,
  });
  return rows.map((r) => ({ assetId: r.asset_id, version: r.version }));
}
