import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';
import { FeedServer } from '../support/feed-server.js';

interface Drift {
  checkedAt: string | null;
  repaired: boolean;
  projections: { projection: string; missing: number; stale: number; orphaned: number }[];
  stuck: number;
  unrepaired: number;
  unrepairedAssets: { assetId: string; projections: string[]; error: string }[];
}
interface Connectors {
  healthy: number;
  unhealthy: number;
  unknown: number;
  disabled: number;
  unhealthyControllers: {
    id: string;
    name: string;
    kind: string;
    lastError: string | null;
    lastSyncAt: string | null;
  }[];
}

/** GET /v1/metrics/drift and /v1/metrics/connectors: each tenant sees its own part only. */
describe('drift and connector health in the metrics API', () => {
  let t: TestApp;
  const feed = new FeedServer();
  const keys: Record<'a' | 'b', { authorization: string }> = {} as never;

  beforeAll(async () => {
    await feed.start();
    t = await createTestApp({
      workers: false,
      env: { WEBHOOK_ALLOW_PRIVATE: 'true', CONTROLLER_TICK_MS: '0' },
    });
    keys.a = await t.keyFor('health-a', 'ADMIN');
    keys.b = await t.keyFor('health-b', 'CONTENT_MANAGER');
  });
  afterAll(async () => {
    await t?.close();
    await feed.stop();
  });

  const get = async <T>(url: string, who: 'a' | 'b') => {
    const res = await t.app.inject({ url, headers: keys[who] });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<T>();
  };

  it('answers nothing checked before the first drift check, then each tenant its own drift', async () => {
    expect(await get<Drift>('/v1/metrics/drift', 'b')).toEqual({
      checkedAt: null,
      repaired: false,
      projections: [],
      stuck: 0,
      unrepaired: 0,
      unrepairedAssets: [],
    });
    const x = t.container;
    // Two assets never projected (no workers run), one of which search refuses (a date it cannot write).
    const [poisoned] = await x.ingest.ingest({ tenantId: 'health-a', actor: 'key:test' }, [
      anAssetInput(),
      anAssetInput(),
    ]);
    await x.ingest.ingest({ tenantId: 'health-b', actor: 'key:test' }, [anAssetInput()]);
    await x.db.query(`UPDATE assets SET created_at = '0001-12-31 10:00:00+00 BC' WHERE id = $1`, [
      poisoned!.asset.id,
    ]);
    await x.db.query(`UPDATE assets SET status = 'PROCESSED', enriched_from_version = version`);
    await x.drift.check({ graceMs: 0, repair: true, tenants: ['health-a', 'health-b'] });

    const a = await get<Drift>('/v1/metrics/drift', 'a');
    expect(a.checkedAt).not.toBeNull();
    expect(a.repaired).toBe(true);
    // Never projected (no workers ran): both assets missing from search and graph, found before repair.
    expect(a.projections).toContainEqual({ projection: 'search', missing: 2, stale: 0, orphaned: 0 });
    expect(a.projections).toContainEqual({ projection: 'graph', missing: 2, stale: 0, orphaned: 0 });
    expect(a.unrepaired).toBe(1);
    expect(a.unrepairedAssets).toEqual([
      expect.objectContaining({
        assetId: poisoned!.asset.id,
        projections: expect.arrayContaining(['search']),
      }),
    ]);

    // The other tenant: its own asset, repaired, and none of the first tenant's.
    const b = await get<Drift>('/v1/metrics/drift', 'b');
    expect(b.checkedAt).toBe(a.checkedAt);
    expect(b.projections).toContainEqual({ projection: 'search', missing: 1, stale: 0, orphaned: 0 });
    expect(b.unrepaired).toBe(0);
    expect(b.unrepairedAssets).toEqual([]);
  });

  it('counts the tenant’s connectors by health and lists the failing one with its error', async () => {
    feed.malformed = true;
    const create = async (body: object) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/controllers',
        headers: keys.a,
        payload: body,
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ id: string }>().id;
    };
    const broken = await create({
      name: 'Broken feed',
      kind: 'mrss',
      configuration: { url: `${feed.url}/feed.rss` },
    });
    await create({
      name: 'Paused feed',
      kind: 'mrss',
      enabled: false,
      configuration: { url: `${feed.url}/paused.rss`, sourceSystem: 'paused' },
    });
    await create({
      name: 'New feed',
      kind: 'mrss',
      configuration: { url: `${feed.url}/new.rss`, sourceSystem: 'new' },
    });
    const run = await t.app.inject({
      method: 'POST',
      url: `/v1/controllers/${broken}/sync`,
      headers: keys.a,
    });
    expect(run.json<{ status: string }>().status).toBe('FAILED');

    const a = await get<Connectors>('/v1/metrics/connectors', 'a');
    expect(a).toMatchObject({ healthy: 0, unhealthy: 1, unknown: 1, disabled: 1 });
    expect(a.unhealthyControllers).toEqual([
      expect.objectContaining({ id: broken, name: 'Broken feed', kind: 'mrss', lastSyncAt: null }),
    ]);
    expect(a.unhealthyControllers[0]!.lastError).toBeTruthy();
    expect(await get<Connectors>('/v1/metrics/connectors', 'b')).toEqual({
      healthy: 0,
      unhealthy: 0,
      unknown: 0,
      disabled: 0,
      unhealthyControllers: [],
    });
    // metrics:read is needed: a key without it is refused.
    const viewer = await t.keyFor('health-a', 'EDITOR');
    const refused = await t.app.inject({ url: '/v1/metrics/connectors', headers: viewer });
    expect(refused.statusCode).toBe(403);
  });
});
