import { QUERY_LIMITS } from '../../domain/query-limits.js';
import { run, type Sql } from '../../store/database.js';
import { rm3, type FeedbackDocument } from '../ranking-features.js';
import { MORE_LIKE_THIS } from '../search-index.js';
import type { RankSnapshot } from './cursor.js';
import { BM25, LIKE_POSTINGS, TYPOS } from './ranking.js';
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

/**
 * The snapshot expanded by pseudo-relevance feedback (RM3, \`rm3\`): \`firstPass\` gives the best
 * assets of the snapshot's own ranking with their scores; their terms join the query's, and the
 * whole is cut to the query's budget again (\`withinBudget\`). \`o\` counts the query's own terms
 * kept, which come first.
 */
export async function feedbackSnapshot(
  tx: Sql,
  tenantId: string,
  snapshot: RankSnapshot,
  firstPass: { assetId: string; score: number }[],
): Promise<RankSnapshot> {
  if (firstPass.length === 0) return snapshot;
  const rows = await run<{ asset_id: string; term: string; tf: number; length: number; df: number }>(
    tx,
    SQL.feedbackTerms,
    { tenantId, assetIds: firstPass.map((h) => h.assetId) },
  );
  const docs = new Map<string, FeedbackDocument>(
    firstPass.map((h) => [h.assetId, { score: h.score, length: 0, terms: [] }]),
  );
  for (const r of rows) {
    const d = docs.get(r.asset_id);
    if (!d) continue;
    d.length = r.length;
    d.terms.push({ term: r.term, tf: r.tf, df: r.df });
  }
  const own = snapshot.t.map((term, i) => ({ term, weight: snapshot.w[i] ?? 1, df: snapshot.df[i] ?? 0 }));
  const dfOf = new Map(own.map((t) => [t.term, t.df]));
  const expanded = rm3(own, [...docs.values()], snapshot.n).map((t) => ({
    term: t.term,
    weight: t.weight,
    df: t.df ?? dfOf.get(t.term) ?? 0,
  }));
  const kept = withinBudget(expanded);
  const ownTerms = new Set(own.map((t) => t.term));
  return {
    ...snapshot,
    t: kept.map((t) => t.term),
    w: kept.map((t) => t.weight),
    df: kept.map((t) => t.df),
    o: kept.filter((t) => ownTerms.has(t.term)).length,
  };
}

/**
 * The terms a more-like-this lookup ranks by, as Lucene's MoreLikeThis picks them: the asset's terms
 * within `MORE_LIKE_THIS`, scored tf · idf (Lucene's classic idf, 1 + ln((N + 1) / (df + 1))), the
 * best `maxQueryTerms`, each weighted by its score against the best one. Ties go by term, so the
 * pick is stable.
 */
export function likeTerms(
  terms: { term: string; tf: number; df: number }[],
  n: number,
): { term: string; weight: number; df: number }[] {
  const scored = terms
    .filter(
      (t) =>
        t.term.length >= MORE_LIKE_THIS.minWordLength &&
        t.tf >= MORE_LIKE_THIS.minTermFreq &&
        t.df >= MORE_LIKE_THIS.minDocFreq &&
        t.df <= Math.max(MORE_LIKE_THIS.minDocFreq, n * MORE_LIKE_THIS.maxDocShare),
    )
    .map((t) => ({ ...t, score: t.tf * (1 + Math.log((n + 1) / (t.df + 1))) }))
    .sort((a, b) => b.score - a.score || (a.term < b.term ? -1 : 1))
    .slice(0, MORE_LIKE_THIS.maxQueryTerms);
  const best = scored[0]?.score ?? 0;
  return scored.map((t) => ({ term: t.term, weight: t.score / best, df: t.df }));
}

/**
 * The more-like-this terms of an asset, with those of `alsoLike` added in (their frequencies summed,
 * as Lucene's MoreLikeThis over several documents), and the statistics to score them with (none:
 * the asset is not indexed).
 */
export async function likeSnapshot(
  tx: Sql,
  tenantId: string,
  assetId: string,
  alsoLike: string[] = [],
): Promise<RankSnapshot | null> {
  const rows = await run<{ term: string; tf: number; df: number; own: boolean }>(tx, SQL.assetTerms, {
    tenantId,
    assetId,
    alsoLike,
  });
  if (!rows.some((t) => t.own)) return null;
  const [stats] = await run<{ n: number; avgdl: number }>(tx, SQL.termStatistics, { tenantId, terms: [] });
  const n = stats?.n ?? 0;
  const terms = withinBudget(likeTerms(rows, n));
  return {
    t: terms.map((t) => t.term),
    w: terms.map((t) => t.weight),
    df: terms.map((t) => t.df),
    n,
    avgdl: stats?.avgdl ?? 1,
  };
}

/**
 * How many of its best postings (by impact) each of a more-like-this lookup's terms reads, within
 * `LIKE_POSTINGS`: the budget is shared out in proportion to what each term can add to a score (its
 * weight times its BM25 idf); a term in fewer documents than its share is read whole and leaves the
 * rest to the others (water-filling). Never more than `BM25.postingsPerTerm`, never fewer than
 * `LIKE_POSTINGS.minPerTerm` (or the term's document frequency, if fewer). In the terms' order.
 */
export function likePostingCaps(
  terms: { weight: number; df: number }[],
  n: number,
  budget: number = LIKE_POSTINGS.postings,
): number[] {
  const idf = (df: number) => Math.log(1 + (Math.max(n - df, 0) + 0.5) / (df + 0.5));
  const full = terms.map((t) => Math.min(Math.max(0, Math.ceil(t.df)), BM25.postingsPerTerm));
  const value = terms.map((t) => Math.max(t.weight, 0) * idf(t.df));
  const caps = full.map(() => 0);
  let open = terms.map((_, i) => i);
  let left = budget;
  // Each pass settles the terms read whole at their share; the others share what is left.
  for (;;) {
    const total = open.reduce((sum, i) => sum + value[i]!, 0);
    const share = (i: number) => (total > 0 ? (left * value[i]!) / total : left / open.length);
    const whole = open.filter((i) => full[i]! <= share(i));
    if (whole.length === 0) {
      for (const i of open) caps[i] = Math.floor(share(i));
      break;
    }
    for (const i of whole) {
      caps[i] = full[i]!;
      left -= full[i]!;
    }
    open = open.filter((i) => !whole.includes(i));
    if (open.length === 0) break;
  }
  return caps.map((c, i) => Math.min(full[i]!, Math.max(c, LIKE_POSTINGS.minPerTerm)));
}

/**
 * A more-like-this lookup's budget for the ranking (`RankInput.budget`), from its snapshot; none when
 * every term fits it whole: the ranking is then exact, and rescoring would only read again. At least
 * `limit` candidates are rescored, so that a page is never cut short by the budget.
 */
export function likeBudget(
  snapshot: RankSnapshot,
  limit: number,
): { perTerm: number[]; rescore: number } | undefined {
  const perTerm = likePostingCaps(
    snapshot.t.map((_, i) => ({ weight: snapshot.w[i] ?? 1, df: snapshot.df[i] ?? 0 })),
    snapshot.n,
  );
  const cut = perTerm.some((cap, i) => cap < Math.min(snapshot.df[i] ?? 0, BM25.postingsPerTerm));
  return cut ? { perTerm, rescore: Math.max(LIKE_POSTINGS.rescore, limit) } : undefined;
}
