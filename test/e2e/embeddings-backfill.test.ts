import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ingestNamed, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';

interface Job {
  id: string;
  status: string;
  backgroundKind: string | null;
  total: number | null;
  processed: number | null;
  progressPercent: number;
}

/**
 * POST /v1/embeddings/backfill (docs/semantic-search.md): a library ingested while semantic search was
 * off is embedded by a background job once it is on, in the caller's tenant only; one job at a time
 * per tenant. With the hashing model (a bag of hashed words: no model is loaded).
 */
describe('POST /v1/embeddings/backfill', () => {
  let t: TestApp;
  let admin: { authorization: string };
  let other: { authorization: string };
  let editor: { authorization: string };
  let off: { authorization: string };
  let ids: Record<'currents' | 'waves' | 'money', string>;

  const library = {
    currents: anAssetInput({
      title: 'Deep currents',
      description: 'How the ocean moves water through the deep sea.',
    }),
    waves: anAssetInput({
      title: 'Songs of the sea',
      description: 'Music recorded on waves and deep water.',
    }),
    money: anAssetInput({ title: 'Money and markets', description: 'Interest rates and inflation.' }),
  };

  beforeAll(async () => {
    // Semantic search off for every tenant while the libraries are ingested: nothing is embedded.
    t = await createTestApp({ env: { SEMANTIC_SEARCH: 'false', EMBEDDING_MODEL: 'hashing' } });
    [admin, other, editor, off] = await Promise.all([
      t.keyFor('bf-lib', 'ADMIN'),
      t.keyFor('bf-other', 'ADMIN'),
      t.keyFor('bf-lib', 'EDITOR'),
      t.keyFor('bf-off', 'ADMIN'),
    ]);
    ids = await ingestNamed(t, admin, library);
    await ingestNamed(t, other, library);
    await t.container.embeddings.setEnabled('bf-lib', true);
    await t.container.embeddings.setEnabled('bf-other', true);
  }, 180_000);
  afterAll(() => t?.close());

  const start = async (key: { authorization: string }, assetsPerSecond: number) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/embeddings/backfill',
      headers: key,
      payload: { assetsPerSecond },
    });
  const finished = async (key: { authorization: string }, id: string): Promise<Job> => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const job = (await t.app.inject({ url: `/v1/jobs/${id}`, headers: key })).json<Job>();
      if (job.status === 'COMPLETED' || job.status === 'FAILED' || Date.now() > deadline) return job;
      await sleep(50);
    }
  };
  const semantic = async (key: { authorization: string }) => {
    const res = await t.app.inject({ url: '/v1/search?q=deep+sea+water&mode=semantic', headers: key });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ hits: { asset: { id: string } }[] }>().hits.map((h) => h.asset.id);
  };

  it("embeds the caller's library as a background job, audited, and no other tenant's", async () => {
    expect(await semantic(admin)).toEqual([]);

    const res = await start(admin, 1_000);
    expect(res.statusCode, res.body).toBe(202);
    const job = res.json<Job>();
    expect(job.backgroundKind).toBe('embeddings-backfill');
    expect(await finished(admin, job.id)).toMatchObject({
      status: 'COMPLETED',
      total: 3,
      processed: 3,
      progressPercent: 100,
    });

    const found = await semantic(admin);
    expect(found[0]).toBe(ids.currents);
    expect(found).toContain(ids.waves);
    // The other tenant has semantic search on too, and the same library, still not embedded.
    expect(await semantic(other)).toEqual([]);

    const audit = await t.app.inject({ url: '/v1/actions?type=EMBEDDINGS_BACKFILL_START', headers: admin });
    expect(audit.json<{ items: { details: { jobId: string } }[] }>().items).toEqual([
      expect.objectContaining({
        details: expect.objectContaining({ jobId: job.id, assetsPerSecond: 1_000 }),
      }),
    ]);
  });

  it('while a backfill is unfinished, asking again answers the same job; afterwards a new one', async () => {
    // One asset a second: the job sleeps about 3 s after its one page, unfinished meanwhile.
    const first = await start(other, 1);
    const again = await start(other, 1);
    expect(first.statusCode, first.body).toBe(202);
    expect(again.statusCode, again.body).toBe(202);
    expect(again.json<Job>().id).toBe(first.json<Job>().id);
    expect((await finished(other, first.json<Job>().id)).status).toBe('COMPLETED');
    const audit = await t.app.inject({ url: '/v1/actions?type=EMBEDDINGS_BACKFILL_START', headers: other });
    expect(audit.json<{ items: unknown[] }>().items).toHaveLength(1);

    const before = await semantic(other);
    expect(before.length).toBeGreaterThan(0);
    const next = await start(other, 1_000);
    expect(next.json<Job>().id).not.toBe(first.json<Job>().id);
    expect(await finished(other, next.json<Job>().id)).toMatchObject({ status: 'COMPLETED', processed: 3 });
    // Run again over an embedded library, it changes nothing.
    expect(await semantic(other)).toEqual(before);
  });

  it('is a 409 problem while the tenant has semantic search off, and needs jobs:manage', async () => {
    const refused = await start(off, 10);
    expect(refused.statusCode).toBe(409);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect((await start(editor, 10)).statusCode).toBe(403);
    const bad = await start(admin, 0);
    expect(bad.statusCode).toBe(400);
  });
});
