import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Container } from '../../runtime/container.js';
import type { DriftProgress } from '../../services/drift-service.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';
import { coViewsRepository } from '../../store/co-views-repository.js';
import { popularityRepository } from '../../store/popularity-repository.js';
import { parseQuery } from '../../search/query-parser.js';

describe('drift between the canonical assets and the projections', () => {
  let t: TestApp;
  let c: Container;
  const who = { tenantId: 'default', actor: 'key:test' };
  let ids: string[];

  beforeAll(async () => {
    t = await createTestApp();
    c = t.container;
    const results = await c.ingest.ingest(who, [
      anAssetInput({ title: 'Glaciers retreating' }),
      anAssetInput({ title: 'Coral spawning' }),
      anAssetInput({ title: 'Desert blooms' }),
    ]);
    ids = results.map((r) => r.asset.id);
    const { settled } = await c.assets.waitUntilSettled(who.tenantId, ids, 20_000);
    expect(settled).toBe(true);
  });
  afterAll(() => t.close());

  it('finds none in a settled library', async () => {
    const report = await c.drift.check({ graceMs: 0 });
    expect(report.total).toBe(0);
    expect(report.assets).toBe(3);
  });

  it('reports missing, stale and orphaned assets per projection, repairs them, and finds none after', async () => {
    const [lost, bumped] = ids as [string, string];
    // A search document lost (with its postings, which belong to it).
    await c.db.query('DELETE FROM search_documents WHERE tenant_id = $1 AND asset_id = $2', [
      'default',
      lost,
    ]);
    await c.db.query('DELETE FROM search_postings WHERE tenant_id = $1 AND asset_id = $2', ['default', lost]);
    // A canonical change whose projection never ran (no outbox event).
    await c.db.query('UPDATE assets SET version = version + 1 WHERE tenant_id = $1 AND id = $2', [
      'default',
      bumped,
    ]);
    // Projections of an asset the canonical store does not have.
    const orphan = randomUUID();
    await c.graph.projectAsset('default', { assetId: orphan, version: 1, entities: [] });
    await c.search.upsert('default', {
      assetId: orphan,
      version: 1,
      type: 'VIDEO',
      sourceSystem: 'api',
      status: 'PROCESSED',
      title: 'Nobody owns this',
      description: '',
      transcript: '',
      tags: [],
      speakers: [],
      people: [],
      topics: [],
      keywords: [],
      brands: [],
      technical: {},
      createdAt: new Date(),
    });

    const pages: DriftProgress[] = [];
    const found = await c.drift.check({ graceMs: 0, pageSize: 2, onProgress: (p) => pages.push(p) });
    expect(found.counts).toEqual({
      search: { missing: 1, stale: 1, orphaned: 1 },
      graph: { missing: 0, stale: 1, orphaned: 1 },
      coViews: { missing: 0, stale: 0, orphaned: 0 },
    });
    expect(found.total).toBe(5);
    expect(found.samples).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ projection: 'search', kind: 'missing', assetId: lost, held: null }),
        expect.objectContaining({
          projection: 'search',
          kind: 'stale',
          assetId: bumped,
          canonical: 3,
          held: 2,
        }),
        expect.objectContaining({ projection: 'graph', kind: 'stale', assetId: bumped }),
        expect.objectContaining({ projection: 'search', kind: 'orphaned', assetId: orphan, canonical: null }),
        expect.objectContaining({ projection: 'graph', kind: 'orphaned', assetId: orphan }),
      ]),
    );
    expect(found.repaired).toBeNull();
    // Paged: three assets in pages of two, then each projection's holdings (four) in pages of two.
    expect(pages.map((p) => `${p.phase}:${p.page}`)).toEqual([
      'canonical:1',
      'canonical:2',
      'search:1',
      'search:2',
      'graph:1',
      'graph:2',
    ]);
    expect((await c.drift.latest())?.counts).toEqual(found.counts);

    const repaired = await c.drift.check({ graceMs: 0, pageSize: 2, repair: true });
    expect(repaired.total).toBe(5);
    expect(repaired.repaired).toEqual({ reprojected: 2, removed: 2, requeued: 0, coViews: 0 });

    const after = await c.drift.check({ graceMs: 0, pageSize: 2 });
    expect(after.total).toBe(0);
    expect((await c.drift.latest())?.counts.search).toEqual({ missing: 0, stale: 0, orphaned: 0 });
    const hits = await c.discovery.searchAssets('default', { q: 'glaciers', limit: 5 });
    expect(hits.hits.map((h) => h.asset.id)).toEqual([lost]);
    expect((await c.search.projectedVersions('default', [bumped])).get(bumped)).toBe(3);
  });

  it('writes a search document it repairs with the asset’s learned popularity', async () => {
    const [, , lost] = ids as [string, string, string];
    await c.db.transaction((tx) =>
      popularityRepository.upsertMany(tx, 'default', [
        {
          assetId: lost,
          popularity: 42.5,
          trending: 1.25,
          views: 40,
          watchSeconds: 90,
          computedAt: new Date(),
        },
      ]),
    );
    await c.db.query('DELETE FROM search_documents WHERE tenant_id = $1 AND asset_id = $2', [
      'default',
      lost,
    ]);
    await c.db.query('DELETE FROM search_postings WHERE tenant_id = $1 AND asset_id = $2', ['default', lost]);

    const repaired = await c.drift.check({ graceMs: 0, repair: true, projections: ['search'] });
    expect(repaired.repaired).toMatchObject({ reprojected: 1 });
    // Most popular at once, before any popularity run.
    const page = await c.search.search('default', { query: parseQuery(''), limit: 1, sort: 'popularity' });
    expect(page.hits.map((h) => h.assetId)).toEqual([lost]);
    const trending = await c.search.search('default', { query: parseQuery(''), limit: 1, sort: 'trending' });
    expect(trending.hits.map((h) => h.assetId)).toEqual([lost]);
  });

  it('compares the graph’s CO_VIEWED relationships with the canonical co-views, and repairs them', async () => {
    const [a, b, c2] = [...ids].sort() as [string, string, string];
    // Canonical: a watched with b and c, b with a; none for c.
    await c.db.transaction((tx) =>
      coViewsRepository.replaceRange(
        tx,
        'default',
        { afterId: null, lastId: null },
        [
          {
            assetId: a,
            partners: [
              { relatedId: b, sessions: 4, score: 0.5 },
              { relatedId: c2, sessions: 3, score: 0.25 },
            ],
          },
          { assetId: b, partners: [{ relatedId: a, sessions: 4, score: 0.5 }] },
        ],
        new Date(),
      ),
    );
    // The graph: a lacks c (stale), b has nothing (missing), c has one the table has not (orphaned).
    await c.graph.replaceCoViewed('default', [
      { assetId: a, partners: [{ relatedId: b, sessions: 4, score: 0.5 }] },
      { assetId: c2, partners: [{ relatedId: a, sessions: 2, score: 0.1 }] },
    ]);

    const found = await c.drift.check({ graceMs: 0, pageSize: 1, projections: ['graph'] });
    expect(found.counts.coViews).toEqual({ missing: 1, stale: 1, orphaned: 1 });
    expect(found.total).toBe(3);
    // Only the search projection checked: no co-views.
    expect((await c.drift.check({ graceMs: 0, projections: ['search'] })).counts).not.toHaveProperty(
      'coViews',
    );

    const repaired = await c.drift.check({ graceMs: 0, pageSize: 1, repair: true });
    expect(repaired.counts.coViews).toEqual({ missing: 1, stale: 1, orphaned: 1 });
    expect(repaired.repaired).toMatchObject({ coViews: 3, reprojected: 0, removed: 0 });
    const after = await c.drift.check({ graceMs: 0 });
    expect(after.total).toBe(0);
    expect(after.counts.coViews).toEqual({ missing: 0, stale: 0, orphaned: 0 });
    const held = await c.graph.coViewedOf('default', [a, b, c2]);
    expect(held.map((e) => [e.assetId, e.partners.map((p) => [p.relatedId, p.sessions])])).toEqual([
      [
        a,
        [
          [b, 4],
          [c2, 3],
        ],
      ],
      [b, [[a, 4]]],
    ]);
  });

  it('skips and reports an asset its projection refuses, and repairs the rest of every tenant', async () => {
    // A row from before dates were checked at the edge: 1 BC, which the search projection cannot write.
    const app = await createTestApp({ workers: false });
    try {
      const x = app.container;
      await app.keyFor('aaa-first', 'ADMIN'); // makes the tenants
      await app.keyFor('zzz-last', 'ADMIN');
      const [poisoned] = await x.ingest.ingest({ tenantId: 'aaa-first', actor: 'key:test' }, [
        anAssetInput(),
      ]);
      const [later] = await x.ingest.ingest({ tenantId: 'zzz-last', actor: 'key:test' }, [anAssetInput()]);
      await x.db.query(`UPDATE assets SET created_at = '0001-12-31 10:00:00+00 BC' WHERE id = $1`, [
        poisoned!.asset.id,
      ]);
      await x.db.query(`UPDATE assets SET status = 'PROCESSED', enriched_from_version = version`);

      const report = await x.drift.check({ graceMs: 0, repair: true });
      // The driver may read 1 BC as an invalid Date (PGlite) or Postgres may refuse year 0: either fails.
      expect(report.unrepaired).toEqual([
        expect.objectContaining({
          tenantId: 'aaa-first',
          assetId: poisoned!.asset.id,
          projections: expect.arrayContaining(['search']),
        }),
      ]);
      expect(report.unrepaired[0]!.error).toMatch(/range|invalid/i);
      // Recorded for the gauge that DriftRemainsAfterRepair alerts on (ops/prometheus).
      expect(await x.drift.latest()).toMatchObject({ repaired: true, unrepaired: 1 });
      expect((await x.system.metricsText()).split('\n')).toContain(
        'mdisc_projection_drift_unrepaired_assets 1',
      );
      // The tenant checked after it was repaired.
      expect((await x.search.projectedVersions('zzz-last', [later!.asset.id])).get(later!.asset.id)).toBe(1);
    } finally {
      await app.close();
    }
  });

  it('does not count assets still on their way: not yet enriched, or changed within the grace period', async () => {
    const idle = await createTestApp({ workers: false });
    try {
      await idle.container.ingest.ingest(who, [anAssetInput()]);
      const report = await idle.container.drift.check({ graceMs: 0 });
      expect(report.total).toBe(0);
      // On its way, it is the processing lag of /metrics (ProcessingLagHigh in ops/prometheus).
      const lines = (await idle.container.system.metricsText()).split('\n');
      expect(lines).toContain('mdisc_assets_in_flight 1');
      expect(lines).toContainEqual(
        expect.stringMatching(/^mdisc_assets_in_flight_oldest_age_seconds \d+(\.\d+)?(e-\d+)?$/),
      );
      const [asset] = await idle.container.db.query<{ id: string }>('SELECT id FROM assets');
      await idle.container.db.query('UPDATE assets SET version = 2 WHERE id = $1', [asset!.id]);
      const graced = await idle.container.drift.check({ graceMs: 3_600_000 });
      expect(graced).toMatchObject({ total: 0, recent: 1 });
      const strict = await idle.container.drift.check({ graceMs: 0 });
      expect(strict.counts.search).toEqual({ missing: 1, stale: 0, orphaned: 0 });
    } finally {
      await idle.close();
    }
  });
});
