import { afterEach, describe, expect, it } from 'vitest';
import type { Container } from '../../runtime/container.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';

const who = { tenantId: 'default', actor: 'key:test' };

/** Search and the graph each hold the asset at `version`. */
async function projectedAt(c: Container, ids: string[], version: number): Promise<boolean> {
  const [search, graph] = await Promise.all([
    c.search.projectedVersions(who.tenantId, ids),
    c.graph.projectedVersions(who.tenantId, ids),
  ]);
  return ids.every((id) => search.get(id) === version && graph.get(id) === version);
}

async function statuses(c: Container, ids: string[]): Promise<string[]> {
  const rows = await c.db.query<{ status: string }>(
    'SELECT status FROM assets WHERE id = ANY($1::uuid[]) ORDER BY status',
    [ids],
  );
  return rows.map((r) => r.status);
}

/**
 * Issue 18, items 8 and 10: what a process on the in-process queue leaves behind when it dies (kill
 * -9, a crash, a shutdown cut short), and what the next start does about it. The state is made as
 * the dead process left it: outbox events marked relayed whose jobs were in memory, a run RUNNING, an
 * asset PROCESSED whose projection job was lost. test/integration/embedded-crash.test.ts kills a
 * real server instead.
 */
describe('work the in-process queue lost with its process', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('is taken up at start: a run left RUNNING, assets left QUEUED and projections never written', async () => {
    t = await createTestApp({ workers: false, env: { DRIFT_CHECK_ON_START: 'true' } });
    const c = t.container;
    const [queued, running, unprojected] = (
      await c.ingest.ingest(who, [
        anAssetInput({ title: 'Tidal lagoon survey' }),
        anAssetInput({ title: 'Salt marsh restoration' }),
        anAssetInput({ title: 'Seagrass meadow census' }),
      ])
    ).map((r) => r.asset.id) as [string, string, string];
    // Enriched before the crash; its projection job was in memory.
    await c.enrichment.enrichAssets(
      { tenantId: who.tenantId, assets: [{ assetId: unprojected, version: 1 }] },
      { jobId: 'before-the-crash', attempt: 1, maxAttempts: 3 },
    );
    // A run in progress when the process died.
    const [run] = await c.db.query<{ id: string }>(
      `INSERT INTO processing_jobs (tenant_id, id, asset_id, asset_version, workflow, status, capabilities_requested,
         retry_count, retry_config, queue_job_id, started_at)
       VALUES ($1, gen_random_uuid(), $2, 1, 'default-enrichment', 'RUNNING', '{keywords}', 0, '{}', 'lost', now()) RETURNING id`,
      [who.tenantId, running],
    );
    await c.db.query(`UPDATE assets SET status = 'PROCESSING' WHERE id = $1`, [running]);
    // A background job that had not run yet.
    const backfill = await c.jobs.startBackfill(who, { assetsPerSecond: 1000 });
    // The relay had handed every event to the queue, which held the jobs in memory.
    await c.db.query('UPDATE outbox SET dispatched_at = now() WHERE dispatched_at IS NULL');
    const ids = [queued, running, unprojected];

    // Before the start, nothing says anything is wrong.
    expect((await t.app.inject({ url: '/ready' })).json()).toMatchObject({
      status: 'ok',
      projections: { outboxPending: 0, queuedJobs: 0 },
    });

    await c.startWorkers();
    await expect
      .poll(() => statuses(c, ids), { timeout: 30_000, interval: 100 })
      .toEqual(['PROCESSED', 'PROCESSED', 'PROCESSED']);
    await expect.poll(() => projectedAt(c, ids, 2), { timeout: 30_000, interval: 100 }).toBe(true);
    await expect
      .poll(async () => (await c.jobs.get(who.tenantId, backfill.id)).job.status, { timeout: 30_000 })
      .toBe('COMPLETED');
    // The run is done, not RUNNING for good (a RUNNING run refuses a manual retry with 409).
    expect((await c.jobs.get(who.tenantId, run!.id)).job.status).toBe('COMPLETED');
    const hits = await c.discovery.searchAssets(who.tenantId, { q: 'seagrass meadow census', limit: 5 });
    expect(hits.hits.map((h) => h.asset.id)).toContain(unprojected);
    // The check at start recorded what it found and repaired; /ready ends up current.
    const latest = await c.drift.latest();
    expect(latest).toMatchObject({ repaired: true });
    expect(latest!.stuck).toBeGreaterThanOrEqual(2);
    await expect
      .poll(
        async () => (await t!.app.inject({ url: '/ready' })).json<{ projections: unknown }>().projections,
        {
          timeout: 30_000,
          interval: 100,
        },
      )
      .toMatchObject({ status: 'current', outboxPending: 0, queuedJobs: 0, checkingAtStart: false });
  }, 180_000);

  it('is reported by the drift check as stuck past the grace period, and repair queues it again', async () => {
    t = await createTestApp({ workers: false });
    const c = t.container;
    const [result] = await c.ingest.ingest(who, [anAssetInput({ title: 'Kelp canopy mapping' })]);
    const id = result!.asset.id;
    await c.db.query('UPDATE outbox SET dispatched_at = now() WHERE dispatched_at IS NULL');

    expect(await c.drift.check({ graceMs: 0, stuckAfterMs: 3_600_000 })).toMatchObject({
      stuck: 0,
      total: 0,
    });
    const found = await c.drift.check({ graceMs: 0, stuckAfterMs: 0 });
    expect(found).toMatchObject({ stuck: 1, total: 1 });
    expect(found.stuckSamples).toEqual([
      expect.objectContaining({ assetId: id, status: 'QUEUED', version: 1 }),
    ]);
    expect(await c.drift.latest()).toMatchObject({ stuck: 1, repaired: false });
    const ready = (await t.app.inject({ url: '/ready' })).json<{ projections: object }>();
    expect(ready.projections).toMatchObject({
      status: 'behind',
      lastDriftCheck: { drifted: 0, stuck: 1, repaired: false },
    });

    const repaired = await c.drift.check({ graceMs: 0, stuckAfterMs: 0, repair: true });
    expect(repaired.repaired).toEqual({ reprojected: 0, removed: 0, requeued: 1, coViews: 0 });
    // A second check before it moves names the same job: the queue takes it once.
    await c.drift.check({ graceMs: 0, stuckAfterMs: 0, repair: true });
    await c.startWorkers();
    await expect.poll(() => statuses(c, [id]), { timeout: 30_000, interval: 100 }).toEqual(['PROCESSED']);
    await expect.poll(() => projectedAt(c, [id], 2), { timeout: 30_000, interval: 100 }).toBe(true);
    const enrichments = await c.db.query(
      `SELECT 1 FROM asset_versions WHERE asset_id = $1 AND change_kind = 'ENRICHMENT'`,
      [id],
    );
    expect(enrichments).toHaveLength(1);
  }, 180_000);

  it('runs twice harmlessly: two jobs for one asset version enrich it once and leave it PROCESSED', async () => {
    t = await createTestApp({ workers: false });
    const c = t.container;
    const [result] = await c.ingest.ingest(who, [anAssetInput({ title: 'Mangrove carbon stocks' })]);
    const id = result!.asset.id;
    const job = { tenantId: who.tenantId, assets: [{ assetId: id, version: 1 }] };
    await Promise.all([
      c.enrichment.enrichAssets(job, { jobId: 'first', attempt: 1, maxAttempts: 3 }),
      c.enrichment.enrichAssets(job, { jobId: 'requeued', attempt: 1, maxAttempts: 3 }),
    ]);
    const versions = await c.db.query<{ change_kind: string }>(
      'SELECT change_kind FROM asset_versions WHERE asset_id = $1 ORDER BY version',
      [id],
    );
    expect(versions.map((v) => v.change_kind)).toEqual(['INGEST', 'ENRICHMENT']);
    expect(await statuses(c, [id])).toEqual(['PROCESSED']);
    const runs = await c.db.query<{ status: string }>(
      'SELECT status FROM processing_jobs WHERE asset_id = $1',
      [id],
    );
    expect(runs.map((r) => r.status)).toEqual(['COMPLETED']);
  }, 120_000);
});
