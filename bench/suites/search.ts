/**
 * Search: SearchIndex.search in the tenant's scope (as a request runs it), per kind of query, beside
 * a plain baseline on the same table: `ts_rank_cd` over the GIN index, every match ranked.
 * The BM25 figures cover the whole search (term lookup, typo check, ranking, highlights).
 */
import { PostgresSearchIndex } from '../../search/postgres-search-index.js';
import type { SearchQuery } from '../../search/search-index.js';
import type { Database } from '../../store/db.js';
import { inTenantScope } from '../../store/tenant-isolation.js';
import { measure, type Compared } from '../lib.js';

interface Kind {
  queries: string[];
  filtered?: boolean;
}

/** The words are the synthetic library's topic words, which lead its vocabulary whatever seeds it. */
export const SEARCH_KINDS: Record<string, Kind> = {
  'single term': { queries: ['technology', 'climate', 'education', 'health'] },
  'multi-term': {
    queries: ['ocean energy future', 'music design brain', 'business community water', 'space art culture'],
  },
  phrase: { queries: ['"climate technology"', '"health education"', '"future energy"', '"design music"'] },
  'filtered + faceted': {
    queries: ['technology', 'ocean energy', 'design', 'health future'],
    filtered: true,
  },
  typo: { queries: ['tecnology', 'climte', 'educaton helth', 'ocaen enrgy'] },
};

/** Filters of the filtered kind: videos tagged with the topic supernode. */
const FILTER = { type: 'VIDEO', tag: 'climate' };

/**
 * The baseline: the OR of the words (a phrase stays a phrase) ranked by ts_rank_cd over every match;
 * the filtered kind filters in SQL and counts the same two facets (type, tags) over the matches.
 * It corrects no typos: for that kind it shows the cost of finding (almost) nothing.
 */
const BASELINE = `
  WITH q AS (SELECT CASE WHEN $2 LIKE '"%' THEN phraseto_tsquery('english', $2)
                    ELSE replace(plainto_tsquery('english', $2)::text, '&', '|')::tsquery END AS q),
  m AS (SELECT asset_id, type, tags, ts_rank_cd(document, q.q) AS rank FROM search_documents, q
        WHERE tenant_id = $1 AND document @@ q.q
          AND ($3::text IS NULL OR (type = $3 AND tags @> ARRAY[$4::text])))
  SELECT (SELECT json_agg(x) FROM (SELECT asset_id, rank FROM m ORDER BY rank DESC LIMIT 20) x) AS hits,
         CASE WHEN $3::text IS NULL THEN NULL ELSE
           (SELECT json_agg(f) FROM (SELECT type AS value, count(*) FROM m GROUP BY type) f) END AS types,
         CASE WHEN $3::text IS NULL THEN NULL ELSE
           (SELECT json_agg(f) FROM (SELECT t AS value, count(*) FROM m, unnest(tags) t
                                     GROUP BY t ORDER BY count(*) DESC LIMIT 10) f) END AS tags`;

export interface SearchOptions {
  tenantId: string;
  rounds: number;
  runs: number;
  /** Runs per round of the baseline (it takes seconds per query at a million assets). */
  baselineRuns: number;
  concurrency: number;
}

export async function searchSuite(db: Database, o: SearchOptions): Promise<Record<string, Compared>> {
  const index = new PostgresSearchIndex(db);
  const out: Record<string, Compared> = {};
  for (const [name, kind] of Object.entries(SEARCH_KINDS)) {
    const query = (i: number): SearchQuery => ({
      text: kind.queries[i % kind.queries.length]!,
      limit: 20,
      ...(kind.filtered
        ? { filters: { type: [FILTER.type as 'VIDEO'], tags: [FILTER.tag] }, facets: true }
        : {}),
    });
    const ours = await measure(
      { rounds: o.rounds, runs: o.runs, concurrency: o.concurrency, warmup: kind.queries.length },
      (i) => inTenantScope(o.tenantId, () => index.search(o.tenantId, query(i))),
    );
    const baseline =
      o.baselineRuns > 0
        ? await measure(
            { rounds: o.rounds, runs: o.baselineRuns, concurrency: o.concurrency, warmup: 1 },
            (i) =>
              db.query(BASELINE, [
                o.tenantId,
                kind.queries[i % kind.queries.length],
                kind.filtered ? FILTER.type : null,
                kind.filtered ? FILTER.tag : null,
              ]),
          )
        : null;
    out[name] = { ours, baseline };
  }
  return out;
}
