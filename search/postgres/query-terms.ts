import { run, type Database } from '../../store/database.js';
import type { RankSnapshot } from './cursor.js';
import { TYPOS } from './ranking.js';
import { SQL } from './statements.js';

/** A term the query ranks by, with its query weight. */
export interface QueryTerm {
  term: string;
  weight: number;
}

/**
 * The weighted terms a query's words rank by: their stemmed lexemes (a word repeated counts once
 * per occurrence, as in Lucene), and for a lexeme no document has (or a rare one), its closest
 * indexed spellings at a lower weight (typo tolerance, `TYPOS`).
 */
export async function queryTerms(db: Database, tenantId: string, text: string): Promise<QueryTerm[]> {
  const lexemes = await run<{ term: string; qtf: number; df: number }>(db, SQL.queryLexemes, {
    tenantId,
    text,
  });
  const terms = lexemes.filter((l) => l.df > 0).map((l) => ({ term: l.term, weight: l.qtf }));
  const unknown = lexemes.filter((l) => l.term.length >= TYPOS.minLength && l.df <= TYPOS.knownMaxDf);
  if (unknown.length === 0) return terms;
  const corrections = await db.transaction(async (tx) => {
    await run(tx, SQL.similarityThreshold, { threshold: String(TYPOS.minSimilarity) });
    return run<{ typo: string; term: string; similarity: number }>(tx, SQL.typoCorrections, {
      tenantId,
      typos: unknown.map((u) => u.term),
      dfs: unknown.map((u) => u.df),
      expansions: TYPOS.expansions,
      knownMinSimilarity: TYPOS.knownMinSimilarity,
      knownFrequencyRatio: TYPOS.knownFrequencyRatio,
    });
  });
  const qtf = new Map(unknown.map((u) => [u.term, u.qtf]));
  for (const c of corrections) {
    terms.push({ term: c.term, weight: (qtf.get(c.typo) ?? 1) * TYPOS.weight * c.similarity });
  }
  return terms;
}

/** The query's weighted terms and the statistics to score them with, as of now. */
export async function rankSnapshot(db: Database, tenantId: string, text: string): Promise<RankSnapshot> {
  const terms = await queryTerms(db, tenantId, text);
  const [stats] = await run<{ n: number; avgdl: number; df: number[] }>(db, SQL.termStatistics, {
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
