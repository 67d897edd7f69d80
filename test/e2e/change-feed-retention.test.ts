import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';

interface Change {
  cursor: string;
  assetId: string;
}

/**
 * Retention of GET /v1/changes (docs/change-feeds.md, "Retention"): once entries are pruned, a
 * cursor from before them is answered 410, a problem that says how to resync, in every form.
 */
describe('GET /v1/changes past retention', () => {
  let t: TestApp;
  let key: { authorization: string };
  beforeAll(async () => {
    t = await createTestApp({ workers: false });
    key = await t.keyFor('retained', 'VIEWER');
  }, 300_000);
  afterAll(() => t?.close());

  it('answers a pruned cursor with 410 resync-required, JSON or stream, and reads on from a kept one', async () => {
    const editor = await t.keyFor('retained', 'EDITOR');
    const ids: string[] = [];
    for (const title of ['first', 'second', 'third']) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/assets',
        headers: editor,
        payload: anAssetInput({ title }),
      });
      expect(res.statusCode, res.body).toBe(201);
      ids.push(res.json<{ asset: { id: string } }>().asset.id);
    }
    const page = async (query: string) => t.app.inject({ url: `/v1/changes?${query}`, headers: key });
    let log: Change[] = [];
    await expect
      .poll(async () => (log = (await page('limit=10')).json<{ items: Change[] }>().items).length, {
        timeout: 60_000,
      })
      .toBe(3);
    expect(log.map((c) => c.assetId)).toEqual(ids);

    // The first two entries are past retention; a run prunes them.
    await t.container.db.query(
      `UPDATE asset_changes SET changed_at = changed_at - interval '31 days'
       WHERE tenant_id = $1 AND asset_id = ANY($2::uuid[])`,
      ['retained', ids.slice(0, 2)],
    );
    expect((await t.container.changes.pruneAll()).removed).toBe(2);

    const expectResync = (res: Awaited<ReturnType<typeof page>>) => {
      expect(res.statusCode, res.body).toBe(410);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({
        type: '/problems/resync-required',
        title: 'Gone',
        status: 410,
        resumeCursor: log[2]!.cursor,
        retentionDays: 30,
      });
      expect(res.json<{ detail: string }>().detail).toContain('GET /v1/assets');
    };
    expectResync(await page(`cursor=${log[0]!.cursor}`));
    expectResync(await page('limit=10'));
    expectResync(
      await t.app.inject({
        url: '/v1/changes',
        headers: { ...key, accept: 'text/event-stream', 'last-event-id': log[0]!.cursor },
      }),
    );
    expectResync(
      await t.app.inject({
        url: `/v1/changes?cursor=${log[0]!.cursor}`,
        headers: { ...key, accept: 'application/x-ndjson' },
      }),
    );

    // From the last pruned entry on, nothing is missing: it reads on, as a page and as a stream.
    const kept = await page(`cursor=${log[1]!.cursor}`);
    expect(kept.statusCode).toBe(200);
    expect(kept.json<{ items: Change[] }>().items.map((c) => c.assetId)).toEqual([ids[2]]);
    const stream = await t.app.inject({
      url: `/v1/changes?cursor=${log[1]!.cursor}`,
      headers: { ...key, accept: 'application/x-ndjson' },
    });
    expect(stream.statusCode).toBe(200);
    expect(
      stream.body
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => (JSON.parse(l) as Change).assetId),
    ).toEqual([ids[2]]);
  });

  it('declares the 410 in the contract', async () => {
    const doc = (await t.app.inject({ url: '/openapi.json' })).json<{
      paths: Record<string, { get: { responses: Record<string, unknown> } }>;
    }>();
    expect(doc.paths['/v1/changes']!.get.responses).toHaveProperty('410');
  });
});
