import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresAnalyticsStore } from '../../analytics/postgres-analytics-store.js';
import { computePopularity } from '../../domain/popularity.js';
import { PostgresGraphStore } from '../../graph/postgres-graph-store.js';
import { PostgresSearchIndex } from '../../search/postgres-search-index.js';
import { PopularityService } from '../../services/popularity-service.js';
import type { Database } from '../../store/database.js';
import { popularityRepository } from '../../store/popularity-repository.js';
import { projectionAccess } from '../../store/projection-rebuilds-repository.js';
import { tenantsRepository } from '../../store/tenants-repository.js';
import { backendName, createTestDatabase } from '../support/database.js';
import { aStoredEvent } from '../support/factories.js';
import { aDoc } from './search-index.contract.js';

const DAY = 86_400_000;

/**
 * The popularity run on the embedded default: the Postgres analytics store's daily rollups in,
 * asset_popularity and both Postgres projections out, paged, idempotent and per tenant.
 */
describe(`PopularityService on Postgres (${backendName()})`, () => {
  let db: Database;
  let analytics: PostgresAnalyticsStore;
  let search: PostgresSearchIndex;
  let graph: PostgresGraphStore;
  beforeAll(async () => {
    db = await createTestDatabase();
    analytics = new PostgresAnalyticsStore(db);
    search = new PostgresSearchIndex(projectionAccess(db, 'search'));
    graph = new PostgresGraphStore(projectionAccess(db, 'graph'));
  });
  afterAll(() => db.close());
  const newTenant = async () => {
    const id = `t${randomUUID().slice(0, 8)}`;
    await tenantsRepository.ensure(db, id);
    return id;
  };
  const service = (at: Date, pageSize = 2) =>
    new PopularityService(
      { db, analytics, popularity: popularityRepository, search, graph, clock: () => at },
      { pageSize },
    );
  const columns = async (t: string) => {
    const rows = await db.query<{ asset_id: string; learned_popularity: number; trending: number }>(
      `SELECT asset_id::text AS asset_id, learned_popularity, trending FROM search_documents WHERE tenant_id = $1`,
      [t],
    );
    const nodes = await db.query<{ asset_id: string; popularity: number; trending: number }>(
      `SELECT asset_id::text AS asset_id, popularity, trending FROM graph_asset_projections WHERE tenant_id = $1`,
      [t],
    );
    return {
      search: new Map(rows.map((r) => [r.asset_id, [r.learned_popularity, r.trending]])),
      graph: new Map(nodes.map((r) => [r.asset_id, [r.popularity, r.trending]])),
    };
  };

  it('recomputes every asset with activity in pages, into the table and both projections', async () => {
    const t = await newTenant();
    const other = await newTenant();
    const now = new Date(Date.UTC(2026, 11, 6, 12));
    const ids = Array.from({ length: 5 }, () => randomUUID()).sort();
    await search.upsertMany(
      t,
      ids.map((assetId) => aDoc({ assetId })),
    );
    for (const assetId of ids) await graph.projectAsset(t, { assetId, version: 1, entities: [] });
    // Asset i: i + 1 plays today, and 3 plays twenty days ago for the first.
    const events = ids.flatMap((assetId, i) =>
      Array.from({ length: i + 1 }, (_, k) => ({
        tenantId: t,
        assetId,
        occurredAt: new Date(now.getTime() - (k + 1) * 60_000),
      })),
    );
    events.push(
      ...[1, 2, 3].map((k) => ({
        tenantId: t,
        assetId: ids[0]!,
        occurredAt: new Date(now.getTime() - 20 * DAY - k),
      })),
    );
    // Another tenant's plays of the same ids count for that tenant only.
    events.push(...Array.from({ length: 9 }, () => ({ tenantId: other, assetId: ids[0]!, occurredAt: now })));
    await analytics.record(events.map((e) => aStoredEvent(e)));

    const run = await service(now).recomputeTenant(t);
    expect(run).toEqual({ assets: 5, cleared: 0, pages: 3 });
    const held = await popularityRepository.forAssets(db, t, ids);
    const expected = (i: number) =>
      computePopularity(
        ids[i]!,
        [
          ...(i === 0 ? [{ day: new Date(Date.UTC(2026, 10, 16)), views: 3, watchSeconds: 0 }] : []),
          { day: new Date(Date.UTC(2026, 11, 6)), views: i + 1, watchSeconds: 0 },
        ],
        now,
      );
    for (const [i, id] of ids.entries()) {
      const row = held.find((r) => r.assetId === id)!;
      expect(row.popularity).toBeCloseTo(expected(i).popularity, 9);
      expect(row.trending).toBeCloseTo(expected(i).trending, 9);
      expect(row.views).toBe(i === 0 ? 4 : i + 1);
    }
    const { search: s, graph: g } = await columns(t);
    for (const [i, id] of ids.entries()) {
      expect(s.get(id)![0]).toBeCloseTo(expected(i).popularity, 9);
      expect(g.get(id)![1]).toBeCloseTo(expected(i).trending, 9);
    }
    // More plays today, more popular: the last asset first.
    expect(
      (
        await search.search(t, {
          query: { text: '', phrases: [], exclusions: [], filters: {} },
          limit: 5,
          sort: 'popularity',
        })
      ).hits.map((h) => h.assetId),
    ).toEqual([...ids].reverse());
  });

  it('keeps a newer computation over an older run, and clears assets whose activity left the window', async () => {
    const t = await newTenant();
    const [a, b] = [randomUUID(), randomUUID()].sort() as [string, string];
    await search.upsertMany(t, [aDoc({ assetId: a }), aDoc({ assetId: b })]);
    const day0 = new Date(Date.UTC(2026, 9, 1, 12));
    await analytics.record([
      aStoredEvent({ tenantId: t, assetId: a, occurredAt: day0 }),
      aStoredEvent({ tenantId: t, assetId: b, occurredAt: new Date(day0.getTime() + 40 * DAY) }),
    ]);
    const later = new Date(day0.getTime() + 41 * DAY);
    await service(later).recomputeTenant(t);
    const before = await columns(t);
    // An older run arriving late changes nothing.
    await service(new Date(day0.getTime() + 1 * DAY)).recomputeTenant(t);
    expect(await columns(t)).toEqual(before);
    expect((await popularityRepository.forAssets(db, t, [a]))[0]!.computedAt).toEqual(later);
    // Seventy days on, a has nothing in the window: zero in the projection and gone from the table.
    const run = await service(new Date(day0.getTime() + 70 * DAY)).recomputeTenant(t);
    expect(run.cleared).toBe(1);
    expect(await popularityRepository.forAssets(db, t, [a])).toEqual([]);
    expect((await columns(t)).search.get(a)).toEqual([0, 0]);
    expect((await columns(t)).search.get(b)![0]).toBeGreaterThan(0);
  });
});
