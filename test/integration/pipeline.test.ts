import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Container } from '../../runtime/container.js';
import { createTestApp, type QueueBackend, type TestApp } from '../support/app.js';
import { anAssetInput } from '../support/factories.js';

const queues: QueueBackend[] = inject('redisUrl') ? ['in-process', 'bullmq'] : ['in-process'];

describe.each(queues)('pipeline on the %s queue', (queue) => {
  let t: TestApp;
  let c: Container;
  const who = { tenantId: 'default', actor: 'key:test' };

  beforeAll(async () => {
    t = await createTestApp({ queue, env: { JOB_ATTEMPTS: '2', JOB_BACKOFF_MS: '50' } });
    c = t.container;
  });
  afterAll(() => t.close());

  const ingestAndSettle = async (...inputs: ReturnType<typeof anAssetInput>[]) => {
    const results = await c.ingest.ingest(who, inputs);
    const { settled, assets } = await c.assets.waitUntilSettled(
      who.tenantId,
      results.map((r) => r.asset.id),
      20_000,
    );
    expect(settled).toBe(true);
    return results.map((r) => assets.get(r.asset.id)!);
  };

  it('takes an asset from ingest to enriched, searchable and related', async () => {
    const [talk, other] = await ingestAndSettle(
      anAssetInput({
        title: 'The hidden life of octopuses',
        description: 'Marine biologist explains octopus intelligence and camouflage.',
        speakers: ['Roger Hanlon'],
        tags: ['oceans', 'animals'],
      }),
      anAssetInput({ title: 'Cuttlefish colours', speakers: ['Roger Hanlon'], tags: ['animals'] }),
    );
    expect(talk).toMatchObject({ status: 'PROCESSED', version: 2, enrichedFromVersion: 1 });
    expect(talk!.enrichment!.speakers[0]).toMatchObject({ name: 'Roger Hanlon', source: 'manual' });
    expect(talk!.enrichment!.tags.filter((x) => x.source === 'manual').map((x) => x.name)).toEqual([
      'oceans',
      'animals',
    ]);
    expect(talk!.enrichment!.keywords.map((k) => k.term)).toContain('octopuses');

    const search = await c.discovery.searchAssets(who.tenantId, { q: 'octopus camouflage', limit: 5 });
    expect(search.hits[0]!.asset.id).toBe(talk!.id);

    const related = await c.discovery.related(who.tenantId, talk!.id, { limit: 5 });
    expect(related.items[0]!.asset.id).toBe(other!.id);
    expect(related.items[0]!.reasons).toContainEqual(
      expect.objectContaining({ type: 'SPEAKER', name: 'Roger Hanlon' }),
    );

    const versions = await c.db.query<{ version: number; change_kind: string }>(
      'SELECT version, change_kind FROM asset_versions WHERE asset_id = $1 ORDER BY version',
      [talk!.id],
    );
    expect(versions).toEqual([
      { version: 1, change_kind: 'INGEST' },
      { version: 2, change_kind: 'ENRICHMENT' },
    ]);
    const [run] = await c.db.query<Record<string, unknown>>(
      'SELECT * FROM processing_jobs WHERE asset_id = $1',
      [talk!.id],
    );
    expect(run).toMatchObject({
      status: 'COMPLETED',
      asset_version: 1,
      workflow: 'default-enrichment',
      capabilities_completed: ['keywords', 'topics', 'speakers', 'brands', 'moments', 'tags'],
      capabilities_failed: [],
      progress: 1,
      retry_count: 0,
    });
    expect(Object.keys(run!.timings as object).sort()).toEqual([
      'brands',
      'keywords',
      'moments',
      'speakers',
      'tags',
      'topics',
    ]);
  });

  it('leaves the same state when an enrichment job is delivered twice', async () => {
    const [asset] = await ingestAndSettle(anAssetInput({ title: 'Redelivered' }));
    await c.enrichment.enrichAssets(
      { tenantId: who.tenantId, assets: [{ assetId: asset!.id, version: 1 }] },
      { jobId: 'again', attempt: 1, maxAttempts: 1 },
    );
    const after = await c.assets.get(who.tenantId, asset!.id);
    expect(after.version).toBe(asset!.version);
    const [{ n }] = (await c.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM asset_versions WHERE asset_id = $1',
      [asset!.id],
    )) as [{ n: number }];
    expect(n).toBe(2);
  });

  it('keeps document frequencies per tenant', async () => {
    await c.apiKeys.create({ tenantId: 'other', name: 'x', role: 'ADMIN' });
    const word = `zyx${Date.now()}`;
    await c.ingest.ingest(who, [anAssetInput({ title: `${word} one` })]);
    const results = await c.ingest.ingest(who, [anAssetInput({ title: `${word} two` })]);
    await c.assets.waitUntilSettled(who.tenantId, [results[0]!.asset.id], 20_000);
    const [other] = await c.ingest.ingest({ tenantId: 'other', actor: 'x' }, [
      anAssetInput({ title: `${word} three` }),
    ]);
    await c.assets.waitUntilSettled('other', [other!.asset.id], 20_000);
    const rows = await c.db.query<{ tenant_id: string; df: number }>(
      'SELECT tenant_id, df FROM term_document_frequencies WHERE term = $1 ORDER BY tenant_id',
      [word],
    );
    expect(rows).toEqual([
      { tenant_id: 'default', df: 2 },
      { tenant_id: 'other', df: 1 },
    ]);
  });

  it('marks the asset FAILED with the error once the last attempt fails, keeping the run history', async () => {
    await c.db.exec('ALTER TABLE term_document_frequencies RENAME TO tdf_broken');
    try {
      const [result] = await c.ingest.ingest(who, [anAssetInput({ title: 'Doomed' })]);
      const { assets } = await c.assets.waitUntilSettled(who.tenantId, [result!.asset.id], 20_000);
      const failed = assets.get(result!.asset.id)!;
      expect(failed.status).toBe('FAILED');
      expect(failed.statusDetail).toMatch(/term_document_frequencies/);
      const [run] = await c.db.query<Record<string, unknown>>(
        'SELECT * FROM processing_jobs WHERE asset_id = $1',
        [failed.id],
      );
      expect(run).toMatchObject({ status: 'FAILED', retry_count: 1 });
      expect(run!.last_error).toMatch(/term_document_frequencies/);
      const actions = await c.db.query<{ status: string }>(
        `SELECT status FROM action_records WHERE asset_id = $1 AND action_type = 'ENRICH' ORDER BY created_at`,
        [failed.id],
      );
      expect(actions.map((a) => a.status)).toEqual(['FAILED', 'FAILED']);
    } finally {
      await c.db.exec('ALTER TABLE tdf_broken RENAME TO term_document_frequencies');
    }
  });
});
