import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { outboxRepository } from '../../store/outbox-repository.js';
import type { JobRequest } from '../../queue/jobs.js';
import { OutboxRelay } from '../../workers/outbox-relay.js';
import { OutboxRelayService } from '../../services/outbox-relay-service.js';
import { webhooksRepository } from '../../store/webhooks-repository.js';
import type { JobQueue } from '../../queue/job-queue.js';
import { createTestApp } from '../support/app.js';
import { backendName, createTestDatabase } from '../support/database.js';
import { anAssetInput } from '../support/factories.js';

describe('faults', () => {
  it('queue down: events stay in the outbox and reach the queue once it is back, once each', async () => {
    const db = await createTestDatabase();
    try {
      let down = true;
      const accepted: JobRequest[] = [];
      const queue = {
        kind: 'bullmq',
        enqueue: (jobs: JobRequest[]) => {
          if (down) return Promise.reject(new Error('Connection is closed.'));
          accepted.push(...jobs);
          return Promise.resolve();
        },
      } as unknown as JobQueue;
      const assetId = randomUUID();
      await outboxRepository.insertMany(db, 'default', [
        { type: 'asset.ingested', aggregateId: assetId, payload: { assetId, version: 1 } },
      ]);
      const relay = new OutboxRelay(
        new OutboxRelayService({ db, outbox: outboxRepository, webhooks: webhooksRepository, queue }),
        { pollMs: 1_000 },
      );

      await expect(relay.drain()).rejects.toThrow(/Connection is closed/);
      expect(await outboxRepository.lag(db)).toMatchObject({ pending: 1 });

      down = false;
      expect(await relay.drain()).toBe(1);
      expect(await relay.drain()).toBe(0);
      expect(accepted.map((j) => j.jobId)).toEqual([`enrich.default.${assetId}.v1`]);
      expect(await outboxRepository.lag(db)).toEqual({ pending: 0, oldestAgeSeconds: 0 });
    } finally {
      await db.close();
    }
  });

  it('search backend down while projecting: the job fails, is retried, and the asset becomes searchable', async () => {
    const t = await createTestApp({ env: { JOB_ATTEMPTS: '4', JOB_BACKOFF_MS: '20' } });
    try {
      const search = t.container.search;
      const upsertMany = search.upsertMany.bind(search);
      let failures = 2;
      // The projection job writes its batch with upsertMany.
      search.upsertMany = (tenantId, docs) =>
        failures-- > 0 ? Promise.reject(new Error('search backend unavailable')) : upsertMany(tenantId, docs);
      const [result] = await t.container.ingest.ingest({ tenantId: 'default', actor: 'key:test' }, [
        anAssetInput({ title: 'Resilient projection' }),
      ]);
      const { settled } = await t.container.assets.waitUntilSettled('default', [result!.asset.id], 20_000);
      expect(settled).toBe(true);
      expect(failures).toBeLessThan(0);
      const hits = await t.container.discovery.searchAssets('default', { q: 'resilient', limit: 5 });
      expect(hits.hits.map((h) => h.asset.id)).toEqual([result!.asset.id]);
      expect(t.container.metrics.registry.render()).toContain(
        'mdisc_job_failures_total{final="false",job="project-assets"} 2',
      );
    } finally {
      await t.close();
    }
  });
});

describe.each(inject('redisUrl') ? (['in-process', 'bullmq'] as const) : (['in-process'] as const))(
  'a search backend failing past the retry limit (%s queue)',
  (queue) => {
    it('dead-letters the projection job; the drift check finds the gap and its repair closes it', async () => {
      const t = await createTestApp({ queue, env: { JOB_ATTEMPTS: '3', JOB_BACKOFF_MS: '100' } });
      try {
        const search = t.container.search;
        const upsert = search.upsert.bind(search);
        const upsertMany = search.upsertMany.bind(search);
        const attempts: number[] = [];
        // The projection job writes its batch with upsertMany.
        search.upsertMany = () => {
          attempts.push(performance.now());
          return Promise.reject(new Error('search backend unavailable'));
        };
        search.upsert = () => Promise.reject(new Error('search backend unavailable'));
        const [result] = await t.container.ingest.ingest({ tenantId: 'default', actor: 'key:test' }, [
          anAssetInput({ title: 'Dead letter projection' }),
        ]);
        const id = result!.asset.id;
        const metrics = async () => (await t.app.inject({ url: '/metrics' })).body;
        await expect
          .poll(metrics, { timeout: 20_000, interval: 50 })
          .toContain('mdisc_job_failures_total{final="true",job="project-assets"} 1');
        const text = await metrics();
        expect(text).toContain('mdisc_job_failures_total{final="false",job="project-assets"} 2');
        expect(text).toContain('mdisc_queue_jobs{state="failed"} 1');
        // Three attempts, each retry later than the one before (100 ms doubling, half of it jitter).
        expect(attempts).toHaveLength(3);
        expect(attempts[1]! - attempts[0]!).toBeGreaterThanOrEqual(50);
        expect(attempts[2]! - attempts[1]!).toBeGreaterThanOrEqual(100);

        // The graph took the asset; search did not, and nothing will retry it on its own.
        expect((await t.container.graph.projectedVersions('default', [id])).get(id)).toBe(2);
        expect((await search.projectedVersions('default', [id])).has(id)).toBe(false);
        const found = await t.container.drift.check({ tenants: ['default'], graceMs: 0 });
        expect(found.counts.search).toEqual({ missing: 1, stale: 0, orphaned: 0 });
        expect(found.total).toBe(1);

        // The backend is back: the repair projects the asset, and a second check finds nothing.
        search.upsert = upsert;
        search.upsertMany = upsertMany;
        const repaired = await t.container.drift.check({ tenants: ['default'], graceMs: 0, repair: true });
        expect(repaired.repaired).toEqual({ reprojected: 1, removed: 0, requeued: 0, coViews: 0 });
        expect((await t.container.drift.check({ tenants: ['default'], graceMs: 0 })).total).toBe(0);
        const hits = await t.container.discovery.searchAssets('default', { q: 'dead letter', limit: 5 });
        expect(hits.hits.map((h) => h.asset.id)).toEqual([id]);
      } finally {
        await t.close();
      }
    });
  },
);

describe('faults on a Postgres server', () => {
  it.runIf(backendName() === 'postgres')(
    'Postgres drops every connection (a restart): readiness recovers, and ingest and projection go on',
    async () => {
      const t = await createTestApp();
      try {
        const who = { tenantId: 'default', actor: 'key:test' };
        const before = await t.container.ingest.ingest(who, [anAssetInput({ title: 'Before the restart' })]);
        expect(
          (await t.container.assets.waitUntilSettled('default', [before[0]!.asset.id], 20_000)).settled,
        ).toBe(true);
        // What a server restart does to the service's sessions; run from a connection of its own.
        const admin = new pg.Client({ connectionString: inject('postgresUrl')! });
        await admin.connect();
        const [{ datname }] = (await t.container.db.query<{ datname: string }>(
          'SELECT current_database() AS datname',
        )) as [{ datname: string }];
        const killed = await admin.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
          [datname],
        );
        await admin.end();
        expect(killed.rowCount).toBeGreaterThan(0);

        // A client the pool still held may fail once; the pool then replaces it.
        let ready = 0;
        for (let i = 0; i < 20 && ready !== 200; i++)
          ready = (await t.app.inject({ url: '/ready' })).statusCode;
        expect(ready).toBe(200);
        const after = await t.container.ingest.ingest(who, [anAssetInput({ title: 'After the restart' })]);
        expect(
          (await t.container.assets.waitUntilSettled('default', [after[0]!.asset.id], 20_000)).settled,
        ).toBe(true);
        const hits = await t.container.discovery.searchAssets('default', { q: 'restart', limit: 5 });
        expect(hits.hits).toHaveLength(2);
      } finally {
        await t.close();
      }
    },
  );
  if (backendName() !== 'postgres') {
    it.skip('SKIPPED on PGlite: needs a Postgres server (DATABASE_URL or Docker)', () => {});
  }
});
