import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresAnalyticsStore } from '../../analytics/postgres-analytics-store.js';
import { MINUTE_RANGE_MAX_MS, series } from '../../analytics/postgres/series.js';
import { estimateViewers, sketchBit, SKETCH_RELATIVE_ERROR } from '../../analytics/postgres/sketch.js';
import { TopAssetDays, topAssets, topAssetViewers } from '../../analytics/postgres/top-assets.js';
import { ValidationError } from '../../domain/errors.js';
import type { Database } from '../../store/database.js';
import { inTenantScope } from '../../store/tenant-isolation.js';
import { aStoredEvent, anEventAsset } from '../support/factories.js';
import { tenantsRepository } from '../../store/tenants-repository.js';
import { backendName, createTestDatabase } from '../support/database.js';
import { analyticsStoreContract } from './analytics-store.contract.js';

analyticsStoreContract(`postgres (${backendName()})`, async () => {
  const db = await createTestDatabase();
  return {
    store: new PostgresAnalyticsStore(db),
    async newTenant() {
      const id = `t${randomUUID().slice(0, 8)}`;
      await tenantsRepository.ensure(db, id);
      return id;
    },
    uniqueViewersError: PostgresAnalyticsStore.uniqueViewersError,
    close: () => db.close(),
  };
});

describe(`PostgresAnalyticsStore (${backendName()})`, () => {
  let db: Database;
  let store: PostgresAnalyticsStore;
  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresAnalyticsStore(db);
  });
  afterAll(() => db.close());
  const newTenant = async () => {
    const id = `t${randomUUID().slice(0, 8)}`;
    await tenantsRepository.ensure(db, id);
    return id;
  };
  const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

  it('shows a tenant scope only its own rows of every analytics table', async () => {
    const [t1, t2] = [await newTenant(), await newTenant()];
    for (const tenantId of [t1, t2]) {
      await store.record([
        aStoredEvent({ tenantId, occurredAt: day('2026-10-01'), asset: anEventAsset({ tags: ['x'] }) }),
        aStoredEvent({ tenantId, type: 'progress', position: 5_000, occurredAt: day('2026-10-01') }),
        aStoredEvent({
          tenantId,
          type: 'search',
          search: { query: 'q', totalHits: 0 },
          occurredAt: day('2026-10-01'),
        }),
        aStoredEvent({
          tenantId,
          type: 'click',
          search: { query: 'q', clickedRank: 1 },
          occurredAt: day('2026-10-01'),
        }),
      ]);
    }
    const tables = await db.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id'
       WHERE c.relname LIKE 'analytics\\_%' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1`,
    );
    expect(tables.map((t) => t.name)).toEqual([
      'analytics_asset_dims',
      'analytics_asset_rollups',
      'analytics_asset_viewers',
      'analytics_context_rollups',
      'analytics_context_viewers',
      'analytics_dim_rollups',
      'analytics_dim_viewers',
      'analytics_events',
      'analytics_query_rollups',
      'analytics_query_totals',
      'analytics_rank_rollups',
      'analytics_tenant_rollups',
      'analytics_tenant_viewers',
      'analytics_watch_progress',
    ]);
    for (const { name } of tables) {
      const seen = await inTenantScope(t1, () =>
        db.query<{ tenant_id: string }>(
          `SELECT DISTINCT tenant_id FROM ${name} WHERE tenant_id IN ($1, $2)`,
          [t1, t2],
        ),
      );
      expect(seen, name).toEqual([{ tenant_id: t1 }]);
    }
    // The metrics API reads within its tenant's scope.
    const views = await inTenantScope(t1, () =>
      store.series({
        tenantId: t1,
        metric: 'views',
        from: day('2026-10-01'),
        to: day('2026-10-02'),
        interval: 'hour',
        filters: { tag: ['x'] },
        limit: 5,
      }),
    );
    expect(views.series[0]!.total).toBe(1);
  });

  it('drops a day partition holding only the expiring tenant, and makes it again when an event comes', async () => {
    const t = await newTenant();
    const old = day('2020-02-03');
    const partition = 'analytics_events_p20200203';
    const exists = async () =>
      (await db.query(`SELECT 1 FROM pg_class WHERE relname = $1`, [partition])).length === 1;
    await store.record([
      aStoredEvent({ tenantId: t, occurredAt: old }),
      aStoredEvent({ tenantId: t, occurredAt: old }),
    ]);
    expect(await exists()).toBe(true);
    expect(await store.expireRaw(t, day('2020-02-04'))).toBe(2);
    expect(await exists()).toBe(false);
    const later = await store.record([aStoredEvent({ tenantId: t, occurredAt: old })]);
    expect(later.recorded).toHaveLength(1);
    expect(await exists()).toBe(true);
    const views = await store.series({
      tenantId: t,
      metric: 'views',
      from: old,
      to: day('2020-02-04'),
      interval: 'day',
      filters: {},
      limit: 1,
    });
    expect(views.series[0]!.total).toBe(3);
  });

  it('expires and erases within a tenant scope too, deleting rows where it may not drop partitions', async () => {
    const t = await newTenant();
    const old = day('2020-03-04');
    await store.record([
      aStoredEvent({ tenantId: t, occurredAt: old, userToken: 'carol' }),
      aStoredEvent({ tenantId: t, occurredAt: old }),
      aStoredEvent({ tenantId: t, occurredAt: day('2020-03-05') }),
    ]);
    expect(await inTenantScope(t, () => store.eraseUser(t, 'carol'))).toBe(1);
    expect(await inTenantScope(t, () => store.expireRaw(t, day('2020-03-06')))).toBe(2);
    expect(await store.expireRaw(t, day('2020-03-06'))).toBe(0);
  });

  it('refuses a minute series longer than its cap, naming the cap', async () => {
    const t = await newTenant();
    const refused = await store
      .series({
        tenantId: t,
        metric: 'views',
        from: day('2026-10-01'),
        to: day('2026-10-04'),
        interval: 'minute',
        filters: {},
        limit: 1,
      })
      .catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as Error).message).toContain(`${MINUTE_RANGE_MAX_MS / 3_600_000} hours`);
  });

  it('answers top assets from per-day lists as summing every row does, and sums a changed day again', async () => {
    const tenantId = await newTenant();
    const d1 = day('2026-09-01');
    const d2 = day('2026-09-02');
    const asset = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
    const plays = (assetId: string, n: number, at: Date, tags = ['a']) =>
      Array.from({ length: n }, () =>
        aStoredEvent({ tenantId, assetId, occurredAt: at, asset: anEventAsset({ tags }) }),
      );
    // 250 assets a day with one view (more than a day list keeps), two popular ones; the
    // second of them under two sets of dimensions (two rollup rows a day).
    const events = [d1, d2].flatMap((at) => [
      ...Array.from({ length: 250 }, (_, i) => plays(asset(i + 10), 1, at)).flat(),
      ...plays(asset(1), 5, at),
      ...plays(asset(2), 2, at, ['a']),
      ...plays(asset(2), 2, at, ['b']),
    ]);
    for (let i = 0; i < events.length; i += 500) await store.record(events.slice(i, i + 500));
    const q = (limit: number, metric: 'views' | 'watchTime' = 'views') => ({
      tenantId,
      metric,
      from: d1,
      to: day('2026-09-04'),
      interval: 'day' as const,
      groupBy: 'asset' as const,
      filters: {},
      limit,
    });
    const starts = [d1, d2, day('2026-09-03')].map((d) => d.getTime());
    const days = new TopAssetDays();
    const everyRow = (limit: number) => series(db, q(limit));

    const top2 = await topAssets(db, days, q(2), starts);
    expect(top2).not.toBeNull();
    expect({ series: top2 }).toEqual(await everyRow(2));
    expect(top2!.map((s) => [s.group, s.total])).toEqual([
      [asset(1), 10],
      [asset(2), 8],
    ]);
    // A third place among assets with one view a day cannot be told from the lists.
    expect(await topAssets(db, days, q(3), starts)).toBeNull();
    expect(await store.series(q(3))).toEqual(await everyRow(3));

    // A later event on the first day changes its counters: that day is summed again.
    await store.record(plays(asset(10), 20, new Date(d1.getTime() + 3_600_000)));
    const after = await topAssets(db, days, q(2), starts);
    expect(after!.map((s) => [s.group, s.total])).toEqual([
      [asset(10), 22],
      [asset(1), 10],
    ]);
    expect({ series: after }).toEqual(await everyRow(2));
  });

  it('estimates a sketch as analytics_viewers_estimate does, from its binary form', async () => {
    for (const n of [1, 7, 120, 400, 900, 5_000, 60_000]) {
      const bits = Array.from({ length: n }, (_, i) => sketchBit(`viewer-${n}-${i}`));
      const [row] = await db.query<{ estimate: number; sent: Uint8Array }>(
        `SELECT analytics_viewers_estimate(s) AS estimate, varbit_send(s) AS sent
         FROM (SELECT bit_or(set_bit(B'0'::bit(8192), b, 1)) AS s FROM unnest($1::int[]) AS b) x`,
        [bits],
      );
      expect(estimateViewers(row!.sent)).toBeCloseTo(Number(row!.estimate), 6);
      expect(Math.abs(estimateViewers(row!.sent) - n)).toBeLessThanOrEqual(4 * SKETCH_RELATIVE_ERROR * n + 1);
    }
  });

  it('estimates unique viewers by asset, tag and country within the documented error of COUNT(DISTINCT)', async () => {
    const tenantId = await newTenant();
    const d1 = day('2026-08-01');
    const asset = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
    const countries = ['de', 'fr', 'us'];
    // 250 assets (more than a day's top list keeps), viewers falling off as 1,000 / rank, over two
    // days; viewers overlap between assets, so sums would overcount.
    const events = Array.from({ length: 250 }, (_, i) =>
      Array.from({ length: Math.max(2, Math.floor(1_000 / (i + 1))) }, (_, k) =>
        aStoredEvent({
          tenantId,
          assetId: asset(i + 1),
          userToken: `u-${(k * 7 + i) % 1_500}`,
          occurredAt: new Date(d1.getTime() + (k % 2) * 86_400_000 + (k % 24) * 3_600_000),
          context: { country: countries[k % 3]! },
          asset: anEventAsset({ tags: [`t${i % 5}`, `s${i % 3}`] }),
        }),
      ),
    ).flat();
    for (let i = 0; i < events.length; i += 1_000) await store.record(events.slice(i, i + 1_000));
    const exact = async (group: string, join = '') =>
      new Map(
        (
          await db.query<{ g: string; n: number }>(
            `SELECT ${group} AS g, count(DISTINCT e.user_token)::int AS n FROM analytics_events e ${join}
             WHERE e.tenant_id = $1 AND e.type = 'play' AND e.consent GROUP BY 1`,
            [tenantId],
          )
        ).map((r) => [r.g, r.n]),
      );
    const q = (groupBy: 'asset' | 'tag' | 'country') => ({
      tenantId,
      metric: 'uniqueViewers' as const,
      from: d1,
      to: day('2026-08-03'),
      interval: 'day' as const,
      groupBy,
      filters: {},
      limit: 10,
    });
    const expectWithin = (found: { group: string | null; total: number }[], counts: Map<string, number>) => {
      expect(found).toHaveLength(Math.min(10, counts.size));
      for (const s of found) {
        const n = counts.get(s.group!)!;
        expect(Math.abs(s.total - n), `${s.group}: ${s.total} for ${n}`).toBeLessThanOrEqual(
          4 * SKETCH_RELATIVE_ERROR * n + 1,
        );
      }
      // The top by estimate is the top by count, give or take the error at its edge.
      const tenth = [...counts.values()].sort((a, b) => b - a)[found.length - 1]!;
      for (const s of found)
        expect(counts.get(s.group!)!).toBeGreaterThanOrEqual(tenth * (1 - 8 * SKETCH_RELATIVE_ERROR));
    };

    const byAsset = await store.series(q('asset'));
    expectWithin(byAsset.series, await exact('e.asset_id::text'));
    // The candidates' sketches answer as merging every asset's does.
    const starts = [d1.getTime(), d1.getTime() + 86_400_000];
    const viaCandidates = await topAssetViewers(db, new TopAssetDays(), q('asset'), starts);
    expect(viaCandidates).not.toBeNull();
    expect({ series: viaCandidates }).toEqual(await series(db, q('asset')));
    expect(byAsset).toEqual(await series(db, q('asset')));

    const byTag = await store.series(q('tag'));
    expectWithin(
      byTag.series,
      await exact(
        't',
        'JOIN analytics_asset_dims d ON d.tenant_id = e.tenant_id AND d.dims_key = e.dims_key CROSS JOIN unnest(d.tags) t',
      ),
    );
    const byCountry = await store.series(q('country'));
    expect(byCountry.series.map((s) => s.group).sort()).toEqual(countries);
    const perCountry = await exact('e.country');
    for (const s of byCountry.series) {
      const n = perCountry.get(s.group!)!;
      expect(Math.abs(s.total - n)).toBeLessThanOrEqual(4 * SKETCH_RELATIVE_ERROR * n + 1);
    }
  });
});
