import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openApiDocument } from '../../api/openapi-document.js';
import { extractAll } from '../../enrichment/extract.js';
import { createTestApp, ingestNamed, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';

/** Each sample line of a text exposition: name, optional labels, a number. */
const SAMPLE =
  /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? [-+0-9.eE]+(Inf)?$/;

describe('readiness and metrics', () => {
  let t: TestApp;
  const who = { tenantId: 'default', actor: 'key:test' };

  beforeAll(async () => {
    t = await createTestApp({
      env: { JOB_ATTEMPTS: '1', MASK_KEY: 'a-test-masking-key-of-at-least-32-chars' },
      // Every capability of an asset titled "Broken" fails: its enrichment job fails for good.
      extract: (asset, ctx, capabilities) => {
        const result = extractAll(asset, ctx, capabilities);
        if (!asset.title.startsWith('Broken')) return result;
        return {
          ...result,
          completed: [],
          failed: capabilities.map((c) => ({ capability: c, error: 'down' })),
        };
      },
    });
  });
  afterAll(() => t.close());

  it('is ready when every backend answers, naming each', async () => {
    const res = await t.app.inject({ url: '/ready' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: 'ok',
      components: {
        database: { status: 'ok', kind: t.container.db.kind },
        queue: { status: 'ok', kind: 'in-process' },
        search: { status: 'ok', kind: t.container.search.kind },
        graph: { status: 'ok', kind: t.container.graph.kind },
        analytics: { status: 'ok', kind: 'postgres' },
      },
      // Nothing waits to be projected, and no drift check has run yet.
      projections: {
        status: 'current',
        outboxPending: 0,
        queuedJobs: 0,
        checkingAtStart: false,
        lastDriftCheck: null,
      },
      events: { status: 'current', backlog: { entries: 0, oldestSeconds: 0 } },
    });
  });

  it('answers 503 when the analytics store does not answer', async () => {
    const store = t.container.analytics;
    const original = store.ping.bind(store);
    store.ping = () => Promise.reject(new Error('connect ECONNREFUSED 10.1.2.3:8123'));
    try {
      const res = await t.app.inject({ url: '/ready' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({
        status: 'down',
        components: { database: { status: 'ok' }, analytics: { status: 'down', kind: 'postgres' } },
      });
      expect(res.body).not.toContain('ECONNREFUSED');
    } finally {
      store.ping = original;
    }
    expect((await t.app.inject({ url: '/ready' })).statusCode).toBe(200);
  });

  it('answers 503 naming the component that is down, without its error', async () => {
    const search = t.container.search;
    const original = search.projectedIdsAfter.bind(search);
    search.projectedIdsAfter = () => Promise.reject(new Error('connect ECONNREFUSED 10.1.2.3:9200'));
    try {
      const res = await t.app.inject({ url: '/ready' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({
        status: 'down',
        components: { database: { status: 'ok' }, search: { status: 'down' }, graph: { status: 'ok' } },
      });
      expect(res.body).not.toContain('ECONNREFUSED');
    } finally {
      search.projectedIdsAfter = original;
    }
    expect((await t.app.inject({ url: '/ready' })).statusCode).toBe(200);
  });

  it('exposes request latency, the outbox, the queue, job failures and the last drift check', async () => {
    const [ok, broken] = await t.container.ingest.ingest(who, [
      anAssetInput({ title: 'Fine asset' }),
      anAssetInput({ title: 'Broken asset' }),
    ]);
    const { settled } = await t.container.assets.waitUntilSettled(
      who.tenantId,
      [ok!.asset.id, broken!.asset.id],
      20_000,
    );
    expect(settled).toBe(true);
    await t.container.drift.check({ graceMs: 0 });
    await t.app.inject({ url: '/health' });
    await t.app.inject({ url: '/no/such/route/123' });
    await t.app.inject({ url: '/v1/search?q=fine' });

    const res = await t.app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const lines = res.body.trimEnd().split('\n');
    for (const line of lines.filter((l) => !l.startsWith('#'))) expect(line).toMatch(SAMPLE);

    expect(lines).toContain('# TYPE mdisc_http_request_duration_seconds histogram');
    expect(lines).toContain(
      'mdisc_http_request_duration_seconds_count{method="GET",route="/health",status="2xx"} 1',
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^mdisc_http_request_duration_seconds_count\{.*route="unmatched",status="4xx"\} 1$/,
      ),
    );
    // The route label the search latency rule selects (ops/prometheus), here a 401 without a key.
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^mdisc_http_request_duration_seconds_count\{method="GET",route="\/v1\/search",status="4xx"\} 1$/,
      ),
    );
    expect(lines).toContain('mdisc_job_failures_total{final="true",job="enrich-assets"} 1');
    expect(lines).toContain('mdisc_projection_lag_seconds_count 1');
    // Per asset: the batch's good asset was enriched, the broken one failed its only attempt.
    expect(lines).toContain('mdisc_job_assets_total{job_name="enrich-assets",outcome="done"} 1');
    expect(lines).toContain('mdisc_job_assets_total{job_name="enrich-assets",outcome="failed"} 1');
    expect(lines).toContain('mdisc_job_assets_total{job_name="enrich-assets",outcome="retried"} 0');
    expect(lines).toContain('mdisc_job_assets_total{job_name="project-assets",outcome="done"} 1');
    expect(lines).toContain('mdisc_assets_in_flight 0');
    expect(lines).toContain('mdisc_assets_in_flight_oldest_age_seconds 0');
    expect(lines).toContain('mdisc_projection_drift_unrepaired_assets 0');
    expect(lines).toContain('mdisc_queue_jobs{state="failed"} 1');
    expect(lines).toContain('mdisc_outbox_pending_events 0');
    expect(lines).toContain('mdisc_projection_drift_assets{kind="missing",projection="search"} 0');
    expect(lines).toContainEqual(
      expect.stringMatching(/^mdisc_projection_drift_last_run_timestamp_seconds \d/),
    );
  });

  it('counts the events the consumer recorded and the duplicates it skipped, and scrapes the backlog', async () => {
    const admin = await t.keyFor('ops', 'ADMIN');
    const player = await t.keyFor('ops', 'DEVELOPER');
    const { clip } = await ingestNamed(t, admin, { clip: anAssetInput({ title: 'Ops clip' }) });
    const play = {
      id: randomUUID(),
      type: 'play',
      assetId: clip,
      userId: 'ada',
      sessionId: 'ada-s',
      occurredAt: new Date().toISOString(),
      position: 0,
    };
    // The same event twice, each drained before the next: the second is a duplicate the store skips.
    for (let i = 0; i < 2; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/events',
        headers: player,
        payload: { events: [play] },
      });
      expect(res.statusCode, res.body).toBe(202);
      const deadline = Date.now() + 30_000;
      while (
        (await t.app.inject({ url: '/ready' })).json<{ events: { backlog: { entries: number } } }>().events
          .backlog.entries > 0
      ) {
        if (Date.now() > deadline) throw new Error('the consumer did not drain the stream');
        await sleep(50);
      }
    }
    const lines = (await t.app.inject({ url: '/metrics' })).body.trimEnd().split('\n');
    expect(lines).toContain('# TYPE mdisc_events_recorded_total counter');
    expect(lines).toContain('mdisc_events_recorded_total 1');
    expect(lines).toContain('mdisc_events_duplicates_total 1');
    expect(lines).toContain('mdisc_event_stream_backlog_entries 0');
    expect(lines).toContain('mdisc_event_stream_oldest_seconds 0');
  });

  it('keeps /metrics out of the OpenAPI document and /ready in it', async () => {
    const spec = JSON.parse(await openApiDocument(t.app)) as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/health', '/ready']));
    expect(Object.keys(spec.paths)).not.toContain('/metrics');
  });

  it('calls the queue down when Redis does not answer', async () => {
    // Nothing listens on port 1: BullMQ's producer fails fast (no offline queue).
    const away = await createTestApp({ workers: false, env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    try {
      const res = await away.app.inject({ url: '/ready' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({
        status: 'down',
        components: { database: { status: 'ok' }, queue: { status: 'down', kind: 'bullmq' } },
      });
      // The event stream lives in the same Redis: its backlog cannot be read.
      expect(res.json()).toMatchObject({ events: { status: 'unknown', backlog: null } });
      // The scrape still answers, without the queue's gauges.
      const metrics = await away.app.inject({ url: '/metrics' });
      expect(metrics.statusCode).toBe(200);
      expect(metrics.body).not.toContain('mdisc_queue_jobs{');
    } finally {
      await away.app.close();
      await away.container.close();
    }
  });

  it.skipIf(!inject('redisUrl'))(
    'reports the backlog of the Redis stream while no consumer runs',
    async () => {
      const idle = await createTestApp({
        queue: 'bullmq',
        workers: false,
        env: { MASK_KEY: 'a-test-masking-key-of-at-least-32-chars' },
      });
      try {
        const res = await idle.app.inject({
          method: 'POST',
          url: '/v1/events',
          headers: await idle.keyFor('ops', 'DEVELOPER'),
          payload: {
            events: [
              {
                id: randomUUID(),
                type: 'search',
                userId: 'bo',
                occurredAt: new Date().toISOString(),
                search: { query: 'kelp', totalHits: 1 },
              },
            ],
          },
        });
        expect(res.statusCode, res.body).toBe(202);
        const ready = await idle.app.inject({ url: '/ready' });
        expect(ready.json()).toMatchObject({
          components: { analytics: { status: 'ok' } },
          events: { status: 'current', backlog: { entries: 1 } },
        });
        expect((await idle.app.inject({ url: '/metrics' })).body).toContain(
          'mdisc_event_stream_backlog_entries 1',
        );
      } finally {
        await idle.app.close();
        await idle.container.close();
      }
    },
  );

  it('serves no /metrics when METRICS_ENABLED=false', async () => {
    const off = await createTestApp({ workers: false, env: { METRICS_ENABLED: 'false' } });
    try {
      expect((await off.app.inject({ url: '/metrics' })).statusCode).toBe(404);
      expect((await off.app.inject({ url: '/ready' })).statusCode).toBe(200);
    } finally {
      await off.close();
    }
  });
});
