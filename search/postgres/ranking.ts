import { QUERY_LIMITS } from '../../domain/query-limits.js';
import { FIELD_GROUPS } from '../adapter-rules.js';

/*
 * BM25 on Postgres: its parameters, and its formula, written once here as SQL and used by every
 * statement that scores (postings' impacts at index time, the ranking, the explanation of a hit).
 */

/**
 * BM25 parameters. Field weights apply to the tsvector labels set when a document is written
 * (BM25F-style: a term's frequency and a document's length are sums of field-weighted counts).
 */
export const BM25 = {
  k1: 1.2,
  b: 0.75,
  /** A: title and speakers; B: tags and topics; C: description, keywords, people named; D: transcript. */
  weights: { A: 2.0, B: 1.5, C: 1.0, D: 0.5 },
  /**
   * Impact-ordered early termination: per query term, only the postings with the highest index-time
   * BM25 weight are read. Exact for terms in fewer documents than this; an approximation beyond.
   */
  postingsPerTerm: 5_000,
  /**
   * An entity filter (tag, topic, speaker, brand) held by at most this many assets ranks those assets
   * alone, every one scored, instead of the best postings: a rare tag's matches are rarely among a
   * frequent term's best 5,000, and within the filter the ranking is then exact.
   */
  selectiveFilterMax: 5_000,
  /** Added to the score of a title or speaker equal to the whole query, so it ranks first. */
  exactMatchBoost: 1_000,
} as const;

/**
 * A more-like-this lookup ranks by up to 25 terms of the asset (and of its feedback documents), often
 * frequent ones: read to `BM25.postingsPerTerm` each, they cost up to 100,000 postings a lookup
 * (about 300 ms at 100k assets, 2026-12-07). It reads at most `postings` over all its terms instead,
 * shared out by what each term can add to a score (its weight times idf): a term in fewer documents
 * than its share is read whole, and what it leaves goes to the others (`likePostingCaps`). Each term's
 * best postings by impact come first, so what is cut is the tail of the frequent terms: documents
 * that hold one of them weakly. A term is read to at least `minPerTerm`.
 */
export const LIKE_POSTINGS = { postings: 4_000, minPerTerm: 50, rescore: 100 } as const;

/** What each tsvector label stands for, as an explanation names it. */
export const FIELD_LABELS: Record<keyof typeof BM25.weights, string> = {
  A: FIELD_GROUPS[0],
  B: FIELD_GROUPS[1],
  C: FIELD_GROUPS[2],
  D: FIELD_GROUPS[3],
};

/**
 * Typo tolerance: a query term that is in no document is replaced by up to `expansions` indexed terms
 * whose trigram similarity reaches `minSimilarity`, each weighted by `weight` × similarity so that
 * exact matches rank first. Terms shorter than `minLength` are too short to correct reliably.
 */
export const TYPOS = {
  minLength: 4,
  minSimilarity: 0.25,
  expansions: QUERY_LIMITS.typoExpansionsPerTerm,
  weight: 0.5,
  /**
   * A term some documents do have can still be a typo (corpora contain misspellings too): it also
   * expands, but only to a much closer and far more common spelling.
   */
  knownMinSimilarity: 0.5,
  knownFrequencyRatio: 5,
  /** Only a rare spelling is suspected: a term in more documents than this is taken as written. */
  knownMaxDf: 3,
} as const;

/**
 * Reading one posting through the (tenant, asset) index and the heap costs about this many postings
 * read in a term's index order: the factor by which per-asset reading must read fewer to be chosen.
 * Measured at 1M assets (2026-12-01): 1.9 to 2.6 (for a tag on 4,965 assets, per asset 178 ms against
 * 272 ms with three frequent terms, 138 against 92 ms with one).
 */
export const BY_ASSET_COST = 2.5;

/** The field-weighted frequency of one position's label (BM25F), given the weights as SQL values. */
export function labelWeightSql(label: string, w: { A: string; B: string; C: string; D: string }): string {
  return `CASE ${label} WHEN 'A' THEN ${w.A} WHEN 'B' THEN ${w.B} WHEN 'C' THEN ${w.C} ELSE ${w.D} END`;
}

/**
 * Lucene's idf: ln(1 + (N − df + 0.5) / (df + 0.5)). N − df is floored at 0: a cursor carries its
 * page one's statistics, and one altered to df > N would otherwise take the log of a negative.
 */
export function idfSql(n: string, df: string): string {
  return `ln(1 + (greatest(${n} - ${df}, 0) + 0.5) / (${df} + 0.5))`;
}

/**
 * A term's BM25 weight in a document: `weight` (idf times the query's weight of the term, or none
 * for the index-time impact) × tf saturated with k1, the document's length normalized with b against
 * the average. Each argument is a SQL expression, so every statement casts as its columns need.
 */
export function bm25Sql(x: {
  weight?: string;
  tf: string;
  docLength: string;
  avgdl: string;
  k1: string;
  b: string;
}): string {
  const weight = x.weight ? `${x.weight} * ` : '';
  return `${weight}${x.tf} * (${x.k1} + 1) / (${x.tf} + ${x.k1} * (1 - ${x.b} + ${x.b} * ${x.docLength} / ${x.avgdl}))`;
}
