import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readChanges, unwrap, type AssetChange, type MediaClient } from '../../openapi/client/src/index.js';
import { startClientServer, type ClientServer } from '../support/client.js';

/** The change log through the generated client: the JSON page form, read on by its cursor. */
describe('generated client: the asset change log', () => {
  let server: ClientServer;
  let client: MediaClient;

  beforeAll(async () => {
    server = await startClientServer();
    client = await server.clientFor('default', 'EDITOR');
  }, 60_000);
  afterAll(() => server?.t.close());

  it('pages through the log by nextCursor and sees a new asset ingested, then enriched', async () => {
    const readAll = async (cursor?: string) => {
      const items: AssetChange[] = [];
      for (;;) {
        const page = await readChanges(client, { limit: 2, cursor });
        items.push(...page.items);
        cursor = page.nextCursor ?? cursor;
        if (page.caughtUp) return { items, cursor };
      }
    };
    const start = (await readAll()).cursor;
    const { asset } = await unwrap(
      client.POST('/v1/assets', {
        params: { query: { wait: true } },
        body: { type: 'VIDEO', title: 'Tides and the moon', tags: ['oceans'] },
      }),
    );
    await expect
      .poll(async () => (await readAll(start)).items.map((c) => [c.assetId, c.change, c.version]), {
        timeout: 60_000,
      })
      .toEqual([
        [asset.id, 'ingested', 1],
        [asset.id, 'enriched', 2],
      ]);
    // A filter by kind, and a bad cursor as a problem.
    const enriched = await readChanges(client, { cursor: start, type: ['enriched'] });
    expect(enriched.items.map((c) => c.change)).toEqual(['enriched']);
    const bad = await client.GET('/v1/changes', { params: { query: { cursor: 'nope' } } });
    expect(bad.response.status).toBe(400);
  });
});
