/*
 * Ranking features on top of BM25, read the same way by every adapter: pseudo-relevance feedback
 * (RM3 over the first pass's best documents) and a bounded term-proximity boost on the best
 * candidates. Which apply is `RankingOptions`: the adapter's defaults (runtime config), each
 * overridable per search (`SearchQuery.ranking`). Measured in docs/search-relevance.md.
 */

/**
 * `feedback`: `on` always, `off` never, `auto` where it was measured to gain (`feedbackApplies`).
 * `proximity`: rescore the best `PROXIMITY.depth` candidates with a bounded boost for query terms
 * near each other.
 */
export interface RankingOptions {
  feedback: 'auto' | 'on' | 'off';
  proximity: boolean;
}

export const RANKING_FEEDBACK_MODES = ['auto', 'on', 'off'] as const;

/** The defaults of an adapter built without options: what was measured to gain. */
export const DEFAULT_RANKING: RankingOptions = { feedback: 'auto', proximity: false };

/** The adapter's defaults with a search's own choices over them. */
export function rankingOf(defaults: RankingOptions, request?: Partial<RankingOptions>): RankingOptions {
  return { ...defaults, ...request };
}

/**
 * RM3 (Lavrenko and Croft's relevance model, interpolated with the query as Anserini does): the first
 * pass's `docs` best documents; their terms weighted by P(w|d) · the document's share of the first
 * pass's scores; the `terms` best kept, each in at least `minDocs` of them, in at least `minDf` and at
 * most `maxDocShare` of the collection's documents; the new query is `originalWeight` × the query +
 * (1 − `originalWeight`) × those terms, with the query's total weight.
 * `auto`: applied to a query of at least `autoMinTerms` distinct terms, on a tenant of at least
 * `autoMinDocuments` documents. Measured to gain at every query length on collections of 1,460 and
 * 2,550 documents; below 1,000 not measured, so off there (docs/search-relevance.md).
 */
export const FEEDBACK = {
  docs: 10,
  terms: 20,
  originalWeight: 0.6,
  minDocs: 2,
  minDf: 2,
  maxDocShare: 0.5,
  minWordLength: 2,
  autoMinTerms: 1,
  autoMinDocuments: 1_000,
} as const;

/** Whether a search with these options, this many distinct query terms and this many documents expands. */
export function feedbackApplies(
  options: RankingOptions,
  queryTerms: number,
  documents: number,
  /**
   * The search is filtered: `auto` leaves it alone (not measured there; a filter's few documents
   * make a thin first pass). `on` expands it from the filter's own best documents.
   */
  filtered = false,
): boolean {
  if (options.feedback === 'off' || queryTerms === 0) return false;
  if (options.feedback === 'on') return true;
  return !filtered && queryTerms >= FEEDBACK.autoMinTerms && documents >= FEEDBACK.autoMinDocuments;
}

/** One feedback document: its first-pass score, length and terms (frequencies as the index counts them). */
export interface FeedbackDocument {
  score: number;
  length: number;
  terms: { term: string; tf: number; df: number }[];
}

/**
 * The expanded query (RM3): the original terms and weights (a term may repeat: its weights add up),
 * interpolated with the feedback terms. Terms keep the query's order, new ones follow best first;
 * each new term carries its document frequency (`df`) for the caller's budget. Pure, so that both
 * adapters expand alike and a unit test can check the arithmetic.
 */
export function rm3(
  original: { term: string; weight: number }[],
  docs: FeedbackDocument[],
  documents: number,
): { term: string; weight: number; df?: number }[] {
  const total = original.reduce((s, t) => s + t.weight, 0);
  if (total <= 0 || docs.length === 0) return original;
  const scoreSum = docs.reduce((s, d) => s + Math.max(d.score, 0), 0);
  const relevance = new Map<string, { p: number; docs: number; df: number }>();
  for (const d of docs) {
    const share = scoreSum > 0 ? Math.max(d.score, 0) / scoreSum : 1 / docs.length;
    const length = d.length > 0 ? d.length : d.terms.reduce((s, t) => s + t.tf, 0) || 1;
    for (const t of d.terms) {
      if (t.term.length < FEEDBACK.minWordLength) continue;
      if (t.df < FEEDBACK.minDf || t.df > Math.max(FEEDBACK.minDf, documents * FEEDBACK.maxDocShare))
        continue;
      const r = relevance.get(t.term) ?? { p: 0, docs: 0, df: t.df };
      r.p += (t.tf / length) * share;
      r.docs += 1;
      relevance.set(t.term, r);
    }
  }
  const best = [...relevance]
    .filter(([, r]) => r.docs >= Math.min(FEEDBACK.minDocs, docs.length))
    .sort((a, b) => b[1].p - a[1].p || (a[0] < b[0] ? -1 : 1))
    .slice(0, FEEDBACK.terms);
  const mass = best.reduce((s, [, r]) => s + r.p, 0);
  if (mass <= 0) return original;
  const alpha = FEEDBACK.originalWeight;
  const weights = new Map<string, number>();
  for (const t of original) weights.set(t.term, (weights.get(t.term) ?? 0) + alpha * t.weight);
  const added: { term: string; weight: number; df: number }[] = [];
  for (const [term, r] of best) {
    const w = (1 - alpha) * total * (r.p / mass);
    if (weights.has(term)) weights.set(term, weights.get(term)! + w);
    else added.push({ term, weight: w, df: r.df });
  }
  return [...[...weights].map(([term, weight]) => ({ term, weight })), ...added];
}

/**
 * Term proximity (BM25TP, Rasolofo and Savoy 2003), on the best `depth` candidates of the BM25
 * ranking only: each pair of distinct query terms at most `window` positions apart adds 1/distance²
 * to the pair's proximity; a pair's proximity saturates as a term frequency does in BM25 (k1, b and
 * the document's length) and is weighted by the lesser of the two terms' weights (idf × query weight),
 * times `weight`. So a pair adds at most `weight` × (k1 + 1) × min(weights), as much as one more
 * occurrence of the pair's weaker term could: bounded, and nothing for a one-word query. At most the
 * first `maxTerms` query terms take part (the pairs grow with their square).
 */
export const PROXIMITY = { depth: 100, window: 5, weight: 1.0, maxTerms: 16 } as const;

/**
 * Elasticsearch's form of the same boost: the best `depth` hits rescored with a `match_phrase` of the
 * query at this slop, added at `weight` (`rescore_query_weight`).
 */
export const ES_PROXIMITY = { slop: PROXIMITY.window, weight: 0.5 } as const;
