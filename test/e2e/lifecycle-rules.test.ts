import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../domain/lifecycle-rules.js';
import { createTestApp, ingestNamed, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';

type Key = { authorization: string };
const daysAgo = (n: number) => new Date(Date.now() - n * DAY_MS).toISOString();

/**
 * Lifecycle rules through HTTP only (docs/lifecycle.md#lifecycle-rules): a rule, its dry run, a run
 * on demand followed on /v1/jobs, and what the run did, seen as any client sees an API delete or
 * archive: the asset gone, or ARCHIVED and out of search, each audited.
 */
describe('/v1/lifecycle-rules end to end', () => {
  let t: TestApp;
  let admin: Key;
  let ids: Record<'oldTranscript' | 'agingTranscript' | 'newTranscript', string>;

  beforeAll(async () => {
    t = await createTestApp({ env: { LIFECYCLE_INTERVAL_MS: '0' } });
    admin = await t.keyFor('default', 'ADMIN');
    ids = await ingestNamed(t, admin, {
      oldTranscript: anAssetInput({ type: 'TEXT', title: 'Harbour minutes 2019', createdAt: daysAgo(800) }),
      agingTranscript: anAssetInput({ type: 'TEXT', title: 'Harbour minutes 2025', createdAt: daysAgo(120) }),
      newTranscript: anAssetInput({ type: 'TEXT', title: 'Harbour minutes today' }),
    });
  }, 120_000);
  afterAll(() => t?.close());

  const call = async <T>(method: 'GET' | 'POST', url: string, payload?: object) => {
    const res = await t.app.inject({ method, url, headers: admin, ...(payload ? { payload } : {}) });
    return { status: res.statusCode, body: (res.body ? res.json<T>() : undefined) as T };
  };

  it('previews, runs as a job, and archives and deletes as the API does', async () => {
    const rule = await call<{ id: string }>('POST', '/v1/lifecycle-rules', {
      name: 'Old minutes',
      type: 'TEXT',
      archiveAfterDays: 90,
      deleteAfterDays: 730,
    });
    expect(rule.status).toBe(201);
    const preview = await call<{ items: { assetId: string; action: string; ageDays: number }[] }>(
      'GET',
      '/v1/lifecycle-rules/preview',
    );
    expect(preview.status).toBe(200);
    expect(preview.body.items.map((i) => [i.assetId, i.action]).sort()).toEqual(
      [
        [ids.oldTranscript, 'DELETE'],
        [ids.agingTranscript, 'ARCHIVE'],
      ].sort(),
    );

    const run = await call<{ id: string; backgroundKind: string }>('POST', '/v1/lifecycle-rules/run');
    expect(run.status).toBe(202);
    expect(run.body.backgroundKind).toBe('lifecycle-rules');
    await expect
      .poll(async () => (await call<{ status: string }>('GET', `/v1/jobs/${run.body.id}`)).body.status, {
        timeout: 60_000,
      })
      .toBe('COMPLETED');
    const job = await call<{ lifecycle: object; progressPercent: number }>('GET', `/v1/jobs/${run.body.id}`);
    expect(job.body).toMatchObject({
      progressPercent: 100,
      lifecycle: { archived: 1, deleted: 1, skipped: 0 },
    });

    expect((await call('GET', `/v1/assets/${ids.oldTranscript}`)).status).toBe(404);
    expect((await call<{ status: string }>('GET', `/v1/assets/${ids.agingTranscript}`)).body.status).toBe(
      'ARCHIVED',
    );
    expect((await call<{ status: string }>('GET', `/v1/assets/${ids.newTranscript}`)).body.status).toBe(
      'PROCESSED',
    );
    const audit = await call<{ items: { actionType: string; actor: string; assetId: string }[] }>(
      'GET',
      '/v1/actions?type=DELETE',
    );
    expect(audit.body.items).toEqual([
      expect.objectContaining({ assetId: ids.oldTranscript, actor: `lifecycle-rule:${rule.body.id}` }),
    ]);
    // Once projected, search finds neither (an archived asset only when asked for).
    await expect
      .poll(
        async () =>
          (
            await call<{ hits: { asset: { id: string } }[] }>('GET', '/v1/search?q=harbour+minutes')
          ).body.hits.map((h) => h.asset.id),
        { timeout: 30_000 },
      )
      .toEqual([ids.newTranscript]);

    // Run again: nothing is left to do.
    const again = await call<{ id: string }>('POST', '/v1/lifecycle-rules/run');
    expect(again.status).toBe(202);
    await expect
      .poll(async () => (await call<{ status: string }>('GET', `/v1/jobs/${again.body.id}`)).body.status, {
        timeout: 60_000,
      })
      .toBe('COMPLETED');
    expect(
      (await call<{ lifecycle: object }>('GET', `/v1/jobs/${again.body.id}`)).body.lifecycle,
    ).toMatchObject({
      archived: 0,
      deleted: 0,
    });
  });
});
