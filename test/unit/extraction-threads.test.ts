import { afterAll, describe, expect, it } from 'vitest';
import type { Asset } from '../../domain/asset.js';
import { gazetteerFor, type BrandEntry } from '../../enrichment/brands.js';
import type { ExtractionResult } from '../../enrichment/extract.js';
import { countTerms, documentTerms } from '../../enrichment/keywords.js';
import { LabelModel } from '../../enrichment/label-model.js';
import { effectiveTaxonomy } from '../../enrichment/topics.js';
import { syntheticLibrary } from '../../scripts/lib/synthetic-library.js';
import { inlineExtraction, type ExtractionRequest } from '../../services/asset-extraction.js';
import type { TenantEnrichmentContext } from '../../services/tenant-enrichment-context.js';
import { ExtractionThreads } from '../../workers/extraction-threads.js';
import { anAsset } from '../support/fakes.js';

const CAPABILITIES = ['keywords', 'topics', 'speakers', 'brands', 'moments', 'tags'] as const;

const assets = [...syntheticLibrary({ assets: 60, seed: 7 })].map(({ createdAt: _at, ...input }) =>
  anAsset({ ...input, tenantId: 'default', status: 'QUEUED' }),
);
const labelled = (labels: (a: Asset) => string[]) =>
  assets.map((a) => ({ text: `${a.title}. ${a.description}`, labels: labels(a) }));

function aTenant(overrides: Partial<TenantEnrichmentContext> = {}): TenantEnrichmentContext {
  const brands: BrandEntry[] = [{ name: 'Kelpworks', aliases: ['kelp works'] }];
  return {
    taxonomy: effectiveTaxonomy(null),
    brands,
    gazetteer: gazetteerFor(brands),
    topicModel: LabelModel.train(labelled((a) => a.tags.slice(0, 1))),
    tagModel: LabelModel.train(labelled((a) => a.tags)),
    workflows: [],
    modelsTrainedAt: new Date('2026-12-01T00:00:00Z'),
    ...overrides,
  };
}

function requestsFor(tenant: TenantEnrichmentContext, batch: Asset[]): ExtractionRequest[] {
  return batch.map((asset) => {
    const counts = countTerms(asset);
    const terms = documentTerms(counts);
    return {
      tenantId: 'default',
      tenant,
      asset,
      counts,
      corpus: { documentCount: 500, df: new Map(terms.map((t, i) => [t, 1 + (i % 40)])) },
      renames: [{ type: 'TAG', from: 'climate', to: 'climate change' }],
      capabilities: CAPABILITIES,
    } satisfies ExtractionRequest;
  });
}

/** Timings are the clock's, not the extraction's. */
const withoutTimings = (results: ExtractionResult[]) => results.map(({ timings: _t, ...rest }) => rest);

describe('extraction on worker threads', () => {
  const threads = new ExtractionThreads({ threads: 2 });
  const inline = inlineExtraction();
  afterAll(() => threads.close());

  it('gives exactly what the extraction in line gives, for a batch of assets', async () => {
    const requests = requestsFor(aTenant(), assets);
    const expected = await Promise.all(requests.map((r) => inline.extract(r)));
    // All at once, so that both threads take tasks (and each is sent the tenant's models).
    const actual = await Promise.all(requests.map((r) => threads.extract(r)));
    expect(expected.every((r) => r.completed.length === CAPABILITIES.length)).toBe(true);
    expect(withoutTimings(actual)).toEqual(withoutTimings(expected));
  });

  it('uses a retrained model and changed settings, not what a thread kept', async () => {
    const before = aTenant();
    const batch = assets.slice(0, 10);
    await Promise.all(requestsFor(before, batch).map((r) => threads.extract(r)));
    const brands: BrandEntry[] = [{ name: 'Octoplex' }];
    const after = aTenant({
      tagModel: LabelModel.train(labelled((a) => a.speakers.slice(0, 1))),
      brands,
      gazetteer: gazetteerFor(brands),
    });
    const requests = requestsFor(after, batch);
    const expected = await Promise.all(requests.map((r) => inline.extract(r)));
    // The change shows in the output, so a thread that kept the old tenant would fail below.
    const stale = await Promise.all(requestsFor(before, batch).map((r) => inline.extract(r)));
    expect(withoutTimings(expected)).not.toEqual(withoutTimings(stale));
    const actual = await Promise.all(requests.map((r) => threads.extract(r)));
    expect(withoutTimings(actual)).toEqual(withoutTimings(expected));
  });

  it("reports a capability's failure as the extraction in line does", async () => {
    const [request] = requestsFor(aTenant(), assets.slice(0, 1));
    const broken = { ...request!, counts: null as unknown as ExtractionRequest['counts'] };
    const expected = await inline.extract(broken);
    expect(expected.failed.map((f) => f.capability)).toContain('keywords');
    expect(withoutTimings([await threads.extract(broken)])).toEqual(withoutTimings([expected]));
  });
});
