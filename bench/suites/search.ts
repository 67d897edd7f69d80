/**
 * Search: SearchIndex.search in the tenant's scope (as a request runs it), per kind of query, beside
 * a plain baseline on the same table: `ts_rank_cd` over the GIN index, every match ranked.
 * The BM25 figures cover the whole search (term lookup, typo check, ranking, highlights).
 */
import { PostgresSearchIndex } from '../../search/postgres-search-index.js';
import { parseQuery } from '../../search/query-parser.js';
import type { SearchQuery } from '../../search/search-index.js';
import type { Database } from '../../store/db.js';
import { inTenantScope } from '../../store/tenant-isolation.js';
import { measure, type Compared } from '../lib.js';
import { projectionAccess } from '../../store/projection-rebuilds-repository.js';

interface Kind {
  queries: string[];
  /** Videos tagged with the topic supernode, with facets. */
  filtered?: boolean;
  /** Only the assets of a rare tag (empty queries browse them newest first). */
  rareTag?: boolean;
  /** With facets (the filtered kind always has them). */
  facets?: boolean;
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
  'rare tag, browse': { queries: [''], rareTag: true },
  'rare tag, browse + facets': { queries: [''], rareTag: true, facets: true },
  'rare tag + text': {
    queries: ['ocean energy future', 'music design brain', 'business community water', 'space art culture'],
    rareTag: true,
  },
};

/**
 * The tag of the rare kinds: the least used with at least 20 assets (about 70 of 100,000 assets in
 * the synthetic library, 700 of a million).
 */
const RARE_TAG = `SELECT t FROM search_documents, unnest(tags) t WHERE tenant_id = $1
                  GROUP BY t HAVING count(*) >= 20 ORDER BY count(*), t LIMIT 1`;

/**
 * The baseline of browsing a tag: its newest assets by `tags @> ARRAY[tag]` (no index serves that: the
 * tags array has none); with facets, types over the tag's assets and tags over the tenant (the tag
 * facet leaves out its own filter).
 */
const BROWSE_BASELINE = `
  WITH m AS (SELECT asset_id, created_at, type FROM search_documents
             WHERE tenant_id = $1 AND tags @> ARRAY[$2::text])
  SELECT (SELECT json_agg(x) FROM (SELECT asset_id FROM m ORDER BY created_at DESC LIMIT 20) x) AS hits,
         CASE WHEN $3::boolean THEN
           (SELECT json_agg(f) FROM (SELECT type AS value, count(*) FROM m GROUP BY type) f) END AS types,
         CASE WHEN $3::boolean THEN
           (SELECT json_agg(f) FROM (SELECT t AS value, count(*) FROM search_documents, unnest(tags) t
                                     WHERE tenant_id = $1 GROUP BY t ORDER BY count(*) DESC LIMIT 10) f) END AS tags`;

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
          AND ($3::text IS NULL OR type = $3) AND ($4::text IS NULL OR tags @> ARRAY[$4::text]))
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
  const index = new PostgresSearchIndex(projectionAccess(db, 'search'));
  const out: Record<string, Compared> = {};
  const [rare] = await db.query<{ t: string }>(RARE_TAG, [o.tenantId]);
  for (const [name, kind] of Object.entries(SEARCH_KINDS)) {
    if (kind.rareTag && !rare) continue;
    const tag = kind.rareTag ? rare!.t : kind.filtered ? FILTER.tag : null;
    const query = (i: number): SearchQuery => ({
      query: parseQuery(kind.queries[i % kind.queries.length]!),
      limit: 20,
      ...(kind.filtered
        ? { filters: { type: [FILTER.type as 'VIDEO'], tags: [FILTER.tag] }, facets: true }
        : {}),
      ...(tag && kind.rareTag ? { filters: { tags: [tag] } } : {}),
      ...(kind.facets ? { facets: true } : {}),
    });
    const ours = await measure(
      { rounds: o.rounds, runs: o.runs, concurrency: o.concurrency, warmup: kind.queries.length },
      (i) => inTenantScope(o.tenantId, () => index.search(o.tenantId, query(i))),
    );
    const baseline =
      o.baselineRuns > 0
        ? await measure(
            { rounds: o.rounds, runs: o.baselineRuns, concurrency: o.concurrency, warmup: 1 },
            (i) => {
              const text = kind.queries[i % kind.queries.length]!;
              return text === ''
                ? db.query(BROWSE_BASELINE, [o.tenantId, tag, kind.facets ?? false])
                : db.query(BASELINE, [o.tenantId, text, kind.filtered ? FILTER.type : null, tag]);
            },
          )
        : null;
    out[name] = { ours, baseline };
  }
  return out;
}
