import type { Asset } from '../domain/asset.js';
import { Renames, type RenameRule } from '../domain/tag-renames.js';
import { extractAll, type Capability, type ExtractionResult } from '../enrichment/extract.js';
import type { CorpusStats, TermCounts } from '../enrichment/keywords.js';
import type { TenantEnrichmentContext } from './tenant-enrichment-context.js';

/** One asset's extraction, as plain data: what crosses to a worker thread. */
export interface ExtractionRequest {
  tenantId: string;
  tenant: TenantEnrichmentContext;
  asset: Asset;
  counts: TermCounts;
  corpus: CorpusStats;
  renames: readonly RenameRule[];
  capabilities: readonly Capability[];
}

/**
 * The port the enrichment extracts through: in line on the calling thread, or on a pool of worker
 * threads (workers/extraction-threads.ts), chosen by the composition root. Both give the same result.
 */
export interface AssetExtraction {
  extract(request: ExtractionRequest): Promise<ExtractionResult>;
  close(): Promise<void>;
}

/** The extraction of one request by `extract` (extractAll; tests give one that fails on purpose). */
export function extractRequest(request: ExtractionRequest, extract = extractAll): ExtractionResult {
  const { tenant, asset, counts, corpus, renames, capabilities } = request;
  return extract(asset, { ...tenant, counts, corpus, renames: new Renames(renames) }, capabilities);
}

/** On the calling thread: the default of tests, and of a worker process that scales by process count. */
export function inlineExtraction(extract = extractAll): AssetExtraction {
  return {
    extract: (request) => Promise.resolve(extractRequest(request, extract)),
    close: () => Promise.resolve(),
  };
}
