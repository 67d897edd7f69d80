import { setTimeout as sleep } from 'node:timers/promises';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp, ingestNamed, type TestApp } from '../support/app.js';
import { backendName } from '../support/database.js';
import { anAssetInput } from '../support/factories.js';
import { PostgresCluster } from '../support/postgres-cluster.js';

const skipped =
  backendName() !== 'postgres'
    ? 'the PGlite run has no server path (run with DATABASE_URL)'
    : PostgresCluster.unavailable();
if (skipped) console.info(`postgres-stop suite SKIPPED: ${skipped}`);

/** How long the server stays down. */
const DOWN_MS = 5_000;

type Readiness = { components: { database: { status: string } } };

/**
 * Fault 3 of issue 9 with the server really stopped (pg_ctl stop, a few seconds, pg_ctl start): a
 * cluster of the test's own, so that the machine's shared server stays up.
 */
describe.skipIf(skipped)('Postgres stopped for a while', () => {
  let cluster: PostgresCluster | undefined;
  let t: TestApp | undefined;

  afterAll(async () => {
    await t?.close();
    await cluster?.remove();
  });

  it('answers 503 with Retry-After, writes nothing partial, and reconnects when it is back', async () => {
    cluster = await PostgresCluster.create();
    await cluster.start();
    const app = (t = await createTestApp({ databaseUrl: cluster.url })).app;
    const key = await t.keyFor('default', 'EDITOR');
    const { edited } = await ingestNamed(t, key, { edited: anAssetInput({ title: 'Tidepool census' }) });

    // Clients keep writing while the server stops, stays down, and starts again.
    const failures: LightMyRequestResponse[] = [];
    const batches: { status: number; hashes: string[] }[] = [];
    const edits: { status: number; title: string }[] = [];
    const answer = (res: LightMyRequestResponse) => {
      if (res.statusCode >= 500) failures.push(res);
      return res;
    };
    let writing = true;
    const writer = async () => {
      for (let n = 0; writing; n++) {
        const assets = [
          anAssetInput({ title: `Tidepool ${n} a` }),
          anAssetInput({ title: `Tidepool ${n} b` }),
        ];
        const res = answer(
          await app.inject({ method: 'POST', url: '/v1/assets/batch', headers: key, payload: { assets } }),
        );
        batches.push({ status: res.statusCode, hashes: assets.map((a) => a.fileHash!) });
        const current = answer(await app.inject({ url: `/v1/assets/${edited}`, headers: key }));
        if (current.statusCode === 200) {
          const title = `Tidepool census, revision ${n}`;
          const patched = answer(
            await app.inject({
              method: 'PATCH',
              url: `/v1/assets/${edited}`,
              headers: { ...key, 'if-match': `"${current.json<{ version: number }>().version}"` },
              payload: { title },
            }),
          );
          edits.push({ status: patched.statusCode, title });
        }
        await sleep(50);
      }
    };
    const writing$ = writer();
    await sleep(500);
    await cluster.stop();
    const down = await app.inject({ url: '/ready' });
    expect(down.statusCode).toBe(503);
    expect(down.json<Readiness>().components.database.status).toBe('down');
    await sleep(DOWN_MS);
    await cluster.start();
    await expect
      .poll(async () => (await app.inject({ url: '/ready' })).json<Readiness>().components.database.status, {
        timeout: 20_000,
        interval: 100,
      })
      .toBe('ok');
    await sleep(500);
    writing = false;
    await writing$;

    // Every failure was a clean 503 with a retry hint, and there were some: the outage was seen.
    expect(failures.length).toBeGreaterThan(0);
    for (const res of failures) {
      expect(res.statusCode, res.body).toBe(503);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect(batches.filter((b) => b.status === 201).length).toBeGreaterThan(0);

    // No partial writes: a refused batch left none of its assets, an accepted one all of them.
    const stored = new Set(
      (await t.container.db.query<{ file_hash: string }>('SELECT file_hash FROM assets')).map(
        (r) => r.file_hash,
      ),
    );
    for (const batch of batches) {
      const kept = batch.hashes.filter((h) => stored.has(h)).length;
      expect(kept).toBe(batch.status === 201 ? batch.hashes.length : 0);
    }
    // A refused edit left no version behind; the asset holds the last accepted one.
    const titles = new Set(
      (
        await t.container.db.query<{ title: string }>(
          `SELECT snapshot->>'title' AS title FROM asset_versions WHERE asset_id = $1`,
          [edited],
        )
      ).map((r) => r.title),
    );
    for (const edit of edits) expect(titles.has(edit.title)).toBe(edit.status === 200);
    const accepted = edits.filter((e) => e.status === 200);
    const asset = await t.container.assets.get('default', edited);
    expect(asset.title).toBe(accepted[accepted.length - 1]?.title ?? 'Tidepool census');

    // The pool reconnected: a write after the restart is accepted and becomes searchable.
    const after = await app.inject({
      method: 'POST',
      url: '/v1/assets/batch?wait=true',
      headers: key,
      payload: { assets: [anAssetInput({ title: 'Tidepool after the restart' })] },
    });
    expect(after.statusCode, after.body).toBe(201);
    const hits = await app.inject({ url: '/v1/search?q=restart', headers: key });
    expect(hits.json<{ hits: unknown[] }>().hits).toHaveLength(1);

    // And the work acknowledged around the outage was done: every asset enriched, none left behind.
    const statuses = async () =>
      Object.fromEntries(
        (
          await t!.container.db.query<{ status: string; n: number }>(
            'SELECT status, count(*)::int AS n FROM assets GROUP BY status',
          )
        ).map((r) => [r.status, r.n]),
      );
    await expect.poll(statuses, { timeout: 30_000, interval: 200 }).toEqual({ PROCESSED: stored.size + 1 });
  }, 120_000);
});
