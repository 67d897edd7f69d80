import { QUERY_LIMITS } from '../../domain/query-limits.js';
import { run, type Sql } from '../../store/database.js';
import type { RankSnapshot } from './cursor.js';
import { BM25, TYPOS } from './ranking.js';
import { SQL } from './statements.js';

/** A term the query ranks by, with its query weight. */
export interface QueryTerm {
  term: string;
  weight: number;
}

/** A term with its document frequency: what reading its postings costs. */
interface CostedTerm extends QueryTerm {
  df: number;
}

/**
 * The terms within the query's soft limits: at most `maxRankedTerms` distinct terms, whose postings
 * read (a term's document frequency, up to `BM25.postingsPerTerm`) add up to at most `maxPostings`.
 * The rarest are kept first, the rarest of all always: the terms left out are the most frequent, which
 * weigh least in BM25 and cost most to read. The kept terms keep their order.
 */
export function withinBudget<T extends { term: string; df: number }>(terms: T[]): T[] {
  const rarestFirst = [...terms].sort((a, b) => a.df - b.df);
  const kept = new Set<string>();
  let postings = 0;
  for (const t of rarestFirst) {
    if (kept.has(t.term)) continue;
    const cost = Math.min(t.df, BM25.postingsPerTerm);
    if (kept.size >= QUERY_LIMITS.maxRankedTerms) break;
    if (kept.size > 0 && postings + cost > QUERY_LIMITS.maxPostings) break;
    kept.add(t.term);
    postings += cost;
  }
  return terms.filter((t) => kept.has(t.term));
}

/**
 * The weighted terms a query's words rank by: their stemmed lexemes (a word repeated counts once
 * per occurrence, as in Lucene), and for a lexeme no document has (or a rare one), its closest
 * indexed spellings at a lower weight (typo tolerance, `TYPOS`), for the first `maxTypoTerms` such
 * lexemes of the query only; then cut to the query's budget (`withinBudget`). `tx`: the search's
 * transaction (the trigram threshold is set for it).
 */
export async function queryTerms(tx: Sql, tenantId: string, text: string): Promise<QueryTerm[]> {
  const lexemes = await run<{ term: string; qtf: number; df: number }>(tx, SQL.queryLexemes, {
    tenantId,
    text,
  });
  const terms: CostedTerm[] = lexemes
    .filter((l) => l.df > 0)
    .map((l) => ({ term: l.term, weight: l.qtf, df: l.df }));
  const suspected = lexemes
    .filter((l) => l.term.length >= TYPOS.minLength && l.df <= TYPOS.knownMaxDf)
    .slice(0, QUERY_LIMITS.maxTypoTerms);
  if (suspected.length > 0) {
    await run(tx, SQL.similarityThreshold, { threshold: String(TYPOS.minSimilarity) });
    const corrections = await run<{ typo: string; term: string; similarity: number; df: number }>(
      tx,
      SQL.typoCorrections,
      {
        tenantId,
        typos: suspected.map((u) => u.term),
        dfs: suspected.map((u) => u.df),
        expansions: TYPOS.expansions,
        knownMinSimilarity: TYPOS.knownMinSimilarity,
        knownFrequencyRatio: TYPOS.knownFrequencyRatio,
      },
    );
    const qtf = new Map(suspected.map((u) => [u.term, u.qtf]));
    for (const c of corrections) {
      terms.push({ term: c.term, weight: (qtf.get(c.typo) ?? 1) * TYPOS.weight * c.similarity, df: c.df });
    }
  }
  return withinBudget(terms).map(({ term, weight }) => ({ term, weight }));
}

/** The query's weighted terms and the statistics to score them with, as of now. */
export async function rankSnapshot(tx: Sql, tenantId: string, text: string): Promise<RankSnapshot> {
  const terms = await queryTerms(tx, tenantId, text);
  const [stats] = await run<{ n: number; avgdl: number; df: number[] }>(tx, SQL.termStatistics, {
    tenantId,
    terms: terms.map((t) => t.term),
  });
  return {
    t: terms.map((t) => t.term),
    w: terms.map((t) => t.weight),
    df: stats?.df ?? terms.map(() => 0),
    n: stats?.n ?? 0,
    avgdl: stats?.avgdl ?? 1,
  };
}
