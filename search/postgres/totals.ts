import { run, type Sql } from '../../store/database.js';
import {
  TOTAL_EXACT_UP_TO,
  type ParsedQuery,
  type SearchFilters,
  type SearchTotal,
} from '../search-index.js';
import type { RankSnapshot } from './cursor.js';
import { SQL } from './statements.js';
import { totalCountStatement, type SelectiveFilter } from './translator.js';

/**
 * Candidates that each need their document read (a filter, phrase or exclusion to check) are counted
 * exactly up to this many, then sampled: reading 10,000 documents added about 70 ms to a filtered
 * search, 200 ms with a phrase, at 10k assets (tenant of 6,934; docs/search-relevance.md#hit-count).
 */
export const TOTAL_READS_EXACT_UP_TO = 1_000;

/**
 * How many assets a search matches. Exact when counting reads at most `TOTAL_EXACT_UP_TO` candidates:
 * the postings of the query's terms (each asset once), a selective filter's assets, or the
 * documents of a tenant that small. Exact for free without restrictions: a browse counts the
 * tenant's documents, a one-term query its document frequency. Past the bound, an estimate
 * (`exact: false`): the matches are counted in a uniform sample of about that many candidates (the
 * assets whose random id falls below a bound, as facets sample) and scaled up by the sample's share.
 */
export async function countTotal(
  db: Sql,
  x: {
    tenantId: string;
    /** The ranking's terms and statistics; null counts over every document. */
    snapshot: RankSnapshot | null;
    query: Pick<ParsedQuery, 'phrases' | 'exclusions'>;
    filters: SearchFilters;
    selective: SelectiveFilter | null;
    /** `TOTAL_EXACT_UP_TO`, but for tests. */
    exactUpTo?: number;
  },
): Promise<SearchTotal> {
  const bound = x.exactUpTo ?? TOTAL_EXACT_UP_TO;
  const restricted =
    Object.values(x.filters).some((v) => v !== undefined && (!Array.isArray(v) || v.length > 0)) ||
    x.query.phrases.length > 0 ||
    x.query.exclusions.length > 0;
  const terms = x.snapshot ? x.snapshot.t.filter((_, i) => (x.snapshot!.df[i] ?? 0) > 0) : null;
  if (terms?.length === 0) return { value: 0, exact: true };
  let candidates: number;
  if (x.snapshot) {
    const dfs = x.snapshot.df.filter((df) => df > 0);
    if (!restricted && dfs.length === 1) return { value: dfs[0]!, exact: true };
    candidates = dfs.reduce((a, b) => a + b, 0);
  } else {
    const [row] = await run<{ n: number }>(db, SQL.documentCount, { tenantId: x.tenantId });
    candidates = row?.n ?? 0;
    if (!restricted) return { value: candidates, exact: true };
  }
  // Candidates from the postings that a filter, phrase or exclusion must check cost a document read
  // each (a phrase its tsvector too): those are counted exactly to a lower bound, and sampled past it.
  const reads = restricted && (terms !== null || x.query.phrases.length > 0 || x.query.exclusions.length > 0);
  const limit = reads ? Math.min(bound, TOTAL_READS_EXACT_UP_TO) : bound;
  // A selective filter's assets are the candidates, when fewer.
  if (x.selective) candidates = Math.min(candidates, x.selective.assets);
  const fraction = candidates <= limit ? null : limit / candidates;
  const { statement, params } = totalCountStatement({
    tenantId: x.tenantId,
    terms,
    query: x.query,
    filters: x.filters,
    selective: x.selective,
    fraction,
  });
  const [row] = await run<{ n: number }>(db, statement, params);
  const n = row?.n ?? 0;
  return fraction === null ? { value: n, exact: true } : { value: Math.round(n / fraction), exact: false };
}
