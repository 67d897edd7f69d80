import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { emptyRunCounts, type RunCounts } from '../../domain/controllers.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { FeedServer, type TestFeedItem } from '../support/feed-server.js';

/**
 * Ingress controllers against a feed server on loopback (docs/connectors.md), through the HTTP API,
 * on the embedded default and on the Postgres server when there is one.
 */
const backends = (['pglite', 'postgres'] as const).filter((b) => b === 'pglite' || inject('postgresUrl'));

interface Run {
  id: string;
  status: string;
  trigger: string;
  notModified: boolean;
  pages: number;
  counts: RunCounts;
  error: string | null;
  durationMs: number | null;
}

/** A run's counts: these, and 0 for the rest. */
const counts = (some: Partial<RunCounts>): RunCounts => ({ ...emptyRunCounts(), ...some });

const talks = (n: number, prefix = 'talk'): TestFeedItem[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-${i + 1}`,
    title: `Talk ${i + 1} about ocean currents`,
    description: `How the ocean moves heat, part ${i + 1}.`,
    speaker: i % 2 === 0 ? 'Sylvia Earle' : 'Jacques Piccard',
    keywords: ['ocean', 'climate'],
  }));

describe.each(backends)('ingress controllers on %s', (backend) => {
  let t: TestApp;
  let admin: { authorization: string };
  const feed = new FeedServer();

  beforeAll(async () => {
    await feed.start();
    t = await createTestApp({
      backend,
      workers: false,
      env: { WEBHOOK_ALLOW_PRIVATE: 'true', CONTROLLER_TICK_MS: '0' },
    });
    admin = await t.keyFor('default', 'ADMIN');
  });
  afterAll(async () => {
    await t?.close();
    await feed.stop();
  });

  const api = async <T>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    payload?: object,
  ) => {
    const res = await t.app.inject({ method, url, headers: admin, ...(payload ? { payload } : {}) });
    return { status: res.statusCode, body: (res.body ? res.json<T>() : undefined) as T };
  };
  const create = async (body: object) => {
    const res = await api<{ id: string; sourceSystem: string }>('POST', '/v1/controllers', body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const sync = async (id: string) => {
    const res = await api<Run>('POST', `/v1/controllers/${id}/sync`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const assetsOf = (sourceSystem: string) =>
    t.container.db.query<{ id: string; source_id: string; title: string; status: string }>(
      `SELECT id, source_id, title, status FROM assets WHERE tenant_id = 'default' AND source_system = $1
       ORDER BY source_id`,
      [sourceSystem],
    );

  it('syncs a Media RSS feed: new items become assets, a second sync is a 304 with every item unchanged', async () => {
    feed.items = talks(3, 'rss');
    const c = await create({
      name: 'Video library',
      kind: 'mrss',
      configuration: { url: `${feed.url}/feed.rss` },
    });
    expect(c.sourceSystem).toBe('mrss:127.0.0.1');

    const first = await sync(c.id);
    expect(first).toMatchObject({ status: 'SUCCEEDED', trigger: 'manual', notModified: false });
    expect(first.counts).toEqual(counts({ new: 3 }));
    expect(first.durationMs).toBeGreaterThanOrEqual(0);

    const rows = await assetsOf(c.sourceSystem);
    expect(rows.map((r) => r.source_id)).toEqual(['rss-1', 'rss-2', 'rss-3']);
    const asset = (await api<Record<string, unknown>>('GET', `/v1/assets/${rows[0]!.id}`)).body;
    expect(asset).toMatchObject({
      type: 'VIDEO',
      title: 'Talk 1 about ocean currents',
      description: 'How the ocean moves heat, part 1.',
      sourceSystem: 'mrss:127.0.0.1',
      sourceId: 'rss-1',
      contributors: ['Example Studios'],
      createdAt: '2026-01-05T10:00:00.000Z',
      technicalMetadata: {
        mediaUrl: 'https://cdn.example.com/rss-1.mp4',
        mimeType: 'video/mp4',
        durationSeconds: 754,
        width: 1920,
        height: 1080,
        fileSizeBytes: 1048576,
        thumbnailUrl: 'https://cdn.example.com/rss-1.jpg',
      },
    });
    expect(asset.speakers).toEqual(['Sylvia Earle']);
    expect(asset.tags).toEqual(expect.arrayContaining(['ocean', 'climate']));

    const second = await sync(c.id);
    expect(second.notModified).toBe(true);
    expect(second.counts).toEqual(counts({ unchanged: 3 }));
    expect(feed.requests.at(-1)!.ifNoneMatch).toMatch(/^"/);
    expect(await assetsOf(c.sourceSystem)).toHaveLength(3);
  });

  it('archives or deletes the assets of items gone from the feed as configured, and keeps one under legal hold', async () => {
    feed.items = talks(3, 'gone');
    const c = await create({
      name: 'Leaving',
      kind: 'mrss',
      configuration: { url: `${feed.url}/feed.rss`, sourceSystem: 'brightcove-gone', whenGone: 'archive' },
    });
    expect((await sync(c.id)).counts.new).toBe(3);
    const ids = new Map((await assetsOf('brightcove-gone')).map((r) => [r.source_id, r.id]));
    // Enriched meanwhile (no workers run here): an asset still being enriched is not archived.
    await t.container.db.query(
      `UPDATE assets SET status = 'PROCESSED' WHERE source_system = 'brightcove-gone'`,
    );
    const status = async (sourceId: string) => {
      const res = await api<{ status: string }>('GET', `/v1/assets/${ids.get(sourceId)}`);
      return res.status === 200 ? res.body.status : res.status;
    };

    feed.items = feed.items.slice(0, 2);
    const archived = await sync(c.id);
    expect(archived.counts).toMatchObject({ gone: 1, archived: 1, deleted: 0, failed: 0 });
    expect(await status('gone-3')).toBe('ARCHIVED');

    const patched = await api('PATCH', `/v1/controllers/${c.id}`, {
      configuration: { url: `${feed.url}/feed.rss`, sourceSystem: 'brightcove-gone', whenGone: 'delete' },
    });
    expect(patched.status).toBe(200);
    const held = await api('PUT', `/v1/assets/${ids.get('gone-1')}/legal-hold`, { legalHold: true });
    expect(held.status).toBe(200);
    feed.items = [];
    const deleted = await sync(c.id);
    // gone-2 is deleted; gone-1, under legal hold, stays and is the run's failed item.
    expect(deleted.counts).toMatchObject({ gone: 2, archived: 0, deleted: 1, failed: 1 });
    expect(await status('gone-2')).toBe(404);
    expect(await status('gone-1')).toBe('PROCESSED');
  });

  it('tries a gone item whose delete was refused again at each run until it succeeds, counting it gone once and deleted once', async () => {
    feed.items = talks(2, 'retry');
    const c = await create({
      name: 'Retrying',
      kind: 'mrss',
      configuration: { url: `${feed.url}/feed.rss`, sourceSystem: 'brightcove-retry', whenGone: 'delete' },
    });
    expect((await sync(c.id)).counts.new).toBe(2);
    const ids = new Map((await assetsOf('brightcove-retry')).map((r) => [r.source_id, r.id]));
    await t.container.db.query(
      `UPDATE assets SET status = 'PROCESSED' WHERE source_system = 'brightcove-retry'`,
    );
    const hold = (legalHold: boolean) =>
      api('PUT', `/v1/assets/${ids.get('retry-1')}/legal-hold`, { legalHold, reason: 'litigation' });
    expect((await hold(true)).status).toBe(200);
    const exists = async (sourceId: string) =>
      (await api('GET', `/v1/assets/${ids.get(sourceId)}`)).status === 200;

    feed.items = [];
    const left = await sync(c.id);
    expect(left.counts).toEqual(counts({ gone: 2, deleted: 1, failed: 1 }));
    expect([await exists('retry-1'), await exists('retry-2')]).toEqual([true, false]);

    // Still held: tried again, failed again; not gone again.
    const held = await sync(c.id);
    expect(held.counts).toEqual(counts({ failed: 1 }));
    expect(await exists('retry-1')).toBe(true);

    expect((await hold(false)).status).toBe(200);
    const retried = await sync(c.id);
    expect(retried.counts).toEqual(counts({ deleted: 1 }));
    expect(await exists('retry-1')).toBe(false);
    // Done: nothing left to try.
    expect((await sync(c.id)).counts).toEqual(counts({}));
    const runs = (await api<{ items: Run[] }>('GET', `/v1/controllers/${c.id}/runs?limit=10`)).body.items;
    const total = (k: keyof RunCounts) => runs.reduce((sum, r) => sum + r.counts[k], 0);
    expect([total('gone'), total('deleted')]).toEqual([2, 2]);
  });

  it('tries a gone item again when archiving was refused while it was being enriched, and not once it is back in the feed', async () => {
    feed.items = talks(2, 'later');
    const c = await create({
      name: 'Archiving later',
      kind: 'mrss',
      configuration: { url: `${feed.url}/feed.rss`, sourceSystem: 'brightcove-later', whenGone: 'archive' },
    });
    expect((await sync(c.id)).counts.new).toBe(2);
    // No workers run here: both are still QUEUED, which archiving refuses.
    feed.items = [];
    expect((await sync(c.id)).counts).toEqual(counts({ gone: 2, failed: 2 }));
    const [first] = await assetsOf('brightcove-later');
    await t.container.db.query(`UPDATE assets SET status = 'PROCESSED' WHERE id = $1`, [first!.id]);
    expect((await sync(c.id)).counts).toEqual(counts({ archived: 1, failed: 1 }));
    // The other comes back to the feed: no longer gone, so not archived however it ends enriching.
    feed.items = talks(2, 'later').slice(1);
    await t.container.db.query(
      `UPDATE assets SET status = 'PROCESSED' WHERE source_system = 'brightcove-later'`,
    );
    const back = await sync(c.id);
    expect(back.counts).toMatchObject({ archived: 0, failed: 0 });
    expect((await assetsOf('brightcove-later')).map((r) => r.status)).toEqual(['PROCESSED', 'PROCESSED']);
    expect((await sync(c.id)).counts).toMatchObject({ archived: 0, failed: 0, gone: 0 });
  });

  it('a controller killed mid-sync and resumed: a run stalled past its lease is taken over, stops, and every item counts once', async () => {
    feed.items = talks(6, 'stall');
    feed.pageSize = 2;
    // The run reads page 0, then hangs on page 1 until released.
    feed.stallListingPage = 1;
    const c = await create({
      name: 'Stalling',
      kind: 'rest-listing',
      configuration: { url: `${feed.url}/listing`, sourceSystem: 'cms-stall', maxPages: 10 },
    });
    const stalled = api<Run>('POST', `/v1/controllers/${c.id}/sync`);
    await expect
      .poll(() => feed.requests.some((r) => r.path === '/listing?cursor=1'), {
        timeout: 60_000,
        interval: 50,
      })
      .toBe(true);
    // Its process is as good as dead: its lease runs out, and the next run takes the controller over.
    await t.container.db.query(
      `UPDATE controllers SET lease_until = now() - interval '1 second' WHERE id = $1`,
      [c.id],
    );
    const resumed = await sync(c.id);
    expect(resumed.status).toBe('SUCCEEDED');
    // From the page the stalled run had reached: page 0 is not read again.
    expect(resumed.counts).toEqual(counts({ new: 4 }));

    // The stalled run wakes up, finds its lease gone, and writes nothing more.
    feed.releaseStall();
    const woke = await stalled;
    expect(woke.status).toBe(200);
    expect(woke.body).toMatchObject({ status: 'INTERRUPTED', error: expect.stringMatching(/lease/) });
    expect(woke.body.counts).toEqual(counts({ new: 2 }));

    const rows = await assetsOf('cms-stall');
    expect(rows.map((r) => r.source_id)).toEqual([
      'stall-1',
      'stall-2',
      'stall-3',
      'stall-4',
      'stall-5',
      'stall-6',
    ]);
    const runs = (await api<{ items: Run[] }>('GET', `/v1/controllers/${c.id}/runs`)).body.items;
    expect(runs.map((r) => r.status).sort()).toEqual(['INTERRUPTED', 'SUCCEEDED']);
    expect(runs.reduce((sum, r) => sum + r.counts.new, 0)).toBe(6);
    expect((await api<Record<string, unknown>>('GET', `/v1/controllers/${c.id}`)).body).toMatchObject({
      health: 'healthy',
    });
    // And the next run finds every item once, unchanged.
    expect((await sync(c.id)).counts).toEqual(counts({ unchanged: 2 }));
  });

  it('updates a changed item, records one that left the feed as gone, and keeps everything through a malformed feed', async () => {
    feed.items = talks(3, 'chg');
    const c = await create({
      name: 'Changing',
      kind: 'mrss',
      configuration: { url: `${feed.url}/feed.rss`, sourceSystem: 'brightcove-chg' },
    });
    expect((await sync(c.id)).counts.new).toBe(3);

    feed.items = [{ ...feed.items[0]!, title: 'Talk 1, retitled' }, feed.items[1]!];
    const changed = await sync(c.id);
    expect(changed.counts).toEqual(counts({ updated: 1, unchanged: 1, gone: 1 }));
    const rows = await assetsOf('brightcove-chg');
    expect(rows.find((r) => r.source_id === 'chg-1')!.title).toBe('Talk 1, retitled');
    // Gone from the source: recorded, the asset itself left as it is (archiving waits for the archive).
    expect(rows).toHaveLength(3);

    feed.malformed = true;
    const broken = await sync(c.id);
    expect(broken.status).toBe('FAILED');
    expect(broken.error).toMatch(/malformed XML/);
    const unhealthy = (await api<Record<string, unknown>>('GET', `/v1/controllers/${c.id}`)).body;
    expect(unhealthy).toMatchObject({
      health: 'unhealthy',
      lastError: expect.stringMatching(/malformed XML/),
    });
    // The connector-health gauge the ControllerUnhealthy alert reads (ops/prometheus): this one only.
    const scrape = await t.app.inject({ url: '/metrics' });
    expect(scrape.body.split('\n')).toContain('mdisc_controllers{health="unhealthy"} 1');

    feed.malformed = false;
    const healed = await sync(c.id);
    // Nothing was lost or marked gone by the failed run: the two items are there, unchanged.
    // The failed run saved no validators: the feed is as the last good run saw it, so it answers 304.
    expect(healed).toMatchObject({ status: 'SUCCEEDED', notModified: true });
    expect(healed.counts).toEqual(counts({ unchanged: 2 }));
    expect(await assetsOf('brightcove-chg')).toHaveLength(3);
    expect((await api<Record<string, unknown>>('GET', `/v1/controllers/${c.id}`)).body).toMatchObject({
      health: 'healthy',
      lastError: null,
    });
    const runs = (await api<{ items: Run[] }>('GET', `/v1/controllers/${c.id}/runs?limit=10`)).body.items;
    expect(runs.map((r) => r.status)).toEqual(['SUCCEEDED', 'FAILED', 'SUCCEEDED', 'SUCCEEDED']);
  });

  it('reads a JSON Feed across its pages, conditionally the next time', async () => {
    feed.items = talks(5, 'json');
    const c = await create({
      name: 'Podcast',
      kind: 'json-feed',
      configuration: { url: `${feed.url}/feed.json` },
    });
    const first = await sync(c.id);
    expect(first).toMatchObject({ status: 'SUCCEEDED', pages: 3 });
    expect(first.counts.new).toBe(5);
    const rows = await assetsOf(c.sourceSystem);
    expect(rows).toHaveLength(5);
    const asset = (await api<Record<string, unknown>>('GET', `/v1/assets/${rows[0]!.id}`)).body;
    expect(asset).toMatchObject({
      type: 'AUDIO',
      technicalMetadata: { mimeType: 'audio/mpeg', durationSeconds: 1800 },
    });

    const second = await sync(c.id);
    expect(second).toMatchObject({ notModified: true, pages: 1 });
    expect(second.counts.unchanged).toBe(5);
  });

  it('resumes a REST listing where a run cut off left it, and brings nothing in twice', async () => {
    feed.items = talks(6, 'rest');
    feed.pageSize = 2;
    feed.dropListingPage = 1;
    const c = await create({
      name: 'CMS',
      kind: 'rest-listing',
      configuration: { url: `${feed.url}/listing` },
    });
    const cut = await sync(c.id);
    expect(cut.status).toBe('FAILED');
    expect(cut.counts.new).toBe(2);
    expect(await assetsOf(c.sourceSystem)).toHaveLength(2);

    const requestsBefore = feed.requests.length;
    const resumed = await sync(c.id);
    expect(resumed.status).toBe('SUCCEEDED');
    // From the page it stopped at: page 0 is not read again.
    expect(feed.requests.slice(requestsBefore).map((r) => r.path)).toEqual([
      '/listing?cursor=1',
      '/listing?cursor=2',
    ]);
    expect(resumed.counts).toEqual(counts({ new: 4 }));
    expect((await assetsOf(c.sourceSystem)).map((r) => r.source_id)).toEqual([
      'rest-1',
      'rest-2',
      'rest-3',
      'rest-4',
      'rest-5',
      'rest-6',
    ]);

    // The next sync reads the last page again; an item reported deleted is gone.
    feed.items = feed.items.filter((i) => i.id !== 'rest-5');
    feed.deleted = ['rest-5'];
    const next = await sync(c.id);
    expect(next.counts).toEqual(counts({ unchanged: 1, gone: 1 }));
    feed.deleted = [];
  });

  it('is idempotent by source: items ingested by a run that died before recording them are not ingested again', async () => {
    feed.items = talks(3, 'idem');
    const c = await create({
      name: 'Idempotent',
      kind: 'mrss',
      configuration: { url: `${feed.url}/feed.rss`, sourceSystem: 'kaltura-idem' },
    });
    expect((await sync(c.id)).counts.new).toBe(3);
    // As if the process died after the ingest committed and before the items were recorded, while
    // its run held the controller: the item records and the validators are lost, the lease is left.
    await t.container.db.query(`DELETE FROM controller_items WHERE controller_id = $1`, [c.id]);
    await t.container.db.query(
      `UPDATE controllers SET sync_state = '{}', lease_run_id = gen_random_uuid(),
         lease_until = now() - interval '1 second' WHERE id = $1`,
      [c.id],
    );
    await t.container.db.query(
      `INSERT INTO controller_runs (tenant_id, id, controller_id, trigger, status)
       SELECT tenant_id, lease_run_id, id, 'schedule', 'RUNNING' FROM controllers WHERE id = $1`,
      [c.id],
    );
    const again = await sync(c.id);
    expect(again.counts).toEqual(counts({ unchanged: 3 }));
    expect(await assetsOf(c.sourceSystem)).toHaveLength(3);
    const runs = (await api<{ items: Run[] }>('GET', `/v1/controllers/${c.id}/runs`)).body.items;
    expect(runs.map((r) => r.status)).toEqual(['SUCCEEDED', 'INTERRUPTED', 'SUCCEEDED']);
  });

  it('follows a change of interval and a disabling at the next tick, without a restart', async () => {
    feed.items = talks(1, 'tick');
    const c = await create({ name: 'Ticking', kind: 'mrss', configuration: { url: `${feed.url}/feed.rss` } });
    const runsOf = async () =>
      (await api<{ items: Run[] }>('GET', `/v1/controllers/${c.id}/runs`)).body.items;
    const tick = () => t.container.controllerSchedule.runNow();
    const ranMinutesAgo = (m: number) =>
      t.container.db.query(
        `UPDATE controllers SET last_run_at = now() - make_interval(mins => $2) WHERE id = $1`,
        [c.id, m],
      );

    // Never run: due at once.
    await tick();
    expect((await runsOf()).map((r) => r.trigger)).toEqual(['schedule']);

    // 5 minutes ago, on the default 15: not due. On 1 minute: due at the next tick.
    await ranMinutesAgo(5);
    await tick();
    expect(await runsOf()).toHaveLength(1);
    expect((await api('PATCH', `/v1/controllers/${c.id}`, { syncIntervalMinutes: 1 })).status).toBe(200);
    await tick();
    expect(await runsOf()).toHaveLength(2);

    // Disabled: never due, however long ago it ran; a manual sync still runs it.
    expect((await api('PATCH', `/v1/controllers/${c.id}`, { enabled: false })).status).toBe(200);
    await ranMinutesAgo(600);
    await tick();
    expect(await runsOf()).toHaveLength(2);
    await sync(c.id);
    expect((await runsOf()).map((r) => r.trigger)).toEqual(['manual', 'schedule', 'schedule']);
  });
});

describe('ingress controllers with the workers running', () => {
  let t: TestApp;
  const feed = new FeedServer();

  beforeAll(async () => {
    await feed.start();
    t = await createTestApp({ env: { WEBHOOK_ALLOW_PRIVATE: 'true', CONTROLLER_TICK_MS: '100' } });
  });
  afterAll(async () => {
    await t?.close();
    await feed.stop();
  });

  it('syncs a new controller at the next tick, and its items are enriched and found by search', async () => {
    const admin = await t.keyFor('default', 'ADMIN');
    feed.items = [
      {
        id: 'live-1',
        title: 'Bioluminescence in the midnight zone',
        description: 'Edith Widder on light made by deep sea animals.',
        speaker: 'Edith Widder',
        keywords: ['bioluminescence'],
      },
    ];
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/controllers',
      headers: admin,
      payload: { name: 'Live', kind: 'mrss', configuration: { url: `${feed.url}/feed.rss` } },
    });
    expect(created.statusCode, created.body).toBe(201);
    const search = async () => {
      const res = await t.app.inject({ method: 'GET', url: '/v1/search?q=bioluminescence', headers: admin });
      if (res.statusCode !== 200) throw new Error(`search answered ${res.statusCode}: ${res.body}`);
      return res.json<{ hits: { asset: { title: string; sourceId: string } }[] }>().hits;
    };
    await expect
      .poll(async () => (await search()).map((h) => [h.asset.title, h.asset.sourceId]), {
        timeout: 60_000,
        interval: 200,
      })
      .toEqual([['Bioluminescence in the midnight zone', 'live-1']]);
  });
});
