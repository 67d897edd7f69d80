import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresAnalyticsStore } from '../../analytics/postgres-analytics-store.js';
import type { StoredEvent } from '../../domain/interaction-events.js';
import { PostgresGraphStore } from '../../graph/postgres-graph-store.js';
import { CoViewService } from '../../services/co-view-service.js';
import { coViewsRepository } from '../../store/co-views-repository.js';
import type { Database } from '../../store/database.js';
import { projectionAccess } from '../../store/projection-rebuilds-repository.js';
import { tenantsRepository } from '../../store/tenants-repository.js';
import { backendName, createTestDatabase } from '../support/database.js';
import { aStoredEvent } from '../support/factories.js';

// Events in the analytics store → asset_co_views → CO_VIEWED relationships in the graph, on real
// Postgres, paged across scheduled runs.
describe(`co-views from events to the graph (${backendName()})`, () => {
  let db: Database;
  let analytics: PostgresAnalyticsStore;
  let graph: PostgresGraphStore;
  const now = new Date('2026-11-20T12:00:00Z');
  beforeAll(async () => {
    db = await createTestDatabase();
    analytics = new PostgresAnalyticsStore(db);
    graph = new PostgresGraphStore(projectionAccess(db, 'graph'));
  });
  afterAll(() => db.close());

  const newTenant = async () => {
    const id = `t${randomUUID().slice(0, 8)}`;
    await tenantsRepository.ensure(db, id);
    return id;
  };
  const service = (tenants: string[], options: { assetsPerPage?: number; pagesPerRun?: number } = {}) =>
    new CoViewService(
      {
        db,
        analytics,
        graph,
        coViews: coViewsRepository,
        tenantIds: () => Promise.resolve(tenants),
        clock: () => now,
      },
      { minSessions: 2, ...options },
    );
  /** Sessions, each a list of assets played in it (an hour before `now`). */
  const watch = async (tenantId: string, sessions: string[][], prefix = randomUUID()) => {
    const events: StoredEvent[] = sessions.flatMap((assets, s) =>
      assets.map((assetId, i) =>
        aStoredEvent({
          tenantId,
          assetId,
          sessionToken: `${prefix}-${s}`,
          occurredAt: new Date(now.getTime() - 3_600_000 + i * 1_000),
        }),
      ),
    );
    await analytics.record(events);
  };
  const project = async (tenantId: string, ids: string[]) => {
    for (const assetId of ids) await graph.projectAsset(tenantId, { assetId, version: 1, entities: [] });
  };
  const rows = (tenantId: string) =>
    db.query<{ asset_id: string; related_id: string; sessions: number }>(
      'SELECT asset_id, related_id, sessions FROM asset_co_views WHERE tenant_id = $1 ORDER BY asset_id, related_id',
      [tenantId],
    );

  it('keeps co-views canonically and projects them, page by page across runs, each tenant apart', async () => {
    const [t, other] = [await newTenant(), await newTenant()];
    const [a, b, c, d, hit] = Array.from({ length: 5 }, () => randomUUID()).sort();
    await project(t, [a!, b!, c!, d!, hit!]);
    await project(other, [a!, b!, c!, d!, hit!]);
    // a and b together in 3 sessions; c with a once (under the support of 2); the hit in every one.
    await watch(t, [
      [a!, b!, hit!],
      [a!, b!, hit!],
      [a!, b!, c!, hit!],
      [d!, hit!],
      [d!, hit!],
    ]);
    // The other tenant's sessions pair a with d.
    await watch(other, [
      [a!, d!],
      [a!, d!],
    ]);

    // Two anchors a page, one page a run: three runs to cover a, b, c, d, hit.
    const sut = service([t, other], { assetsPerPage: 2, pagesPerRun: 1 });
    const first = await sut.recompute(t);
    expect(first).toMatchObject({ pages: 1, anchors: 2, finished: false });
    expect(await coViewsRepository.position(db, t)).toBe(b);
    await sut.recompute(t);
    expect((await sut.recompute(t)).finished).toBe(true);
    expect(await coViewsRepository.position(db, t)).toBeNull();

    const stored = await rows(t);
    const pairsOf = (id: string) =>
      stored.filter((r) => r.asset_id === id).map((r) => [r.related_id, r.sessions]);
    expect(pairsOf(a!)).toContainEqual([b, 3]);
    expect(pairsOf(a!).map(([id]) => id)).not.toContain(c);
    // Cosine against the hit's five sessions, shrunk: b ranks first for a, above the blockbuster.
    const related = await graph.related(t, a!, { limit: 10, via: ['CO_VIEWED'] });
    expect(related[0]).toMatchObject({
      assetId: b,
      reasons: [{ type: 'CO_VIEWED', name: '3 sessions watched both', count: 3 }],
    });
    expect(related.map((r) => r.assetId)).not.toContain(d);
    expect(related[0]!.score).toBeGreaterThan(related.find((r) => r.assetId === hit)!.score);

    // Another tenant's sessions never relate this one's assets, and the other way round.
    expect(await rows(other)).toEqual([]);
    await sut.recomputeAll();
    await sut.recomputeAll();
    expect((await rows(other)).map((r) => [r.asset_id, r.related_id, r.sessions])).toEqual(
      [
        [a, d, 2],
        [d, a, 2],
      ].sort(),
    );
    expect((await graph.related(other, a!, { limit: 10 })).map((r) => r.assetId)).toEqual([d]);
    expect((await graph.related(t, a!, { limit: 10 })).map((r) => r.assetId)).not.toContain(d);
  });

  it('drops the co-views of an asset no longer played together when its range comes round', async () => {
    const t = await newTenant();
    const [a, b] = [randomUUID(), randomUUID()].sort();
    await project(t, [a!, b!]);
    await watch(t, [
      [a!, b!],
      [a!, b!],
    ]);
    const sut = service([t]);
    await sut.recompute(t);
    expect((await graph.related(t, a!, { limit: 5 })).map((r) => r.assetId)).toEqual([b]);
    // The window moves past the sessions: nothing relates them any more, in the table or the graph.
    const later = new CoViewService(
      {
        db,
        analytics,
        graph,
        coViews: coViewsRepository,
        tenantIds: () => Promise.resolve([t]),
        clock: () => new Date(now.getTime() + 31 * 24 * 3_600_000),
      },
      { minSessions: 2 },
    );
    expect(await later.recompute(t)).toMatchObject({ anchors: 0, finished: true });
    expect(await rows(t)).toEqual([]);
    expect(await graph.related(t, a!, { limit: 5 })).toEqual([]);
    // Recomputing again is idempotent.
    await sut.recompute(t);
    await sut.recompute(t);
    expect((await rows(t)).map((r) => r.sessions)).toEqual([2, 2]);
  });
});
