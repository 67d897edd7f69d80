import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECTION_VERSION } from '../../indexers/search-document.js';
import { IngestService } from '../../services/ingest-service.js';
import { noMasking } from '../../services/masking-service.js';
import { actionsRepository } from '../../store/actions-repository.js';
import { assetsRepository } from '../../store/assets-repository.js';
import { outboxRepository } from '../../store/outbox-repository.js';
import { versionsRepository } from '../../store/versions-repository.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';
import { FeedServer, type TestFeedItem } from '../support/feed-server.js';

/**
 * The service's own producers of metadata records (docs/metadata.md): each kind written by the
 * work it describes, in that work's transaction.
 */
describe('metadata producers', () => {
  let t: TestApp;
  let admin: { authorization: string };
  const feed = new FeedServer();
  const tenant = 'default';

  beforeAll(async () => {
    await feed.start();
    t = await createTestApp({ env: { WEBHOOK_ALLOW_PRIVATE: 'true', CONTROLLER_TICK_MS: '0' } });
    admin = await t.keyFor(tenant, 'ADMIN');
  }, 300_000);
  afterAll(async () => {
    await t?.close();
    await feed.stop();
  });

  const repo = () => t.container.metadata.forTenant(tenant);
  const history = async (target: { type: string; id: string }, kind: string) =>
    (await repo().history({ target, kind, limit: 100 })).items;
  const api = async <T>(method: 'GET' | 'POST', url: string, payload?: object) => {
    const res = await t.app.inject({ method, url, headers: admin, ...(payload ? { payload } : {}) });
    return { status: res.statusCode, body: (res.body ? res.json<T>() : undefined) as T };
  };
  const ingest = async (assets: object[]) => {
    const res = await api<{ items: { asset: { id: string } }[] }>('POST', '/v1/assets/batch', { assets });
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    return res.body.items.map((i) => i.asset.id);
  };

  it("records each new asset's technical metadata at ingest, and a projection run once it is projected", async () => {
    const technicalMetadata = { mimeType: 'video/mp4', durationSeconds: 61, fileSizeBytes: 2048 };
    const [withFacts, without] = await ingest([anAssetInput({ technicalMetadata }), anAssetInput()]);
    const facts = await history({ type: 'asset', id: withFacts! }, 'technical_metadata');
    expect(facts.map((r) => r.payload)).toEqual([{ assetType: 'VIDEO', ...technicalMetadata }]);
    expect(facts[0]).toMatchObject({ producerId: 'ingest.v1', version: '1' });
    // An asset the ingest knows no technical facts of gets no record.
    expect(await history({ type: 'asset', id: without! }, 'technical_metadata')).toEqual([]);

    const runs = () => history({ type: 'tenant', id: tenant }, 'projection_run');
    await expect
      .poll(async () => (await runs()).reduce((n, r) => n + Number(r.payload.projected), 0), {
        timeout: 120_000,
      })
      .toBeGreaterThanOrEqual(2);
    const run = (await runs())[0]!;
    // The record's version is the search document's shape (raised when feedback joined it).
    expect(run).toMatchObject({
      producerId: 'projection.v1',
      version: PROJECTION_VERSION,
      schemaVersion: '1.1.0',
    });
    expect(run.payload).toMatchObject({ failed: 0 });
    for (const field of ['durationMs', 'searchMs', 'graphMs'])
      expect(run.payload[field]).toBeGreaterThanOrEqual(0);
    expect(run.context.jobId).toMatch(/^project\./);
  });

  it('writes no record when the ingest it describes rolls back', async () => {
    const { db, metadata } = t.container;
    let written = 0;
    const failing = new IngestService({
      db,
      assets: assetsRepository,
      versions: versionsRepository,
      outbox: outboxRepository,
      actions: actionsRepository,
      masker: noMasking,
      nudge: () => undefined,
      // The records are written, then the transaction fails after them.
      metadata: {
        record: async (tx, tenantId, records) => {
          written += (await metadata.record(tx, tenantId, records)).length;
          throw new Error('the commit failed');
        },
      },
    });
    const before = (await metadata.logPage(tenant, null, 0, 10_000)).length;
    const input = anAssetInput({ technicalMetadata: { mimeType: 'audio/mpeg' } });
    await expect(failing.ingest({ tenantId: tenant, actor: 'test' }, [input])).rejects.toThrow(
      'the commit failed',
    );
    expect(written).toBe(2);
    expect((await metadata.logPage(tenant, null, 0, 10_000)).length).toBe(before);
  });

  it("records each tenant's drift report in the transaction that records the check", async () => {
    const ids = await ingest([anAssetInput(), anAssetInput()]);
    await expect
      .poll(
        async () =>
          (
            await t.container.db.query<{ n: number }>(
              `SELECT count(*)::int AS n FROM assets WHERE id = ANY($1::uuid[]) AND status = 'PROCESSED'`,
              [ids],
            )
          )[0]!.n,
        { timeout: 120_000 },
      )
      .toBe(2);
    const report = await t.container.drift.check({ tenants: [tenant], graceMs: 0, stuckAfterMs: 0 });
    const [record] = await history({ type: 'tenant', id: tenant }, 'drift_report');
    expect(record).toMatchObject({ producerId: 'drift.v1', schemaVersion: '1.1.0' });
    expect(record!.payload).toMatchObject({ checked: report.assets, repair: false, stuck: report.stuck });
    expect(record!.payload.checked).toBeGreaterThanOrEqual(2);
    expect(record!.payload.projections).toEqual(report.counts);

    // Not recorded (a rebuild's own checks): no report either.
    await t.container.drift.check({ tenants: [tenant], graceMs: 0, record: false });
    expect((await history({ type: 'tenant', id: tenant }, 'drift_report')).length).toBe(1);
  });

  it("records a rebuild's result for each tenant, with the documents it wrote of that tenant", async () => {
    const result = await t.container.rebuild.rebuild('search', { graceMs: 0 });
    expect(result.state).toBe('done');
    const [record] = await history({ type: 'index', id: 'search' }, 'rebuild_result');
    const assets = await t.container.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM assets WHERE tenant_id = $1 AND deleted_at IS NULL`,
      [tenant],
    );
    expect(record).toMatchObject({ producerId: 'rebuild.v1', schemaVersion: '1.1.0' });
    expect(record!.payload).toMatchObject({
      status: 'done',
      projection: 'search',
      resumed: false,
      documents: assets[0]!.n,
    });
    // The verifying check's counts span every tenant: not in one tenant's record.
    expect(record!.payload).not.toHaveProperty('drift');
  });

  describe('connector runs', () => {
    const items = (n: number, prefix: string): TestFeedItem[] =>
      Array.from({ length: n }, (_, i) => ({ id: `${prefix}-${i}`, title: `Item ${i} of ${prefix}` }));

    it("records each run's sync result and, when its item count leaves the usual band, an anomaly announced to webhooks", async () => {
      const hook = await api<{ id: string }>('POST', '/v1/webhooks', {
        // Nothing listens there: the delivery is made and fails, which is all this test reads.
        url: 'http://127.0.0.1:9/hooks',
        events: ['metadata.anomaly'],
      });
      expect(hook.status, JSON.stringify(hook.body)).toBe(201);
      feed.items = items(4, 'steady');
      const c = await api<{ id: string }>('POST', '/v1/controllers', {
        name: 'Steady feed',
        kind: 'mrss',
        configuration: { url: `${feed.url}/feed.rss`, sourceSystem: 'steady' },
      });
      expect(c.status, JSON.stringify(c.body)).toBe(201);
      const sync = async () => {
        const res = await api<{ id: string; status: string }>('POST', `/v1/controllers/${c.body.id}/sync`);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        return res.body;
      };
      const target = { type: 'controller', id: c.body.id };

      const first = await sync();
      const [record] = await history(target, 'sync_result');
      expect(record).toMatchObject({ producerId: 'controller.v1', context: { runId: first.id } });
      expect(record!.payload).toMatchObject({ status: 'SUCCEEDED', itemCount: 4, new: 4, failed: 0 });

      // Five runs of 4 items make the band; then a run of 40 falls outside it.
      for (let i = 0; i < 4; i++) await sync();
      expect(await history(target, 'anomaly')).toEqual([]);
      feed.items = items(40, 'steady');
      const spike = await sync();
      const anomalies = await history(target, 'anomaly');
      expect(anomalies).toHaveLength(1);
      const latestSync = (await history(target, 'sync_result'))[0]!;
      expect(latestSync.context.runId).toBe(spike.id);
      expect(anomalies[0]!.payload).toMatchObject({
        kind: 'sync_result',
        field: 'itemCount',
        value: 40,
        mean: 4,
        recordId: latestSync.id,
      });

      // The anomaly's webhook event reaches the webhook that takes it.
      const deliveries = async () =>
        (
          await api<{ items: { event: string; eventId: string }[] }>(
            'GET',
            `/v1/webhooks/${hook.body.id}/deliveries`,
          )
        ).body.items;
      await expect
        .poll(async () => (await deliveries()).map((d) => d.event), { timeout: 60_000 })
        .toEqual(['metadata.anomaly']);
      const [event] = await t.container.db.query<{ payload: Record<string, unknown> }>(
        `SELECT payload FROM outbox WHERE tenant_id = $1 AND event_type = 'metadata.anomaly'`,
        [tenant],
      );
      expect(event!.payload).toMatchObject({
        recordId: anomalies[0]!.id,
        target,
        sourceRecordId: latestSync.id,
        value: 40,
      });
    });
  });
});
