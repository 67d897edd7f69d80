import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Asset } from '../../domain/asset.js';
import { syntheticLibrary } from '../../scripts/lib/synthetic-library.js';
import { createTestApp, type TestApp } from '../support/app.js';

const who = { tenantId: 'default', actor: 'key:test' };
const inputs = [...syntheticLibrary({ assets: 30, seed: 11, duplicateRate: 0 })].map((a) => ({
  ...a,
  contributors: [],
  operationalTags: [],
}));

/** Ingests the inputs in one batch and waits until every asset is enriched and projected. */
async function ingestAndSettle(t: TestApp): Promise<Map<string, Asset>> {
  const results = await t.container.ingest.ingest(who, inputs);
  const { settled, assets } = await t.container.assets.waitUntilSettled(
    who.tenantId,
    results.map((r) => r.asset.id),
    120_000,
  );
  expect(settled).toBe(true);
  return new Map([...assets.values()].map((a) => [a.fileHash, a]));
}

/**
 * The embedded default's enrichment through the in-process queue, with its extraction on worker
 * threads (EXTRACTION_THREADS), against the same ingest with the extraction in line.
 */
describe('enrichment with extraction threads, through the in-process queue', () => {
  let threaded: TestApp;
  let inline: TestApp;
  beforeAll(async () => {
    threaded = await createTestApp({ env: { EXTRACTION_THREADS: '2' } });
    inline = await createTestApp({ env: { EXTRACTION_THREADS: '0' } });
  });
  afterAll(async () => {
    await threaded?.close();
    await inline?.close();
  });

  it('enriches every asset as the extraction in line does', async () => {
    const onThreads = await ingestAndSettle(threaded);
    const inLine = await ingestAndSettle(inline);
    expect(onThreads.size).toBe(inputs.length);
    for (const [hash, expected] of inLine) {
      const actual = onThreads.get(hash)!;
      expect(actual).toMatchObject({ status: 'PROCESSED', enrichedFromVersion: 1 });
      expect(actual.enrichment).toEqual(expected.enrichment);
    }
  });
});
