import { run, type Sql } from '../../store/database.js';
import { FACET_DIMENSIONS, type FacetDimension, type Facets, type SearchFilters } from '../search-index.js';
import type { RankSnapshot } from './cursor.js';
import { SQL } from './statements.js';
import { facetCountsStatement, type SelectiveFilter } from './translator.js';

/** Facets count every match up to this many expected matches, and a uniform sample of this size past it. */
export const FACET_SAMPLE_SIZE = 5_000;
/**
 * Below this share of the sample size passing every filter, the sample is too thin to estimate from:
 * a larger one is read, up to every match.
 */
const FACET_SAMPLE_MIN_SHARE = 0.1;
/**
 * A thin sample grows to at most this many times the sample size in documents read (100,000: about
 * 0.7 s at 1M assets); counting every one of 690,000 took 5 s. Counts from it stay estimates.
 */
const FACET_SAMPLE_MAX_GROWTH = 20;

/**
 * Value counts per dimension over the matching, filtered assets; each dimension ignores its own
 * filter. One statement reads the matches once. Matches come from the postings (btree equality,
 * leakproof, so usable under row-level security, where the GIN index on the tsvector is not).
 * Past `sampleSize` expected matches, counts are estimated from a uniform sample: the assets whose
 * (random) ids fall below a bound, as Elasticsearch's random sampler does. With a selective filter
 * (a rare tag), every dimension but the filter's own counts that filter's matching assets, all of
 * them, exactly; only the filter's own dimension needs the sample.
 */
export async function countFacets(
  db: Sql,
  x: {
    tenantId: string;
    /** The ranking's terms and statistics; null counts over every document. */
    snapshot: RankSnapshot | null;
    filters: SearchFilters;
    selective: SelectiveFilter | null;
    sampleSize: number;
  },
): Promise<{ facets: Facets; estimated: boolean }> {
  const { snapshot, selective, sampleSize } = x;
  // The dimension counted over the sample when a selective filter serves the others (none for
  // brands, which have no facet).
  const sampledDim = selective ? (FACET_DIMENSIONS.find((dim) => dim === selective.dim) ?? null) : undefined;
  const expected = snapshot
    ? Math.min(
        snapshot.df.reduce((a, b) => a + b, 0),
        snapshot.n,
      )
    : await documentCount(db, x.tenantId);
  // No sample at all when the selective filter serves every dimension (brands).
  let fraction = sampledDim !== null && expected > sampleSize ? sampleSize / expected : null;
  // Filters can leave too few of the sample to estimate from (a rare tag): the sample grows, within
  // a budget of documents read (to all of them when the budget covers them).
  const budget = (sampleSize * FACET_SAMPLE_MAX_GROWTH) / expected;
  for (;;) {
    const { statement, params } = facetCountsStatement({
      tenantId: x.tenantId,
      terms: snapshot ? snapshot.t : null,
      filters: x.filters,
      fraction,
      selective,
      sampledDim,
    });
    const counted = await run<{ dim: FacetDimension | ''; value: string; count: number }>(
      db,
      statement,
      params,
    );
    const rows = counted.filter(
      (r): r is { dim: FacetDimension; value: string; count: number } => r.dim !== '',
    );
    const kept = counted.find((r) => r.dim === '')?.count ?? 0;
    if (fraction !== null && fraction < budget && kept < sampleSize * FACET_SAMPLE_MIN_SHARE) {
      const wanted = (fraction * sampleSize) / Math.max(kept, 1);
      const next = Math.min(Math.max(wanted, fraction * 2), budget);
      fraction = next >= 1 ? null : next;
      continue;
    }
    const facets = Object.fromEntries(FACET_DIMENSIONS.map((dim) => [dim, []])) as unknown as Facets;
    for (const r of rows) {
      const scale = fraction && (!selective || r.dim === sampledDim) ? fraction : null;
      facets[r.dim].push({
        value: r.value,
        count: scale ? Math.max(1, Math.round(r.count / scale)) : r.count,
      });
    }
    return { facets, estimated: fraction !== null && (!selective || sampledDim !== null) };
  }
}

async function documentCount(db: Sql, tenantId: string): Promise<number> {
  const [row] = await run<{ n: number }>(db, SQL.documentCount, { tenantId });
  return row?.n ?? 0;
}
