import type { ClickBoost, LearnedBoost, QueryStats } from '../domain/click-model.js';
import type { Sql } from './db.js';
import { tenantsRepository } from './tenants-repository.js';

/** What one click-learning run of a tenant wrote (migration 0037). */
export interface ClickLearningRun {
  computedAt: Date;
  windowFrom: Date;
  windowTo: Date;
  eventsUsed: number;
  eventsSkipped: number;
  boosts: number;
  queries: number;
}

export type CuratorQueryKind = 'zero-results' | 'low-clicks';

export interface CuratorQuery {
  query: string;
  searches: number;
  zeroResultSearches: number;
  clickedSearches: number;
  voters: number;
}

/** Rows per INSERT: a run of a large tenant writes in pieces of this many. */
const CHUNK = 5_000;

const chunks = <T>(xs: readonly T[]) =>
  Array.from({ length: Math.ceil(xs.length / CHUNK) }, (_, i) => xs.slice(i * CHUNK, (i + 1) * CHUNK));

/** The click learning's derived tables: boosts per query, query statistics, the last run. */
export const clickLearningRepository = {
  /** Replaces the tenant's boosts and query statistics with a run's (call in one transaction). */
  async replace(
    sql: Sql,
    tenantId: string,
    x: { boosts: LearnedBoost[]; queries: QueryStats[]; run: ClickLearningRun },
  ): Promise<void> {
    await sql.query('DELETE FROM click_boosts WHERE tenant_id = $1', [tenantId]);
    await sql.query('DELETE FROM search_query_stats WHERE tenant_id = $1', [tenantId]);
    for (const rows of chunks(x.boosts)) {
      await sql.query(
        `INSERT INTO click_boosts (tenant_id, query, asset_id, boost, voters, click_voters, attractiveness)
         SELECT $1, r.query, r."assetId", r.boost, r.voters, r."clickVoters", r.attractiveness
         FROM jsonb_to_recordset($2::jsonb) AS r(query text, "assetId" uuid, boost real, voters int,
           "clickVoters" int, attractiveness real)`,
        [tenantId, JSON.stringify(rows)],
      );
    }
    for (const rows of chunks(x.queries)) {
      await sql.query(
        `INSERT INTO search_query_stats (tenant_id, query, display, searches, zero_result_searches,
           clicked_searches, voters)
         SELECT $1, r.query, r.display, r.searches, r."zeroResultSearches", r."clickedSearches", r.voters
         FROM jsonb_to_recordset($2::jsonb) AS r(query text, display text, searches int,
           "zeroResultSearches" int, "clickedSearches" int, voters int)`,
        [tenantId, JSON.stringify(rows)],
      );
    }
    const r = x.run;
    await sql.query(
      `INSERT INTO click_learning_runs (tenant_id, computed_at, window_from, window_to, events_used,
         events_skipped, boosts, queries)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (tenant_id) DO UPDATE SET computed_at = EXCLUDED.computed_at,
         window_from = EXCLUDED.window_from, window_to = EXCLUDED.window_to,
         events_used = EXCLUDED.events_used, events_skipped = EXCLUDED.events_skipped,
         boosts = EXCLUDED.boosts, queries = EXCLUDED.queries`,
      [tenantId, r.computedAt, r.windowFrom, r.windowTo, r.eventsUsed, r.eventsSkipped, r.boosts, r.queries],
    );
  },

  /** The boosts of one normalized query, strongest first, at most `limit`. */
  async boostsFor(sql: Sql, tenantId: string, query: string, limit: number): Promise<ClickBoost[]> {
    const rows = await sql.query<{ asset_id: string; boost: number }>(
      `SELECT asset_id::text AS asset_id, boost FROM click_boosts
       WHERE tenant_id = $1 AND query = $2 ORDER BY abs(boost) DESC, asset_id LIMIT $3`,
      [tenantId, query, limit],
    );
    return rows.map((r) => ({ assetId: r.asset_id, boost: Number(r.boost) }));
  },

  /** Queries starting with the normalized prefix that at least `minVoters` people searched, most searched first. */
  async popularQueries(
    sql: Sql,
    tenantId: string,
    prefix: string,
    limit: number,
    minVoters: number,
  ): Promise<{ query: string; display: string; voters: number }[]> {
    const escaped = prefix.replace(/[\\%_]/g, (c) => `\\${c}`);
    return sql.query<{ query: string; display: string; voters: number }>(
      `SELECT query, display, voters FROM search_query_stats
       WHERE tenant_id = $1 AND query LIKE $2 AND voters >= $3 AND zero_result_searches < searches
       ORDER BY voters DESC, searches DESC, query LIMIT $4`,
      [tenantId, `${escaped}%`, minVoters, limit],
    );
  },

  /**
   * A person's erasure: the learned queries (statistics and boosts) whose text matches the POSIX
   * regex `pattern` (a pre-filter; the service judges each), at most `limit`.
   */
  async erasureCandidates(
    sql: Sql,
    tenantId: string,
    pattern: string,
    limit: number,
  ): Promise<{ query: string; display: string }[]> {
    return sql.query<{ query: string; display: string }>(
      `SELECT query, display FROM search_query_stats WHERE tenant_id = $1 AND (query ~ $2 OR display ~ $2)
       UNION
       SELECT DISTINCT query, query FROM click_boosts WHERE tenant_id = $1 AND query ~ $2
       LIMIT $3`,
      [tenantId, pattern, limit],
    );
  },

  /** Removes these learned queries' statistics and boosts; returns how many queries it removed. */
  async forgetQueries(sql: Sql, tenantId: string, queries: string[]): Promise<number> {
    if (queries.length === 0) return 0;
    const boosts = await sql.query<{ query: string }>(
      'DELETE FROM click_boosts WHERE tenant_id = $1 AND query = ANY($2::text[]) RETURNING query',
      [tenantId, queries],
    );
    const stats = await sql.query<{ query: string }>(
      'DELETE FROM search_query_stats WHERE tenant_id = $1 AND query = ANY($2::text[]) RETURNING query',
      [tenantId, queries],
    );
    return new Set([...boosts, ...stats].map((r) => r.query)).size;
  },

  /**
   * Queries for curators: those that found nothing (most such searches first), or those searched at
   * least `minSearches` times whose results are seldom clicked (lowest share of clicked searches first).
   */
  async curatorQueries(
    sql: Sql,
    tenantId: string,
    kind: CuratorQueryKind,
    limit: number,
    minSearches: number,
  ): Promise<CuratorQuery[]> {
    const rows = await sql.query<{
      query: string;
      searches: number;
      zero_result_searches: number;
      clicked_searches: number;
      voters: number;
    }>(
      kind === 'zero-results'
        ? `SELECT display AS query, searches, zero_result_searches, clicked_searches, voters FROM search_query_stats
           WHERE tenant_id = $1 AND zero_result_searches > 0 AND searches >= $3
           ORDER BY zero_result_searches DESC, query LIMIT $2`
        : `SELECT display AS query, searches, zero_result_searches, clicked_searches, voters FROM search_query_stats
           WHERE tenant_id = $1 AND searches >= $3 AND zero_result_searches < searches
           ORDER BY clicked_searches::float8 / searches, searches DESC, query LIMIT $2`,
      [tenantId, limit, minSearches],
    );
    return rows.map((r) => ({
      query: r.query,
      searches: r.searches,
      zeroResultSearches: r.zero_result_searches,
      clickedSearches: r.clicked_searches,
      voters: r.voters,
    }));
  },

  async lastRun(sql: Sql, tenantId: string): Promise<ClickLearningRun | null> {
    const [row] = await sql.query<{
      computed_at: Date;
      window_from: Date;
      window_to: Date;
      events_used: number;
      events_skipped: number;
      boosts: number;
      queries: number;
    }>('SELECT * FROM click_learning_runs WHERE tenant_id = $1', [tenantId]);
    return row
      ? {
          computedAt: new Date(row.computed_at),
          windowFrom: new Date(row.window_from),
          windowTo: new Date(row.window_to),
          eventsUsed: row.events_used,
          eventsSkipped: row.events_skipped,
          boosts: row.boosts,
          queries: row.queries,
        }
      : null;
  },

  tenants: (sql: Sql) => tenantsRepository.allIds(sql),
};

export type ClickLearningRepository = typeof clickLearningRepository;
